// One S4D block (state-spaces `s4d.py` S4D, transposed (B, H, L) layout) — forward and backward side by side:
//   y = K * u + D⊙u                (SSM: causal convolution, or the recurrence below)
//   a = dropout(gelu(y))           (mask m[b,h] ∈ {0, 1/(1−p)}, tied along L)      bilinear head: a = dropout(y)
//   z = W a + bias                 (1×1 convolution, W: 2H×H)
//   out = z[0..<H] ⊙ σ(z[H..<2H])  (GLU over channels)                              bilinear head: z[0..<H] ⊙ z[H..<2H]
// The SSM line is the block's core (S4DCore.swift, which also has the streaming recurrence); the rest is its head
// (gated GELU, or bilinear: BilinearHead.swift). They run fused here, in Double or (training) in Float.
import Foundation
import PhasorNumerics

/// One S4D block: the sequence-mixing core (kernel + skip D) followed by its head (gated GELU or bilinear), run as one
/// fused pass.
/// (The core and the head are the block's typed parts, BlockParts.swift; this type executes that combination.)
public struct S4DLayer: Sendable, Equatable {
    public var core: S4DCore
    public var head: ActivationHead

    public var kernel: S4DKernelParameters {
        get { core.kernel }
        set { core.kernel = newValue }
    }
    /// Skip term D, shape (H).
    public var D: [Double] {
        get { core.D }
        set { core.D = newValue }
    }
    /// 1×1 convolution weight, shape (2H, H) (PyTorch's (2H, H, 1)).
    public var outputWeight: [Double] {
        get { head.weight }
        set { head.weight = newValue }
    }
    /// 1×1 convolution bias, shape (2H).
    public var outputBias: [Double] {
        get { head.bias }
        set { head.bias = newValue }
    }
    public var discretization: Discretization {
        get { core.discretization }
        set { core.discretization = newValue }
    }

    public var channels: Int { core.channels }

    public init(kernel: S4DKernelParameters, D: [Double], outputWeight: [Double], outputBias: [Double],
                discretization: Discretization = .zoh) throws {
        try self.init(core: S4DCore(kernel: kernel, D: D, discretization: discretization),
                      head: .gatedGELU(GatedGELUHead(channels: kernel.channels, weight: outputWeight, bias: outputBias)))
    }

    public init(core: S4DCore, head: ActivationHead) throws {
        guard head.channels == core.channels else {
            throw ModelError.invalidConfiguration("an S4D core of \(core.channels) channels cannot feed a head of \(head.channels)")
        }
        self.core = core
        self.head = head
    }

    /// Δ, λ, C̃ and w = log μ per (h, n).
    public func discretised() throws -> DiscreteS4D { try core.discretised() }

    /// The convolution kernel K, shape (H, L).
    public func kernel(length: Int) throws -> [Double] { try core.kernel(length: length) }

    /// The SSM output before GELU, y = K * u + D⊙u, shape (B, H, L), by convolution.
    public func ssmOutput(input u: [Double], batch: Int, length: Int) throws -> [Double] {
        try core.ssmOutput(input: u, batch: batch, length: length)
    }

    /// The same y by the recurrence (streaming mode), one step at a time.
    public func ssmRecurrence(input u: [Double], batch: Int, length: Int) throws -> [Double] {
        try core.ssmRecurrence(input: u, batch: batch, length: length)
    }

    /// One streaming step for one sample (see `S4DCore.step`).
    public func step(_ state: inout S4DState, input u: [Double], discrete d: DiscreteS4D) -> [Double] {
        core.step(&state, input: u, discrete: d)
    }

    /// The block output (no dropout: evaluation mode), shape (B, H, L). `.f32` runs the block in Float (the kernel
    /// stays Double) and rounds the result back.
    public func forward(input u: [Double], batch: Int, length: Int, precision: ComputePrecision = .f64) throws -> [Double] {
        try checkInput(u, batch: batch, length: length)
        switch precision {
        case .f64: return try forwardTape(input: u, batch: batch, length: length, mask: nil).0
        case .f32: return converted(try forwardTape(input: converted(u, to: Float.self), batch: batch, length: length, mask: nil).0, to: Double.self)
        }
    }

    /// Forward (no dropout) and backward of the block in one call: the output, ∂L/∂input and ∂L/∂parameters for
    /// the loss whose gradient with respect to the output is `outputGradient` (shape (B, H, L)).
    public func forwardAndBackward(input u: [Double], batch: Int, length: Int, outputGradient: [Double],
                                   precision: ComputePrecision = .f64) throws
        -> (output: [Double], inputGradient: [Double], gradients: S4DLayerGradients) {
        try checkInput(u, batch: batch, length: length)
        guard outputGradient.count == u.count else {
            throw ModelError.shapeMismatch(key: "output gradient (B, H, L)", expected: [batch, channels, length], found: [outputGradient.count])
        }
        let out: [Double], du: [Double], grads: S4DLayerGradients
        switch precision {
        case .f64:
            let (o, tape) = try forwardTape(input: u, batch: batch, length: length, mask: nil)
            (du, grads) = backward(tape, outputGradient: outputGradient)
            out = o
        case .f32:
            let (o, tape) = try forwardTape(input: converted(u, to: Float.self), batch: batch, length: length, mask: nil)
            let r = backward(tape, outputGradient: converted(outputGradient, to: Float.self))
            out = converted(o, to: Double.self); du = converted(r.input, to: Double.self); grads = r.gradients
        }
        try requireFinite(du, "S4D input gradient")
        return (out, du, grads)
    }

    func checkInput(_ u: [Double], batch: Int, length: Int) throws { try core.checkInput(u, batch: batch, length: length) }

    // MARK: forward with saved activations, and backward (in Double, or in Float for training speed)

    /// What the backward pass needs from the forward pass.
    struct Tape<T: BlockScalar> {
        var batch: Int, length: Int
        var input: [T]
        var discrete: DiscreteS4D
        var kernel: [T]
        var y: [T]                 // pre-GELU
        var a: [T]                 // after GELU and dropout (the 1×1 conv input)
        var z: [T]                 // (B, 2H, L)
        var mask: [T]?             // (B, H) dropout scale, nil = identity
    }

    /// The block in precision T. The kernel is always computed in Double (then rounded to T) — here, or once for a
    /// training batch whose parts share it (`shared`, this core's kernel evaluated at ≥ L: Model/SharedKernels.swift).
    /// `pointwise` replaces GELU and/or the gate's σ per channel (the evaluation pass of S4ModelEvaluation.swift).
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    func forwardTape<T: BlockScalar>(input u: [T], batch: Int, length: Int, mask maskIn: [Double]?,
                                     pointwise: BlockPointwise? = nil, shared: S4DKernelEvaluation? = nil) throws -> ([T], Tape<T>) {
        let H = channels, L = length
        let bilinear = head.kind == .bilinear
        if bilinear, let p = pointwise, p.overrides.activation != nil || p.overrides.gate != nil {
            throw ModelError.invalidConfiguration("layer \(p.layer) has a bilinear head: it has no GELU or gate to replace")
        }
        precondition(shared.map { $0.parameters == kernel && $0.length >= L } ?? true, "a shared kernel is this core's, long enough")
        let evaluated = try shared ?? S4DKernelEvaluation(core, length: L)
        let d = evaluated.discrete
        let k = evaluated.taps(L).map { T($0) }
        let mask = maskIn?.map { T($0) }
        var y = CausalConvolution.forward(kernel: k, input: u, batch: batch, channels: H, length: L)
        let dT = D.map { T($0) }, weight = outputWeight.map { T($0) }, bias = outputBias.map { T($0) }
        var a: [T] = uninitializedArray(count: y.count)                 // every element written below
        var z: [T] = uninitializedArray(count: batch * 2 * H * L)
        var out: [T] = uninitializedArray(count: batch * H * L)
        u.withUnsafeBufferPointer { ub in y.withUnsafeMutableBufferPointer { yb in a.withUnsafeMutableBufferPointer { ab in
            weight.withUnsafeBufferPointer { wb in z.withUnsafeMutableBufferPointer { zb in out.withUnsafeMutableBufferPointer { ob in
                let up = SharedReadPointer(ub.baseAddress!), yp = SharedPointer(yb.baseAddress!), ap = SharedPointer(ab.baseAddress!)
                let wp = SharedReadPointer(wb.baseAddress!), zp = SharedPointer(zb.baseAddress!), op = SharedPointer(ob.baseAddress!)
                parallelFor(batch) { b in
                    let ua = up.base + b * H * L, ya = yp.base + b * H * L, aa = ap.base + b * H * L
                    let zz = zp.base + b * 2 * H * L, oo = op.base + b * H * L
                    for h in 0..<H {
                        let s = mask?[b * H + h] ?? 1, dh = dT[h]                       // dropout, tied along L
                        let yr = ya + h * L, ur = ua + h * L, ar = aa + h * L
                        for l in 0..<L { yr[l] += dh * ur[l] }                            // y = K*u + D⊙u
                        if bilinear {                                                     // a = dropout(y)
                            for l in 0..<L { ar[l] = s * yr[l] }
                        } else if let f = pointwise?.overrides.activation {               // a = f(i, h, y)
                            let v = f(pointwise!.layer, h, (0..<L).map { Double(yr[$0]) })
                            precondition(v.count == L, "an activation override must return one value per input")
                            for l in 0..<L { ar[l] = s * T(v[l]) }
                        } else {
                            T.gelu(yr, ar, scale: s, count: L)
                        }
                    }
                    // z_b = W a_b + bias  (2H×H · H×L)
                    T.multiply(m: 2 * H, n: L, k: H, a: wp.base, b: aa, c: zz, accumulate: false)
                    for o in 0..<(2 * H) { let v = bias[o]; for l in 0..<L { zz[o * L + l] += v } }
                    for h in 0..<H {                                                     // GLU: z1 ⊙ σ(z2)
                        let z1 = zz + h * L, z2 = zz + (H + h) * L, dst = oo + h * L
                        if bilinear {                                                     // bilinear: z1 ⊙ z2
                            for l in 0..<L { dst[l] = z2[l] }
                        } else if let f = pointwise?.overrides.gate {                     // s = f(i, h, z2)
                            let v = f(pointwise!.layer, h, (0..<L).map { Double(z2[$0]) })
                            precondition(v.count == L, "a gate override must return one value per input")
                            for l in 0..<L { dst[l] = T(v[l]) }
                        } else {
                            T.sigmoid(z2, dst, count: L)
                        }
                        for l in 0..<L { dst[l] *= z1[l] }
                    }
                }
            } } }
        } } }
        try requireFinite(out, "S4D block output")
        return (out, Tape(batch: batch, length: L, input: u, discrete: d, kernel: k, y: y, a: a, z: z, mask: mask))
    }

    /// ∂L/∂input (precision T) and ∂L/∂parameters (Double) given ∂L/∂out.
    func backward<T: BlockScalar>(_ tape: Tape<T>, outputGradient g: [T]) -> (input: [T], gradients: S4DLayerGradients) {
        let r = backward(tape, outputGradient: g, shared: nil)
        return (r.input, r.gradients)
    }

    /// The same, with the kernel's adjoint ∂L/∂θ = (∂K/∂θ)ᵀ ∂L/∂K run here — or, when the forward pass used a kernel
    /// `shared` by a training batch's parts, left to the batch, which runs it once on the parts' summed ∂L/∂K
    /// (Model/SharedKernels.swift): then `gradients.kernel` is zero and `kernel` is this part's ∂L/∂K with
    /// `shared.length` taps (zeros after L). Without `shared`, `kernel` is nil.
    func backward<T: BlockScalar>(_ tape: Tape<T>, outputGradient g: [T], shared: S4DKernelEvaluation?)
        -> (input: [T], gradients: S4DLayerGradients, kernel: [Double]?) {
        var r = backwardToKernel(tape, outputGradient: g)
        if let shared { return (r.input, r.gradients, shared.padded(r.kernel, taps: tape.length)) }
        r.gradients.kernel = kernel.backward(kernelGradient: r.kernel, length: tape.length, discrete: tape.discrete)
        return (r.input, r.gradients, nil)
    }

    /// ∂L/∂input, ∂L/∂K (H, L) and the other parameters' gradients (`gradients.kernel` zero) given ∂L/∂out.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    func backwardToKernel<T: BlockScalar>(_ tape: Tape<T>, outputGradient g: [T])
        -> (input: [T], kernel: [Double], gradients: S4DLayerGradients) {
        let H = channels, L = tape.length, B = tape.batch
        let bilinear = head.kind == .bilinear
        // GLU: ∂/∂z1 = g σ(z2); ∂/∂z2 = g z1 σ(z2)(1 − σ(z2))          bilinear: ∂/∂z1 = g z2; ∂/∂z2 = g z1
        // 1×1 conv: da_b = Wᵀ dz_b;  dW = Σ_b dz_b a_bᵀ;  dbias = Σ_{b,l} dz
        // dropout and GELU: dy = da · m · gelu′(y)                      bilinear: dy = da · m
        var dz: [T] = uninitializedArray(count: B * 2 * H * L)         // every element written below
        var aT: [T] = uninitializedArray(count: B * H * L)
        var dy: [T] = uninitializedArray(count: B * H * L)
        var wT = [T](repeating: 0, count: 2 * H * H)
        let weight = outputWeight.map { T($0) }
        weight.withUnsafeBufferPointer { wb in wT.withUnsafeMutableBufferPointer { tb in
            MatrixProduct.transpose(rows: 2 * H, cols: H, wb.baseAddress!, tb.baseAddress!)
        } }
        var dW = [T](repeating: 0, count: 2 * H * H)
        g.withUnsafeBufferPointer { gb in tape.z.withUnsafeBufferPointer { zb in tape.a.withUnsafeBufferPointer { ab in
            tape.y.withUnsafeBufferPointer { yb in wT.withUnsafeBufferPointer { tb in
                dz.withUnsafeMutableBufferPointer { dzb in aT.withUnsafeMutableBufferPointer { atb in
                    dy.withUnsafeMutableBufferPointer { dyb in dW.withUnsafeMutableBufferPointer { dwb in
                        let gp = SharedReadPointer(gb.baseAddress!), zp = SharedReadPointer(zb.baseAddress!)
                        let ap = SharedReadPointer(ab.baseAddress!), yp = SharedReadPointer(yb.baseAddress!)
                        let tp = SharedReadPointer(tb.baseAddress!), dzp = SharedPointer(dzb.baseAddress!)
                        let atp = SharedPointer(atb.baseAddress!), dyp = SharedPointer(dyb.baseAddress!)
                        let dwp = SharedPointer(dwb.baseAddress!)
                        let mask = tape.mask
                        parallelFor(B) { b in
                            let zz = zp.base + b * 2 * H * L, dd = dzp.base + b * 2 * H * L, gg = gp.base + b * H * L
                            for h in 0..<H {
                                let z1 = zz + h * L, z2 = zz + (H + h) * L, d1 = dd + h * L, d2 = dd + (H + h) * L, gr = gg + h * L
                                if bilinear {
                                    for l in 0..<L { let gv = gr[l]; d1[l] = gv * z2[l]; d2[l] = gv * z1[l] }
                                    continue
                                }
                                T.sigmoid(z2, d1, count: L)                           // d1 ← σ(z2), then scaled
                                for l in 0..<L {
                                    let s = d1[l], gv = gr[l]
                                    d1[l] = gv * s
                                    d2[l] = gv * z1[l] * s * (1 - s)
                                }
                            }
                            let da = dyp.base + b * H * L
                            T.multiply(m: H, n: L, k: 2 * H, a: tp.base, b: dd, c: da, accumulate: false)
                            for h in 0..<H {
                                let s = mask?[b * H + h] ?? 1
                                let yr = yp.base + b * H * L + h * L, dr = da + h * L
                                if bilinear { for l in 0..<L { dr[l] *= s } } else { T.scaleByGeluDerivative(yr, dr, scale: s, count: L) }
                            }
                            MatrixProduct.transpose(rows: H, cols: L, ap.base + b * H * L, atp.base + b * H * L)
                        }
                        // dW rows in blocks of 4, each summing over the batch in order
                        parallelFor((2 * H + 3) / 4) { blk in
                            let r0 = blk * 4, rows = min(4, 2 * H - r0)
                            for b in 0..<B {
                                T.multiply(m: rows, n: H, k: L, a: dzp.base + b * 2 * H * L + r0 * L,
                                           b: atp.base + b * H * L, c: dwp.base + r0 * H, accumulate: true)
                            }
                        }
                    } }
                } }
            } }
        } } }
        var dBias = [Double](repeating: 0, count: 2 * H)
        for b in 0..<B { for o in 0..<(2 * H) {
            let base = (b * 2 * H + o) * L
            var s: T = 0
            for l in 0..<L { s += dz[base + l] }
            dBias[o] += Double(s)
        } }
        // y = K * u + D u
        let conv = CausalConvolution.backward(kernel: tape.kernel, input: tape.input, outputGradient: dy,
                                              batch: B, channels: H, length: L)
        var du = conv.input
        var dD = [Double](repeating: 0, count: H)
        for b in 0..<B { for h in 0..<H {
            let o = (b * H + h) * L, dh = T(D[h])
            var s: T = 0
            for l in 0..<L { du[o + l] += dh * dy[o + l]; s += dy[o + l] * tape.input[o + l] }
            dD[h] += Double(s)
        } }
        return (du, conv.kernel.map { Double($0) },                                       // ∂L/∂K
                S4DLayerGradients(kernel: S4DKernelGradients(zerosLike: kernel), D: dD, outputWeight: dW.map { Double($0) },
                                  outputBias: dBias))
    }
}

/// ∂L/∂(S4D block parameters).
public struct S4DLayerGradients: Sendable, Equatable {
    public var kernel: S4DKernelGradients
    public var D: [Double]
    public var outputWeight: [Double]
    public var outputBias: [Double]
}

/// The complex state x (H, M) of the streaming recurrence, split re/im.
public struct S4DState: Sendable, Equatable {
    public var re: [Double]
    public var im: [Double]
    public init(channels: Int, modes: Int) {
        re = [Double](repeating: 0, count: channels * modes)
        im = re
    }
}
