import Foundation
import Testing

// `phasor operator`: the convergent order by default (3-layer model: table, headline, identity, the band
// decomposition summing to the logits, top pairs with periods, figures, text output); the ε-order formulations
// (--formulation chebyshev: rows for orders 1…P, the exact identity when P reaches the surrogate's total degree, SVG
// files with --plot; taylor), and one-line errors on bad input.

@Test func operatorConvergentOrderOnAThreeLayerModel() throws {
    let dir = cliTemporaryDirectory()
    let csv = dir.appendingPathComponent("ramps.csv")
    try writeRampCSV(csv, rows: 32)
    let model = dir.appendingPathComponent("m3.safetensors").path
    let t = try CLI.run(["train", "--data", csv.path, "--out", model, "--layers", "3", "--d-model", "4", "--d-state", "8", "--epochs", "3",
                         "--batch", "8", "--seed", "5", "--test-fraction", "0.25"])
    #expect(t.status == 0, "\(t.stderr)")
    let plots = dir.appendingPathComponent("plots").path
    let r = try CLI.run(["operator", "--model", model, "--data", csv.path, "--test-fraction", "0.25", "--seed", "5", "--max-order", "6",
                         "--pair-samples", "4", "--plot", plots, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(json["formulation"] as? String == "convergent" && json["exact"] as? Bool == false)
    let orders = try #require(json["orders"] as? [[String: Any]])
    #expect(orders.compactMap { $0["order"] as? Int } == Array(1...6))
    #expect(orders.allSatisfy { $0["relative_error"] is Double && $0["accuracy"] is Double && $0["agreement"] is Double && $0["outside_fraction"] is Double })
    // the headline order is the first row meeting the rule, or null — written either way
    let first = orders.first { ($0["agreement"] as! Double) >= 0.99 && ($0["accuracy_ratio"] as! Double) >= 0.99 && ($0["relative_error"] as! Double) <= 0.1 }
    #expect(json.keys.contains("headline_order"))
    #expect(json["headline_order"] as? Int == first?["order"] as? Int)
    let surrogate = try #require(json["surrogate"] as? [String: Any])
    #expect(try #require(surrogate["identity_error"] as? Double) <= 1e-12 && surrogate["total_degree"] as? Int == 8)   // order 1: 2³
    let attribution = try #require(json["attribution"] as? [String: Any])
    #expect(attribution["players"] as? Int == 5)                                 // 4 modes per channel: 4 bands + skip
    #expect(try #require(attribution["dividend_sum_error"] as? Double) <= 1e-12)
    let bandRows = try #require(attribution["orders"] as? [[String: Any]])
    #expect(bandRows.compactMap { $0["order"] as? Int } == Array(1...5))
    #expect(try #require(bandRows.last?["relative_error"] as? Double) <= 1e-12 && bandRows.last?["agreement"] as? Double == 1)
    let layers = try #require(attribution["layers"] as? [[String: Any]])
    #expect(layers.count == 3)
    let bands = try #require(layers.first?["bands"] as? [[String: Any]])
    #expect(bands.count == 5 && bands.last?["label"] as? String == "skip")
    let pairs = try #require(layers.first?["top_pairs"] as? [[String: Any]])
    #expect(!pairs.isEmpty && pairs.allSatisfy { ($0["first"] as! Int) < ($0["second"] as! Int) && $0["effect"] is Double })
    for name in ["operator-convergence.svg", "band-truncation.svg", "band-pairs-layer0.svg", "band-pairs-layer2.svg"] {
        #expect(FileManager.default.fileExists(atPath: plots + "/" + name), "\(name)")
    }
    let text = try CLI.run(["operator", "--model", model, "--data", csv.path, "--test-fraction", "0.25", "--seed", "5", "--max-order", "3",
                            "--attribution-samples", "0", "--timing"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("k  accuracy_ratio  agreement  rel_error") && text.stdout.contains("cpu/plain"))
    #expect(text.stdout.contains("headline order") || text.stdout.contains("no order ≤ 3 reaches"))
}

@Test func operatorReportsOrdersIdentityAndPlots() throws {
    let dir = cliTemporaryDirectory()
    let csv = dir.appendingPathComponent("ramps.csv")
    try writeRampCSV(csv)
    let model = dir.appendingPathComponent("m.safetensors").path
    let t = try CLI.run(["train", "--data", csv.path, "--out", model] + tinyTrainArguments)
    #expect(t.status == 0, "\(t.stderr)")

    // 1 layer, degree 2: total degree 6, so P = 6 makes Σ_p ℓ^[p] the surrogate's own forward pass.
    let plots = dir.appendingPathComponent("plots").path
    let r = try CLI.run(["operator", "--model", model, "--data", csv.path, "--formulation", "chebyshev", "--max-order", "6", "--degree", "2",
                         "--interaction-samples", "2", "--plot", plots, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(json["full_accuracy"] is Double)
    let orders = try #require(json["orders"] as? [[String: Any]])
    #expect(orders.compactMap { $0["order"] as? Int } == Array(1...6))
    #expect(orders.allSatisfy { $0["relative_error"] is Double && $0["accuracy"] is Double })
    let surrogate = try #require(json["surrogate"] as? [String: Any])
    #expect(surrogate["degree"] as? Int == 2 && surrogate["total_degree"] as? Int == 6)
    #expect((surrogate["range"] as? [Double])?.count == 2)
    #expect(try #require(surrogate["identity_error"] as? Double) <= 1e-12)
    // the 3 top pairs per class (2 classes) in each of the 2 bases, each naming two components
    let interactions = try #require(json["interactions"] as? [[String: Any]])
    #expect(interactions.count == 2 * 3 * 2 && interactions.allSatisfy { $0["first"] is String && $0["second"] is String })
    for name in ["operator-error.svg", "operator-accuracy.svg", "interactions-modes.svg", "interactions-lags.svg"] {
        #expect(FileManager.default.fileExists(atPath: plots + "/" + name), "\(name)")
    }

    let taylor = try CLI.run(["operator", "--model", model, "--data", csv.path, "--max-order", "3", "--formulation", "taylor",
                              "--interaction-samples", "0", "--json"])
    #expect(taylor.status == 0, "\(taylor.stderr)")
    let tj = try #require(try JSONSerialization.jsonObject(with: Data(taylor.stdout.utf8)) as? [String: Any])
    #expect(tj["formulation"] as? String == "taylor" && tj["radius_below_one"] is Bool)

    // Bad input: order out of range, data of the wrong width, not a checkpoint — one line on stderr each.
    try "1,2,0\n3,4,1\n".write(to: dir.appendingPathComponent("wide.csv"), atomically: true, encoding: .utf8)
    var rows = ""
    for i in 0..<4 { rows += (0..<6).map { _ in "\(i)" }.joined(separator: ",") + ":" + (0..<6).map { _ in "\(i)" }.joined(separator: ",") + ",\(i % 2)\n" }
    try "@problemName two\n@univariate false\n@dimensions 2\n@equalLength true\n@seriesLength 6\n@classLabel true 0 1\n@data\n\(rows)"
        .write(to: dir.appendingPathComponent("two.ts"), atomically: true, encoding: .utf8)
    try "junk".write(to: dir.appendingPathComponent("junk.safetensors"), atomically: true, encoding: .utf8)
    for arguments in [["operator", "--model", model, "--data", csv.path, "--max-order", "0"],
                      ["operator", "--model", model, "--data", csv.path, "--max-order", "40"],
                      ["operator", "--model", model, "--data", dir.appendingPathComponent("two.ts").path],
                      ["operator", "--model", dir.appendingPathComponent("junk.safetensors").path, "--data", csv.path]] {
        let bad = try CLI.run(arguments)
        #expect(bad.status != 0, "\(arguments)")
        #expect(bad.stderr.split(separator: "\n").count == 1, "\(arguments): \(bad.stderr)")
    }
}
