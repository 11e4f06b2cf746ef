// The backward passes of the cores and of the head run as parts (BlockExecution.swift, Cores/) against central finite
// differences in Double, the whole classifier of each core likewise, and the parts path against the fused S4D block.
import Foundation
import PhasorNumerics
import Testing
@testable import PhasorModels

/// A small random S6 layer (Δ of order 0.1–1, so every term of the scan matters).
func randomSelective(channels h: Int, states n: Int, rank r: Int, seed: UInt64) throws -> SelectiveLayer {
    var g = SeededGenerator(seed: seed)
    var layer = try SelectiveLayer(channels: h, states: n, dtRank: r, generator: &g)
    layer.aLog = layer.aLog.map { $0 + 0.3 * g.normal() }
    layer.d = layer.d.map { $0 + 0.5 * g.normal() }
    layer.dtProjBias = (0..<h).map { _ in -1 + g.normal() }
    return layer
}

/// A small random LinOSS layer with one relu-clamped oscillator (A_diag < 0: the Jordan block [1 0; Δ 1]).
func randomLinOSS(channels h: Int, oscillators p: Int, scheme: LinOSSScheme, seed: UInt64) throws -> LinOSSLayer {
    var g = SeededGenerator(seed: seed)
    var layer = try LinOSSLayer(channels: h, oscillators: p, scheme: scheme, generator: &g)
    layer.aDiag = layer.aDiag.map { 0.2 + 2 * $0 }
    layer.aDiag[1] = -0.3
    return layer
}

/// Each parameter array's analytic gradient against central differences of `f` at `base` (≤ 1e-6 relative).
func checkGradients<T>(_ base: T, _ f: (T) throws -> Double,
                       _ cases: [(values: [Double], analytic: [Double], set: (inout T, [Double]) -> Void)]) throws {
    for c in cases {
        let fd = try numericalGradient(c.values) { v in var t = base; c.set(&t, v); return try f(t) }
        #expect(relativeError(c.analytic, fd) <= 1e-6)
    }
}

@Suite struct CoreGradientTests {
    @Test(arguments: LinOSSScheme.allCases)
    func linossBatchedForwardIsTheLayersRecurrence(scheme: LinOSSScheme) throws {
        // The batched core (real 2×2 recurrences, BLAS products) against LinOSSLayer.forward (complex, per oscillator,
        // written from the update equations) and the convolution with the layer's kernel.
        let B = 2, H = 3, L = 70
        let layer = try randomLinOSS(channels: H, oscillators: 5, scheme: scheme, seed: 1)
        let u = randomVector(B * H * L, seed: 2)
        let (y, _) = try layer.forward(batch: u, count: B, length: L)
        for b in 0..<B {
            let ub = Array(u[(b * H * L) ..< ((b + 1) * H * L)]), yb = Array(y[(b * H * L) ..< ((b + 1) * H * L)])
            #expect(relativeError(yb, try layer.forward(ub, length: L)) <= 1e-12)
            #expect(relativeError(yb, try layer.forwardConvolution(ub, length: L, direct: true)) <= 1e-12)
        }
    }

    @Test(arguments: LinOSSScheme.allCases)
    func linossCoreBackward(scheme: LinOSSScheme) throws {
        let B = 2, H = 3, P = 4, L = 9
        let layer = try randomLinOSS(channels: H, oscillators: P, scheme: scheme, seed: 3)
        let u = randomVector(B * H * L, seed: 6), g = randomVector(B * H * L, seed: 7)
        let (_, tape) = try layer.forward(batch: u, count: B, length: L)
        let (du, grad) = try layer.backward(tape, outputGradient: g)
        func f(_ l: LinOSSLayer, _ x: [Double]) throws -> Double { dot(try l.forward(batch: x, count: B, length: L).0, g) }
        #expect(relativeError(du, try numericalGradient(u) { try f(layer, $0) }) <= 1e-6)
        #expect(grad.aDiag[1] == 0)                                           // the clamped oscillator (relu)
        let pairs = LinOSSLayout.pairs
        try checkGradients(layer, { try f($0, u) }, [
            (layer.aDiag, grad.aDiag, { $0.aDiag = $1 }), (layer.steps, grad.steps, { $0.steps = $1 }),
            (layer.d, grad.d, { $0.d = $1 }),
            (pairs(layer.b), pairs(grad.b), { $0.b = LinOSSLayout.complex($1) }),
            (pairs(layer.c), pairs(grad.c), { $0.c = LinOSSLayout.complex($1) }),
        ])
    }

    @Test(arguments: [CoreKind.linossIM, .linossIMEX], [false, true])
    func wholeLinOSSClassifier(core: CoreKind, training: Bool) throws {
        // training: BatchNorm with the batch's statistics over the valid positions; otherwise the running ones
        let config = S4ModelConfiguration(dInput: 2, dModel: 4, dState: 3, layers: 2, classes: 3, prenorm: true,
                                          dropout: 0.25, core: core)
        var model = try S4Model(configuration: config, seed: 8)
        for i in 0..<2 {   // non-trivial running statistics and the clamped oscillator
            var block = model.block(i)
            block.core = .linoss(try randomLinOSS(channels: 4, oscillators: 3, scheme: core.linossScheme!, seed: UInt64(30 + i)))
            block.norm = .batch(try BatchNormParameters(weight: [1, 1, 1, 1], bias: [0, 0, 0, 0], runningMean: [0.3, -0.2, 0.1, 0],
                                                        runningVariance: [0.5, 2, 1.5, 0.8], batchesTracked: 0))
            try model.setBlock(i, block)
        }
        try Self.checkWholeModel(model, training: training)
    }

    @Test func pooledStatisticsAreTheWholeBatchs() throws {
        let H = 3, L = 6, lengths = [6, 2, 4, 5]
        let x = randomVector(4 * H * L, seed: 1), ones = [Double](repeating: 1, count: H), zeros = [Double](repeating: 0, count: H)
        let whole = try BatchNorm.forward(x, weight: ones, bias: zeros, batch: 4, channels: H, length: L, lengths: lengths).2
        let a = try BatchNorm.forward(Array(x[0 ..< H * L]), weight: ones, bias: zeros, batch: 1, channels: H, length: L,
                                      lengths: [6]).2
        let b = try BatchNorm.forward(Array(x[H * L ..< 4 * H * L]), weight: ones, bias: zeros, batch: 3, channels: H,
                                      length: L, lengths: [2, 4, 5]).2
        let pooled = try #require(BatchNorm.Statistics.pooled([a, b]))
        #expect(pooled.count == whole.count && maxAbsDiff(pooled.mean, whole.mean) <= 1e-15
                && maxAbsDiff(pooled.variance, whole.variance) <= 1e-14)
    }

    @Test func s6CoreBackward() throws {
        let B = 2, H = 3, N = 4, R = 2, L = 9
        let layer = try randomSelective(channels: H, states: N, rank: R, seed: 5)
        let u = randomVector(B * H * L, seed: 6), g = randomVector(B * H * L, seed: 7)
        let (_, tape) = try layer.forward(batch: u, count: B, length: L)
        let (du, grad) = try layer.backward(tape, outputGradient: g)
        func f(_ l: SelectiveLayer, _ x: [Double]) throws -> Double { dot(try l.forward(batch: x, count: B, length: L).0, g) }
        #expect(relativeError(du, try numericalGradient(u) { try f(layer, $0) }) <= 1e-6)
        try checkGradients(layer, { try f($0, u) }, [
            (layer.aLog, grad.aLog, { $0.aLog = $1 }), (layer.d, grad.d, { $0.d = $1 }),
            (layer.xProjWeight, grad.xProjWeight, { $0.xProjWeight = $1 }),
            (layer.dtProjWeight, grad.dtProjWeight, { $0.dtProjWeight = $1 }),
            (layer.dtProjBias, grad.dtProjBias, { $0.dtProjBias = $1 }),
        ])
    }

    @Test(arguments: GELUForm.allCases, [false, true])
    func headBackward(gelu: GELUForm, withDropout: Bool) throws {
        let B = 2, H = 3, L = 5
        let head = try GatedGELUHead(channels: H, weight: randomVector(2 * H * H, seed: 1), bias: randomVector(2 * H, seed: 2),
                                     gelu: gelu)
        let y = randomVector(B * H * L, seed: 3, scale: 2), g = randomVector(B * H * L, seed: 4)
        let mask: [Double]? = withDropout ? [2, 0, 2, 2, 2, 0] : nil
        let (_, tape) = try head.forwardTape(y, batch: B, length: L, mask: mask, pointwise: nil)
        let (dy, grad) = try head.backward(tape, outputGradient: g, batch: B, length: L)
        func f(_ h: GatedGELUHead, _ x: [Double]) throws -> Double {
            dot(try h.forwardTape(x, batch: B, length: L, mask: mask, pointwise: nil).0, g)
        }
        #expect(relativeError(dy, try numericalGradient(y) { try f(head, $0) }) <= 1e-6)
        #expect(relativeError(grad.weight, try numericalGradient(head.weight) { w in var h = head; h.weight = w; return try f(h, y) }) <= 1e-6)
        #expect(relativeError(grad.bias, try numericalGradient(head.bias) { b in var h = head; h.bias = b; return try f(h, y) }) <= 1e-6)
    }

    @Test func geluTanhIsJAXsFormAndItsDerivative() {
        // jax.nn.gelu(x, approximate=True) in float64 (JAX 0.10.2), printed with repr.
        for (x, v) in [(-3.0, -0.003637392081773161), (-0.5, -0.15428599017485609), (0.7, 0.5305701347051167),
                       (2.5, 2.4849157339100016)] {
            #expect(abs(GELUTanh.value(x) - v) <= 4e-16 * max(1, abs(v)))
        }
        let xs = stride(from: -6.0, through: 6.0, by: 0.37).map { $0 }
        let fd = xs.map { x in numericalGradient([x]) { GELUTanh.value($0[0]) }[0] }
        #expect(relativeError(xs.map(GELUTanh.derivative), fd) <= 1e-9)
        #expect(GELUTanh.value(1e200) == 1e200 && GELUTanh.value(-1e200) == 0 && GELUTanh.derivative(-1e200) == 0)
    }

    /// Every parameter gradient of a whole classifier against finite differences of its loss (running statistics
    /// excepted: buffers, reported with gradient 0) (`step`: the
    /// differences' step; 3e-4 where the loss curves fast, e.g. the S6 model's through Δ = softplus(·)).
    static func checkWholeModel(_ model: S4Model, training: Bool, lengths: [Int] = [7, 4, 1], step: Double = 1e-3) throws {
        let B = 3, L = 7, d = model.configuration.dInput
        let x = randomVector(B * L * d, seed: 12), labels = [2, 0, 1]
        var gen = SeededGenerator(seed: 99)
        let (loss, _, grads) = try model.lossAndGradients(inputs: x, batch: B, length: L, lengths: lengths, labels: labels,
                                                          training: training, generator: &gen)
        for p in model.parameters.parameters {
            if model.isStatistic(p.name) {                        // a buffer: never stepped, its gradient is 0
                #expect(try grads.values(p.name).allSatisfy { $0 == 0 })
                continue
            }
            let fd = try numericalGradient(p.values, step: step) { v in
                var m = model
                try m.parameters.setValues(p.name, v)
                var g2 = SeededGenerator(seed: 99)                // the same dropout masks
                return try m.lossAndGradients(inputs: x, batch: B, length: L, lengths: lengths, labels: labels,
                                              training: training, generator: &g2).loss
            }
            let err = relativeError(try grads.values(p.name), fd)
            #expect(err <= 1e-6, "\(p.name): relative error \(err)")
        }
        #expect(loss.isFinite && loss > 0)
    }

    @Test(arguments: [false, true])
    func wholeS6Classifier(training: Bool) throws {
        let config = S4ModelConfiguration(dInput: 2, dModel: 4, dState: 3, layers: 2, classes: 3, prenorm: true,
                                          dropout: 0.25, core: .s6, dtRank: 2)
        var model = try S4Model(configuration: config, seed: 8)
        for i in 0..<2 {   // Δ of order 0.3 instead of the initial 0.001–0.1, so that ∂L/∂A_log is not at round-off level
            var block = model.block(i)
            block.core = .s6(try randomSelective(channels: 4, states: 3, rank: 2, seed: UInt64(20 + i)))
            try model.setBlock(i, block)
        }
        try Self.checkWholeModel(model, training: training, step: 3e-4)
    }

    @Test func partsEqualTheFusedS4DBlock() throws {
        // The same S4D block run fused (S4DLayer) and as core then head: outputs and every gradient agree.
        let B = 2, H = 3, L = 40
        let layer = try randomLayer(channels: H, state: 6, initialisation: .lin, method: .zoh, seed: 3)
        let block = ResidualBlock(norm: .layer(try LayerNormParameters(weight: [1, 1, 1], bias: [0, 0, 0])),
                                  core: .s4d(layer.core), head: .gatedGELU(layer.head))
        let u = randomVector(B * H * L, seed: 1), g = randomVector(B * H * L, seed: 2), mask = [2.0, 0, 2, 2, 2, 2]
        let (fusedOut, fusedTape) = try layer.forwardTape(input: u, batch: B, length: L, mask: mask)
        let (fusedIn, fusedGrads) = layer.backward(fusedTape, outputGradient: g)
        let (out, tape) = try block.forwardCoreHead(u, batch: B, length: L, mask: mask, pointwise: nil)
        let (din, core, head) = try block.backwardCoreHead(tape, outputGradient: g)
        let parts = try layer.gradientParts(fusedGrads)
        #expect(maxAbsDiff(out, fusedOut) <= 1e-12 && maxAbsDiff(din, fusedIn) <= 1e-12)
        let (c, f) = (try #require(core.s4d), try #require(parts.core.s4d))
        #expect(maxAbsDiff(c.kernel.C + c.kernel.logDt + c.kernel.logAReal + c.kernel.AImag + c.D,
                           f.kernel.C + f.kernel.logDt + f.kernel.logAReal + f.kernel.AImag + f.D) <= 1e-11)
        #expect(maxAbsDiff(head.gatedGELU.weight + head.gatedGELU.bias,
                           parts.head.gatedGELU.weight + parts.head.gatedGELU.bias) <= 1e-11)
    }
}
