import Foundation
import Testing
@testable import PhasorData

// Malformed `.ts` and CSV files: each refused with the right kind, naming the file and line.

@Suite("dataset errors")
struct DatasetErrorTests {
    let header = "@problemName Toy\n@univariate false\n@dimensions 2\n@equalLength true\n@seriesLength 3\n@classLabel true a b\n@data\n"

    func tsError(_ text: String, line: Int? = nil, _ kind: DataError.Kind,
                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = try directory.write("Toy_TRAIN.ts", text)
        let error = try #require(dataError { _ = try DatasetLoader.load(path: path) }, sourceLocation: sourceLocation)
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.contains("Toy_TRAIN.ts"), sourceLocation: sourceLocation)
        if let line { #expect(error.line == line, "\(error)", sourceLocation: sourceLocation) }
    }

    @Test func wellFormedToy() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = try directory.write("Toy_TRAIN.ts", "# comment\r\n" + header + "1,2,3:4,5,6:b\r\n\n 7, 8 ,9e-1:-1,+2,3.:a \n")
        let (data, _) = try DatasetLoader.load(path: path)
        #expect(data.name == "Toy" && data.channels == 2 && data.classNames == ["a", "b"])
        #expect(data.samples.map(\.label) == [1, 0])
        #expect(data.samples[0].values == [1, 4, 2, 5, 3, 6])
        #expect(data.samples[1].values == [7, -1, 8, 2, 0.9, 3])
    }

    @Test func tsErrors() throws {
        // Ragged rows where @equalLength true is declared (and against @seriesLength).
        try tsError(header + "1,2,3:4,5,6:a\n1,2:4,5:b\n", line: 9, .raggedRows)
        try tsError(header.replacingOccurrences(of: "@seriesLength 3", with: "@seriesLength 4") + "1,2,3:4,5,6:a\n", line: 8, .raggedRows)
        // Channels of one case with different lengths.
        try tsError(header + "1,2,3:4,5:a\n", line: 8, .raggedRows)
        // Channel count differing from @dimensions.
        try tsError(header + "1,2,3:a\n", line: 8, .channelMismatch)
        try tsError(header + "1,2,3:4,5,6:7,8,9:a\n", line: 8, .channelMismatch)
        // Labels not declared in @classLabel.
        try tsError(header + "1,2,3:4,5,6:c\n", line: 8, .unknownLabel)
        // Missing @data; empty data.
        try tsError(header.replacingOccurrences(of: "@data\n", with: ""), .missingData)
        try tsError(header + "\n# nothing\n", .emptyData)
        // Non-numeric values, and cases or channels holding only missing values (with line numbers).
        try tsError(header + "1,2,3:4,5,6:a\n1,x,3:4,5,6:b\n", line: 9, .nonNumeric)
        try tsError(header + "1,2,3:4,5,6:a\n?,NaN,?:4,5,6:a\n", line: 9, .missingValues)
        try tsError(header + "?,?,?:nan,?,NaN:b\n", line: 8, .missingValues)
        try tsError(header + "1,inf,3:4,5,6:a\n", line: 8, .nonFinite)
        try tsError(header + "1,1e999,3:4,5,6:a\n", line: 8, .nonFinite)
        try tsError(header + "1,,3:4,5,6:a\n", line: 8, .nonNumeric)
        // Header problems.
        try tsError("@timeStamps true\n" + header, line: 1, .unsupportedLayout)
        try tsError("@targetLabel true\n@data\n1:2\n", line: 1, .unsupportedLayout)
        try tsError("@dimensions 1\n@data\n1,2:a\n", line: 2, .badHeader)
        try tsError("@classLabel true a a\n@data\n", line: 1, .badHeader)
        try tsError("hello\n" + header, line: 1, .badHeader)
        try tsError(header + "1,2,3\n", line: 8, .badHeader)
    }

    @Test func testSetReadAgainstTrainingClasses() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let univariate = "@univariate true\n@equalLength false\n@classLabel true x y z\n@data\n"
        let train = try directory.write("T_TRAIN.ts", univariate + "1,2:x\n3:y\n")
        let test = try directory.write("T_TEST.ts", univariate + "5,6,7:y\n8:x\n")
        let pair = try DatasetLoader.load(train: train, test: test)
        #expect(pair.test.classNames == ["x", "y", "z"] && pair.test.samples.map(\.label) == [1, 0])
        #expect(pair.train.minLength == 1 && pair.train.maxLength == 2 && !pair.train.isEqualLength)
        // A class unseen in training is an error, even if the test header declares it.
        let otherTest = try directory.write("U_TEST.ts", "@univariate true\n@classLabel true x y w\n@data\n1:w\n")
        let trainXY = try directory.write("U_TRAIN.ts", "@univariate true\n@classLabel true x y\n@data\n1:x\n")
        let unseen = try #require(dataError { _ = try DatasetLoader.load(train: trainXY, test: otherTest) })
        #expect(unseen.kind == .unknownLabel && unseen.line == 4 && unseen.description.contains("U_TEST.ts"))
        // Channel counts must agree between training and test.
        let twoChannels = try directory.write("V_TEST.ts", "@dimensions 2\n@classLabel true x y\n@data\n1:2:x\n")
        #expect(dataError { _ = try DatasetLoader.load(train: train, test: twoChannels) }?.kind == .channelMismatch)
    }

    func csvError(_ text: String, line: Int? = nil, _ kind: DataError.Kind,
                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = try directory.write("data.csv", text)
        let error = try #require(dataError { _ = try DatasetLoader.load(path: path) }, sourceLocation: sourceLocation)
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.contains("data.csv"), sourceLocation: sourceLocation)
        if let line { #expect(error.line == line, "\(error)", sourceLocation: sourceLocation) }
    }

    @Test func csvErrors() throws {
        try csvError("1,2,3,a\n4,5,b\n", line: 2, .raggedRows)
        try csvError("1,2,3,a\n4,x,6,b\n", line: 2, .nonNumeric)
        try csvError("1,2,3,a\n?,,NaN,b\n", line: 2, .missingValues)
        try csvError("", .emptyData)
        try csvError("\n\n", .emptyData)
        try csvError("t1,t2,label\n", .emptyData)
        try csvError("1\n2\n", line: 1, .badHeader)
        try csvError("1,2,\n", line: 1, .unknownLabel)
        // A header row is allowed only as the first row, and only if none of its value cells is a number.
        try csvError("t1,2,label\n1,2,a\n", line: 1, .nonNumeric)
    }

    @Test func csvWellFormed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = try directory.write("words.csv", "t1,t2,class\r\n0.5,1,cat\n-2,3e2,\"dog\"\n7,8,cat\n")
        let (data, _) = try DatasetLoader.load(path: path)
        #expect(data.classNames == ["cat", "dog"] && data.samples.map(\.label) == [0, 1, 0])
        #expect(data.samples[1].values == [-2, 300] && data.maxLength == 2)
        // Numeric labels are ordered numerically, not as text.
        let numbers = try directory.write("n.csv", "1,10\n2,9\n3,2\n4,2\n")
        #expect(try DatasetLoader.load(path: numbers).train.classNames == ["2", "9", "10"])
        // Train/test CSV pair in a folder.
        _ = try directory.write("P_TRAIN.csv", "1,2,a\n3,4,b\n5,6,b\n")
        _ = try directory.write("P_TEST.csv", "5,6,b\n")
        let sub = directory.url.appendingPathComponent("pair")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for name in ["P_TRAIN.csv", "P_TEST.csv"] {
            try FileManager.default.moveItem(atPath: directory.path(name), toPath: sub.appendingPathComponent(name).path)
        }
        let pair = try DatasetLoader.load(path: sub.path)
        #expect(pair.test?.samples.map(\.label) == [1] && pair.train.name == "P")
        // A test label unseen in training, reported at its own line (blank lines and a header counted).
        let unseen = try directory.write("Q_TEST.csv", "t1,t2,y\n\n5,6,a\n7,8,zebra\n")
        let error = try #require(dataError { _ = try DatasetLoader.load(train: sub.appendingPathComponent("P_TRAIN.csv").path, test: unseen) })
        #expect(error.kind == .unknownLabel && error.line == 4)
        #expect(dataError { _ = try DatasetLoader.load(path: directory.path("nothing.here")) }?.kind == .unreadable)
        let odd = try directory.write("x.json", "{}")
        #expect(dataError { _ = try DatasetLoader.load(path: odd) }?.kind == .unsupportedLayout)
    }
}
