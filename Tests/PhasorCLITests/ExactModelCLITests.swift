import Foundation
import Testing

// Exact-by-construction models through the command line: `phasor train --block bilinear --norm batch|none|layer`
// writes the kinds into the checkpoint, and `phasor operator` detects them — no surrogate, the table to the full
// order 2ⁿ, identity ≤ 1e-12 against the model's own logits, agreement 1 there, "exact": true. PyTorch's own bilinear
// models (Tests/Fixtures/checkpoints/make_exact_checkpoints.py) predict PyTorch's logits and are exact too.

@Test(arguments: ["batch", "none", "layer"])
func bilinearModelsTrainAndTheirOperatorIsExact(norm: String) throws {
    let dir = cliTemporaryDirectory()
    let csv = dir.appendingPathComponent("ramps.csv")
    try writeRampCSV(csv)
    let model = dir.appendingPathComponent("m.safetensors").path
    let t = try CLI.run(["train", "--data", csv.path, "--out", model, "--block", "bilinear", "--norm", norm, "--layers", "2",
                         "--d-model", "4", "--d-state", "4", "--epochs", "2", "--batch", "8", "--seed", "3", "--test-fraction", "0.25"])
    #expect(t.status == 0, "\(t.stderr)")
    let r = try CLI.run(["operator", "--model", model, "--data", csv.path, "--test-fraction", "0.25", "--seed", "3",
                         "--max-order", "2", "--interaction-samples", "1", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!r.stderr.contains("assuming post-norm"))                          // the checkpoint says where its norms sit
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(json["exact"] as? Bool == true && json["exact_degree"] as? Int == 4 && json["formulation"] as? String == "exact")
    #expect((json["exact_condition"] as? String)?.contains("LayerNorm") == (norm == "layer" ? true : nil))
    let orders = try #require(json["orders"] as? [[String: Any]])
    #expect(orders.compactMap { $0["order"] as? Int } == [1, 2, 3, 4])           // to 2ⁿ whatever --max-order says
    #expect(orders.last?["agreement"] as? Double == 1)
    #expect(try #require(orders.last?["relative_error"] as? Double) <= 1e-12)
    let surrogate = try #require(json["surrogate"] as? [String: Any])
    #expect(try #require(surrogate["identity_error"] as? Double) <= 1e-12 && surrogate["total_degree"] as? Int == 4)
    #expect(orders.last?["accuracy"] as? Double == json["full_accuracy"] as? Double)
    let text = try CLI.run(["operator", "--model", model, "--data", csv.path, "--interaction-samples", "0"])
    #expect(text.status == 0 && text.stdout.contains("exact: every head is bilinear"), "\(text.stderr)")
}

@Test(arguments: ["exact_batch", "exact_none"])
func pytorchBilinearModelsPredictAndAreExact(name: String) throws {
    let out = try TestFiles.directory()
    defer { try? FileManager.default.removeItem(at: out) }
    let model = CheckpointFixtures.path(name + ".safetensors"), logits = out.appendingPathComponent("logits.npy").path
    let p = try CLI.run(["predict", "--model", model, "--postnorm", "--input", CheckpointFixtures.path("x.npy"), "--output", logits])
    #expect(p.status == 0, "\(p.stderr)")
    let expected = try CheckpointFixtures.npy(CheckpointFixtures.path("logits_\(name).npy"))
    #expect(zip(try CheckpointFixtures.npy(logits), expected).allSatisfy { abs($0 - $1) <= 1e-13 })
    let r = try CLI.run(["operator", "--model", model, "--postnorm", "--data", CheckpointFixtures.path("data.csv"),
                         "--interaction-samples", "1", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(json["exact"] as? Bool == true && json["exact_degree"] as? Int == 4)
    #expect(try #require((json["surrogate"] as? [String: Any])?["identity_error"] as? Double) <= 1e-12)
}
