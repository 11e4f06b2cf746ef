// A residual block's core and head run as separate parts, in Double, forward with its tape and backward side by side
// (layout (B, H, L)) — how every block whose core is not S4D runs (S4D blocks run fused, S4DLayer.swift, in Double or
// Float; this path gives the same numbers for them, which the tests use):
//   y = core(u)                          (SequenceCore: S4D y = K * u + D⊙u; LinOSS, LinOSSCore.swift; S6 the
//                                         selective scan, S6Core.swift)
//   a = m ⊙ gelu(y)                      (erf or tanh form; dropout mask m[b,h] ∈ {0, 1/(1−p)} tied along L)
//   z = W a + b                          (W: 2H×H — example.py's 1×1 conv, log-neural-cdes' glu.linear,
//                                         tk-rusch/linoss's [glu.w1; glu.w2])
//   out = z[0..<H] ⊙ σ(z[H..<2H])        (GLU over channels)
// Backward (g = ∂L/∂out):  ∂z₁ = g σ(z₂),  ∂z₂ = g z₁ σ(z₂)(1 − σ(z₂));  ∂a = Wᵀ∂z,  ∂W = Σ_b ∂z aᵀ,  ∂b = Σ_{b,l} ∂z;
//                          ∂y = ∂a ⊙ m ⊙ gelu′(y);  then the core's own backward.
// The evaluation hooks (S4ModelEvaluation.swift) replace gelu and σ per (layer, channel) exactly as in the fused S4D
// block. The norm and the residual are the model's (S4Model.swift), since their placement is the model's.
import Foundation
import PhasorNumerics

/// What a core's backward needs from its forward pass.
enum CoreTape {
    case s4d(input: [Double], kernel: [Double], discrete: DiscreteS4D)
    case linoss(LinOSSLayer.BatchTape)
    case s6(SelectiveLayer.BatchTape)
}

/// What the head's backward needs: its input y, a = m ⊙ gelu(y), z = W a + b (B, 2H, L) and the mask.
struct HeadTape {
    var y: [Double]
    var a: [Double]
    var z: [Double]
    var mask: [Double]?
}

/// The tape of a block run as core then head.
struct CoreHeadTape {
    var batch: Int, length: Int
    /// What the core saw.
    var input: [Double]
    var core: CoreTape
    var head: HeadTape
}

extension SequenceCore {
    /// y = core(u) for u of shape (B, H, L): the core exactly as the model runs it.
    public func output(_ u: [Double], batch: Int, length: Int) throws -> [Double] {
        try forwardTape(u, batch: batch, length: length).0
    }

    /// y = core(u) for u of shape (B, H, L), with the tape for `backward`.
    func forwardTape(_ u: [Double], batch: Int, length: Int) throws -> ([Double], CoreTape) {
        switch self {
        case .s4d(let c):
            try c.checkInput(u, batch: batch, length: length)
            let d = try c.discretised()
            let k = d.kernel(length: length)
            var y = CausalConvolution.forward(kernel: k, input: u, batch: batch, channels: c.channels, length: length)
            c.addSkip(&y, u, batch: batch, length: length)                       // y = K * u + D⊙u
            try requireFinite(y, "S4D output y")
            return (y, .s4d(input: u, kernel: k, discrete: d))
        case .linoss(let c):
            let (y, tape) = try c.forward(batch: u, count: batch, length: length)
            return (y, .linoss(tape))
        case .s6(let c):
            let (y, tape) = try c.forward(batch: u, count: batch, length: length)
            return (y, .s6(tape))
        }
    }

    /// ∂L/∂u and ∂L/∂(core parameters) — the gradient as a core of the same kind and sizes.
    func backward(_ tape: CoreTape, outputGradient g: [Double], batch: Int, length L: Int) throws -> (input: [Double], gradient: SequenceCore) {
        switch (self, tape) {
        case (.s4d(let c), .s4d(let u, let k, let d)):
            let H = c.channels
            let conv = CausalConvolution.backward(kernel: k, input: u, outputGradient: g, batch: batch, channels: H, length: L)
            var du = conv.input
            var dD = [Double](repeating: 0, count: H)
            for b in 0..<batch { for h in 0..<H {
                let o = (b * H + h) * L
                var s = 0.0
                for l in 0..<L { du[o + l] += c.D[h] * g[o + l]; s += g[o + l] * u[o + l] }   // ∂u += D ∂y, ∂D = Σ ∂y u
                dD[h] += s
            } }
            let kg = c.kernel.backward(kernelGradient: conv.kernel, length: L, discrete: d)
            let kernel = try S4DKernelParameters(channels: H, modes: c.modes, logDt: kg.logDt, C: kg.C,
                                                 logAReal: kg.logAReal, AImag: kg.AImag)
            return (du, .s4d(try S4DCore(kernel: kernel, D: dD, discretization: c.discretization)))
        case (.linoss(let c), .linoss(let t)):
            let (du, grad) = try c.backward(t, outputGradient: g)
            return (du, .linoss(grad))
        case (.s6(let c), .s6(let t)):
            let (du, grad) = try c.backward(t, outputGradient: g)
            return (du, .s6(grad))
        default:
            preconditionFailure("a core's backward got another core's tape")
        }
    }
}

extension GatedGELUHead {
    /// out = z₁ ⊙ σ(z₂), z = W (m ⊙ gelu(y)) + b for y of shape (B, H, L); `pointwise` replaces gelu and/or σ per
    /// channel (the evaluation hooks).
    func forwardTape(_ y: [Double], batch B: Int, length L: Int, mask: [Double]?, pointwise: BlockPointwise?) throws
        -> ([Double], HeadTape) {
        let H = channels
        var a = [Double](repeating: 0, count: B * H * L), z = [Double](repeating: 0, count: B * 2 * H * L)
        var out = [Double](repeating: 0, count: B * H * L)
        for b in 0..<B {
            for h in 0..<H {
                let o = (b * H + h) * L, s = mask?[b * H + h] ?? 1
                if let f = pointwise?.overrides.activation {                                  // a = f(i, h, y)
                    let v = f(pointwise!.layer, h, Array(y[o ..< o + L]))
                    precondition(v.count == L, "an activation override must return one value per input")
                    for l in 0..<L { a[o + l] = s * v[l] }
                } else {
                    for l in 0..<L { a[o + l] = s * gelu.value(y[o + l]) }                    // a = m·gelu(y)
                }
            }
            a.withUnsafeBufferPointer { ab in weight.withUnsafeBufferPointer { wb in z.withUnsafeMutableBufferPointer { zb in
                MatrixProduct.gemm(transA: false, transB: false, m: 2 * H, n: L, k: H, alpha: 1, a: wb.baseAddress!, lda: H,
                                   b: ab.baseAddress! + b * H * L, ldb: L, beta: 0,
                                   c: zb.baseAddress! + b * 2 * H * L, ldc: L)                 // z_b = W a_b
            } } }
            for r in 0..<(2 * H) { let o = (b * 2 * H + r) * L; for l in 0..<L { z[o + l] += bias[r] } }   // + b
            for h in 0..<H {
                let z1 = (b * 2 * H + h) * L, z2 = (b * 2 * H + H + h) * L, o = (b * H + h) * L
                if let f = pointwise?.overrides.gate {                                        // s = f(i, h, z₂)
                    let v = f(pointwise!.layer, h, Array(z[z2 ..< z2 + L]))
                    precondition(v.count == L, "a gate override must return one value per input")
                    for l in 0..<L { out[o + l] = z[z1 + l] * v[l] }
                } else {
                    for l in 0..<L { out[o + l] = z[z1 + l] * Activation.sigmoid(z[z2 + l]) }  // GLU: z₁ ⊙ σ(z₂)
                }
            }
        }
        try requireFinite(out, "block output")
        return (out, HeadTape(y: y, a: a, z: z, mask: mask))
    }

    /// ∂L/∂y and ∂L/∂(W, b) (as a head of the same form) given ∂L/∂out.
    func backward(_ t: HeadTape, outputGradient g: [Double], batch B: Int, length L: Int) throws -> (input: [Double], gradient: GatedGELUHead) {
        let H = channels
        var dz = [Double](repeating: 0, count: B * 2 * H * L), da = [Double](repeating: 0, count: B * H * L)
        var dW = [Double](repeating: 0, count: 2 * H * H), dBias = [Double](repeating: 0, count: 2 * H)
        var dy = [Double](repeating: 0, count: B * H * L)
        for b in 0..<B {
            for h in 0..<H {
                let z1 = (b * 2 * H + h) * L, z2 = (b * 2 * H + H + h) * L, o = (b * H + h) * L
                for l in 0..<L {
                    let s = Activation.sigmoid(t.z[z2 + l]), gv = g[o + l]
                    dz[z1 + l] = gv * s                                                       // ∂z₁ = g σ(z₂)
                    dz[z2 + l] = gv * t.z[z1 + l] * s * (1 - s)                               // ∂z₂ = g z₁ σ(1 − σ)
                }
            }
            for r in 0..<(2 * H) { let o = (b * 2 * H + r) * L; for l in 0..<L { dBias[r] += dz[o + l] } }
            dz.withUnsafeBufferPointer { zb in t.a.withUnsafeBufferPointer { ab in weight.withUnsafeBufferPointer { wb in
                da.withUnsafeMutableBufferPointer { db in dW.withUnsafeMutableBufferPointer { gw in
                    MatrixProduct.gemm(transA: true, transB: false, m: H, n: L, k: 2 * H, alpha: 1, a: wb.baseAddress!, lda: H,
                                       b: zb.baseAddress! + b * 2 * H * L, ldb: L, beta: 0,
                                       c: db.baseAddress! + b * H * L, ldc: L)                 // ∂a_b = Wᵀ ∂z_b
                    MatrixProduct.gemm(transA: false, transB: true, m: 2 * H, n: H, k: L, alpha: 1,
                                       a: zb.baseAddress! + b * 2 * H * L, lda: L, b: ab.baseAddress! + b * H * L, ldb: L,
                                       beta: 1, c: gw.baseAddress!, ldc: H)                    // ∂W += ∂z_b a_bᵀ
                } }
            } } }
            for h in 0..<H {
                let o = (b * H + h) * L, s = t.mask?[b * H + h] ?? 1
                for l in 0..<L { dy[o + l] = da[o + l] * s * gelu.derivative(t.y[o + l]) }     // ∂y = ∂a m gelu′(y)
            }
        }
        try requireFinite(dy, "head input gradient")
        return (dy, try GatedGELUHead(channels: H, weight: dW, bias: dBias, gelu: gelu))
    }
}

extension ResidualBlock {
    /// head(core(u)) for the block input u (after a pre-norm) of shape (B, H, L), with its tape.
    func forwardCoreHead(_ u: [Double], batch: Int, length: Int, mask: [Double]?, pointwise: BlockPointwise?) throws
        -> ([Double], CoreHeadTape) {
        let (y, coreTape) = try core.forwardTape(u, batch: batch, length: length)
        let (out, headTape) = try head.gatedGELU.forwardTape(y, batch: batch, length: length, mask: mask, pointwise: pointwise)
        return (out, CoreHeadTape(batch: batch, length: length, input: u, core: coreTape, head: headTape))
    }

    /// ∂L/∂u and the gradients of the core and the head, given ∂L/∂(block output).
    func backwardCoreHead(_ t: CoreHeadTape, outputGradient g: [Double]) throws
        -> (input: [Double], core: SequenceCore, head: ActivationHead) {
        let (dy, headGradient) = try head.gatedGELU.backward(t.head, outputGradient: g, batch: t.batch, length: t.length)
        let (du, coreGradient) = try core.backward(t.core, outputGradient: dy, batch: t.batch, length: t.length)
        return (du, coreGradient, .gatedGELU(headGradient))
    }
}

extension S4DLayer {
    /// The fused block's gradients as typed parts (a core and a head of this block's sizes).
    func gradientParts(_ g: S4DLayerGradients) throws -> (core: SequenceCore, head: ActivationHead) {
        let kernel = try S4DKernelParameters(channels: channels, modes: core.modes, logDt: g.kernel.logDt, C: g.kernel.C,
                                             logAReal: g.kernel.logAReal, AImag: g.kernel.AImag)
        return (.s4d(try S4DCore(kernel: kernel, D: g.D, discretization: discretization)),
                .gatedGELU(try GatedGELUHead(channels: channels, weight: g.outputWeight, bias: g.outputBias, gelu: head.gelu)))
    }
}
