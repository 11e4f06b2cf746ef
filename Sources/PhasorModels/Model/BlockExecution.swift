// A residual block's core and activation head run part by part in Double, forward and backward side by side — every
// block except example.py's S4D + GELU(erf) → 1×1 conv → GLU, which S4DLayer runs fused (and in Float for training).
// On (B, H, L) with y = core(u) and the dropout mask m[b, h] ∈ {0, 1/(1−p)} tied along L:
//   g = m·GELU(y)                                      (erf or tanh form)
//   full_glu   z = W g + b (2H),  out = z₁ ⊙ σ(z₂)      ∂z₁ = ∂out⊙σ(z₂), ∂z₂ = ∂out⊙z₁⊙σ′(z₂), ∂g = Wᵀ∂z
//   half_glu1  z₂ = W₂g + b₂,     out = g ⊙ σ(z₂)       ∂g = ∂out⊙σ(z₂) + W₂ᵀ∂z₂, ∂z₂ = ∂out⊙g⊙σ′(z₂)
//   half_glu2  z₂ = W₂g + b₂,     out = y ⊙ σ(z₂)       ∂y = ∂out⊙σ(z₂) + …,     ∂z₂ = ∂out⊙y⊙σ′(z₂), ∂g = W₂ᵀ∂z₂
//   gelu       out = g                                  ∂g = ∂out
//   bilinear   g = m·y (no GELU), z = W g + b (2H),  out = z₁ ⊙ z₂   ∂z₁ = ∂out⊙z₂, ∂z₂ = ∂out⊙z₁
//   then ∂y += ∂g·m·GELU′(y) (bilinear: ∂g·m);  ∂W = ∂z gᵀ, ∂b = Σ ∂z over samples and steps
// The evaluation hooks (S4ModelEvaluation.swift) replace GELU and σ per layer and channel here as in the fused block.
import PhasorNumerics

/// The saved activations of a core, per kind.
enum CoreTape: Sendable {
    case s4d(discrete: DiscreteS4D, kernel: [Double])
    case s5(S5Layer.CoreTape)
    case lru(system: DiagonalMIMOSystem, scan: ScanTape)
    case linoss(LinOSSLayer.BatchTape)
    case s6(SelectiveLayer.BatchTape)
}

/// The saved activations of a block run part by part.
struct PartsTape: Sendable {
    var input: [Double]          // what the core saw, (B, H, L)
    var core: CoreTape
    var y: [Double]              // core output = GELU input, (B, H, L)
    var g: [Double]              // m·GELU(y)
    var z: [Double]              // full_glu (B, 2H, L); half GLUs (B, H, L) = z₂; gelu: empty
    var gate: [Double]           // σ(z₂) (or the gate override's values), (B, H, L); gelu: empty
    var mask: [Double]?
    var lengths: [Int]
}

extension SequenceCore {
    /// y (B, H, L) = core(u) with what its backward needs. `lengths` bound an anti-causal (bidirectional) scan.
    func forwardTape(_ u: [Double], batch: Int, length: Int, lengths: [Int]) throws -> ([Double], CoreTape) {
        switch self {
        case .s4d(let c):
            try c.checkInput(u, batch: batch, length: length)
            let d = try c.discretised()
            let k = d.kernel(length: length)
            var y = CausalConvolution.forward(kernel: k, input: u, batch: batch, channels: c.channels, length: length)
            c.addSkip(&y, u, batch: batch, length: length)                             // y = K * u + D⊙u
            return (y, .s4d(discrete: d, kernel: k))
        case .s5(let c):
            let (y, t) = try c.forwardTape(u, batch: batch, length: length, lengths: lengths)
            return (y, .s5(t))
        case .lru(let c):
            let (y, s, t) = try c.forwardTape(u, batch: batch, length: length)
            return (y, .lru(system: s, scan: t))
        case .linoss(let c):
            let (y, t) = try c.forwardTape(u, batch: batch, length: length)
            return (y, .linoss(t))
        case .s6(let c):
            let (y, t) = try c.forwardTape(u, batch: batch, length: length)
            return (y, .s6(t))
        }
    }

    /// y of u without a tape (the operator applies the core to every degree of a graded signal: it is linear).
    public func output(_ u: [Double], batch: Int, length: Int, lengths: [Int]? = nil) throws -> [Double] {
        if case .s4d(let c) = self { return try c.ssmOutput(input: u, batch: batch, length: length) }
        let lens = lengths ?? [Int](repeating: length, count: batch)
        guard lens.count == batch else { throw ModelError.invalidConfiguration("got \(lens.count) lengths for a batch of \(batch)") }
        guard batch > 0, length > 0, u.count == batch * channels * length else {
            throw ModelError.shapeMismatch(key: "core input (B, H, L)", expected: [batch, channels, length], found: [u.count])
        }
        return try forwardTape(u, batch: batch, length: length, lengths: lens).0
    }

    /// ∂L/∂u and the core's parameter gradients (a core of the same kind holding them).
    func backward(_ tape: CoreTape, input u: [Double], outputGradient gy: [Double], batch: Int, length: Int,
                  lengths: [Int]) throws -> ([Double], SequenceCore) {
        switch (self, tape) {
        case let (.s4d(c), .s4d(d, k)):
            let conv = CausalConvolution.backward(kernel: k, input: u, outputGradient: gy, batch: batch, channels: c.channels,
                                                  length: length)
            var du = conv.input
            var dD = [Double](repeating: 0, count: c.channels)
            for b in 0..<batch { for h in 0..<c.channels {
                let o = (b * c.channels + h) * length
                for l in 0..<length { du[o + l] += c.D[h] * gy[o + l]; dD[h] += gy[o + l] * u[o + l] }   // D⊙u
            } }
            let kg = c.kernel.backward(kernelGradient: conv.kernel, length: length, discrete: d)
            let kernel = try S4DKernelParameters(channels: c.channels, modes: c.modes, logDt: kg.logDt, C: kg.C,
                                                 logAReal: kg.logAReal, AImag: kg.AImag)
            return (du, .s4d(try S4DCore(kernel: kernel, D: dD, discretization: c.discretization)))
        case let (.s5(c), .s5(t)):
            let (du, g) = try c.backward(t, input: u, outputGradient: gy, batch: batch, length: length, lengths: lengths)
            return (du, .s5(g))
        case let (.lru(c), .lru(s, t)):
            let (du, g) = try c.backward(system: s, tape: t, input: u, outputGradient: gy, batch: batch, length: length)
            return (du, .lru(g))
        case let (.linoss(c), .linoss(t)):
            let (du, g) = try c.backward(t, outputGradient: gy)
            return (du, .linoss(g))
        case let (.s6(c), .s6(t)):
            let (du, g) = try c.backward(t, outputGradient: gy)
            return (du, .s6(g))
        default:
            preconditionFailure("a core's tape comes from its own forward pass")
        }
    }
}

extension ActivationHead {
    /// out (B, H, L) of the core output y, with the tape's g, z, σ filled in. `mask` (B·H) is the dropout after GELU
    /// (after the core for the bilinear head).
    func forward(_ y: [Double], batch B: Int, channels H: Int, length L: Int, mask: [Double]?,
                 pointwise: BlockPointwise?) throws -> (out: [Double], g: [Double], z: [Double], gate: [Double]) {
        let form = geluForm, bilinear = kind == .bilinear
        if bilinear, let p = pointwise, p.overrides.activation != nil || p.overrides.gate != nil {
            throw ModelError.invalidConfiguration("layer \(p.layer) has a bilinear head: it has no GELU or gate to replace")
        }
        var g = [Double](repeating: 0, count: y.count)
        for b in 0..<B { for h in 0..<H {
            let o = (b * H + h) * L, s = mask?[b * H + h] ?? 1
            if bilinear {
                for l in 0..<L { g[o + l] = s * y[o + l] }                                 // g = m·y
            } else if let f = pointwise?.overrides.activation {                            // g = f(i, h, y)
                let v = f(pointwise!.layer, h, Array(y[o ..< o + L]))
                precondition(v.count == L, "an activation override must return one value per input")
                for l in 0..<L { g[o + l] = s * v[l] }
            } else {
                for l in 0..<L { g[o + l] = s * form.value(y[o + l]) }                     // g = m·GELU(y)
            }
        } }
        if case .gelu = self { return (g, g, [], []) }
        let rows = weight.count / H                                                       // 2H or H
        var z = [Double](repeating: 0, count: B * rows * L)
        g.withUnsafeBufferPointer { gb in weight.withUnsafeBufferPointer { wb in z.withUnsafeMutableBufferPointer { zb in
            for b in 0..<B {                                                              // Z_b = W G_b + bias
                MatrixProduct.gemm(transA: false, transB: false, m: rows, n: L, k: H, alpha: 1, a: wb.baseAddress!, lda: H,
                                   b: gb.baseAddress! + b * H * L, ldb: L, beta: 0, c: zb.baseAddress! + b * rows * L, ldc: L)
            }
        } } }
        let bias = self.bias
        for b in 0..<B { for r in 0..<rows { let o = (b * rows + r) * L, v = bias[r]; for l in 0..<L { z[o + l] += v } } }
        var gate = [Double](repeating: 0, count: B * H * L), out = gate
        for b in 0..<B { for h in 0..<H {
            let z2 = (b * rows + rows - H + h) * L, o = (b * H + h) * L
            if bilinear {
                for l in 0..<L { gate[o + l] = z[z2 + l] }                                  // the second factor z₂
            } else if let f = pointwise?.overrides.gate {                                  // s = f(i, h, z₂)
                let v = f(pointwise!.layer, h, Array(z[z2 ..< z2 + L]))
                precondition(v.count == L, "a gate override must return one value per input")
                for l in 0..<L { gate[o + l] = v[l] }
            } else {
                for l in 0..<L { gate[o + l] = Activation.sigmoid(z[z2 + l]) }
            }
            switch self {
            case .gatedGELU, .bilinear:
                let z1 = (b * rows + h) * L
                for l in 0..<L { out[o + l] = z[z1 + l] * gate[o + l] }                    // z₁ ⊙ σ(z₂)  or  z₁ ⊙ z₂
            case .halfGated(let p):
                let v = p.gatesActivation ? g : y
                for l in 0..<L { out[o + l] = v[o + l] * gate[o + l] }                     // v ⊙ σ(z₂)
            case .gelu: break
            }
        } }
        return (out, g, z, gate)
    }

    /// ∂L/∂y and the head's parameter gradients (a head of the same kind holding them) given ∂L/∂out.
    func backward(_ t: PartsTape, outputGradient go: [Double], batch B: Int, channels H: Int, length L: Int) throws
        -> ([Double], ActivationHead) {
        var dy = [Double](repeating: 0, count: t.y.count), dg = dy
        var headGradient = self                                                             // gelu: no parameters
        if case .gelu = self { dg = go }
        let weight = self.weight, rows = weight.count / H
        if rows > 0 {
            var dz = [Double](repeating: 0, count: B * rows * L)
            for b in 0..<B { for h in 0..<H {
                let o = (b * H + h) * L, z2 = (b * rows + rows - H + h) * L
                for l in 0..<L {
                    let s = t.gate[o + l], gv = go[o + l]
                    switch self {
                    case .gatedGELU:
                        let z1 = (b * rows + h) * L
                        dz[z1 + l] = gv * s                                                  // ∂z₁ = ∂out σ(z₂)
                        dz[z2 + l] = gv * t.z[z1 + l] * s * (1 - s)                          // ∂z₂ = ∂out z₁ σ′
                    case .bilinear:
                        let z1 = (b * rows + h) * L
                        dz[z1 + l] = gv * s; dz[z2 + l] = gv * t.z[z1 + l]                    // ∂z₁ = ∂out z₂, ∂z₂ = ∂out z₁
                    case .halfGated(let p):
                        let v = p.gatesActivation ? t.g[o + l] : t.y[o + l]
                        if p.gatesActivation { dg[o + l] = gv * s } else { dy[o + l] = gv * s }  // ∂v = ∂out σ(z₂)
                        dz[z2 + l] = gv * v * s * (1 - s)                                    // ∂z₂ = ∂out v σ′
                    case .gelu: break
                    }
                }
            } }
            var dW = [Double](repeating: 0, count: rows * H), dBias = [Double](repeating: 0, count: rows)
            dz.withUnsafeBufferPointer { zb in t.g.withUnsafeBufferPointer { gb in weight.withUnsafeBufferPointer { wb in
                dg.withUnsafeMutableBufferPointer { db in dW.withUnsafeMutableBufferPointer { wgb in
                    for b in 0..<B {
                        MatrixProduct.gemm(transA: true, transB: false, m: H, n: L, k: rows, alpha: 1, a: wb.baseAddress!, lda: H,
                                           b: zb.baseAddress! + b * rows * L, ldb: L, beta: 1,
                                           c: db.baseAddress! + b * H * L, ldc: L)                   // ∂g += Wᵀ ∂z
                        MatrixProduct.gemm(transA: false, transB: true, m: rows, n: H, k: L, alpha: 1,
                                           a: zb.baseAddress! + b * rows * L, lda: L, b: gb.baseAddress! + b * H * L, ldb: L,
                                           beta: 1, c: wgb.baseAddress!, ldc: H)                     // ∂W += ∂z gᵀ
                    }
                } }
            } } }
            for b in 0..<B { for r in 0..<rows { let o = (b * rows + r) * L; for l in 0..<L { dBias[r] += dz[o + l] } } }
            headGradient.weight = dW; headGradient.bias = dBias
        }
        let form = geluForm, bilinear = kind == .bilinear
        for b in 0..<B { for h in 0..<H {
            let o = (b * H + h) * L, s = t.mask?[b * H + h] ?? 1
            if bilinear { for l in 0..<L { dy[o + l] += dg[o + l] * s }; continue }          // g = m·y
            for l in 0..<L { dy[o + l] += dg[o + l] * s * form.derivative(t.y[o + l]) }     // ∂y += ∂g m GELU′(y)
        } }
        return (dy, headGradient)
    }
}
