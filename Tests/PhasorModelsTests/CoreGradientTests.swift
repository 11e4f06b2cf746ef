// The LinOSS and S6 cores on a batch (Cores/LinOSSCore.swift, Cores/S6Core.swift): the batched LinOSS forward against
// the layer's own per-oscillator complex recurrence and its convolution (independent code, incl. a relu-clamped
// oscillator), and both cores' hand-written backward against central finite differences in Double; the tanh GELU
// against JAX's own values. (The whole classifiers' backward: ReferenceGradientTests.)
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
        let B = 2, H = 3, L = 70
        let layer = try randomLinOSS(channels: H, oscillators: 5, scheme: scheme, seed: 1)
        let u = randomVector(B * H * L, seed: 2)
        let (y, _) = try layer.forwardTape(u, batch: B, length: L)
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
        let (_, tape) = try layer.forwardTape(u, batch: B, length: L)
        let (du, grad) = try layer.backward(tape, outputGradient: g)
        func f(_ l: LinOSSLayer, _ x: [Double]) throws -> Double { dot(try l.forwardTape(x, batch: B, length: L).0, g) }
        #expect(relativeError(du, try numericalGradient(u) { try f(layer, $0) }) <= 1e-6)
        #expect(grad.aDiag[1] == 0)                                           // the clamped oscillator (relu)
        try checkGradients(layer, { try f($0, u) }, [
            (layer.aDiag, grad.aDiag, { $0.aDiag = $1 }), (layer.steps, grad.steps, { $0.steps = $1 }),
            (layer.d, grad.d, { $0.d = $1 }),
            (interleaved(layer.b), interleaved(grad.b), { $0.b = complex($1) }),
            (interleaved(layer.c), interleaved(grad.c), { $0.c = complex($1) }),
        ])
    }

    @Test func s6CoreBackward() throws {
        let B = 2, H = 3, N = 4, R = 2, L = 9
        let layer = try randomSelective(channels: H, states: N, rank: R, seed: 5)
        let u = randomVector(B * H * L, seed: 6), g = randomVector(B * H * L, seed: 7)
        let (_, tape) = try layer.forwardTape(u, batch: B, length: L)
        let (du, grad) = try layer.backward(tape, outputGradient: g)
        func f(_ l: SelectiveLayer, _ x: [Double]) throws -> Double { dot(try l.forwardTape(x, batch: B, length: L).0, g) }
        #expect(relativeError(du, try numericalGradient(u) { try f(layer, $0) }) <= 1e-6)
        try checkGradients(layer, { try f($0, u) }, [
            (layer.aLog, grad.aLog, { $0.aLog = $1 }), (layer.d, grad.d, { $0.d = $1 }),
            (layer.xProjWeight, grad.xProjWeight, { $0.xProjWeight = $1 }),
            (layer.dtProjWeight, grad.dtProjWeight, { $0.dtProjWeight = $1 }),
            (layer.dtProjBias, grad.dtProjBias, { $0.dtProjBias = $1 }),
        ])
    }

    @Test func geluTanhIsJAXsForm() {
        // jax.nn.gelu(x, approximate=True) in float64 (JAX 0.10.2), printed with repr.
        for (x, v) in [(-3.0, -0.003637392081773161), (-0.5, -0.15428599017485609), (0.7, 0.5305701347051167),
                       (2.5, 2.4849157339100016)] {
            #expect(abs(GELUTanh.value(x) - v) <= 4e-16 * max(1, abs(v)))
        }
    }
}
