// Every command with the LinOSS and S6 cores, as a user runs them: `predict` gives the reference code's own logits on
// the exported fixtures (Tests/Fixtures/architectures); `train --core` trains, resumes and reports; `eval`, `map`,
// `analyze` read the trained model; for LinOSS (LTI) `ring` equals the model's own layer to 1e-12 from a model input
// and `operator` runs with its graded identity; what does not apply is one clear line on stderr.
import Foundation
import Testing

private enum ArchitectureFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/architectures")
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
}

private func json(_ r: CLIResult) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
}

@Suite struct CoreCommandsTests {
    @Test(arguments: ["linoss/linoss_im", "linoss/linoss_imex", "s6/s6"])
    func predictGivesTheReferenceLogits(_ name: String) throws {
        let dir = cliTemporaryDirectory(), out = dir.appendingPathComponent("logits.npy").path
        let r = try CLI.run(["predict", "--model", ArchitectureFixture.path(name + ".safetensors"), "--input", ArchitectureFixture.path(name + ".input.npy"),
                             "--output", out, "--precision", "f64"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "the fixtures state their skeleton in the metadata: no note expected, got \(r.stderr)")
        let mine = try CheckpointFixtures.npy(out), reference = try CheckpointFixtures.npy(ArchitectureFixture.path(name + ".logits.npy"))
        #expect(mine.count == reference.count && zip(mine, reference).allSatisfy { abs($0 - $1) <= 1e-10 })
    }

    @Test(arguments: ["linoss-im", "linoss-imex", "s6"])
    func trainAndReadATrainedModel(_ core: String) throws {
        let dir = cliTemporaryDirectory(), csv = dir.appendingPathComponent("ramps.csv")
        try writeRampCSV(csv)
        let out = dir.appendingPathComponent("m.safetensors").path
        let args = ["--core", core, "--layers", "2", "--d-model", "4", "--d-state", "3", "--epochs", "2", "--batch", "6",
                    "--seed", "3", "--test-fraction", "0.25", "--folds", "0"]                  // one split: resumable
        let t = try CLI.run(["train", "--data", csv.path, "--out", out, "--json"] + args)
        #expect(t.status == 0, "\(t.stderr)")
        #expect(try (json(t)["epochs"] as? [Any])?.count == 2)
        #expect(try CLI.run(["train", "--data", csv.path, "--out", out, "--resume"] + args).status == 0)
        let inspect = try CLI.run(["inspect", out])
        #expect(inspect.stdout.contains("family = \(core.hasPrefix("linoss") ? "linoss" : "s6")"))
        let e = try CLI.run(["eval", "--model", out, "--data", csv.path, "--test-fraction", "0.25", "--seed", "3", "--json"])
        #expect(e.status == 0, "\(e.stderr)")
        #expect(try json(e)["count"] as? Int == 6)
        let m = try CLI.run(["map", "--model", out, "--json"])
        #expect(m.status == 0, "\(m.stderr)")
        let layers = try #require(try json(m)["layers"] as? [[String: Any]])
        #expect(layers.count == 2)
        if core == "s6" {
            let rest = try #require(layers[0]["selective"] as? [String: Any])
            #expect((rest["rates"] as? [Double])?.count == 4 * 3)               // H × N at the resting step
        } else {
            let oscillators = try #require(layers[0]["oscillators"] as? [[String: Any]])
            #expect(oscillators.count == 3 && oscillators.allSatisfy { ($0["modes"] as? [Any])?.count == 2 })
            #expect((layers[0]["modes"] as? [Any])?.count == 6)                 // two modes per oscillator
        }
        let a = try CLI.run(["analyze", "--model", out, "--data", csv.path, "--test-fraction", "0.25", "--seed", "3",
                             "--init-seed", "3", "--json"])
        #expect(a.status == 0, "\(a.stderr)")
        let pac = try #require(try json(a)["pacBayes"] as? [String: Any])
        #expect((pac["parameters"] as? Int).map { $0 > 0 } == true)
    }

    @Test(arguments: ["linoss-im", "linoss-imex"])
    func linossRingAndOperatorOnATrainedModel(_ core: String) throws {
        let dir = cliTemporaryDirectory(), csv = dir.appendingPathComponent("ramps.csv")
        try writeRampCSV(csv)
        let out = dir.appendingPathComponent("m.safetensors").path
        #expect(try CLI.run(["train", "--data", csv.path, "--out", out, "--core", core, "--layers", "2", "--d-model", "4",
                             "--d-state", "3", "--epochs", "2", "--batch", "6", "--seed", "4"]).status == 0)
        // a model input (L, d_in) = (6, 1): a rising ramp
        let x = dir.appendingPathComponent("x.npy").path
        try writeNpy(URL(fileURLWithPath: x), shape: [6, 1], values: [0, 1, 2, 3, 4, 5])
        for layer in ["0", "1"] {
            let r = try CLI.run(["ring", "--model", out, "--layer", layer, "--input", x, "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            let report = try json(r)
            #expect((report["max_abs_difference_vs_model"] as? Double).map { $0 <= 1e-12 } == true)
            #expect(report["nodes_count"] as? Int == 6)                          // 3 oscillators, two modes each
        }
        let op = try CLI.run(["operator", "--model", out, "--data", csv.path, "--formulation", "chebyshev", "--max-order", "3", "--degree", "3",
                              "--interaction-samples", "1", "--json"])
        #expect(op.status == 0, "\(op.stderr)")
        let taylor = try CLI.run(["operator", "--model", out, "--data", csv.path, "--formulation", "taylor", "--max-order", "3",
                                  "--interaction-samples", "0", "--json"])       // the tanh GELU's own Taylor series
        #expect(taylor.status == 0, "\(taylor.stderr)")
    }

    @Test func s6RingAndOperatorOnATrainedModel() throws {
        let dir = cliTemporaryDirectory(), csv = dir.appendingPathComponent("ramps.csv")
        try writeRampCSV(csv)
        let out = dir.appendingPathComponent("m.safetensors").path
        #expect(try CLI.run(["train", "--data", csv.path, "--out", out, "--core", "s6", "--layers", "2", "--d-model", "4",
                             "--d-state", "3", "--epochs", "2", "--batch", "6", "--seed", "4"]).status == 0)
        let x = dir.appendingPathComponent("x.npy").path
        try writeNpy(URL(fileURLWithPath: x), shape: [6, 1], values: [0, 1, 2, 3, 4, 5])
        let r = try CLI.run(["ring", "--model", out, "--layer", "1", "--channel", "2", "--input", x, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect((try json(r)["max_abs_difference_vs_scan"] as? Double).map { $0 <= 1e-12 } == true)
        let op = try CLI.run(["operator", "--model", out, "--data", csv.path, "--layer", "1", "--groups", "2", "--json"])
        #expect(op.status == 0, "\(op.stderr)")
        #expect((try json(op)["identity_error"] as? Double).map { $0 <= 1e-12 } == true)
    }

    @Test func whatDoesNotApplyIsOneLine() throws {
        let dir = cliTemporaryDirectory(), csv = dir.appendingPathComponent("ramps.csv")
        try writeRampCSV(csv)
        let out = dir.appendingPathComponent("m.safetensors").path, s6 = dir.appendingPathComponent("s6.safetensors").path
        #expect(try CLI.run(["train", "--data", csv.path, "--out", s6, "--core", "s6", "--layers", "1", "--d-model", "4",
                             "--d-state", "2", "--epochs", "1"]).status == 0)
        let linoss = ArchitectureFixture.path("linoss/linoss_im.safetensors")
        let cases: [([String], String)] = [
            (["train", "--data", csv.path, "--out", out, "--core", "s5x"], "s5x"),
            (["train", "--data", csv.path, "--out", out, "--core", "s4d", "--dt-rank", "2"], "--dt-rank is an S6 option"),
            (["map", "--model", linoss, "--channel", "8"], "channel 8 does not exist"),
            (["train", "--data", csv.path, "--out", out, "--core", "s6", "--skeleton", "linoss-repo"], "no s6 core"),
            (["ring", "--model", s6, "--layer", "3", "--input", ArchitectureFixture.path("s6/s6.input.npy")], "layer 3 does not exist"),
            (["operator", "--model", s6, "--data", csv.path, "--layer", "2"], "layer 2 does not exist"),
        ]
        for (arguments, fragment) in cases {
            let r = try CLI.run(arguments)
            #expect(r.status != 0, "\(arguments) succeeded")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(fragment), "\(arguments): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}
