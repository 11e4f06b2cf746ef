// The kernels a training batch's parts share (Model/SharedKernels.swift): one evaluation of K per layer at the batch's
// longest length, each part's ∂L/∂K summed with the weights n_t/n and ONE adjoint. Checked against the path where every
// part evaluates K and runs the adjoint itself (to ~1e-12 in Double), against central differences of the batch loss
// Σ_t (n_t/n) L_t, bit for bit for a one-part batch, and through the trainer (a run is a function of (seed, threads)).
import Foundation
import Testing
@testable import PhasorModels
import PhasorNumerics

@Suite struct SharedKernelTests {
    /// 2 layers of S4D (Δ 0.1–0.5 so the kernel gradients stand far above finite-difference round-off), dropout on.
    static func model(head: HeadKind) throws -> S4Model {
        let config = S4ModelConfiguration(dInput: 2, dModel: 3, dState: 4, layers: 2, classes: 3, prenorm: false,
                                          dropout: 0.2, head: head)
        var model = try S4Model(configuration: config, seed: 5)
        for i in 0..<2 { try model.parameters.setValues(S4ModelKeys.block(i).logDt, [0.1, 0.25, 0.5].map { Foundation.log($0) }) }
        model.blockPrecision = .f64
        return model
    }

    /// A batch of 5 samples of lengths 3…9, split as the trainer splits it into parts of different padded lengths.
    static let source = try! BatchSource(sequences: (0..<5).map { randomVector(2 * [9, 4, 6, 3, 7][$0], seed: UInt64(40 + $0)) },
                                         lengths: [9, 4, 6, 3, 7], labels: [2, 0, 1, 1, 0], channels: 2)

    /// Σ_t (n_t/n) (loss_t, gradients_t) over the parts, each part's dropout from its own seed; with `shared`, the
    /// kernels evaluated once and one adjoint per layer (what the trainer does), without, each part's own.
    static func batchGradient(_ model: S4Model, parts: [ArraySlice<Int>], shared: Bool) throws -> (loss: Double, gradients: ParameterStore) {
        let all = parts.flatMap { Array($0) }[...]
        let kernels = shared ? model.sharedKernels(length: source.length(of: all)) : nil
        var gradients = model.parameters.zeros(), loss = 0.0
        var kernelGradient = kernels?.zeroGradient
        for (t, part) in parts.enumerated() {
            let batch = source.batch(part), w = Double(part.count) / Double(all.count)
            var g = SeededGenerator(seed: 70 + UInt64(t))
            let r = try model.trainingPass(inputs: batch.inputs, batch: batch.batch, length: batch.length, lengths: batch.lengths,
                                           labels: batch.labels, training: true, generator: &g, kernels: kernels)
            #expect(r.kernelGradient.layers.allSatisfy { ($0 != nil) == shared })
            loss += w * r.loss
            for k in 0..<gradients.count { for j in gradients[k].values.indices { gradients[k].values[j] += w * r.gradients[k].values[j] } }
            kernelGradient?.add(r.kernelGradient, weight: w)
        }
        if let kernels, let kernelGradient { try kernels.addAdjoints(kernelGradient, to: &gradients) }
        return (loss, gradients)
    }

    @Test(arguments: [HeadKind.glu, .bilinear])
    func sharedKernelGradientEqualsEachPartsOwnAdjoint(head: HeadKind) throws {
        let model = try Self.model(head: head)
        let parts = split([0, 1, 2, 3, 4][...], parts: 2)                    // [0, 1] (length 9), [2, 3, 4] (length 7)
        let own = try Self.batchGradient(model, parts: parts, shared: false)
        let shared = try Self.batchGradient(model, parts: parts, shared: true)
        #expect(abs(own.loss - shared.loss) <= 1e-14 * abs(own.loss))
        for (p, q) in zip(own.gradients.parameters, shared.gradients.parameters) {
            let scale = max(maxAbs(p.values), 1e-300)
            #expect(maxAbsDiff(p.values, q.values) <= 1e-12 * scale, "\(p.name): \(maxAbsDiff(p.values, q.values)) of \(scale)")
        }
        // The kernel parameters' gradients are really there (not two zeros agreeing).
        #expect(maxAbs(try shared.gradients.values(S4ModelKeys.block(0).aImag)) > 1e-4)
    }

    @Test func oneSharedPartIsBitIdenticalToItsOwnKernel() throws {
        // The trainer's one-part batches (--threads 1, BatchNorm): K at the part's own length, ∂L/∂K times 1.
        let model = try Self.model(head: .glu)
        let parts = [[4, 2, 0][...]]
        let own = try Self.batchGradient(model, parts: parts, shared: false)
        let shared = try Self.batchGradient(model, parts: parts, shared: true)
        #expect(own.loss == shared.loss && own.gradients == shared.gradients)
    }

    @Test func sharedKernelGradientMatchesFiniteDifferences() throws {
        let model = try Self.model(head: .glu)
        let parts = split([0, 1, 2, 3, 4][...], parts: 2)
        let analytic = try Self.batchGradient(model, parts: parts, shared: true).gradients
        for i in 0..<2 {
            let k = S4ModelKeys.block(i)
            for name in [k.logDt, k.c, k.logAReal, k.aImag, k.d, k.outputWeight] {
                let fd = try numericalGradient(try model.parameters.values(name)) { v in
                    var m = model
                    try m.parameters.setValues(name, v)
                    return try Self.batchGradient(m, parts: parts, shared: false).loss
                }
                let err = relativeError(try analytic.values(name), fd)
                #expect(err <= 1e-6, "\(name): relative error \(err)")
            }
        }
    }

    @Test func aKernelThatCannotBeEvaluatedFailsThePartsThatUseIt() throws {
        // Δ = exp(log Δ) overflows to +∞: the error of the one evaluation reaches every part, as its own would have.
        var model = try Self.model(head: .glu)
        try model.parameters.setValues(S4ModelKeys.block(1).logDt, [0.1, 800, 0.5])
        let kernels = model.sharedKernels(length: 9)
        #expect(try kernels.evaluation(0) != nil)
        let batch = Self.source.batch([0, 1][...])
        var g = SeededGenerator(seed: 1)
        #expect(throws: ModelError.self) {
            try model.trainingPass(inputs: batch.inputs, batch: batch.batch, length: batch.length, lengths: batch.lengths,
                                   labels: batch.labels, training: true, generator: &g, kernels: kernels)
        }
    }

    @Test func otherCoresDoNotShare() throws {
        let config = S4ModelConfiguration(core: .s5, dInput: 2, dModel: 3, dState: 4, layers: 2, classes: 3, dropout: 0)
        let model = try S4Model(configuration: config, seed: 2)
        #expect(model.sharedKernels(length: 9).layers.allSatisfy { $0 == nil })
    }

    @Test func aRunIsAFunctionOfSeedAndThreads() throws {
        // Parts of different padded lengths (3…9) and the default Float blocks: two runs with 3 threads agree bit for bit.
        let config = S4ModelConfiguration(dInput: 2, dModel: 4, dState: 4, layers: 2, classes: 3, dropout: 0.1)
        let data = TrainingData(train: Self.source, validation: nil, classNames: ["a", "b", "c"])
        let options = TrainingOptions(epochs: 2, batchSize: 5, validationFraction: 0, seed: 3, threads: 3)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("phasor-kshare-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try Trainer.train(configuration: config, options: options, data: data, output: dir + "/a.safetensors")
        let b = try Trainer.train(configuration: config, options: options, data: data, output: dir + "/b.safetensors")
        #expect(a.last.parameters == b.last.parameters)
        #expect(a.history.map(\.trainLoss) == b.history.map(\.trainLoss))
    }
}
