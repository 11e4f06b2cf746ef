// The hand-written backward pass of the S5, LRU, LinOSS (IM, IMEX) and S6 classifiers (every core variant,
// activation, pooling and norm placement) against central finite differences of the loss, for every parameter tensor — with dropout (the masks
// are a function of the generator's seed, so every evaluation draws the same ones) and padded sequences.
import Foundation
import Testing
@testable import PhasorModels
import PhasorNumerics

@Suite struct ReferenceGradientTests {
    /// A small model with every parameter moved off its initial value (no bias 0, no norm scale 1, no two Λ alike).
    static func model(_ c: S4ModelConfiguration, seed: UInt64, clipOne: Bool = false) throws -> S4Model {
        var m = try S4Model(configuration: c, seed: seed)
        var g = SeededGenerator(seed: seed &+ 99)
        var params = m.parameters
        for p in params.parameters {
            // log_step + 2.5: steps Δ ~ 0.1…1, so that Λ moves the loss well above the differences' round-off (S6's
            // dt_proj.bias likewise: Δ = softplus(b) ~ 0.1…0.7 instead of the initial 0.001…0.1)
            let shift = p.name.hasSuffix(".log_step") ? 2.5 : (p.name.hasSuffix(".dt_proj.bias") ? 3.5 : 0)
            try params.setValues(p.name, p.values.map { $0 + shift + 0.2 * g.normal() })
        }
        if clipOne, let key = params.names.first(where: { $0.hasSuffix(".Lambda_re") }) {
            var v = try params.values(key); v[0] = 0.05                                   // clip_eigs clips it
            try params.setValues(key, v)
        }
        if let key = params.names.first(where: { $0.hasSuffix(".A_diag") }) {
            var v = try params.values(key); v[1] = -0.3                                   // LinOSS: relu clamps it (A = 0)
            try params.setValues(key, v)
        }
        m = try S4Model(configuration: c, parameters: params)
        return m
    }

    static func check(_ m: S4Model, lengths: [Int]? = nil, dropout: Bool = false, step: Double = 1e-3) throws {
        let c = m.configuration, B = 2, L = 7
        let x = randomVector(B * L * c.dInput, seed: 5), labels = [1, 0]
        func loss(_ model: S4Model) throws -> Double {
            var g = SeededGenerator(seed: 17)
            return try model.lossAndGradients(inputs: x, batch: B, length: L, lengths: lengths, labels: labels,
                                              training: dropout, generator: &g).loss
        }
        var g = SeededGenerator(seed: 17)
        let analytic = try m.lossAndGradients(inputs: x, batch: B, length: L, lengths: lengths, labels: labels,
                                              training: dropout, generator: &g).gradients
        for p in m.parameters.parameters where !S4ModelConfiguration.isBuffer(p.name) {   // buffers: no gradient
            let fd = try numericalGradient(p.values, step: step) { v in
                var params = m.parameters
                try params.setValues(p.name, v)
                return try loss(try S4Model(configuration: c, parameters: params))
            }
            let err = relativeError(try analytic.values(p.name), fd)
            #expect(err <= 1e-6, "\(p.name): relative error \(err)")
        }
    }

    static func s5(_ skeleton: ReferenceSkeleton = .s5Flax, head: HeadKind, norm: NormKind = .layer, pooling: Pooling = .mean,
                   prenorm: Bool = true, discretization: Discretization = .zoh, conj: Bool = true, clip: Bool = false,
                   bidirectional: Bool = false, cInit: S5CInit = .truncStandardNormal) -> S4ModelConfiguration {
        S4ModelConfiguration(core: .s5, skeleton: skeleton, dInput: 2, dModel: 3, dState: 4, layers: 2, classes: 3,
                             prenorm: prenorm, dropout: 0.3, head: head, norm: norm, pooling: pooling,
                             discretization: discretization,
                             s5: S5Options(conjugateSymmetric: conj, clipEigenvalues: clip, bidirectional: bidirectional,
                                           stepRescale: 0.7, blocks: 2, cInit: cInit))
    }

    @Test(arguments: ReferenceSkeleton.s5Flax.heads)
    func s5Activations(head: HeadKind) throws {
        try Self.check(try Self.model(Self.s5(head: head), seed: 1))
    }

    @Test func s5PostnormLastBilinearNoConjugatesClipped() throws {
        let c = Self.s5(head: .glu, pooling: .last, prenorm: false, discretization: .bilinear, conj: false, clip: true)
        try Self.check(try Self.model(c, seed: 2, clipOne: true), lengths: [7, 5], dropout: true)
    }

    @Test(arguments: [S5CInit.lecunNormal, .complexNormal])
    func s5BidirectionalPaddedBatchNorm(cInit: S5CInit) throws {
        let c = Self.s5(head: .halfGLU2, norm: .batch, prenorm: false, bidirectional: true, cInit: cInit)
        try Self.check(try Self.model(c, seed: 3), lengths: [5, 7], dropout: true)
    }

    /// The LinOSS repository's block: BatchNorm without scale and bias, GLU of two maps, pre-norm.
    @Test func s5LinOSSRepository() throws {
        try Self.check(try Self.model(Self.s5(.linossRepo, head: .glu, norm: .batch, clip: true), seed: 5, clipOne: true),
                       dropout: true)
    }

    @Test(arguments: [ReferenceSkeleton.minimalLRU, .linossRepo])
    func lru(skeleton: ReferenceSkeleton) throws {
        let c = S4ModelConfiguration(core: .lru, skeleton: skeleton, dInput: 2, dModel: 3, dState: 4, layers: 2, classes: 3,
                                     dropout: 0.3, norm: skeleton == .minimalLRU ? .layer : .batch,
                                     pooling: skeleton == .minimalLRU ? .last : .mean,
                                     lru: LRUOptions(rMin: 0.4, rMax: 0.9, maxPhase: 3))
        try Self.check(try Self.model(c, seed: 4), lengths: skeleton == .minimalLRU ? [6, 7] : nil, dropout: true)
    }

    /// LinOSS in the LinOSS repository's block (BatchNorm without scale or bias, GELU tanh, GLU of two maps), with a
    /// relu-clamped oscillator (a Jordan block: ∂A_diag = 0 there), in training (batch statistics) and evaluation.
    @Test(arguments: [CoreKind.linossIM, .linossIMEX], [false, true])
    func linoss(core: CoreKind, training: Bool) throws {
        let c = S4ModelConfiguration(core: core, dInput: 2, dModel: 3, dState: 4, layers: 2, classes: 3, dropout: 0.3)
        try Self.check(try Self.model(c, seed: 6), lengths: training ? [7, 5] : nil, dropout: training)
    }

    /// log-neural-cdes' S6 block (LayerNorm, GELU erf, one H → 2H map); the loss curves fast through Δ = softplus(·),
    /// so the differences take a smaller step.
    @Test(arguments: [false, true])
    func s6(training: Bool) throws {
        let c = S4ModelConfiguration(core: .s6, dInput: 2, dModel: 4, dState: 3, layers: 2, classes: 3, dropout: 0.3, dtRank: 2)
        try Self.check(try Self.model(c, seed: 8), lengths: [7, 4], dropout: training, step: 3e-4)
    }
}

/// The model's batched scans against the layers' own per-sample recurrences and convolutions (independent code).
@Suite struct CoreScanTests {
    @Test(arguments: [false, true])
    func s5ScanEqualsRecurrenceAndConvolution(bidirectional: Bool) throws {
        var g = SeededGenerator(seed: 31)
        let layer = try S5Layer(channels: 3, stateSize: 6, blocks: 3, cInit: .lecunNormal, bidirectional: bidirectional,
                                discretization: .bilinear, stepRescale: 2, generator: &g)
        let B = 2, H = 3, L = 40, lengths = [40, 29]
        let u = randomVector(B * H * L, seed: 32)
        let y = try SequenceCore.s5(layer).output(u, batch: B, length: L, lengths: lengths)
        for b in 0..<B {
            let n = lengths[b]
            let sample = (0..<(H * n)).map { u[(b * H + $0 / n) * L + $0 % n] }          // the valid prefix
            let rec = try layer.forward(sample, length: n), conv = try layer.forwardConvolution(sample, length: n, direct: true)
            let mine = (0..<(H * n)).map { y[(b * H + $0 / n) * L + $0 % n] }
            #expect(ArchitectureFixture.relativeError(mine, rec) <= 1e-12)
            #expect(ArchitectureFixture.relativeError(mine, conv) <= 1e-12)
        }
    }

    @Test func lruScanEqualsRecurrence() throws {
        var g = SeededGenerator(seed: 33)
        let layer = try LRULayer(channels: 3, states: 5, rMin: 0.5, rMax: 0.99, maxPhase: 6.28, generator: &g)
        let B = 2, H = 3, L = 30
        let u = randomVector(B * H * L, seed: 34)
        let y = try SequenceCore.lru(layer).output(u, batch: B, length: L)
        for b in 0..<B {
            let slice = Array(u[b * H * L ..< (b + 1) * H * L])
            #expect(ArchitectureFixture.relativeError(Array(y[b * H * L ..< (b + 1) * H * L]), try layer.forward(slice, length: L)) <= 1e-12)
        }
    }
}

/// Each core's own backward (∂L/∂u and its parameters) against central differences of L = ⟨core(u), r⟩ — including
/// the S4D core run part by part (with a head other than example.py's) and a padded bidirectional S5.
@Suite struct CoreBackwardTests {
    static func cores() throws -> [SequenceCore] {
        var g = SeededGenerator(seed: 51)
        var kernel = try S4DKernelParameters(channels: 2, state: 4, initialisation: .lin, generator: &g)
        kernel.logDt = [Foundation.log(0.2), Foundation.log(0.7)]
        let s4d = try S4DCore(kernel: kernel, D: [0.3, -0.8], discretization: .bilinear)
        var s5 = try S5Layer(channels: 2, stateSize: 4, bidirectional: true, stepRescale: 5, generator: &g)
        s5.logStep = s5.logStep.map { $0 + 1 }
        let lru = try LRULayer(channels: 2, states: 3, rMin: 0.5, rMax: 0.95, maxPhase: 3, generator: &g)
        return [.s4d(s4d), .s5(s5), .lru(lru)]
    }

    @Test(arguments: 0..<3)
    func coreBackward(_ k: Int) throws {
        let core = try Self.cores()[k]
        let B = 2, H = 2, L = 9, lengths = [9, 6]
        let u = randomVector(B * H * L, seed: 52), r = randomVector(B * H * L, seed: 53)
        let (_, tape) = try core.forwardTape(u, batch: B, length: L, lengths: lengths)
        let (du, grads) = try core.backward(tape, input: u, outputGradient: r, batch: B, length: L, lengths: lengths)
        func loss(_ c: SequenceCore, _ x: [Double]) throws -> Double { dot(try c.forwardTape(x, batch: B, length: L, lengths: lengths).0, r) }
        #expect(relativeError(du, try numericalGradient(u) { try loss(core, $0) }) <= 1e-6)
        // the parameters, through the model layout of each core's tensors
        func check(_ values: [Double], _ grad: [Double], _ set: @escaping ([Double]) throws -> SequenceCore) throws {
            #expect(relativeError(grad, try numericalGradient(values) { try loss(try set($0), u) }) <= 1e-6)
        }
        switch (core, grads) {
        case let (.s4d(c), .s4d(gc)):
            try check(c.kernel.logDt, gc.kernel.logDt) { var x = c; x.kernel.logDt = $0; return .s4d(x) }
            try check(c.kernel.C, gc.kernel.C) { var x = c; x.kernel.C = $0; return .s4d(x) }
            try check(c.kernel.AImag, gc.kernel.AImag) { var x = c; x.kernel.AImag = $0; return .s4d(x) }
            try check(c.D, gc.D) { var x = c; x.D = $0; return .s4d(x) }
        case let (.s5(c), .s5(gc)):
            try check(c.lambdaRe, gc.lambdaRe) { var x = c; x.lambdaRe = $0; return .s5(x) }
            try check(c.lambdaIm, gc.lambdaIm) { var x = c; x.lambdaIm = $0; return .s5(x) }
            try check(c.logStep, gc.logStep) { var x = c; x.logStep = $0; return .s5(x) }
            try check(interleavedValues(c.b), interleavedValues(gc.b)) { var x = c; x.b = complexValues($0); return .s5(x) }
            try check(interleavedValues(c.cReverse!), interleavedValues(gc.cReverse!)) { var x = c; x.cReverse = complexValues($0); return .s5(x) }
        case let (.lru(c), .lru(gc)):
            try check(c.nuLog, gc.nuLog) { var x = c; x.nuLog = $0; return .lru(x) }
            try check(c.thetaLog, gc.thetaLog) { var x = c; x.thetaLog = $0; return .lru(x) }
            try check(c.gammaLog, gc.gammaLog) { var x = c; x.gammaLog = $0; return .lru(x) }
            try check(interleavedValues(c.c), interleavedValues(gc.c)) { var x = c; x.c = complexValues($0); return .lru(x) }
        default:
            Issue.record("a core's gradient is a core of the same kind")
        }
    }
}

func interleavedValues(_ z: [Complex<Double>]) -> [Double] { z.flatMap { [$0.real, $0.imaginary] } }
func complexValues(_ v: [Double]) -> [Complex<Double>] { (0..<(v.count / 2)).map { Complex(v[2 * $0], v[2 * $0 + 1]) } }
