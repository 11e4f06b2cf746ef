import Foundation
import Testing
@testable import PhasorData

// Dataset files as other programs write them (issue 14): pandas' to_csv, Excel's "CSV UTF-8", classic Mac line ends,
// the UCR 2018 archive's label-first .tsv, UEA .ts files with @missing true and NaN padding. The fixtures under
// Tests/Fixtures/data were written by make_real_world.py with pandas/numpy, and expected.json holds what a correct
// reader finds — computed there, independently of Phasor (lengths, filled values, every case's values).

/// The committed fixtures and their independently computed readings.
enum RealWorldFixtures {
    static let folder = Repo.root.appendingPathComponent("Tests/Fixtures/data")
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func expected() throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
    }
}

@Suite("real-world dataset files")
struct RealWorldFileTests {
    /// Reads `text` (as bytes) from a file called `name` in a fresh folder.
    func load(_ name: String, _ bytes: [UInt8], labelColumn: LabelColumn = .last) throws -> SequenceDataset {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try Data(bytes).write(to: directory.url.appendingPathComponent(name))
        return try DatasetLoader.load(path: directory.path(name), labelColumn: labelColumn).train
    }

    func load(_ name: String, _ text: String, labelColumn: LabelColumn = .last) throws -> SequenceDataset {
        try load(name, Array(text.utf8), labelColumn: labelColumn)
    }

    func error(_ name: String, _ text: String, labelColumn: LabelColumn = .last) -> DataError? {
        dataError { _ = try load(name, text, labelColumn: labelColumn) }
    }

    /// Every fixture read as expected.json says: counts, classes in order, lengths, filled/trailing counts, a
    /// skipped header, and every value after filling.
    @Test func fixturesReadAsTheIndependentReadingSays() throws {
        let expected = try RealWorldFixtures.expected()
        #expect(expected.count == 9)
        for (name, e) in expected.sorted(by: { $0.key < $1.key }) {
            let path = RealWorldFixtures.path(name)
            let column: LabelColumn = name.hasSuffix(".tsv") ? .first : .last
            let data: SequenceDataset
            if name.contains("_TEST") {
                data = try DatasetLoader.load(train: path.replacingOccurrences(of: "_TEST", with: "_TRAIN"), test: path,
                                              labelColumn: column).test
            } else {
                data = try DatasetLoader.load(path: path, labelColumn: column).train
            }
            #expect(data.samples.count == e["samples"] as? Int, "\(name)")
            #expect(data.classNames == e["classes"] as? [String], "\(name): \(data.classNames)")
            #expect(data.classCounts() == e["class_counts"] as? [Int], "\(name)")
            #expect(data.samples.map(\.length) == e["lengths"] as? [Int], "\(name)")
            #expect(data.notes.filledValues == e["filled"] as? Int, "\(name)")
            #expect(data.notes.trailingValues == e["trailing"] as? Int, "\(name)")
            #expect((data.notes.headerLine == 1) == (e["header_skipped"] as? Bool), "\(name)")
            #expect(data.samples.map(\.values) == e["values"] as? [[Double]], "\(name)")
            // Nothing the reader decided is silent: each decision has a message naming the file.
            let decisions = (data.notes.headerLine != nil ? 1 : 0) + (data.notes.filledValues > 0 ? 1 : 0)
                + (data.notes.trailingValues > 0 ? 1 : 0)
            #expect(data.notes.messages.count == decisions && data.notes.messages.allSatisfy { $0.hasPrefix(path) }, "\(name)")
        }
    }

    /// A UTF-8 byte-order mark, CR LF and lone CR line ends change nothing in what is read.
    @Test func byteOrderMarkAndLineEndsLeaveTheDataUnchanged() throws {
        let ts = "# toy\n@problemName toy\n@univariate false\n@dimensions 2\n@equalLength true\n@classLabel true a b\n@data\n"
            + "1,2,3:4,5,6:a\n7,8,9:1,2,3:b\n"
        let csv = "t1,t2,t3,class\n1,2,3,a\n4,5,6,b\n7,8,9,a\n"
        for (name, text) in [("toy.ts", ts), ("toy.csv", csv)] {
            let plain = try load(name, text)
            #expect(plain.samples.count == 2 + (name.hasSuffix(".csv") ? 1 : 0))
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            for variant in [bom + Array(text.utf8),
                            Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8),
                            Array(text.replacingOccurrences(of: "\n", with: "\r").utf8),
                            bom + Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)] {
                let read = try load(name, variant)
                #expect(read.samples == plain.samples && read.classNames == plain.classNames && read.name == plain.name)
                #expect(read.notes.headerLine == plain.notes.headerLine)
            }
        }
    }

    /// Errors name the line an editor shows, whatever the line ends.
    @Test func lineNumbersFollowEveryLineEnd() throws {
        for end in ["\n", "\r\n", "\r"] {
            let text = ["1,2,3,a", "", "4,x,6,b"].joined(separator: end) + end
            #expect(error("d.csv", text)?.line == 3, "line end \(Array(end.utf8))")
            #expect(error("d.csv", "\u{FEFF}1,2,x,a" + end)?.line == 1)
        }
    }

    @Test func utf16IsRefusedWithAHint() throws {
        let text = "1,2,3,a\n4,5,6,b\n"
        let utf16LE: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let utf16BE: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for bytes in [utf16LE, utf16BE, Array(utf16LE.dropFirst(2))] {
            let e = dataError { _ = try load("d.csv", bytes) }
            #expect(e?.kind == .unsupportedLayout && e?.problem.contains("UTF-16") == true, "\(String(describing: e))")
        }
    }

    /// Quoted fields: numbers in quotes are numbers; a separator or "" inside quotes belongs to the label.
    @Test func quotedFields() throws {
        let data = try load("q.csv", "\"1.5\", \"2\" ,\"cat, black\"\n3,\"-4e1\",\"say \"\"hi\"\"\"\n5,6,\"cat, black\"\n")
        #expect(data.classNames == ["cat, black", "say \"hi\""])
        #expect(data.samples.map(\.values) == [[1.5, 2], [3, -40], [5, 6]])
        #expect(data.samples.map(\.label) == [0, 1, 0])
        #expect(error("q.csv", "1,2,\"a\n3,4,b\n")?.kind == .badQuotes)
        #expect(error("q.csv", "1,\"2\"x,a\n3,4,b\n")?.kind == .badQuotes)
        // A quoted non-number is still not a number.
        #expect(error("q.csv", "1,2,a\n3,\"four\",b\n")?.kind == .nonNumeric)
    }

    /// Header rows: recognised by the three documented rules, reported, and never taken from a data row.
    @Test func headerRows() throws {
        let body = "0.5,1.5,2.5,a\n1.5,0.5,0.25,b\n2.5,1,0,a\n"
        // (a) text column names; (b) pandas' column numbers with a text label, or the whole row 0…n; (c) a text label
        // over numeric labels.
        for (header, rows) in [("t1,t2,t3,class\n", body), ("0,1,2,label\n", body), ("0,1,2,3\n", body),
                               ("0.0,0.1,0.2,y\n", body.replacingOccurrences(of: ",a\n", with: ",0\n").replacingOccurrences(of: ",b\n", with: ",1\n"))] {
            let data = try load("h.csv", header + rows)
            #expect(data.notes.headerLine == 1 && data.samples.count == 3, "\(header)")
            #expect(data.notes.messages.first?.contains("line 1 skipped as a header row") == true)
        }
        // Label first: label,0,1,2 (named) and 0,1,2,3 (unnamed: the label column is number 0, the values 1…3).
        let first = "a,0.5,1.5,2.5\nb,1.5,0.5,0.25\na,2.5,1,0\n"
        for header in ["label,0,1,2\n", "0,1,2,3\n"] {
            let data = try load("h.csv", header + first, labelColumn: .first)
            #expect(data.notes.headerLine == 1 && data.classNames == ["a", "b"] && data.samples.count == 3, "\(header)")
        }
        // Not headers: a ramp whose label is a class of other rows; a ramp starting at 1; a two-value ramp; rows
        // whose labels are all text (rule (c) needs numeric labels below).
        for text in ["0,1,2,a\n" + body, "1,2,3,c\n" + body, "0,1,c\n0.5,1,a\n1,2,b\n2,3,a\n", "5,6,7,c\n" + body] {
            let data = try load("h.csv", text)
            #expect(data.notes.headerLine == nil && data.samples.count == 4, "\(text)")
        }
        // A first row mixing numbers and text is refused at its first non-number, not skipped.
        #expect(error("h.csv", "t1,2,3,class\n" + body)?.kind == .nonNumeric)
    }

    /// The UCR 2018 layout (label first): read with labelColumn .first; read with the default, every class has one
    /// sample, and the refusal names the option.
    @Test func labelInTheFirstColumn() throws {
        let ucr = "1,0.25,0.5,0.125\n2,0.75,0.625,0.375\n1,0.3,0.2,0.1\n2,0.9,0.8,0.7\n"
        let data = try load("ucr.csv", ucr, labelColumn: .first)
        #expect(data.classNames == ["1", "2"] && data.classCounts() == [2, 2])
        #expect(data.samples[1].values == [0.75, 0.625, 0.375])
        let refused = try #require(error("ucr.csv", ucr))
        #expect(refused.kind == .implausibleLabels && refused.fix.contains("--label-column first"))
        // The mirror image: a label-last file read as label-first.
        let last = "0.25,0.5,0.125,a\n0.75,0.625,0.375,b\n0.3,0.2,0.1,a\n"
        #expect(error("last.csv", last, labelColumn: .first)?.fix.contains("--label-column last") == true)
        #expect(error("last.csv", last.replacingOccurrences(of: "a", with: "1").replacingOccurrences(of: "b", with: "2"),
                      labelColumn: .first)?.fix.contains("--label-column last") == true)
        #expect(error("first.csv", "a,1,2\nb,2,3\na,3,4\n")?.fix.contains("--label-column first") == true)
        // The UCR 2018 layout with NaN padding read label-last: the "labels" are fractional values and NaN padding.
        let padded = "1,0.25,0.5,NaN\n2,0.75,0.625,0.375\n1,0.3,NaN,NaN\n2,0.9,0.8,0.7\n3,0.1,0.2,0.3\n"
        #expect(error("ucr.csv", padded)?.problem.contains("fractional numbers, 3 distinct in 3 rows") == true)
        #expect(try load("ucr.csv", padded, labelColumn: .first).classCounts() == [2, 2, 1])
        // Whole-number labels, and a class called "nan" among them, are class labels.
        #expect(try load("n.csv", "1,2,nan\n3,4,1\n5,6,nan\n7,8,2\n").classNames == ["1", "2", "nan"])
        #expect(try load("n.csv", "1,2,0.5\n3,4,1.5\n5,6,0.5\n7,8,1.5\n").classNames == ["0.5", "1.5"])
        // A .ts file carries its label after the last ':'; choosing a column for it is refused.
        #expect(error("t.ts", "@classLabel true a\n@data\n1,2:a\n", labelColumn: .first)?.kind == .badArgument)
        // A test set is read against known classes: one sample per class is fine there.
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let train = try directory.write("U_TRAIN.csv", ucr)
        let test = try directory.write("U_TEST.csv", "2,1,1,1\n1,2,2,2\n")
        #expect(try DatasetLoader.load(train: train, test: test, labelColumn: .first).test.samples.map(\.label) == [1, 0])
    }

    /// The missing-value rule against an independent implementation (a search for the nearest present value,
    /// instead of the reader's running carry), on random multichannel cases with random gaps and padding.
    @Test func missingValueRuleMatchesAnIndependentReading() throws {
        var generator = SystemRandomNumberGenerator()
        var text = "@problemName gaps\n@missing true\n@dimensions 3\n@equalLength false\n@classLabel true a b\n@data\n"
        var expected: [(values: [Double], length: Int)] = []
        var expectedFilled = 0, expectedTrailing = 0, expectedShortened = 0
        for i in 0..<40 {
            let raw = Int.random(in: 1...9, using: &generator)
            var channels: [[Double?]] = (0..<3).map { _ in
                (0..<raw).map { _ in Bool.random(using: &generator) && Bool.random(using: &generator) ? nil : Double(Int.random(in: -50...50, using: &generator)) / 4 }
            }
            // Every channel keeps at least one present value (a channel with none is an error, tested below).
            for c in 0..<3 where channels[c].allSatisfy({ $0 == nil }) { channels[c][Int.random(in: 0..<raw, using: &generator)] = 1.5 }
            let length = channels.map { ch in ch.lastIndex(where: { $0 != nil })! + 1 }.max()!
            var values: [Double] = []
            for t in 0..<length {
                for c in 0..<3 {
                    if let v = channels[c][t] { values.append(v); continue }
                    expectedFilled += 1
                    let before = channels[c][..<t].last(where: { $0 != nil })
                    values.append((before ?? channels[c][t...].first(where: { $0 != nil })!)!)
                }
            }
            expectedTrailing += (raw - length) * 3
            expectedShortened += raw > length ? 1 : 0
            expected.append((values, length))
            text += channels.map { ch in ch.map { $0.map { "\($0)" } ?? (Bool.random(using: &generator) ? "?" : "NaN") }.joined(separator: ",") }
                .joined(separator: ":") + (i % 2 == 0 ? ":a\n" : ":b\n")
        }
        let data = try load("gaps.ts", text)
        #expect(data.samples.map(\.length) == expected.map(\.length))
        #expect(data.samples.map(\.values) == expected.map(\.values))
        #expect(data.notes.filledValues == expectedFilled && data.notes.trailingValues == expectedTrailing)
        #expect(data.notes.shortenedCases == expectedShortened)
        #expect(data.samples.allSatisfy { $0.values.allSatisfy(\.isFinite) })
        // Refused: a case with no present value; a channel with none while another has some.
        #expect(error("g.ts", "@dimensions 2\n@classLabel true a\n@data\n?,NaN:nan,?:a\n")?.kind == .missingValues)
        #expect(error("g.ts", "@dimensions 2\n@classLabel true a\n@data\n1,2:?,?:a\n")?.kind == .missingValues)
    }

    /// Equal-length declarations count the values as written: NaN padding in an equal-length set is not ragged.
    @Test func equalLengthCountsValuesAsWritten() throws {
        let data = try load("e.ts", "@equalLength true\n@seriesLength 4\n@classLabel true a b\n@data\n1,2,3,4:a\n1,2,NaN,NaN:b\n1,?,3,4:a\n")
        #expect(data.samples.map(\.length) == [4, 2, 4] && data.samples[2].values == [1, 1, 3, 4])
        #expect(error("e.ts", "@equalLength true\n@classLabel true a b\n@data\n1,2,3,4:a\n1,2:b\n")?.kind == .raggedRows)
    }

    /// Class order is a pure function of the set of labels: every permutation of the rows gives the same order.
    /// (A label "nan" used to put NaN into a numeric sort over a per-process Set order.)
    @Test func classOrderIsAPureFunctionOfTheLabels() throws {
        let sets: [([String], [String])] = [
            (["10", "2", "nan", "1", "NaN", "-3"], ["-3", "1", "10", "2", "NaN", "nan"]),   // "nan" is not a finite number: text order
            (["10", "2", "1.0", "1", "-3", "1e1"], ["-3", "1", "1.0", "2", "10", "1e1"]),     // numeric; ties by bytes
            (["inf", "2", "1"], ["1", "2", "inf"]),
            (["b", "B", "a", "é", "e"], ["B", "a", "b", "e", "é"]),                           // UTF-8 byte order
        ]
        var generator = SystemRandomNumberGenerator()
        for (labels, order) in sets {
            for _ in 0..<20 {
                #expect(CSVFormat.classOrder((labels + labels).shuffled(using: &generator)) == order)
            }
        }
    }

    @Test func overflowFreeStatisticsNearTheLargestDouble() throws {
        let m = Double.greatestFiniteMagnitude
        for values in [[m, m, m], [m, m / 2, -m / 4, m], [m, -m], [1.7e308, 1.6e308, 1.0, -2.0]] {
            let (mean, std) = Statistics.meanAndStandardDeviation(values)
            // Independent: the plain two-pass formulas on the data scaled by 2⁻⁶⁰⁰ (exact in binary), scaled back.
            let scaled = values.map { $0 * 0x1p-600 }
            let n = Double(values.count)
            let smallMean = scaled.reduce(0, +) / n
            let smallStd = (scaled.map { ($0 - smallMean) * ($0 - smallMean) }.reduce(0, +) / n).squareRoot()
            #expect(mean.isFinite && Statistics.mean(values) == mean)
            #expect(abs(mean - smallMean * 0x1p600) <= 1e-15 * m, "\(values)")
            if (smallStd * 0x1p600).isFinite {
                #expect(abs(std - smallStd * 0x1p600) <= 1e-14 * std, "\(values)")
            } else {
                #expect(std == .infinity, "\(values): a std beyond Double's range stays infinite")
            }
        }
        #expect(Statistics.mean([]) == 0 && Statistics.mean([3]) == 3)
    }
}
