// The S4Model's parameter layout (DESIGN.md §9) and its checks on loaded parameters and inputs.
import Foundation
import Testing
@testable import PhasorModels
import PhasorNumerics

@Suite struct S4ModelTests {
    let config = S4ModelConfiguration(dInput: 2, dModel: 4, dState: 6, layers: 2, classes: 3)

    @Test func keysAndShapesFollowStateSpaces() throws {
        let model = try S4Model(configuration: config, seed: 1)
        #expect(model.parameters.names == [
            "encoder.weight", "encoder.bias",
            "s4_layers.0.D", "s4_layers.0.kernel.C", "s4_layers.0.kernel.log_dt", "s4_layers.0.kernel.log_A_real",
            "s4_layers.0.kernel.A_imag", "s4_layers.0.output_linear.0.weight", "s4_layers.0.output_linear.0.bias",
            "s4_layers.1.D", "s4_layers.1.kernel.C", "s4_layers.1.kernel.log_dt", "s4_layers.1.kernel.log_A_real",
            "s4_layers.1.kernel.A_imag", "s4_layers.1.output_linear.0.weight", "s4_layers.1.output_linear.0.bias",
            "norms.0.weight", "norms.0.bias", "norms.1.weight", "norms.1.bias", "decoder.weight", "decoder.bias"])
        #expect(try model.parameters.parameter("s4_layers.1.kernel.C").shape == [4, 3, 2])
        #expect(try model.parameters.parameter("s4_layers.0.output_linear.0.weight").shape == [8, 4, 1])
        let dt = try model.parameters.values("s4_layers.0.kernel.log_dt").map { Foundation.exp($0) }
        #expect(dt.allSatisfy { $0 >= 1e-3 && $0 <= 1e-1 })
        #expect(try model.parameters.values("s4_layers.0.kernel.A_imag") == (0..<4).flatMap { _ in [0, Double.pi, 2 * Double.pi] })
    }

    @Test func reloadChecksKeysAndShapes() throws {
        let model = try S4Model(configuration: config, seed: 2)
        let again = try S4Model(configuration: config, parameters: model.parameters)
        #expect(again.parameters == model.parameters)
        var extra = model.parameters
        try extra.append(Parameter(name: "s4_layers.2.D", shape: [4], values: [0, 0, 0, 0]))
        #expect(throws: ModelError.unexpectedKeys(["s4_layers.2.D"])) { try S4Model(configuration: config, parameters: extra) }
        var wrong = ParameterStore()
        for p in model.parameters.parameters {
            if p.name == "decoder.weight" { try wrong.append(Parameter(name: p.name, shape: [4, 3], values: p.values)) } else { try wrong.append(p) }
        }
        #expect(throws: ModelError.self) { try S4Model(configuration: config, parameters: wrong) }
        var bad = model.parameters
        try bad.setValues("encoder.bias", [0, .nan, 0, 0])
        #expect(throws: ModelError.nonFinite(key: "encoder.bias")) { try S4Model(configuration: config, parameters: bad) }
    }

    @Test func rejectsBadInputs() throws {
        let model = try S4Model(configuration: config, seed: 3)
        #expect(throws: ModelError.inputWidth(expected: 2, found: 3)) { try model.logits(inputs: [Double](repeating: 0, count: 2 * 5 * 3), batch: 2, length: 5) }
        #expect(throws: ModelError.self) { try model.logits(inputs: [Double](repeating: 0, count: 20), batch: 2, length: 5, lengths: [5, 6]) }
        #expect(throws: NonFiniteError.self) { try model.logits(inputs: [.infinity] + [Double](repeating: 0, count: 19), batch: 2, length: 5) }
        var g = SeededGenerator(seed: 1)
        #expect(throws: ModelError.self) {
            try model.lossAndGradients(inputs: [Double](repeating: 0, count: 20), batch: 2, length: 5, lengths: nil, labels: [0, 3], training: false, generator: &g)
        }
    }

    @Test func evaluationIsDeterministicAndTrainingDrawsMasks() throws {
        let c = S4ModelConfiguration(dInput: 1, dModel: 4, dState: 4, layers: 1, classes: 2, dropout: 0.5)
        let model = try S4Model(configuration: c, seed: 4)
        let x = (0..<10).map { Foundation.sin(Double($0)) }
        var g1 = SeededGenerator(seed: 5), g2 = SeededGenerator(seed: 5), g3 = SeededGenerator(seed: 6)
        let a = try model.lossAndGradients(inputs: x, batch: 1, length: 10, lengths: nil, labels: [1], training: true, generator: &g1)
        let b = try model.lossAndGradients(inputs: x, batch: 1, length: 10, lengths: nil, labels: [1], training: true, generator: &g2)
        let e = try model.lossAndGradients(inputs: x, batch: 1, length: 10, lengths: nil, labels: [1], training: false, generator: &g3)
        #expect(a.loss == b.loss && a.gradients == b.gradients)
        let logits = try model.logits(inputs: x, batch: 1, length: 10)
        // evaluation loss equals the cross-entropy of `logits`
        let lse = Foundation.log(logits.map { Foundation.exp($0) }.reduce(0, +))
        #expect(abs(e.loss - (lse - logits[1])) <= 1e-14)
    }
}
