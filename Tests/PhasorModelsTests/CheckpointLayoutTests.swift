import Testing
@testable import PhasorModels

// The architecture is read back from tensor shapes alone; every way a key set can disagree with it is an error.

private func shapes(_ a: CheckpointArchitecture) -> [String: [Int]] {
    Dictionary(uniqueKeysWithValues: CheckpointLayout.keys(for: a).map { ($0.key, $0.shape) })
}

@Test func architectureRoundTripsThroughShapes() throws {
    for a in [CheckpointArchitecture(dInput: 1, dModel: 4, dState: 6, layers: 2, classes: 3),
              CheckpointArchitecture(dInput: 9, dModel: 2, dState: 2, layers: 1, classes: 10),
              CheckpointArchitecture(dInput: 3, dModel: 5, dState: 8, layers: 12, classes: 2)] {
        #expect(try CheckpointLayout.architecture(shapes: shapes(a)) == a)
        // 4 + 7·layers + 2·layers + 2 tensors, by counting the modules of example.py's S4Model.
        #expect(CheckpointLayout.keys(for: a).count == 4 + 9 * a.layers)
    }
}

@Test func keyOrderFollowsStateDict() {
    let keys = CheckpointLayout.keys(for: CheckpointArchitecture(dInput: 1, dModel: 2, dState: 2, layers: 2, classes: 2)).map(\.key)
    #expect(Array(keys.prefix(9)) == ["encoder.weight", "encoder.bias", "s4_layers.0.D", "s4_layers.0.kernel.C",
                                      "s4_layers.0.kernel.log_dt", "s4_layers.0.kernel.log_A_real",
                                      "s4_layers.0.kernel.A_imag", "s4_layers.0.output_linear.0.weight",
                                      "s4_layers.0.output_linear.0.bias"])
    #expect(Array(keys.suffix(6)) == ["norms.0.weight", "norms.0.bias", "norms.1.weight", "norms.1.bias",
                                      "decoder.weight", "decoder.bias"])
}

@Test func inconsistentKeySetsAreRejected() {
    let a = CheckpointArchitecture(dInput: 2, dModel: 4, dState: 4, layers: 2, classes: 3)
    var missing = shapes(a); missing["norms.1.bias"] = nil
    #expect(throws: ModelError.missingKey("norms.1.bias")) { try CheckpointLayout.architecture(shapes: missing) }
    var extra = shapes(a); extra["s4_layers.0.kernel.B"] = [4, 2, 2]; extra["foo"] = [1]
    #expect(throws: ModelError.unexpectedKeys(["foo", "s4_layers.0.kernel.B"])) { try CheckpointLayout.architecture(shapes: extra) }
    var gap = shapes(a)
    for key in gap.keys where key.hasPrefix("s4_layers.1.") || key.hasPrefix("norms.1.") { gap[key] = nil }
    for (k, v) in shapes(CheckpointArchitecture(dInput: 2, dModel: 4, dState: 4, layers: 3, classes: 3))
    where k.hasPrefix("s4_layers.2.") || k.hasPrefix("norms.2.") { gap[k] = v }
    #expect(throws: ModelError.missingKey("s4_layers.1.kernel.A_imag")) { try CheckpointLayout.architecture(shapes: gap) }
    var wrong = shapes(a); wrong["s4_layers.1.kernel.C"] = [4, 3, 2]
    #expect(throws: ModelError.shapeMismatch(key: "s4_layers.1.kernel.C", expected: [4, 2, 2], found: [4, 3, 2])) {
        try CheckpointLayout.architecture(shapes: wrong)
    }
    var conv = shapes(a); conv["s4_layers.0.output_linear.0.weight"] = [8, 4]
    #expect(throws: ModelError.shapeMismatch(key: "s4_layers.0.output_linear.0.weight", expected: [8, 4, 1], found: [8, 4])) {
        try CheckpointLayout.architecture(shapes: conv)
    }
    #expect(throws: ModelError.self) { try CheckpointLayout.architecture(shapes: [:]) }
}
