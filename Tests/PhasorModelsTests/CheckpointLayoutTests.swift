import Testing
@testable import PhasorModels

// The architecture is read back from tensor shapes alone; every way a key set can disagree with it is an error.

/// Sizes as the layout reads them (switches at their defaults, dropout 0).
private func sizes(_ dInput: Int, _ dModel: Int, _ dState: Int, _ layers: Int, _ classes: Int) -> S4ModelConfiguration {
    S4ModelConfiguration(dInput: dInput, dModel: dModel, dState: dState, layers: layers, classes: classes, dropout: 0)
}

private func shapes(_ a: S4ModelConfiguration) -> [String: [Int]] {
    Dictionary(uniqueKeysWithValues: a.parameterShapes.map { ($0.name, $0.shape) })
}

@Test func architectureRoundTripsThroughShapes() throws {
    for a in [sizes(1, 4, 6, 2, 3), sizes(9, 2, 2, 1, 10), sizes(3, 5, 8, 12, 2)] {
        #expect(try CheckpointLayout.configuration(shapes: shapes(a)) == a)
        // encoder 2 + (S4D 7 + LayerNorm 2) per layer + decoder 2, by counting the modules of example.py's S4Model.
        #expect(a.parameterShapes.count == 4 + 9 * a.layers)
    }
}

@Test func keyOrderFollowsStateDict() {
    let keys = sizes(1, 2, 2, 2, 2).parameterShapes.map(\.name)
    #expect(Array(keys.prefix(9)) == ["encoder.weight", "encoder.bias", "s4_layers.0.D", "s4_layers.0.kernel.C",
                                      "s4_layers.0.kernel.log_dt", "s4_layers.0.kernel.log_A_real",
                                      "s4_layers.0.kernel.A_imag", "s4_layers.0.output_linear.0.weight",
                                      "s4_layers.0.output_linear.0.bias"])
    #expect(Array(keys.suffix(6)) == ["norms.0.weight", "norms.0.bias", "norms.1.weight", "norms.1.bias",
                                      "decoder.weight", "decoder.bias"])
}

@Test func inconsistentKeySetsAreRejected() {
    let a = sizes(2, 4, 4, 2, 3)
    var missing = shapes(a); missing["norms.1.bias"] = nil
    #expect(throws: ModelError.missingKey("norms.1.bias")) { try CheckpointLayout.configuration(shapes: missing) }
    var extra = shapes(a); extra["s4_layers.0.kernel.B"] = [4, 2, 2]; extra["foo"] = [1]
    #expect(throws: ModelError.unexpectedKeys(["foo", "s4_layers.0.kernel.B"])) { try CheckpointLayout.configuration(shapes: extra) }
    var gap = shapes(a)
    for key in gap.keys where key.hasPrefix("s4_layers.1.") || key.hasPrefix("norms.1.") { gap[key] = nil }
    for (k, v) in shapes(sizes(2, 4, 4, 3, 3))
    where k.hasPrefix("s4_layers.2.") || k.hasPrefix("norms.2.") { gap[k] = v }
    #expect(throws: ModelError.missingKey("s4_layers.1.kernel.A_imag")) { try CheckpointLayout.configuration(shapes: gap) }
    var wrong = shapes(a); wrong["s4_layers.1.kernel.C"] = [4, 3, 2]
    #expect(throws: ModelError.shapeMismatch(key: "s4_layers.1.kernel.C", expected: [4, 2, 2], found: [4, 3, 2])) {
        try CheckpointLayout.configuration(shapes: wrong)
    }
    var conv = shapes(a); conv["s4_layers.0.output_linear.0.weight"] = [8, 4]
    #expect(throws: ModelError.shapeMismatch(key: "s4_layers.0.output_linear.0.weight", expected: [8, 4, 1], found: [8, 4])) {
        try CheckpointLayout.configuration(shapes: conv)
    }
    #expect(throws: ModelError.self) { try CheckpointLayout.configuration(shapes: [:]) }
}
