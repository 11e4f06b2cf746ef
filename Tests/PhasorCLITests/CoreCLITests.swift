// S5 and LRU models through the command line, as a user reaches them:
//   • checkpoints exported from the reference code (Tests/Fixtures/architectures) predict the reference's logits
//     (≤ 1e-10), and `ring` on them reproduces the model's own layer output on every channel (≤ 1e-12) — the
//     bidirectional S5 through its second, anti-causal ring;
//   • `phasor train --core s5|lru` (every skeleton) writes a checkpoint that `eval`, `map`, `ring`, `analyze`,
//     `operator` and `predict` read, with the surrogate's identity ≤ 1e-12, and a resume state that reads back;
//   • bad options, and reference exports with contradicting flags or impossible tensors, are one line on stderr.
import Foundation
import PhasorData
import Testing

enum ArchitectureFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/architectures")
    static func path(_ family: String, _ name: String) -> String { folder.appendingPathComponent("\(family)/\(name)").path }
    static let s5LRU = ["s5/s5_default", "s5/s5_full_glu_layernorm_postnorm_bilinear_last",
                        "s5/s5_half_glu2_bidirectional_batchnorm_postnorm", "s5/s5_gelu_complex_normal_layernorm_prenorm_bilinear",
                        "s5/s5_linoss", "lru/lru_linoss", "lru/lru_minimal", "lru/lru_minimal_layernorm_postnorm_last"]
}

@Test(arguments: ArchitectureFixtures.s5LRU)
func referenceExportsPredictTheirLogitsAndRing(_ id: String) throws {
    let parts = id.split(separator: "/").map(String.init), (family, name) = (parts[0], parts[1])
    let dir = cliTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = ArchitectureFixtures.path(family, name + ".safetensors"), x = ArchitectureFixtures.path(family, name + ".input.npy")
    let logits = dir.appendingPathComponent("logits.npy").path
    let p = try CLI.run(["predict", "--model", model, "--input", x, "--output", logits, "--precision", "f64"])
    #expect(p.status == 0 && p.stderr.isEmpty, "\(p.stderr)")                // every flag is in the metadata: no note
    let expected = try CheckpointFixtures.npy(ArchitectureFixtures.path(family, name + ".logits.npy"))
    let mine = try CheckpointFixtures.npy(logits)
    #expect(mine.count == expected.count && zip(mine, expected).allSatisfy { abs($0 - $1) <= 1e-10 })
    for layer in ["0", "1"] {
        let r = try CLI.run(["ring", "--model", model, "--input", x, "--layer", layer, "--channel", "2", "--sample", "1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(try #require(json["max_abs_difference_vs_model"] as? Double) <= 1e-12)
        #expect((json["anticausal_nodes"] != nil) == name.contains("bidirectional"))
        #expect(json["channels"] as? Int == 8 && json["core"] as? String == family)
    }
}

@Test(arguments: [("s5", "s5-flax"), ("s5", "linoss-repo"), ("lru", "minimal-lru"), ("lru", "linoss-repo")])
func trainedCoresGoThroughEveryCommand(core: String, skeleton: String) throws {
    let dir = cliTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let csv = dir.appendingPathComponent("ramps.csv")
    try writeRampCSV(csv)
    let model = dir.appendingPathComponent("m.safetensors").path
    var train = ["train", "--data", csv.path, "--out", model, "--core", core, "--skeleton", skeleton] + tinyTrainArguments
    if core == "s5", skeleton == "s5-flax" { train += ["--block", "half_glu2", "--bidirectional", "--pooling", "last"] }
    let t = try CLI.run(train + ["--json"])
    #expect(t.status == 0, "\(t.stderr)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(t.stdout.utf8)) as? [String: Any])
    #expect(report["test"] != nil)
    // the resume state reads back (continuation itself: TrainerTests): a finished run resumes to the same report
    let resumed = try CLI.run(train + ["--resume", "--json"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let epochs = (try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any])?["epochs"] as? [[String: Any]]
    #expect(epochs?.count == 2)
    let e = try CLI.run(["eval", "--model", model, "--data", csv.path, "--json"])
    #expect(e.status == 0, "\(e.stderr)")
    let m = try CLI.run(["map", "--model", model, "--json"])
    #expect(m.status == 0, "\(m.stderr)")
    let map = try #require(try JSONSerialization.jsonObject(with: Data(m.stdout.utf8)) as? [String: Any])
    let layers = try #require(map["layers"] as? [[String: Any]])
    #expect(layers.first?["core"] as? String == core && (layers.first?["modes"] as? [Any])?.count == (core == "s5" ? 2 : 4))
    let a = try CLI.run(["analyze", "--model", model, "--json", "--kernel-length", "16", "--max-lag", "8", "--memory-lags", "8"])
    #expect(a.status == 0, "\(a.stderr)")
    let o = try CLI.run(["operator", "--model", model, "--data", csv.path, "--test-fraction", "0.25", "--seed", "3",
                         "--formulation", "chebyshev", "--max-order", "4", "--degree", "2", "--sigmoid-degree", "1",
                         "--interaction-samples", "1", "--json"])
    #expect(o.status == 0, "\(o.stderr)")
    let op = try #require(try JSONSerialization.jsonObject(with: Data(o.stdout.utf8)) as? [String: Any])
    let surrogate = try #require(op["surrogate"] as? [String: Any])
    #expect(try #require(surrogate["total_degree"] as? Int) <= 4)                  // one block: d·(1 + d_σ) at most
    #expect(try #require(surrogate["identity_error"] as? Double) <= 1e-12)
    // the convergent order (the default): its table and identity; no band attribution for a MIMO core, said why
    let c = try CLI.run(["operator", "--model", model, "--data", csv.path, "--test-fraction", "0.25", "--seed", "3", "--max-order", "3", "--json"])
    #expect(c.status == 0, "\(c.stderr)")
    let conv = try #require(try JSONSerialization.jsonObject(with: Data(c.stdout.utf8)) as? [String: Any])
    #expect((conv["orders"] as? [[String: Any]])?.count == 3 && conv["attribution"] == nil)
    #expect((conv["attribution_note"] as? String)?.contains("S4D") == true)
    #expect(try #require((conv["surrogate"] as? [String: Any])?["identity_error"] as? Double) <= 1e-12)
    // the ring on a model input (the ramps: 6 steps of 1 channel)
    let x = dir.appendingPathComponent("x.npy")
    try TestFiles.npy(shape: [1, 6, 1], values: (0..<6).map { Double($0) / 5 }, to: x)
    let r = try CLI.run(["ring", "--model", model, "--input", x.path, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let ring = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(try #require(ring["max_abs_difference_vs_model"] as? Double) <= 1e-12)
}

@Test(arguments: [
    (["--core", "lru", "--ssm-blocks", "2"], "--ssm-blocks"),
    (["--core", "s5", "--r-min", "0.5"], "--r-min"),
    (["--core", "s5", "--skeleton", "minimal-lru"], "has no s5 core"),
    (["--core", "lru", "--block", "half_glu1"], "has no half_glu1 head"),
    (["--core", "s5", "--skeleton", "linoss-repo", "--postnorm"], "prenorm"),
    (["--core", "s5", "--d-state", "6", "--ssm-blocks", "2"], "HiPPO block"),
    (["--core", "s5", "--track", "/tmp/never"], "--track"),
])
func badCoreOptionsAreOneLine(extra: [String], mention: String) throws {
    let dir = cliTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let csv = dir.appendingPathComponent("ramps.csv")
    try writeRampCSV(csv)
    let r = try CLI.run(["train", "--data", csv.path, "--out", dir.appendingPathComponent("m.safetensors").path] + extra)
    #expect(r.status != 0)
    let lines = r.stderr.split(separator: "\n").filter { !$0.isEmpty }
    #expect(lines.count <= 2 && r.stderr.contains(mention), "\(r.stderr)")         // ArgumentParser adds a usage line
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("m.safetensors").path))
}

/// A reference export altered the ways a wrong file is wrong: each is refused with one line naming the real cause.
@Test(arguments: [
    ("s5/s5_full_glu_layernorm_postnorm_bilinear_last", "metadata activation", "half_glu2", "contradicts the tensors"),
    ("s5/s5_default", "metadata family", "lru", "contradicts the tensors"),
    ("s5/s5_default", "metadata bidirectional", "true", "contradicts the tensors"),
    ("s5/s5_default", "metadata conj_sym", "maybe", "use true/false"),
    ("s5/s5_default", "metadata block", "s5-torch", "reference skeleton"),
    ("lru/lru_minimal", "metadata norm", "layer", "contradicts the tensors"),
    ("lru/lru_linoss", "metadata norm_affine", "true", "no scale or bias"),
    ("lru/lru_minimal", "tensor params.encoder.layers_0.seq.nu_log", "-800", "≥ 1"),
    ("s5/s5_linoss", "tensor state.blocks.1.norm.var", "-1", "variance"),
    ("s5/s5_default", "drop params.encoder.layers_1.out2.kernel", "", "out2.kernel"),
])
func brokenReferenceExportsAreOneLine(_ id: String, change: String, value: String, mention: String) throws {
    let parts = id.split(separator: "/").map(String.init)
    let dir = cliTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var file = try SafeTensorsFile(contentsOf: ArchitectureFixtures.path(parts[0], parts[1] + ".safetensors"))
    let words = change.split(separator: " ").map(String.init)
    switch words[0] {
    case "metadata": file.metadata[words[1]] = value
    case "tensor":
        let t = try #require(file.tensors[words[1]])
        var v = t.asDoubles()
        v[0] = Double(value)!
        file.tensors[words[1]] = try Tensor(shape: t.shape, float64: v)
    default: file.tensors[words[1]] = nil
    }
    let model = dir.appendingPathComponent("m.safetensors").path
    try file.write(to: model)
    let r = try CLI.run(["predict", "--model", model, "--input", ArchitectureFixtures.path(parts[0], parts[1] + ".input.npy"),
                         "--output", dir.appendingPathComponent("y.npy").path])
    #expect(r.status != 0)
    #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(mention), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("y.npy").path))
}
