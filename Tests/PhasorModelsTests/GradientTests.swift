// Every backward pass against central finite differences in Double: ∂f/∂θ_i ≈ (f(θ+h e_i) − f(θ−h e_i))/(2h).
import Foundation
import Testing
@testable import PhasorModels
import PhasorNumerics

/// Central differences with one Richardson step: D(h) = (f(x+h) − f(x−h))/2h, ∂f ≈ (4·D(h/2) − D(h))/3, whose
/// truncation error is O(h⁴) — at h = 1e-3 both it and the round-off (~ε/h) sit far below the 1e-6 tolerance.
func numericalGradient(_ x: [Double], step: Double = 1e-3, _ f: ([Double]) throws -> Double) rethrows -> [Double] {
    var g = [Double](repeating: 0, count: x.count)
    var y = x
    func central(_ i: Int, _ h: Double) throws -> Double {
        y[i] = x[i] + h; let fp = try f(y)
        y[i] = x[i] - h; let fm = try f(y)
        y[i] = x[i]
        return (fp - fm) / (2 * h)
    }
    for i in 0..<x.count {
        let coarse = try central(i, step), fine = try central(i, step / 2)
        g[i] = (4 * fine - coarse) / 3
    }
    return g
}

/// Largest relative error max_i |a_i − b_i| / max(|a_i|, |b_i|, 1e-3·max_j |b_j|, 1e-9): elements a thousand times
/// smaller than the tensor's largest (e.g. a channel that dropout switched off, where central differences only see
/// round-off ~1e-11) are compared at a thousandth of the tensor's scale.
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    let floor = max(1e-3 * maxAbs(b), 1e-9)
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1) / max(abs($1.0), abs($1.1), floor)) }
}

func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

func randomVector(_ n: Int, seed: UInt64, scale: Double = 1) -> [Double] {
    var g = SeededGenerator(seed: seed)
    return (0..<n).map { _ in scale * g.normal() }
}

@Suite struct GradientTests {
    @Test(arguments: Discretization.allCases, S4DInit.allCases)
    func kernelBackward(method: Discretization, initialisation: S4DInit) throws {
        var layer = try randomLayer(channels: 2, state: 6, initialisation: initialisation, method: method, seed: 21)
        layer.kernel.logDt = [Foundation.log(0.05), Foundation.log(0.3)]     // Δλ of order 1: every term matters
        let L = 23
        let r = randomVector(2 * L, seed: 4)
        let kp = layer.kernel
        func loss(_ k: S4DKernelParameters) throws -> Double { dot(try k.discretised(method).kernel(length: L), r) }
        let analytic = kp.backward(kernelGradient: r, length: L, discrete: try kp.discretised(method))
        func check(_ values: [Double], _ grad: [Double], _ set: (inout S4DKernelParameters, [Double]) -> Void) throws {
            let fd = try numericalGradient(values) { v in var k = kp; set(&k, v); return try loss(k) }
            #expect(relativeError(grad, fd) <= 1e-6)
        }
        try check(kp.logDt, analytic.logDt) { $0.logDt = $1 }
        try check(kp.C, analytic.C) { $0.C = $1 }
        try check(kp.logAReal, analytic.logAReal) { $0.logAReal = $1 }
        try check(kp.AImag, analytic.AImag) { $0.AImag = $1 }
    }

    @Test func convolutionBackward() throws {
        let B = 2, H = 2, L = 9
        let k = randomVector(H * L, seed: 1), u = randomVector(B * H * L, seed: 2), g = randomVector(B * H * L, seed: 3)
        let du = CausalConvolution.inputGradient(kernel: k, outputGradient: g, batch: B, channels: H, length: L)
        let dk = CausalConvolution.kernelGradient(input: u, outputGradient: g, batch: B, channels: H, length: L)
        let fdU = numericalGradient(u) { dot(CausalConvolution.direct(kernel: k, input: $0, batch: B, channels: H, length: L), g) }
        let fdK = numericalGradient(k) { dot(CausalConvolution.direct(kernel: $0, input: u, batch: B, channels: H, length: L), g) }
        #expect(relativeError(du, fdU) <= 1e-6)
        #expect(relativeError(dk, fdK) <= 1e-6)
    }

    @Test(arguments: [32, 33, 97, 256, 1000])
    func spectralConvolutionEqualsDirect(length L: Int) throws {
        let B = 2, H = 3
        let k = randomVector(H * L, seed: 1), u = randomVector(B * H * L, seed: 2), g = randomVector(B * H * L, seed: 3)
        let tol = 1e-12 * Double(L).squareRoot()
        let y = CausalConvolution.forward(kernel: k, input: u, batch: B, channels: H, length: L)
        #expect(maxAbsDiff(y, CausalConvolution.direct(kernel: k, input: u, batch: B, channels: H, length: L)) <= tol)
        let both = CausalConvolution.backward(kernel: k, input: u, outputGradient: g, batch: B, channels: H, length: L)
        let du = CausalConvolution.directInputGradient(kernel: k, outputGradient: g, batch: B, channels: H, length: L)
        let dk = CausalConvolution.directKernelGradient(input: u, outputGradient: g, batch: B, channels: H, length: L)
        #expect(maxAbsDiff(both.input, du) <= tol)
        #expect(maxAbsDiff(both.kernel, dk) <= tol * Double(B))
        #expect(maxAbsDiff(CausalConvolution.inputGradient(kernel: k, outputGradient: g, batch: B, channels: H, length: L), du) <= tol)
        #expect(maxAbsDiff(CausalConvolution.kernelGradient(input: u, outputGradient: g, batch: B, channels: H, length: L), dk) <= tol * Double(B))
        #expect(CausalConvolution.fftSize(length: L) >= 2 * L - 1)
    }

    @Test func layerNormBackward() throws {
        let B = 2, H = 4, L = 3
        let x = randomVector(B * H * L, seed: 5), w = randomVector(H, seed: 6), b = randomVector(H, seed: 7), g = randomVector(B * H * L, seed: 8)
        let (_, tape) = LayerNorm.forward(x, weight: w, bias: b, batch: B, channels: H, length: L)
        let a = LayerNorm.backward(g, tape: tape, weight: w, batch: B, channels: H, length: L)
        func f(_ x: [Double], _ w: [Double], _ b: [Double]) -> Double { dot(LayerNorm.forward(x, weight: w, bias: b, batch: B, channels: H, length: L).0, g) }
        #expect(relativeError(a.input, numericalGradient(x) { f($0, w, b) }) <= 1e-6)
        #expect(relativeError(a.weight, numericalGradient(w) { f(x, $0, b) }) <= 1e-6)
        #expect(relativeError(a.bias, numericalGradient(b) { f(x, w, $0) }) <= 1e-6)
    }

    @Test(arguments: [false, true], ReferenceSkeleton.stateSpaces.heads)
    func blockBackward(withDropout: Bool, head: HeadKind) throws {
        let H = 2, B = 2, L = 20     // direct path; the FFT path equals it (spectralConvolutionEqualsDirect)
        var layer = try randomLayer(channels: H, state: 4, head: head, seed: 31)
        layer.kernel.logDt = [0.1, 0.5].map { Foundation.log($0) }   // gradients well above FD round-off
        let u = randomVector(B * H * L, seed: 9), g = randomVector(B * H * L, seed: 10)
        let mask: [Double]? = withDropout ? [2, 0, 2, 2] : nil
        let (_, tape) = try layer.forwardTape(input: u, batch: B, length: L, mask: mask)
        let (du, lg) = layer.backward(tape, outputGradient: g)
        func f(_ l: S4DLayer, _ u: [Double]) throws -> Double { dot(try l.forwardTape(input: u, batch: B, length: L, mask: mask).0, g) }
        #expect(relativeError(du, try numericalGradient(u) { try f(layer, $0) }) <= 1e-6)
        #expect(relativeError(lg.D, try numericalGradient(layer.D) { var l = layer; l.D = $0; return try f(l, u) }) <= 1e-6)
        #expect(relativeError(lg.outputWeight, try numericalGradient(layer.outputWeight) { var l = layer; l.outputWeight = $0; return try f(l, u) }) <= 1e-6)
        #expect(relativeError(lg.outputBias, try numericalGradient(layer.outputBias) { var l = layer; l.outputBias = $0; return try f(l, u) }) <= 1e-6)
        #expect(relativeError(lg.kernel.logDt, try numericalGradient(layer.kernel.logDt) { var l = layer; l.kernel.logDt = $0; return try f(l, u) }) <= 1e-6)
        #expect(relativeError(lg.kernel.C, try numericalGradient(layer.kernel.C) { var l = layer; l.kernel.C = $0; return try f(l, u) }) <= 1e-6)
        #expect(relativeError(lg.kernel.logAReal, try numericalGradient(layer.kernel.logAReal) { var l = layer; l.kernel.logAReal = $0; return try f(l, u) }) <= 1e-6)
        #expect(relativeError(lg.kernel.AImag, try numericalGradient(layer.kernel.AImag) { var l = layer; l.kernel.AImag = $0; return try f(l, u) }) <= 1e-6)
    }

    /// Every norm kind with either head (BatchNorm: batch statistics in training, non-trivial running ones otherwise).
    static let kinds: [(NormKind, HeadKind)] = [(.layer, .glu), (.batch, .bilinear), (.none, .bilinear), (.layer, .bilinear), (.batch, .glu)]

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)], kinds)
    func wholeModel(modes: (prenorm: Bool, training: Bool), kinds: (NormKind, HeadKind)) throws {
        let (prenorm, training) = modes
        let config = S4ModelConfiguration(dInput: 2, dModel: 3, dState: 4, layers: 2, classes: 3, prenorm: prenorm, dropout: 0.25,
                                          norm: kinds.0, head: kinds.1)
        var model = try S4Model(configuration: config, seed: 17)
        // Δ of order 0.1–0.5 so that the SSM gradients are far above finite-difference round-off (~1e-11).
        for i in 0..<2 { try model.parameters.setValues("s4_layers.\(i).kernel.log_dt", [0.1, 0.25, 0.5].map { Foundation.log($0) }) }
        if kinds.0 == .batch {
            for i in 0..<2 {
                try model.parameters.setValues("norms.\(i).running_mean", [0.2, -0.4, 0.1])
                try model.parameters.setValues("norms.\(i).running_var", [0.8, 1.7, 1.2])
            }
        }
        let B = 3, L = 7
        let x = randomVector(B * L * 2, seed: 12), lengths = [7, 4, 1], labels = [2, 0, 1]
        var gen = SeededGenerator(seed: 99)
        let (loss, _, grads) = try model.lossAndGradients(inputs: x, batch: B, length: L, lengths: lengths, labels: labels,
                                                          training: training, generator: &gen)
        for p in model.parameters.parameters {
            if S4ModelKeys.isBuffer(p.name) { #expect(try grads.values(p.name).allSatisfy { $0 == 0 }, "\(p.name)"); continue }
            let fd = try numericalGradient(p.values) { v in
                var m = model
                try m.parameters.setValues(p.name, v)
                var g2 = SeededGenerator(seed: 99)                // the same dropout masks
                return try m.lossAndGradients(inputs: x, batch: B, length: L, lengths: lengths, labels: labels,
                                              training: training, generator: &g2).loss
            }
            let err = relativeError(try grads.values(p.name), fd)
            #expect(err <= 1e-6, "\(kinds) \(p.name): relative error \(err)")
        }
        #expect(loss.isFinite && loss > 0)
    }

    @Test(arguments: kinds)
    func paddingIsIgnored(kinds: (NormKind, HeadKind)) throws {
        // A padded sample's logits do not depend on what follows its length (causal layers + masked mean).
        let config = S4ModelConfiguration(dInput: 1, dModel: 4, dState: 4, layers: 2, classes: 2, prenorm: true, dropout: 0,
                                          norm: kinds.0, head: kinds.1)
        let model = try S4Model(configuration: config, seed: 3)
        let short = randomVector(5, seed: 1)
        let a = try model.logits(inputs: short + [0, 0, 0], batch: 1, length: 8, lengths: [5])
        let b = try model.logits(inputs: short + [7, -3, 9], batch: 1, length: 8, lengths: [5])
        let c = try model.logits(inputs: short, batch: 1, length: 5)
        #expect(maxAbsDiff(a, b) <= 1e-14)
        #expect(maxAbsDiff(a, c) <= 1e-13)
    }
}

