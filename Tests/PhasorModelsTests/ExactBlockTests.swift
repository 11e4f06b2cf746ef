// The block kinds of exact-by-construction models: the bilinear head (forward against loops written here, backward
// against finite differences, Float against Double), whole models with BatchNorm / no norm and either head against
// finite differences, and BatchNorm's running statistics as buffers (moved by training batches, never by AdamW).
import Foundation
import Testing
import PhasorData
@testable import PhasorModels
import PhasorNumerics

func bilinearLayer(channels: Int, state: Int, seed: UInt64) throws -> S4DLayer {
    var layer = try randomLayer(channels: channels, state: state, seed: seed)
    layer.head = .bilinear(try BilinearHead(channels: channels, weight: layer.outputWeight, bias: layer.outputBias))
    return layer
}

@Suite struct BilinearHeadTests {
    @Test func forwardIsTheProductOfTheTwoHalves() throws {
        let H = 3, B = 2, L = 11
        let layer = try bilinearLayer(channels: H, state: 4, seed: 8)
        let u = randomVector(B * H * L, seed: 1)
        let out = try layer.forward(input: u, batch: B, length: L)
        let y = try layer.ssmOutput(input: u, batch: B, length: L)                 // y = K * u + D u (the core's own)
        let w = layer.outputWeight, c = layer.outputBias
        var ref = [Double](repeating: 0, count: B * H * L)
        for b in 0..<B { for h in 0..<H { for l in 0..<L {
            var z1 = c[h], z2 = c[H + h]
            for k in 0..<H { z1 += w[h * H + k] * y[(b * H + k) * L + l]; z2 += w[(H + h) * H + k] * y[(b * H + k) * L + l] }
            ref[(b * H + h) * L + l] = z1 * z2                                     // z[0..<H] ⊙ z[H..<2H]
        } } }
        #expect(maxAbsDiff(out, ref) <= 1e-13 * max(1, maxAbs(ref)))
        // and not the gated GELU head's output
        var glu = layer
        glu.head = .gatedGELU(try GatedGELUHead(channels: H, weight: w, bias: c))
        #expect(maxAbsDiff(try glu.forward(input: u, batch: B, length: L), ref) > 1e-3)
    }

    @Test(arguments: [false, true])
    func backward(withDropout: Bool) throws {
        let H = 2, B = 2, L = 20
        var layer = try bilinearLayer(channels: H, state: 4, seed: 31)
        layer.kernel.logDt = [0.1, 0.5].map { Foundation.log($0) }
        let u = randomVector(B * H * L, seed: 9), g = randomVector(B * H * L, seed: 10)
        let mask: [Double]? = withDropout ? [2, 0, 2, 2] : nil
        let (_, tape) = try layer.forwardTape(input: u, batch: B, length: L, mask: mask)
        let (du, lg) = layer.backward(tape, outputGradient: g)
        func f(_ l: S4DLayer, _ u: [Double]) throws -> Double { dot(try l.forwardTape(input: u, batch: B, length: L, mask: mask).0, g) }
        #expect(relativeError(du, try numericalGradient(u) { try f(layer, $0) }) <= 1e-6)
        #expect(relativeError(lg.D, try numericalGradient(layer.D) { var l = layer; l.D = $0; return try f(l, u) }) <= 1e-6)
        #expect(relativeError(lg.outputWeight, try numericalGradient(layer.outputWeight) { var l = layer; l.outputWeight = $0; return try f(l, u) }) <= 1e-6)
        #expect(relativeError(lg.outputBias, try numericalGradient(layer.outputBias) { var l = layer; l.outputBias = $0; return try f(l, u) }) <= 1e-6)
        #expect(relativeError(lg.kernel.C, try numericalGradient(layer.kernel.C) { var l = layer; l.kernel.C = $0; return try f(l, u) }) <= 1e-6)
        #expect(relativeError(lg.kernel.logDt, try numericalGradient(layer.kernel.logDt) { var l = layer; l.kernel.logDt = $0; return try f(l, u) }) <= 1e-6)
    }

    @Test func floatTracksDouble() throws {
        let layer = try bilinearLayer(channels: 4, state: 8, seed: 41)
        let B = 2, L = 40
        let u = randomVector(B * 4 * L, seed: 1), g = randomVector(B * 4 * L, seed: 2)
        let d = try layer.forwardAndBackward(input: u, batch: B, length: L, outputGradient: g, precision: .f64)
        let f = try layer.forwardAndBackward(input: u, batch: B, length: L, outputGradient: g, precision: .f32)
        #expect(maxAbsDiff(d.output, f.output) <= 1e-5 * maxAbs(d.output))
        #expect(maxAbsDiff(d.inputGradient, f.inputGradient) <= 1e-5 * maxAbs(d.inputGradient))
        #expect(maxAbsDiff(d.gradients.outputWeight, f.gradients.outputWeight) <= 1e-5 * maxAbs(d.gradients.outputWeight))
        #expect(maxAbsDiff(d.gradients.kernel.C, f.gradients.kernel.C) <= 1e-4 * maxAbs(d.gradients.kernel.C))
        #expect(d.output != f.output)
    }

    @Test func pointwiseReplacementsAreRefused() throws {
        let c = S4ModelConfiguration(dInput: 1, dModel: 2, dState: 2, layers: 1, classes: 2, dropout: 0, head: .bilinear)
        let m = try S4Model(configuration: c, seed: 1)
        let options = EvaluationOptions(pointwise: PointwiseOverrides(activation: { _, _, v in v }))
        #expect(throws: ModelError.self) { _ = try m.evaluate(inputs: [1, 2, 3], batch: 1, length: 3, options: options) }
    }
}

@Suite struct ExactModelGradientTests {
    @Test(arguments: [NormKind.batch, .none, .layer], [false, true])
    func wholeModel(norm: NormKind, prenorm: Bool) throws {
        for (head, training) in [(HeadKind.bilinear, true), (.bilinear, false), (.glu, true)] {
            let config = S4ModelConfiguration(dInput: 2, dModel: 3, dState: 4, layers: 2, classes: 3, prenorm: prenorm,
                                              dropout: 0.25, norm: norm, head: head)
            var model = try S4Model(configuration: config, seed: 17)
            for i in 0..<2 { try model.parameters.setValues("s4_layers.\(i).kernel.log_dt", [0.1, 0.25, 0.5].map { Foundation.log($0) }) }
            if norm == .batch {                                   // non-trivial running statistics (used in evaluation)
                for i in 0..<2 {
                    try model.parameters.setValues("norms.\(i).running_mean", [0.2, -0.4, 0.1])
                    try model.parameters.setValues("norms.\(i).running_var", [0.8, 1.7, 1.2])
                }
            }
            let B = 3, L = 7
            let x = randomVector(B * L * 2, seed: 12), lengths = [7, 4, 1], labels = [2, 0, 1]
            var gen = SeededGenerator(seed: 99)
            let (_, _, grads) = try model.lossAndGradients(inputs: x, batch: B, length: L, lengths: lengths, labels: labels,
                                                           training: training, generator: &gen)
            for p in model.parameters.parameters {
                let analytic = try grads.values(p.name)
                if S4ModelKeys.isBuffer(p.name) { #expect(analytic.allSatisfy { $0 == 0 }, "\(p.name)"); continue }
                let fd = try numericalGradient(p.values) { v in
                    var m = model
                    try m.parameters.setValues(p.name, v)
                    var g2 = SeededGenerator(seed: 99)
                    return try m.lossAndGradients(inputs: x, batch: B, length: L, lengths: lengths, labels: labels,
                                                  training: training, generator: &g2).loss
                }
                let err = relativeError(analytic, fd)
                #expect(err <= 1e-6, "\(norm) \(head) training \(training) \(p.name): relative error \(err)")
            }
        }
    }

    @Test func floatModelTracksDouble() throws {
        let config = S4ModelConfiguration(dInput: 2, dModel: 4, dState: 4, layers: 2, classes: 3, dropout: 0.2, norm: .batch, head: .bilinear)
        var model = try S4Model(configuration: config, seed: 5)
        let B = 2, L = 36, x = randomVector(B * L * 2, seed: 3)
        var g1 = SeededGenerator(seed: 7), g2 = SeededGenerator(seed: 7)
        let d = try model.lossAndGradients(inputs: x, batch: B, length: L, lengths: [36, 20], labels: [0, 2], training: true, generator: &g1)
        model.blockPrecision = .f32
        let f = try model.lossAndGradients(inputs: x, batch: B, length: L, lengths: [36, 20], labels: [0, 2], training: true, generator: &g2)
        #expect(abs(d.loss - f.loss) <= 1e-5 * abs(d.loss))
        for p in model.parameters.parameters where !S4ModelKeys.isBuffer(p.name) {
            let a = try d.gradients.values(p.name), b = try f.gradients.values(p.name)
            #expect(maxAbsDiff(a, b) <= 1e-3 * max(maxAbs(a), 1e-6), "\(p.name)")
        }
    }

    @Test(arguments: [NormKind.batch, .none])
    func paddingIsIgnored(norm: NormKind) throws {
        let config = S4ModelConfiguration(dInput: 1, dModel: 4, dState: 4, layers: 2, classes: 2, prenorm: true, dropout: 0,
                                          norm: norm, head: .bilinear)
        let model = try S4Model(configuration: config, seed: 3)
        let short = randomVector(5, seed: 1)
        let a = try model.logits(inputs: short + [0, 0, 0], batch: 1, length: 8, lengths: [5])
        let b = try model.logits(inputs: short + [7, -3, 9], batch: 1, length: 8, lengths: [5])
        let c = try model.logits(inputs: short, batch: 1, length: 5)
        #expect(maxAbsDiff(a, b) <= 1e-14)
        #expect(maxAbsDiff(a, c) <= 1e-13)
    }
}

@Suite struct RunningStatisticsTests {
    /// One pre-norm BatchNorm layer: its input is the encoder's output W·u + b, computed here directly.
    @Test func oneTrainingRunMovesTheBuffersByMomentumOnly() throws {
        let config = S4ModelConfiguration(dInput: 2, dModel: 3, dState: 4, layers: 1, classes: 2, prenorm: true, dropout: 0,
                                          norm: .batch, head: .bilinear)
        let samples = 6, L = 5
        var g = SeededGenerator(seed: 4)
        let sequences = (0..<samples).map { _ in (0..<(L * 2)).map { _ in 3 * g.normal() + 1 } }
        let source = try BatchSource(sequences: sequences, lengths: [Int](repeating: L, count: samples),
                                     labels: (0..<samples).map { $0 % 2 }, channels: 2)
        let data = TrainingData(train: source, validation: nil, classNames: ["a", "b"])
        let options = TrainingOptions(epochs: 1, batchSize: samples, weightDecay: 0.5, validationFraction: 0, seed: 2, threads: 2)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("phasor-running-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try Trainer.train(configuration: config, options: options, data: data,
                                        output: dir.appendingPathComponent("m.safetensors").path)
        // the batch the step saw: standardised inputs through the INITIAL encoder
        let initial = try S4Model(configuration: config, seed: 2)
        let standard = try InputStandardisation(sequences: sequences, lengths: [Int](repeating: L, count: samples), channels: 2)
        var x = sequences.flatMap { $0 }
        try standard.apply(to: &x)
        let enc = initial.encoder
        var mean = [Double](repeating: 0, count: 3), values = [[Double]](repeating: [], count: 3)
        for s in 0..<samples { for l in 0..<L { for h in 0..<3 {
            let v = enc.bias[h] + (0..<2).reduce(0.0) { $0 + enc.weight[h * 2 + $1] * x[(s * L + l) * 2 + $1] }
            values[h].append(v); mean[h] += v / Double(samples * L)
        } } }
        let unbiased: [Double] = (0..<3).map { h in
            var q = 0.0
            for v in values[h] { q += (v - mean[h]) * (v - mean[h]) }
            return q / Double(samples * L - 1)
        }
        guard case .batch(let bn) = outcome.last.block(0).norm else { Issue.record("not a BatchNorm"); return }
        #expect(maxAbsDiff(bn.runningMean, mean.map { 0.1 * $0 }) <= 1e-13)              // 0.9·0 + 0.1·μ
        #expect(maxAbsDiff(bn.runningVariance, unbiased.map { 0.9 + 0.1 * $0 }) <= 1e-13) // 0.9·1 + 0.1·σ²(n/(n−1))
        #expect(bn.batchesTracked == 1)
        #expect(bn.weight != [1, 1, 1])                                                    // γ was stepped
        // the written checkpoint holds the buffers, num_batches_tracked as int64
        let file = try SafeTensorsFile(contentsOf: dir.appendingPathComponent("m.safetensors").path)
        #expect(file.tensors["norms.0.num_batches_tracked"]?.dtype == .int64)
        #expect(file.tensors["norms.0.num_batches_tracked"]?.shape == [])
        #expect(maxAbsDiff(try #require(file.tensors["norms.0.running_var"]).asDoubles(), bn.runningVariance) <= 1e-6)
        #expect(file.metadata["norm"] == "batch" && file.metadata["block"] == "bilinear")
    }

    @Test func buffersHaveNoOptimiserMoments() throws {
        let config = S4ModelConfiguration(dInput: 1, dModel: 2, dState: 2, layers: 1, classes: 2, norm: .batch)
        let model = try S4Model(configuration: config, seed: 1)
        let adam = AdamW(parameters: model.parameters, configuration: AdamWConfiguration(weightDecay: 0.5))
        #expect(!adam.state.names.contains { $0.contains("running") || $0.contains("num_batches") })
        #expect(adam.state.names.contains("exp_avg.norms.0.weight"))
        var stepped = model.parameters, a = adam
        var grads = model.parameters.zeros()
        for k in 0..<grads.count { var p = grads[k]; p.values = p.values.map { _ in 0.3 }; grads[k] = p }
        a.step(&stepped, gradients: grads, learningRateScale: 1)
        for name in ["norms.0.running_mean", "norms.0.running_var", "norms.0.num_batches_tracked"] {
            #expect(try stepped.values(name) == model.parameters.values(name), "\(name)")
        }
        #expect(try stepped.values("norms.0.weight") != model.parameters.values("norms.0.weight"))
    }
}
