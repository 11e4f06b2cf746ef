// The S6 core of a classifier block on a batch (B, H, L): the selective scan of SelectiveLayer.swift (forward: its
// own `tokens` and `forward`, one sample at a time) and its backward, written by hand here. Per sample, per token t
// (u_t ∈ ℝ^H, A = −exp(A_log), rank R, N states):
//   ξ_t = W_x u_t,  δ_t = ξ_t[0..<R],  B_t = ξ_t[R..<R+N],  C_t = ξ_t[R+N..<R+2N]
//   s_t = W_dt δ_t + b_dt,   Δ_t = softplus(s_t)
//   x_t[h,n] = e^{Δ_t[h] A[h,n]} x_{t−1}[h,n] + Δ_t[h] B_t[n] u_t[h],   y_t[h] = Σ_n C_t[n] x_t[h,n] + D[h] u_t[h]
// Backward (g_t = ∂L/∂y_t; λ_t = ∂L/∂x_t accumulated from t = L−1 down, with μ_t = e^{Δ_t A}):
//   λ_t = g_t C_t + μ_{t+1} λ_{t+1}
//   ∂C_t[n] = Σ_h g_t[h] x_t[h,n],   ∂D[h] = Σ_t g_t[h] u_t[h],   ∂u_t[h] ∋ g_t[h] D[h]
//   ∂Δ_t[h] = Σ_n λ_t (x_{t−1} μ_t A + B_t u_t),   ∂A[h,n] = Σ_t λ_t x_{t−1} μ_t Δ_t,   ∂A_log = ∂A ⊙ A
//   ∂B_t[n] = Σ_h λ_t Δ_t u_t,   ∂u_t[h] ∋ Σ_n λ_t Δ_t B_t
//   ∂s_t = ∂Δ_t σ(s_t) with σ(s) = softplus′(s) = 1 − e^{−Δ} (exact from Δ itself),
//   ∂b_dt = Σ_t ∂s_t,  ∂W_dt = Σ_t ∂s_t δ_tᵀ,  ∂δ_t = W_dtᵀ ∂s_t
//   ∂ξ_t = [∂δ_t; ∂B_t; ∂C_t],  ∂W_x = Σ_t ∂ξ_t u_tᵀ,  ∂u_t ∋ W_xᵀ ∂ξ_t
// The states x_t are recomputed in the backward pass (one sample at a time), so the tape holds only the input and
// Δ, B, C: memory O(B·L·(H + N)) instead of O(B·L·H·N).
import Foundation
import PhasorNumerics

extension SelectiveLayer {
    /// What the batched backward needs: the input (B, H, L) and each sample's Δ, B, C.
    struct BatchTape {
        var input: [Double]
        var tokens: [SelectiveTokens]
        var length: Int
    }

    /// y (B, H, L) from u (B, H, L), each sample by the selective scan from a zero state.
    func forwardTape(_ u: [Double], batch: Int, length L: Int) throws -> ([Double], BatchTape) {
        let H = channels
        guard batch > 0, L > 0, u.count == batch * H * L else {
            throw ModelError.shapeMismatch(key: "S6 input (B, H, L)", expected: [batch, H, L], found: [u.count])
        }
        var y = [Double](repeating: 0, count: u.count)
        var tokens: [SelectiveTokens] = []
        for b in 0..<batch {
            let ub = Array(u[(b * H * L) ..< ((b + 1) * H * L)])
            tokens.append(try self.tokens(ub, length: L))
            y.replaceSubrange((b * H * L) ..< ((b + 1) * H * L), with: try forward(ub, length: L))
        }
        return (y, BatchTape(input: u, tokens: tokens, length: L))
    }

    /// ∂L/∂u (B, H, L) and ∂L/∂(A_log, D, x_proj, dt_proj) as a layer of the same sizes, given ∂L/∂y.
    func backward(_ tape: BatchTape, outputGradient g: [Double]) throws -> (input: [Double], gradient: SelectiveLayer) {
        guard aImag == nil else { throw ModelError.invalidConfiguration("the S6 backward is written for real A (no A_imag)") }
        let H = channels, N = states, R = dtRank, L = tape.length, batch = tape.tokens.count, rows = R + 2 * N
        let a = self.a
        var du = [Double](repeating: 0, count: g.count)
        var gALog = [Double](repeating: 0, count: H * N), gD = [Double](repeating: 0, count: H)
        var gX = [Double](repeating: 0, count: rows * H), gDtW = [Double](repeating: 0, count: H * R)
        var gDtB = [Double](repeating: 0, count: H)
        for b in 0..<batch {
            let tok = tape.tokens[b], o = b * H * L
            let u = Array(tape.input[o ..< o + H * L]), gy = Array(g[o ..< o + H * L])
            // the states x_t (L, H, N), recomputed
            var x = [Double](repeating: 0, count: L * H * N)
            for t in 0..<L { for h in 0..<H {
                let dt = tok.delta[t * H + h], ut = u[h * L + t]
                for n in 0..<N {
                    let prev = t > 0 ? x[((t - 1) * H + h) * N + n] : 0
                    x[(t * H + h) * N + n] = Double.exp(dt * a[h * N + n]) * prev + dt * tok.b[t * N + n] * ut
                } } }
            var lambda = [Double](repeating: 0, count: H * N)
            var gDelta = [Double](repeating: 0, count: L * H)
            var gXi = [Double](repeating: 0, count: rows * L)                       // ∂ξ (rows, L)
            for t in stride(from: L - 1, through: 0, by: -1) {
                for h in 0..<H {
                    let gv = gy[h * L + t], ut = u[h * L + t], dt = tok.delta[t * H + h]
                    gD[h] += gv * ut                                                 // ∂D
                    var dut = gv * d[h], dDelta = 0.0
                    for n in 0..<N {
                        let i = h * N + n, xt = x[(t * H + h) * N + n]
                        let prev = t > 0 ? x[((t - 1) * H + h) * N + n] : 0
                        let mu = Double.exp(dt * a[i]), bt = tok.b[t * N + n]
                        var lam = lambda[i] + gv * tok.c[t * N + n]                  // λ_t = g_t C_t + μ_{t+1} λ_{t+1}
                        gXi[(R + N + n) * L + t] += gv * xt                          // ∂C_t
                        let gMu = lam * prev                                         // ∂L/∂μ_t
                        dDelta += gMu * mu * a[i] + lam * bt * ut                    // ∂Δ_t
                        gALog[i] += gMu * mu * dt * a[i]                             // ∂A·A = ∂A_log
                        gXi[(R + n) * L + t] += lam * dt * ut                        // ∂B_t
                        dut += lam * dt * bt                                         // ∂u_t
                        lam *= mu                                                    // carried to t − 1
                        lambda[i] = lam
                    }
                    du[o + h * L + t] += dut
                    gDelta[t * H + h] = dDelta
                }
            }
            // Δ = softplus(s): ∂s = ∂Δ (1 − e^{−Δ}); s = W_dt δ + b_dt with δ = W_x[0..<R] u
            var delta = [Double](repeating: 0, count: R * L)                         // δ (R, L)
            for k in 0..<R { for t in 0..<L {
                var s = 0.0
                for h in 0..<H { s += xProjWeight[k * H + h] * u[h * L + t] }
                delta[k * L + t] = s
            } }
            for t in 0..<L { for h in 0..<H {
                let gs = gDelta[t * H + h] * -Double.expMinusOne(-tok.delta[t * H + h])  // σ(s) = 1 − e^{−Δ}
                gDtB[h] += gs
                for k in 0..<R {
                    gDtW[h * R + k] += gs * delta[k * L + t]                        // ∂W_dt = Σ_t ∂s δᵀ
                    gXi[k * L + t] += dtProjWeight[h * R + k] * gs                   // ∂δ = W_dtᵀ ∂s
                }
            } }
            gXi.withUnsafeBufferPointer { gb in u.withUnsafeBufferPointer { ub in xProjWeight.withUnsafeBufferPointer { wb in
                gX.withUnsafeMutableBufferPointer { gw in du.withUnsafeMutableBufferPointer { db in
                    MatrixProduct.gemm(transA: false, transB: true, m: rows, n: H, k: L, alpha: 1, a: gb.baseAddress!, lda: L,
                                       b: ub.baseAddress!, ldb: L, beta: 1, c: gw.baseAddress!, ldc: H)   // ∂W_x += ∂ξ uᵀ
                    MatrixProduct.gemm(transA: true, transB: false, m: H, n: L, k: rows, alpha: 1, a: wb.baseAddress!, lda: H,
                                       b: gb.baseAddress!, ldb: L, beta: 1, c: db.baseAddress! + o, ldc: L)  // ∂u += W_xᵀ ∂ξ
                } }
            } } }
        }
        try requireFinite(du, "S6 input gradient")
        let gradient = try SelectiveLayer(aLog: gALog, d: gD, xProjWeight: gX, dtProjWeight: gDtW, dtProjBias: gDtB,
                                          states: N, dtRank: R)
        return (du, gradient)
    }
}
