import Foundation
import Testing

// `phasor inspect` as a user runs it: on the bundled data, on files written here by hand, and on bad input.

@Suite("phasor inspect")
struct InspectTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func datasetFolderText() throws {
        let result = try CLI.run(["inspect", Self.root.appendingPathComponent("Data/ucr/JapaneseVowels").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("dataset JapaneseVowels, 12 channel(s), 9 classes"))
        #expect(result.stdout.contains("train: 270 cases, length 7–26"))
        #expect(result.stdout.contains("test: 370 cases, length 7–29"))
    }

    @Test func datasetJSON() throws {
        let result = try CLI.run(["inspect", Self.root.appendingPathComponent("Data/digits/digits.csv").path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let train = try #require(object["train"] as? [String: Any])
        #expect(train["cases"] as? Int == 1797 && train["max_length"] as? Int == 64)
        #expect((object["classes"] as? [String])?.count == 10 && object["channels"] as? Int == 1)
    }

    @Test func safetensorsAndNpy() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("phasor-inspect-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A safetensors file as the spec lays it out: u64 LE header length, JSON header, data (two F32 = 8 bytes).
        let header = Array(#"{"encoder.weight":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},"__metadata__":{"prenorm":"true"}}"#.utf8)
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(header.count) >> (8 * UInt64($0))) } + header
        bytes += [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]   // 1.0f, 2.0f
        let model = directory.appendingPathComponent("m.safetensors")
        try Data(bytes).write(to: model)
        let text = try CLI.run(["inspect", model.path])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("encoder.weight  F32  (2, 1)") && text.stdout.contains("prenorm = true"))
        let json = try CLI.run(["inspect", model.path, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let tensors = try #require(object["tensors"] as? [[String: Any]])
        #expect(tensors.first?["shape"] as? [Int] == [2, 1] && object["parameters"] as? Int == 2)

        // An .npy v1 file: magic, version 1.0, LE u16 header length, dict padded to 64 bytes with '\n' last.
        var dict = Array("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }".utf8)
        while (10 + dict.count + 1) % 64 != 0 { dict.append(0x20) }
        dict.append(0x0A)
        var npy: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(dict.count & 0xFF), UInt8(dict.count >> 8)] + dict
        for v in [-1.0, 0.5, 4.0] { npy += (0..<8).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt64($0))) } }
        let array = directory.appendingPathComponent("x.npy")
        try Data(npy).write(to: array)
        let summary = try CLI.run(["inspect", array.path, "--json"])
        let npyObject = try #require(try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any])
        #expect(npyObject["shape"] as? [Int] == [3] && npyObject["min"] as? Double == -1 && npyObject["max"] as? Double == 4)

        // Bad input: non-zero exit and a one-line reason naming the file.
        let damaged = directory.appendingPathComponent("bad.safetensors")
        try Data(Array(bytes.prefix(20))).write(to: damaged)
        let bad = try CLI.run(["inspect", damaged.path])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("bad.safetensors") && bad.stderr.contains("beyond the end of the file"))
        #expect(bad.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
    }
}
