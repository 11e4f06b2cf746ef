import Foundation
import Testing

// `phasor train --track` writes a run directory; `phasor dynamics` reads it into phases and dominant modes.

@Test func trackedTrainingAndDynamics() throws {
    let dir = cliTemporaryDirectory()
    let csv = dir.appendingPathComponent("ramps.csv")
    try writeRampCSV(csv)
    let out = dir.appendingPathComponent("m.safetensors").path
    let run = dir.appendingPathComponent("run").path
    let t = try CLI.run(["train", "--data", csv.path, "--out", out, "--track", run, "--track-every", "1"] + tinyTrainArguments)
    #expect(t.status == 0, "\(t.stderr)")
    let lines = try String(contentsOfFile: (run as NSString).appendingPathComponent("tracking.jsonl"), encoding: .utf8)
        .split(separator: "\n")
    #expect(lines.count == 4)   // 14 training samples, batch 8 → 2 steps per epoch, 2 epochs
    let d = try CLI.run(["dynamics", "--run", run, "--top", "3", "--json"])
    #expect(d.status == 0, "\(d.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(d.stdout.utf8)) as? [String: Any])
    #expect(json["steps"] as? [Int] == [1, 2, 3, 4])
    #expect((json["velocity"] as? [Double])?.count == 3)
    let phases = try #require(json["phases"] as? [[String: Any]])
    #expect(phases.first?["startStep"] as? Int == 1 && phases.last?["endStep"] as? Int == 4)
    #expect((json["dominantModes"] as? [Any])?.count == 3)
    // Bad input: not a run directory; --track-every 0.
    let bad = try CLI.run(["dynamics", "--run", dir.path])
    #expect(bad.status != 0 && bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
    let zero = try CLI.run(["train", "--data", csv.path, "--out", out, "--track", run, "--track-every", "0"] + tinyTrainArguments)
    #expect(zero.status != 0 && zero.stderr.contains("track-every"), "\(zero.stderr)")
}
