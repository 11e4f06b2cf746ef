// The block kinds of exact-by-construction models: the bilinear head's forward against loops written here (its
// backward, Float path and whole models with every norm kind are in GradientTests and FloatPathTests, parametrised
// by kind), and BatchNorm's running statistics as buffers (moved by training batches, never by AdamW).
import Foundation
import Testing
import PhasorData
@testable import PhasorModels
import PhasorNumerics

@Suite struct BilinearHeadTests {
    @Test func forwardIsTheProductOfTheTwoHalves() throws {
        let H = 3, B = 2, L = 11
        let layer = try randomLayer(channels: H, state: 4, head: .bilinear, seed: 8)
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

    /// The bilinear head starts as the GLU block's first-order expansion z₁⊙(½ + z₂/4): the same draws as the GLU
    /// head's convolution, the second half mapped z₂ ↦ ½ + z₂/4; everything else identical.
    @Test func initialisationIsTheLinearisedGLU() throws {
        let glu = S4ModelConfiguration(dInput: 2, dModel: 3, dState: 4, layers: 2, classes: 2)
        var bil = glu
        bil.head = .bilinear
        let a = try S4Model(configuration: glu, seed: 5), b = try S4Model(configuration: bil, seed: 5), H = 3
        for i in 0..<2 {
            let wa = a.block(i).head.weight, wb = b.block(i).head.weight, ba = a.block(i).head.bias, bb = b.block(i).head.bias
            #expect(Array(wb[0 ..< H * H]) == Array(wa[0 ..< H * H]) && Array(bb[0 ..< H]) == Array(ba[0 ..< H]))
            #expect(maxAbsDiff(Array(wb[H * H ..< 2 * H * H]), wa[H * H ..< 2 * H * H].map { $0 / 4 }) <= 1e-16)
            #expect(maxAbsDiff(Array(bb[H ..< 2 * H]), ba[H ..< 2 * H].map { 0.5 + $0 / 4 }) <= 1e-16)
        }
        for p in a.parameters.parameters where !p.name.contains("output_linear") {
            #expect(try b.parameters.values(p.name) == p.values, "\(p.name)")
        }
    }

    @Test func pointwiseReplacementsAreRefused() throws {
        let c = S4ModelConfiguration(dInput: 1, dModel: 2, dState: 2, layers: 1, classes: 2, dropout: 0, head: .bilinear)
        let m = try S4Model(configuration: c, seed: 1)
        let options = EvaluationOptions(pointwise: PointwiseOverrides(activation: { _, _, v in v }))
        #expect(throws: ModelError.self) { _ = try m.evaluate(inputs: [1, 2, 3], batch: 1, length: 3, options: options) }
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
