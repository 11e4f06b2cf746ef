// Every command that loads a model reads state dicts as PyTorch users save them (Tests/Fixtures/checkpoints, made by
// make_checkpoints.py): a plain one, DataParallel's `module.` and torch.compile's `_orig_mod.` keys. Each command
// succeeds, says once on stderr which prefix it stripped, and `predict` gives PyTorch's logits. A pre-norm model saved
// without metadata never gives its (wrong) post-norm numbers without a line on stderr; --prenorm gives the right ones.
import Foundation
import Testing

enum CheckpointFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/checkpoints")
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The float64 values of a little-endian '<f8' C-order .npy (as make_checkpoints.py and `predict` write them).
    static func npy(_ path: String) throws -> [Double] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10 ..< 10 + headerLength], as: UTF8.self)
        try #require(header.contains("'descr': '<f8'") && header.contains("'fortran_order': False"))
        let start = 10 + headerLength
        return stride(from: start, to: bytes.count, by: 8).map { o in
            Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[o + $1]) << (8 * UInt64($1)) })
        }
    }
}

@Suite struct PyTorchCheckpointCLITests {
    /// Each command with the options it needs beyond --model, on the fixture's data and inputs.
    static func commands(_ out: URL) -> [[String]] {
        let x = CheckpointFixtures.path("x.npy"), data = CheckpointFixtures.path("data.csv")
        return [
            ["predict", "--input", x, "--output", out.appendingPathComponent("logits.npy").path],
            ["eval", "--data", data, "--json"],
            ["map", "--json"],
            ["ring", "--input", x, "--layer", "1", "--channel", "2", "--sample", "1", "--json"],
            ["operator", "--data", data, "--formulation", "chebyshev", "--max-order", "2", "--degree", "3", "--samples", "6", "--interaction-samples", "1", "--json"],
            ["analyze", "--kernel-length", "12", "--max-lag", "6", "--memory-lags", "6", "--json"],
        ]
    }

    @Test(arguments: [("plain.safetensors", ""), ("dataparallel.safetensors", "module."), ("compiled.safetensors", "_orig_mod.")])
    func everyCommandLoadsTheFile(_ file: (String, String)) throws {
        let out = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: out) }
        let model = CheckpointFixtures.path(file.0)
        for command in Self.commands(out) {
            let result = try CLI.run([command[0], "--model", model, "--postnorm"] + command.dropFirst())
            #expect(result.status == 0, "\(command[0]): \(result.stderr)")
            let notes = result.stderr.split(separator: "\n").filter { $0.hasPrefix("note:") }
            #expect(notes.count == (file.1.isEmpty ? 0 : 1), "\(command[0]): \(result.stderr)")
            if !file.1.isEmpty { #expect(notes.first?.contains("stripped the prefix '\(file.1)'") == true) }
            if command[0] == "predict" {
                let logits = try CheckpointFixtures.npy(out.appendingPathComponent("logits.npy").path)
                let expected = try CheckpointFixtures.npy(CheckpointFixtures.path("logits_plain.npy"))
                #expect(zip(logits, expected).allSatisfy { abs($0 - $1) <= 1e-13 })
            }
        }
    }

    @Test func aPrenormFileWithoutMetadataSaysWhatItAssumed() throws {
        let out = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: out) }
        let model = CheckpointFixtures.path("prenorm.safetensors"), x = CheckpointFixtures.path("x.npy")
        let logits = out.appendingPathComponent("l.npy").path
        let expected = try CheckpointFixtures.npy(CheckpointFixtures.path("logits_prenorm.npy"))
        let assumed = try CLI.run(["predict", "--model", model, "--input", x, "--output", logits])
        #expect(assumed.status == 0)
        #expect(assumed.stderr.contains("assuming post-norm") && assumed.stderr.contains("--prenorm"))
        #expect(zip(try CheckpointFixtures.npy(logits), expected).contains { abs($0 - $1) > 1e-3 })
        let stated = try CLI.run(["predict", "--model", model, "--prenorm", "--input", x, "--output", logits])
        #expect(stated.status == 0 && stated.stderr.isEmpty, "\(stated.stderr)")
        #expect(zip(try CheckpointFixtures.npy(logits), expected).allSatisfy { abs($0 - $1) <= 1e-13 })
        // every command that loads a model takes the flag; one that contradicts the metadata is refused in one line
        let bilinear = CheckpointFixtures.path("bilinear.safetensors")     // metadata prenorm "False"
        for command in Self.commands(out) {
            let r = try CLI.run([command[0], "--model", bilinear, "--prenorm"] + command.dropFirst())
            #expect(r.status != 0 && r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("contradicts"), "\(command[0]): \(r.stderr)")
        }
        // a failing command keeps its single line and carries the note in it
        let failing = try CLI.run(["ring", "--model", model, "--input", x, "--layer", "7"])
        #expect(failing.status != 0 && failing.stderr.split(separator: "\n").count == 1)
        #expect(failing.stderr.contains("layer 7") && failing.stderr.contains("assuming post-norm"))
    }

    @Test func aSubModelNeedsItsPrefix() throws {
        let model = CheckpointFixtures.path("bundle.safetensors")
        let refused = try CLI.run(["map", "--model", model])
        #expect(refused.status != 0 && refused.stderr.contains("'student', 'teacher'") && refused.stderr.contains("--prefix"))
        let picked = try CLI.run(["map", "--model", model, "--prefix", "student", "--json"])
        #expect(picked.status == 0 && picked.stderr.isEmpty, "\(picked.stderr)")
        #expect((try TestFiles.json(picked.stdout)["layers"] as? [Any])?.count == 2)
    }
}
