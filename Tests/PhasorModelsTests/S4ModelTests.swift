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

@Suite struct FloatPathTests {
    @Test(arguments: ReferenceSkeleton.stateSpaces.heads)
    func blockInFloatTracksDouble(head: HeadKind) throws {
        let layer = try randomLayer(channels: 4, state: 8, head: head, seed: 41)
        let B = 2, L = 40
        let u = randomVector(B * 4 * L, seed: 1), g = randomVector(B * 4 * L, seed: 2)
        let d = try layer.forwardAndBackward(input: u, batch: B, length: L, outputGradient: g, precision: .f64)
        let f = try layer.forwardAndBackward(input: u, batch: B, length: L, outputGradient: g, precision: .f32)
        #expect(maxAbsDiff(d.output, f.output) <= 1e-5 * maxAbs(d.output))
        #expect(maxAbsDiff(d.inputGradient, f.inputGradient) <= 1e-5 * maxAbs(d.inputGradient))
        #expect(maxAbsDiff(d.gradients.outputWeight, f.gradients.outputWeight) <= 1e-5 * maxAbs(d.gradients.outputWeight))
        #expect(maxAbsDiff(d.gradients.kernel.C, f.gradients.kernel.C) <= 1e-4 * maxAbs(d.gradients.kernel.C))
        #expect(maxAbsDiff(d.gradients.kernel.logDt, f.gradients.kernel.logDt) <= 1e-4 * maxAbs(d.gradients.kernel.logDt))
        #expect(d.output != f.output)            // the Float path really ran in Float
    }

    @Test(arguments: [(NormKind.layer, HeadKind.glu), (.batch, .bilinear)])
    func modelGradientInFloatTracksDouble(kinds: (NormKind, HeadKind)) throws {
        let config = S4ModelConfiguration(dInput: 2, dModel: 4, dState: 4, layers: 2, classes: 3, prenorm: false, dropout: 0.2,
                                          norm: kinds.0, head: kinds.1)
        var model = try S4Model(configuration: config, seed: 5)
        let B = 2, L = 36
        let x = randomVector(B * L * 2, seed: 3)
        var g1 = SeededGenerator(seed: 7), g2 = SeededGenerator(seed: 7)
        let d = try model.lossAndGradients(inputs: x, batch: B, length: L, lengths: [36, 20], labels: [0, 2], training: true, generator: &g1)
        model.blockPrecision = .f32
        let f = try model.lossAndGradients(inputs: x, batch: B, length: L, lengths: [36, 20], labels: [0, 2], training: true, generator: &g2)
        #expect(abs(d.loss - f.loss) <= 1e-5 * abs(d.loss))
        for p in model.parameters.parameters {
            let a = try d.gradients.values(p.name), b = try f.gradients.values(p.name)
            #expect(maxAbsDiff(a, b) <= 1e-3 * max(maxAbs(a), 1e-6), "\(p.name)")
        }
    }
}


@Suite struct TraceTests {
    @Test func traceRecomposesTheForwardPass() throws {
        let config = S4ModelConfiguration(dInput: 2, dModel: 4, dState: 4, layers: 2, classes: 3, prenorm: false, dropout: 0.3)
        let model = try S4Model(configuration: config, seed: 8)
        let B = 2, L = 9
        let x = randomVector(B * L * 2, seed: 4)
        let t = try model.trace(inputs: x, batch: B, length: L)
        #expect(t.logits == (try model.logits(inputs: x, batch: B, length: L)))
        for i in 0..<2 {
            let layer = try model.layer(i)
            // postnorm: the block sees the previous residual stream; its y and output are reproduced by the layer API
            let input = i == 0 ? t.encoded : t.layers[i - 1].residualOutput
            #expect(t.layers[i].blockInput == input)
            #expect(maxAbsDiff(t.layers[i].ssmOutput, try layer.ssmOutput(input: input, batch: B, length: L)) <= 1e-14)
            #expect(maxAbsDiff(t.layers[i].blockOutput, try layer.forward(input: input, batch: B, length: L)) <= 1e-14)
        }
    }
}
