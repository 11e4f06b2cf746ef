// The model's execution of a diagonal MIMO recurrence (DiagonalMIMOSystem.swift) over a batch (B, H, L), forward and
// backward side by side — the S5 and LRU cores run through it. Per sample, with U (H × L) and states X (P × L):
//   V = B̄ U                                   (two real products: Re B̄·U, Im B̄·U)
//   x_k = μ ⊙ x_{k−1} + v_k  (x_{−1} = 0)      causal;   reversed: x_k = μ ⊙ x_{k+1} + v_k from x_n = 0 (n = the
//                                              sample's length: padding after it never enters the valid steps)
//   Y = f·(Re C̃·Re X − Im C̃·Im X) + D⊙U      (with `skip`; a reversed scan of a bidirectional core has no D)
// Backward, with complex cotangents g = ∂L/∂Re z + i·∂L/∂Im z:
//   G = f·conj(C̃)ᵀ ∂Y                         (Re: f·Re C̃ᵀ∂Y, Im: −f·Im C̃ᵀ∂Y)
//   λ_k = G_k + conj(μ) ⊙ λ_{k+1}              (the adjoint scan, run against the forward scan's direction)
//   ∂μ = Σ_k λ_k ⊙ conj(x_{k−1}),  ∂B̄ = Λ Uᵀ,  ∂C̃ = f·∂Y·conj(X)ᵀ,  ∂D = Σ_l ∂Y⊙U,
//   ∂U = Re B̄ᵀ Re Λ + Im B̄ᵀ Im Λ + D⊙∂Y
// Samples run in parallel; parameter gradients are summed per sample and then over samples in order.
import PhasorNumerics

/// What the backward pass of a scan needs: the states X (B, P, L), split re/im.
struct ScanTape: Sendable {
    var xr: [Double]
    var xi: [Double]
}

/// ∂L/∂(μ, B̄, C̃, D) of a diagonal MIMO system (complex cotangents as above).
struct DiagonalSystemGradient: Sendable {
    var mu: [Complex<Double>]
    var bBar: [Complex<Double>]
    var c: [Complex<Double>]
    var d: [Double]
}

extension DiagonalMIMOSystem {
    /// y (B, H, L) of u (B, H, L), and the states. `lengths[b]` bounds a reversed scan.
    func scan(_ u: [Double], batch B: Int, length L: Int, lengths: [Int], reverse: Bool, skip: Bool) -> ([Double], ScanTape) {
        let H = channels, P = modeCount, f = outputFactor
        let br = bBar.map(\.real), bi = bBar.map(\.imaginary), cr = c.map(\.real), ci = c.map(\.imaginary)
        let mr = mu.map(\.real), mi = mu.map(\.imaginary), dd = d
        var y = [Double](repeating: 0, count: B * H * L)
        var xr = [Double](repeating: 0, count: B * P * L), xi = xr
        u.withUnsafeBufferPointer { ub in y.withUnsafeMutableBufferPointer { yb in
            xr.withUnsafeMutableBufferPointer { xrb in xi.withUnsafeMutableBufferPointer { xib in
                let up = SharedReadPointer(ub.baseAddress!), yp = SharedPointer(yb.baseAddress!)
                let rp = SharedPointer(xrb.baseAddress!), ip = SharedPointer(xib.baseAddress!)
                parallelFor(B) { b in
                    let U = up.base + b * H * L, Y = yp.base + b * H * L, Xr = rp.base + b * P * L, Xi = ip.base + b * P * L
                    br.withUnsafeBufferPointer { brp in bi.withUnsafeBufferPointer { bip in
                        MatrixProduct.gemm(transA: false, transB: false, m: P, n: L, k: H, alpha: 1, a: brp.baseAddress!, lda: H,
                                           b: U, ldb: L, beta: 0, c: Xr, ldc: L)                     // Re V = Re B̄·U
                        MatrixProduct.gemm(transA: false, transB: false, m: P, n: L, k: H, alpha: 1, a: bip.baseAddress!, lda: H,
                                           b: U, ldb: L, beta: 0, c: Xi, ldc: L)                     // Im V = Im B̄·U
                    } }
                    let n = reverse ? lengths[b] : L
                    for p in 0..<P {
                        let r = Xr + p * L, i = Xi + p * L, a = mr[p], w = mi[p]
                        var sr = 0.0, si = 0.0
                        if reverse {
                            for k in stride(from: n - 1, through: 0, by: -1) {               // x_k = μ x_{k+1} + v_k
                                let nr = a * sr - w * si + r[k], ni = a * si + w * sr + i[k]
                                r[k] = nr; i[k] = ni; sr = nr; si = ni
                            }
                            for k in n..<L { r[k] = 0; i[k] = 0 }
                        } else {
                            for k in 0..<L {                                                 // x_k = μ x_{k−1} + v_k
                                let nr = a * sr - w * si + r[k], ni = a * si + w * sr + i[k]
                                r[k] = nr; i[k] = ni; sr = nr; si = ni
                            }
                        }
                    }
                    cr.withUnsafeBufferPointer { crp in ci.withUnsafeBufferPointer { cip in
                        MatrixProduct.gemm(transA: false, transB: false, m: H, n: L, k: P, alpha: f, a: crp.baseAddress!, lda: P,
                                           b: Xr, ldb: L, beta: 0, c: Y, ldc: L)                     // f·Re C̃·Re X
                        MatrixProduct.gemm(transA: false, transB: false, m: H, n: L, k: P, alpha: -f, a: cip.baseAddress!, lda: P,
                                           b: Xi, ldb: L, beta: 1, c: Y, ldc: L)                     // − f·Im C̃·Im X
                    } }
                    if skip { for h in 0..<H { let v = dd[h]; for l in 0..<L { Y[h * L + l] += v * U[h * L + l] } } }  // + D⊙u
                }
            } }
        } }
        return (y, ScanTape(xr: xr, xi: xi))
    }

    /// ∂L/∂u (B, H, L) and ∂L/∂(μ, B̄, C̃, D) given ∂L/∂y of `scan` (same direction, lengths and skip).
    func scanBackward(_ u: [Double], tape: ScanTape, outputGradient gy: [Double], batch B: Int, length L: Int,
                      lengths: [Int], reverse: Bool, skip: Bool) -> ([Double], DiagonalSystemGradient) {
        let H = channels, P = modeCount, f = outputFactor
        let br = bBar.map(\.real), bi = bBar.map(\.imaginary), cr = c.map(\.real), ci = c.map(\.imaginary)
        let mr = mu.map(\.real), mi = mu.map(\.imaginary), dd = d
        var du = [Double](repeating: 0, count: B * H * L)
        // per-sample partial gradients: μ (2P), B̄ (2PH), C̃ (2HP), D (H); scratch Λ (2PL)
        let width = 2 * P + 4 * P * H + H
        var partial = [Double](repeating: 0, count: B * width)
        var adjoint = [Double](repeating: 0, count: B * 2 * P * L)
        u.withUnsafeBufferPointer { ub in gy.withUnsafeBufferPointer { gb in du.withUnsafeMutableBufferPointer { db in
            tape.xr.withUnsafeBufferPointer { xrb in tape.xi.withUnsafeBufferPointer { xib in
                partial.withUnsafeMutableBufferPointer { pb in adjoint.withUnsafeMutableBufferPointer { ab in
                    let up = SharedReadPointer(ub.baseAddress!), gp = SharedReadPointer(gb.baseAddress!)
                    let dp = SharedPointer(db.baseAddress!), rp = SharedReadPointer(xrb.baseAddress!)
                    let ip = SharedReadPointer(xib.baseAddress!), pp = SharedPointer(pb.baseAddress!), ap = SharedPointer(ab.baseAddress!)
                    parallelFor(B) { b in
                        let U = up.base + b * H * L, G = gp.base + b * H * L, DU = dp.base + b * H * L
                        let Xr = rp.base + b * P * L, Xi = ip.base + b * P * L
                        let Lr = ap.base + b * 2 * P * L, Li = Lr + P * L
                        let out = pp.base + b * width
                        let dMu = out, dBr = out + 2 * P, dBi = dBr + P * H, dCr = dBi + P * H, dCi = dCr + H * P, dD = dCi + H * P
                        cr.withUnsafeBufferPointer { crp in ci.withUnsafeBufferPointer { cip in
                            MatrixProduct.gemm(transA: true, transB: false, m: P, n: L, k: H, alpha: f, a: crp.baseAddress!, lda: P,
                                               b: G, ldb: L, beta: 0, c: Lr, ldc: L)                 // Re G = f·Re C̃ᵀ ∂Y
                            MatrixProduct.gemm(transA: true, transB: false, m: P, n: L, k: H, alpha: -f, a: cip.baseAddress!, lda: P,
                                               b: G, ldb: L, beta: 0, c: Li, ldc: L)                 // Im G = −f·Im C̃ᵀ ∂Y
                        } }
                        let n = reverse ? lengths[b] : L
                        for p in 0..<P {
                            let r = Lr + p * L, i = Li + p * L, xr = Xr + p * L, xi = Xi + p * L, a = mr[p], w = mi[p]
                            var sr = 0.0, si = 0.0, gr = 0.0, gi = 0.0
                            if reverse {
                                for k in 0..<n {                                             // λ_k = G_k + conj(μ) λ_{k−1}
                                    let nr = r[k] + a * sr + w * si, ni = i[k] + a * si - w * sr
                                    r[k] = nr; i[k] = ni; sr = nr; si = ni
                                    let pr = k + 1 < n ? xr[k + 1] : 0, pi = k + 1 < n ? xi[k + 1] : 0   // x_{k+1}
                                    gr += nr * pr + ni * pi; gi += ni * pr - nr * pi          // λ_k conj(x_{k+1})
                                }
                                for k in n..<L { r[k] = 0; i[k] = 0 }
                            } else {
                                for k in stride(from: L - 1, through: 0, by: -1) {           // λ_k = G_k + conj(μ) λ_{k+1}
                                    let nr = r[k] + a * sr + w * si, ni = i[k] + a * si - w * sr
                                    r[k] = nr; i[k] = ni; sr = nr; si = ni
                                    let pr = k > 0 ? xr[k - 1] : 0, pi = k > 0 ? xi[k - 1] : 0       // x_{k−1}
                                    gr += nr * pr + ni * pi; gi += ni * pr - nr * pi          // λ_k conj(x_{k−1})
                                }
                            }
                            dMu[2 * p] = gr; dMu[2 * p + 1] = gi
                        }
                        MatrixProduct.gemm(transA: false, transB: true, m: P, n: H, k: L, alpha: 1, a: Lr, lda: L, b: U, ldb: L,
                                           beta: 0, c: dBr, ldc: H)                                   // ∂Re B̄ = Re Λ Uᵀ
                        MatrixProduct.gemm(transA: false, transB: true, m: P, n: H, k: L, alpha: 1, a: Li, lda: L, b: U, ldb: L,
                                           beta: 0, c: dBi, ldc: H)                                   // ∂Im B̄ = Im Λ Uᵀ
                        MatrixProduct.gemm(transA: false, transB: true, m: H, n: P, k: L, alpha: f, a: G, lda: L, b: Xr, ldb: L,
                                           beta: 0, c: dCr, ldc: P)                                   // ∂Re C̃ = f ∂Y Re Xᵀ
                        MatrixProduct.gemm(transA: false, transB: true, m: H, n: P, k: L, alpha: -f, a: G, lda: L, b: Xi, ldb: L,
                                           beta: 0, c: dCi, ldc: P)                                   // ∂Im C̃ = −f ∂Y Im Xᵀ
                        br.withUnsafeBufferPointer { brp in bi.withUnsafeBufferPointer { bip in
                            MatrixProduct.gemm(transA: true, transB: false, m: H, n: L, k: P, alpha: 1, a: brp.baseAddress!, lda: H,
                                               b: Lr, ldb: L, beta: 0, c: DU, ldc: L)                // ∂U = Re B̄ᵀ Re Λ
                            MatrixProduct.gemm(transA: true, transB: false, m: H, n: L, k: P, alpha: 1, a: bip.baseAddress!, lda: H,
                                               b: Li, ldb: L, beta: 1, c: DU, ldc: L)                //    + Im B̄ᵀ Im Λ
                        } }
                        for h in 0..<H {
                            var s = 0.0
                            if skip {
                                let v = dd[h]
                                for l in 0..<L { DU[h * L + l] += v * G[h * L + l]; s += G[h * L + l] * U[h * L + l] }  // D⊙∂Y, Σ ∂Y⊙U
                            }
                            dD[h] = s
                        }
                    }
                } }
            } }
        } } }
        var total = [Double](repeating: 0, count: width)
        for b in 0..<B { for j in 0..<width { total[j] += partial[b * width + j] } }
        let dBr = 2 * P, dBi = dBr + P * H, dCr = dBi + P * H, dCi = dCr + H * P, dD = dCi + H * P
        let grad = DiagonalSystemGradient(
            mu: (0..<P).map { Complex(total[2 * $0], total[2 * $0 + 1]) },
            bBar: (0..<(P * H)).map { Complex(total[dBr + $0], total[dBi + $0]) },
            c: (0..<(H * P)).map { Complex(total[dCr + $0], total[dCi + $0]) },
            d: Array(total[dD ..< dD + H]))
        return (du, grad)
    }
}
