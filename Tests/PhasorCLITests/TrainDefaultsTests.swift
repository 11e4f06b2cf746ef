import Foundation
import Testing

// `phasor train` with settings left out: the banner names what was chosen and what was given, the JSON report and the
// checkpoint's metadata carry the same settings, given options are used as given, and `--resume` continues with the
// settings the run started with even when the options that set them are not repeated. `phasor baseline` reports what
// the library's 1-NN DTW computes, which a test here recomputes by brute force.

/// The settings object of a checkpoint's `phasor.settings` metadata (read byte by byte, not with Phasor's reader).
private func settings(inCheckpoint path: String) throws -> [String: Any] {
    let bytes = try #require(FileManager.default.contents(atPath: path))
    let metadata = try #require(SafeTensorsCheck.metadata(Array(bytes)))
    let json = try #require(metadata["phasor.settings"])
    return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
}

@Test func trainChoosesAbsentSettingsAndSaysSo() throws {
    let dir = cliTemporaryDirectory()
    let csv = dir.appendingPathComponent("ramps.csv")
    try writeRampCSV(csv, rows: 40)
    let out = dir.appendingPathComponent("m.safetensors").path
    // Sizes given (tiny, for speed); batch, patience, warm-up and folds chosen; epochs given as a cap.
    let given = ["--layers", "1", "--d-model", "4", "--d-state", "4", "--epochs", "3", "--seed", "2", "--threads", "1"]
    let r = try CLI.run(["train", "--data", csv.path, "--out", out, "--json"] + given)
    #expect(r.status == 0, "\(r.stderr)")
    // 40 rows → 32 training, 8 validation: batch 8 (the rule's smallest), patience 10, warm-up 5 %, and — 8 validation
    // samples being fewer than 50 — 5-fold cross-validation over all 40.
    let banner = try #require(r.stderr.split(separator: "\n").first { $0.hasPrefix("train: ") })
    #expect(banner.hasPrefix("train: ramps: 40 training samples in 5 folds of 8–8"), "\(banner)")
    #expect(banner.hasSuffix("; chose batch 8, patience 10, warm-up 5%, epochs by 5-fold cross-validation; given 1 layer, d_model 4, d_state 4, ≤ 3 epochs"),
            "\(banner)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let reported = try #require(json["settings"] as? [String: Any])
    #expect(reported["batchSize"] as? Int == 8 && reported["patience"] as? Int == 10 && reported["epochs"] as? Int == 3)
    #expect(reported["folds"] as? Int == 5)
    #expect(reported["chosen"] as? [String] == ["batch", "patience", "warmup", "folds"])
    let cv = try #require(json["crossValidation"] as? [String: Any])
    #expect(cv["folds"] as? Int == 5 && cv["samples"] as? Int == 40 && cv["foldSizes"] as? [Int] == [8, 8, 8, 8, 8])
    #expect(cv["selectedEpoch"] as? Int == json["bestEpoch"] as? Int)
    #expect((json["epochs"] as? [Any])?.count == json["bestEpoch"] as? Int, "the final run is e* epochs long")
    let stored = try settings(inCheckpoint: out)
    for key in ["layers", "dModel", "dState", "batchSize", "epochs", "patience", "warmupFraction", "folds", "chosen"] {
        #expect("\(stored[key] ?? "-")" == "\(reported[key] ?? "+")", "\(key)")
    }
    // A cross-validated run keeps no resume state: --resume is refused in one line and changes nothing.
    let cvModel = try Data(contentsOf: URL(fileURLWithPath: out))
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("m.resume.safetensors").path))
    let resumeCV = try CLI.run(["train", "--data", csv.path, "--out", out, "--resume"] + given)
    #expect(resumeCV.status != 0 && resumeCV.stderr.split(separator: "\n").count == 1
            && resumeCV.stderr.contains("--folds 0"), "\(resumeCV.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == cvModel)

    // One validation split (--folds 0 given): resumable.
    let single = try CLI.run(["train", "--data", csv.path, "--out", out, "--folds", "0"] + given)
    #expect(single.status == 0, "\(single.stderr)")
    let singleSuffix = "; chose batch 8, patience 10, warm-up 5%; given 1 layer, d_model 4, d_state 4, ≤ 3 epochs, one validation split"
    let singleBanner = try #require(single.stderr.split(separator: "\n").first { $0.hasPrefix("train: ") })
    #expect(singleBanner.hasSuffix(singleSuffix), "\(singleBanner)")
    // Resuming without the size options: the run's own settings are used (the rule would choose 2 layers, d_model
    // 64 and cross-validation), nothing is trained again, and the model file is unchanged.
    let before = try Data(contentsOf: URL(fileURLWithPath: out))
    let again = try CLI.run(["train", "--data", csv.path, "--out", out, "--resume", "--seed", "2", "--threads", "1"])
    #expect(again.status == 0, "\(again.stderr)")
    let resumedBanner = try #require(again.stderr.split(separator: "\n").first { $0.hasPrefix("train: ") })
    #expect(resumedBanner.hasSuffix(singleSuffix), "\(resumedBanner)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before)
    // An option given on resume that contradicts the run is refused in one line.
    for clash in [["--batch", "5"], ["--folds", "5"]] {
        let contradicting = try CLI.run(["train", "--data", csv.path, "--out", out, "--resume", "--seed", "2"] + clash)
        #expect(contradicting.status != 0)
        #expect(contradicting.stderr.split(separator: "\n").count == 1 && contradicting.stderr.contains("--resume"),
                "\(contradicting.stderr)")
    }
}

@Test func baselineReportsTheNearestNeighbourAccuracy() throws {
    let dir = cliTemporaryDirectory()
    // Train: noisy ramps up/down of lengths 5–8 (a .ts file, variable length); test: the same kinds, other noise.
    func ts(_ name: String, count: Int, phase: Int) throws -> (String, [(values: [Double], label: String)]) {
        var samples: [(values: [Double], label: String)] = []
        var text = "@problemName ramps\n@timeStamps false\n@univariate true\n@equalLength false\n@classLabel true up down\n@data\n"
        for i in 0..<count {
            let up = i % 2 == 0, length = 5 + (i + phase) % 4
            let values = (0..<length).map { t in (up ? 1.0 : -1.0) * Double(t) + Double((i * 7 + t * 3 + phase) % 11) * 0.4 - 2 }
            samples.append((values, up ? "up" : "down"))
            text += values.map { String($0) }.joined(separator: ",") + ":\(up ? "up" : "down")\n"
        }
        let path = dir.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return (path, samples)
    }
    let (trainPath, train) = try ts("r_TRAIN.ts", count: 12, phase: 0)
    let (testPath, test) = try ts("r_TEST.ts", count: 10, phase: 5)
    let r = try CLI.run(["baseline", "--data", trainPath, "--test", testPath, "--window", "0.25", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    // Brute force, from the definition: band w = max(⌊0.25·max(m, n)⌋, |m − n|).
    func dtw(_ a: [Double], _ b: [Double]) -> Double {
        let w = max(Int(0.25 * Double(max(a.count, b.count))), abs(a.count - b.count))
        var d = [[Double]](repeating: [Double](repeating: .infinity, count: b.count + 1), count: a.count + 1)
        d[0][0] = 0
        for i in 1...a.count { for j in 1...b.count where abs(i - j) <= w {
            d[i][j] = (a[i - 1] - b[j - 1]) * (a[i - 1] - b[j - 1]) + min(d[i - 1][j], d[i][j - 1], d[i - 1][j - 1])
        } }
        return d[a.count][b.count]
    }
    let correct = test.filter { q in
        let nearest = train.indices.min { dtw(q.values, train[$0].values) < dtw(q.values, train[$1].values) }!
        return train[nearest].label == q.label
    }.count
    #expect(json["accuracy"] as? Double == Double(correct) / 10)
    #expect(json["count"] as? Int == 10 && json["referenceCount"] as? Int == 12 && json["window"] as? Double == 0.25)
    #expect(correct > 5, "the ramps should be told apart mostly")
}
