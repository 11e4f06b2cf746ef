import Foundation
import Testing

// `phasor train` end to end on a tiny CSV made here: it trains, writes the model and the resume state, reports JSON,
// resumes, and refuses bad input with one line on stderr and no output file.

/// A fresh temporary folder.
func cliTemporaryDirectory() -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("phasor-cli-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// A CSV of 2-class sequences of length 6 (rising vs falling ramps), label last.
func writeRampCSV(_ url: URL, rows: Int = 24) throws {
    var text = ""
    for i in 0..<rows {
        let label = i % 2
        let values = (0..<6).map { t in Double(label == 0 ? t : 6 - t) + Double((i * 7 + t * 3) % 5) * 0.05 }
        text += values.map { String($0) }.joined(separator: ",") + ",\(label == 0 ? "up" : "down")\n"
    }
    try text.write(to: url, atomically: true, encoding: .utf8)
}

/// A tiny single-split run (`--folds 0`: these tests are about one validation split and its resume state;
/// cross-validation has its own tests in CrossValidationCLITests).
let tinyTrainArguments = ["--layers", "1", "--d-model", "4", "--d-state", "4", "--epochs", "2", "--batch", "8",
                          "--seed", "3", "--test-fraction", "0.25", "--folds", "0"]

@Test func trainWritesModelStateAndJSON() throws {
    let dir = cliTemporaryDirectory()
    let csv = dir.appendingPathComponent("ramps.csv")
    try writeRampCSV(csv)
    let out = dir.appendingPathComponent("m.safetensors").path
    let r = try CLI.run(["train", "--data", csv.path, "--out", out, "--json"] + tinyTrainArguments)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(FileManager.default.fileExists(atPath: out))
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("m.resume.safetensors").path))
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let epochs = try #require(json["epochs"] as? [[String: Any]])
    #expect(epochs.count == 2)
    let test = try #require(json["test"] as? [String: Any])
    #expect(test["count"] as? Int == 6)
    // stderr (not a TTY here) has one line per epoch.
    #expect(r.stderr.split(separator: "\n").filter { $0.hasPrefix("epoch ") }.count == 2)
    // Resuming a finished run trains nothing more and succeeds.
    let again = try CLI.run(["train", "--data", csv.path, "--out", out, "--resume"] + tinyTrainArguments)
    #expect(again.status == 0, "\(again.stderr)")
}

@Test func trainRefusesBadInputInOneLine() throws {
    let dir = cliTemporaryDirectory()
    let out = dir.appendingPathComponent("m.safetensors").path
    let csv = dir.appendingPathComponent("ramps.csv")
    try writeRampCSV(csv)
    let cases: [[String]] = [
        ["train", "--data", dir.appendingPathComponent("missing.csv").path, "--out", out],
        ["train", "--data", csv.path, "--out", out, "--epochs", "0"] ,
        ["train", "--data", csv.path, "--out", out, "--d-state", "3"],
        ["train", "--data", csv.path, "--out", out, "--test-fraction", "1.5"],
        ["train", "--data", csv.path, "--out", out, "--precision", "f16"],
        ["train", "--data", csv.path],
    ]
    for arguments in cases {
        let r = try CLI.run(arguments)
        #expect(r.status != 0, "\(arguments)")
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "\(arguments): \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out), "\(arguments)")
    }
}
