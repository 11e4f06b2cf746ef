import Foundation
import Testing

// `phasor analyze` on a checkpoint trained by `phasor train`: the JSON holds every estimator with sane values, the
// figures are written, and bad input fails in one line.

@Test func analyzeReportsEveryEstimator() throws {
    let dir = cliTemporaryDirectory()
    let csv = dir.appendingPathComponent("ramps.csv")
    try writeRampCSV(csv)
    let out = dir.appendingPathComponent("m.safetensors").path
    let t = try CLI.run(["train", "--data", csv.path, "--out", out] + tinyTrainArguments)
    #expect(t.status == 0, "\(t.stderr)")
    let plots = dir.appendingPathComponent("plots").path
    let r = try CLI.run(["analyze", "--model", out, "--data", csv.path, "--test-fraction", "0.25", "--seed", "3",
                         "--init-seed", "3", "--pac-draws", "2", "--rademacher-draws", "20", "--max-lag", "5",
                         "--memory-lags", "6", "--plot", plots, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let timescales = try #require(json["timescales"] as? [String: Any])
    #expect((timescales["modes"] as? [Any])?.count == 4 * 2)
    let layers = try #require(json["layers"] as? [[String: Any]])
    let memory = try #require(layers.first?["memory"] as? [String: Any])
    #expect((memory["meanPerLag"] as? [Double])?.count == 6)
    #expect(json["samples"] as? Int == 18)   // 24 rows minus the 25% test part
    let heuristic = try #require(json["heuristic"] as? [String: Any])
    #expect((heuristic["label"] as? String)?.hasPrefix("HEURISTIC") == true)
    let pac = try #require(json["pacBayes"] as? [String: Any])
    let bound = try #require(pac["bound"] as? Double)
    #expect(bound >= 0 && bound <= 1)
    #expect(!r.stdout.contains("nan"))
    for name in ["timescales.svg", "autocorrelation.svg", "memory.svg"] {
        #expect(FileManager.default.fileExists(atPath: (plots as NSString).appendingPathComponent(name)), "\(name)")
    }
    // Model-only analysis works without data; the summary is plain text.
    let plain = try CLI.run(["analyze", "--model", out, "--max-lag", "4", "--memory-lags", "4"])
    #expect(plain.status == 0 && plain.stdout.contains("layer 0"), "\(plain.stderr)")
    // Bad input: no such model, a prior without data, both prior sources.
    for arguments in [["analyze", "--model", dir.appendingPathComponent("none.safetensors").path],
                      ["analyze", "--model", out, "--init-seed", "3"],
                      ["analyze", "--model", out, "--data", csv.path, "--init-seed", "3", "--init", out],
                      ["analyze", "--model", out, "--memory-lags", "0"]] {
        let bad = try CLI.run(arguments)
        #expect(bad.status != 0, "\(arguments)")
        #expect(bad.stderr.split(separator: "\n").count == 1, "\(arguments): \(bad.stderr)")
    }
}

@Test func analyzeRebuildsTheInitialisationItWasTrainedFrom() throws {
    // θ₀ from --init-seed with the right --s4d-init is closer to the trained θ than with a wrong one.
    let dir = cliTemporaryDirectory()
    let csv = dir.appendingPathComponent("ramps.csv")
    try writeRampCSV(csv)
    let out = dir.appendingPathComponent("inv.safetensors").path
    let t = try CLI.run(["train", "--data", csv.path, "--out", out, "--init", "inv"] + tinyTrainArguments)
    #expect(t.status == 0, "\(t.stderr)")
    func distance(_ kind: String) throws -> Double {
        let r = try CLI.run(["analyze", "--model", out, "--data", csv.path, "--test-fraction", "0.25", "--seed", "3",
                             "--init-seed", "3", "--s4d-init", kind, "--pac-draws", "1", "--rademacher-draws", "2",
                             "--max-lag", "2", "--memory-lags", "2", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let pac = try #require(json["pacBayes"] as? [String: Any])
        return try #require(pac["distanceFromInit"] as? Double)
    }
    let right = try distance("inv"), wrong = try distance("lin")
    #expect(right < wrong)
}
