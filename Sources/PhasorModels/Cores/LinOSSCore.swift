// The LinOSS core of a classifier block on a batch (B, H, L) — LinOSSLayer.swift's oscillators, forward with its tape
// and backward by hand. Per sample, with v_k = B u_k ∈ ℂ^P and each oscillator's real 2×2 transition (M, F) of its
// scheme (IM or IMEX, LinOSSLayer.swift), the state s_k = (z_k, y_k) runs from zero as
//     s_k = M s_{k−1} + F v_k,        out_k = Re(C y_k) + D ⊙ u_k
// — M and F are real, so the real and imaginary parts of s are two independent real recurrences (v_r = B_r u,
// v_i = B_i u). This IS the reference's recurrence (its associative scan of the same 2×2 blocks), including oscillators
// with relu(A_diag) = 0, whose M is the Jordan block [1 0; Δ 1] (no eigen-decomposition is needed to run them).
// Backward (g_k = ∂L/∂out_k; Λ_k = ∂L/∂s_k, from k = L−1 down):
//     ∂y_k (from the output) = Re-part: C_rᵀ g_k,  Im-part: −C_iᵀ g_k;   ∂C_r = Σ_k g_k y_r,kᵀ,  ∂C_i = −Σ_k g_k y_i,kᵀ
//     Λ_k = e_y ∂y_k + Mᵀ Λ_{k+1};   ∂v_k = Fᵀ Λ_k;   ∂M = Σ_k Λ_k s_{k−1}ᵀ;   ∂F = Σ_k Λ_k v_k   (both parts summed)
//     ∂B_r = Σ_k ∂v_r,k u_kᵀ, ∂B_i likewise;   ∂u_k = B_rᵀ ∂v_r,k + B_iᵀ ∂v_i,k + D ⊙ g_k;   ∂D = Σ_k g_k ⊙ u_k
// and (M, F) → (A, Δ) by the derivatives of the scheme's entries (`LinOSSBlock.sensitivities`), then
//     ∂A_diag = ∂A·[A_diag > 0] (relu),   ∂steps = ∂Δ·Δ(1 − Δ) (sigmoid).
import Foundation
import PhasorNumerics

extension LinOSSBlock {
    /// ∂(m00, m01, m10, m11, fz, fy)/∂A and /∂Δ of this oscillator's scheme:
    ///   IM (S = 1/(1 + Δ²A); ∂S/∂A = −Δ²S², ∂S/∂Δ = −2ΔAS²):  M = [[S, −ΔAS], [ΔS, S]],  F = [ΔS, Δ²S]
    ///   IMEX:  M = [[1, −ΔA], [Δ, 1 − Δ²A]],  F = [Δ, Δ²]
    func sensitivities(_ scheme: LinOSSScheme) -> (a: [Double], step: [Double]) {
        let d = step
        switch scheme {
        case .implicit:
            let s = 1 / (1 + d * d * a), s2 = s * s
            let sA = -d * d * s2, sD = -2 * d * a * s2                      // ∂S/∂A, ∂S/∂Δ
            return ([sA, -d * s - d * a * sA, d * sA, sA, d * sA, d * d * sA],
                    [sD, -a * s - d * a * sD, s + d * sD, sD, s + d * sD, 2 * d * s + d * d * sD])
        case .implicitExplicit:
            return ([0, -d, 0, -d * d, 0, 0], [0, -a, 1, -2 * d * a, 1, 2 * d])
        }
    }
}

extension LinOSSLayer {
    /// The reference initialisation (tk-rusch/linoss `LinOSSLayer`): A_diag ~ U[0, 1), B ~ U[−1/√H, 1/√H) per real
    /// and imaginary part, C ~ U[−1/√P, 1/√P) per part, D ~ N(0, 1), steps ~ U[0, 1) (so Δ ∈ [0.5, 0.73)).
    public init(channels h: Int, oscillators p: Int, scheme: LinOSSScheme, generator g: inout SeededGenerator) throws {
        try ArchitectureCheck.positive([("H (channels)", h), ("P (oscillators)", p)])
        let aDiag = (0..<p).map { _ in g.uniform() }
        let sb = 1 / Double(h).squareRoot(), sc = 1 / Double(p).squareRoot()
        let b = (0..<(p * h)).map { _ in Complex((2 * g.uniform() - 1) * sb, (2 * g.uniform() - 1) * sb) }
        let c = (0..<(h * p)).map { _ in Complex((2 * g.uniform() - 1) * sc, (2 * g.uniform() - 1) * sc) }
        let d = (0..<h).map { _ in g.normal() }
        let steps = (0..<p).map { _ in g.uniform() }
        try self.init(aDiag: aDiag, b: b, c: c, d: d, steps: steps, scheme: scheme)
    }

    /// What the batched backward needs: the input, the blocks, v = B u and every state s_k (per sample).
    struct BatchTape {
        var input: [Double]
        var blocks: [LinOSSBlock]
        var length: Int
        /// Per sample: v_r, v_i (P, L) and the states z_r, y_r, z_i, y_i (P, L) after each step.
        var samples: [(vr: [Double], vi: [Double], zr: [Double], yr: [Double], zi: [Double], yi: [Double])]
    }

    /// Real and imaginary parts of B (P, H) and C (H, P).
    private var parts: (br: [Double], bi: [Double], cr: [Double], ci: [Double]) {
        (b.map(\.real), b.map(\.imaginary), c.map(\.real), c.map(\.imaginary))
    }

    /// out (B, H, L) from u (B, H, L), each sample by the oscillators' recurrence from a zero state.
    func forwardTape(_ u: [Double], batch: Int, length L: Int) throws -> ([Double], BatchTape) {
        let H = channels, P = oscillators
        guard batch > 0, L > 0, u.count == batch * H * L else {
            throw ModelError.shapeMismatch(key: "LinOSS input (B, H, L)", expected: [batch, H, L], found: [u.count])
        }
        let blocks = try self.blocks(requireStable: false), (br, bi, cr, ci) = parts
        var out = [Double](repeating: 0, count: u.count)
        var samples: BatchTape.Samples = []
        for s in 0..<batch {
            let o = s * H * L
            var vr = [Double](repeating: 0, count: P * L), vi = vr
            u.withUnsafeBufferPointer { ub in
                Self.product(br, P, H, ub.baseAddress! + o, L, &vr)                 // v_r = B_r u
                Self.product(bi, P, H, ub.baseAddress! + o, L, &vi)                 // v_i = B_i u
            }
            var zr = vr, yr = vr, zi = vr, yi = vr
            for q in 0..<P {
                let m = blocks[q]
                var pz = 0.0, py = 0.0, qz = 0.0, qy = 0.0                           // s_{k−1}, real and imaginary
                for k in 0..<L {
                    let i = q * L + k
                    (pz, py) = (m.m00 * pz + m.m01 * py + m.fz * vr[i], m.m10 * pz + m.m11 * py + m.fy * vr[i])  // s = M s + F v
                    (qz, qy) = (m.m00 * qz + m.m01 * qy + m.fz * vi[i], m.m10 * qz + m.m11 * qy + m.fy * vi[i])
                    zr[i] = pz; yr[i] = py; zi[i] = qz; yi[i] = qy
                }
            }
            var y = [Double](repeating: 0, count: H * L), yim = y
            Self.product(cr, H, P, yr, L, &y)                                        // C_r y_r
            Self.product(ci, H, P, yi, L, &yim)                                      // C_i y_i
            for h in 0..<H { for k in 0..<L {
                out[o + h * L + k] = y[h * L + k] - yim[h * L + k] + d[h] * u[o + h * L + k]   // Re(C y) + D u
            } }
            samples.append((vr, vi, zr, yr, zi, yi))
        }
        try requireFinite(out, "LinOSS output")
        return (out, BatchTape(input: u, blocks: blocks, length: L, samples: samples))
    }

    /// ∂L/∂u (B, H, L) and ∂L/∂(A_diag, B, C, D, steps) as a layer of the same sizes, given ∂L/∂out.
    func backward(_ tape: BatchTape, outputGradient g: [Double]) throws -> (input: [Double], gradient: LinOSSLayer) {
        let H = channels, P = oscillators, L = tape.length, (br, bi, cr, ci) = parts
        var du = [Double](repeating: 0, count: g.count)
        var gBr = [Double](repeating: 0, count: P * H), gBi = gBr, gCr = [Double](repeating: 0, count: H * P), gCi = gCr
        var gD = [Double](repeating: 0, count: H), gM = [Double](repeating: 0, count: 6 * P)   // ∂(m00, m01, m10, m11, fz, fy)
        for (s, t) in tape.samples.enumerated() {
            let o = s * H * L
            let gs = Array(g[o ..< o + H * L]), us = Array(tape.input[o ..< o + H * L])
            for h in 0..<H { for k in 0..<L {
                gD[h] += gs[h * L + k] * us[h * L + k]                               // ∂D = Σ g u
                du[o + h * L + k] = d[h] * gs[h * L + k]                            // ∂u = D g
            } }
            Self.productTransposedRight(gs, H, L, t.yr, P, &gCr, scale: 1)          // ∂C_r += g y_rᵀ
            Self.productTransposedRight(gs, H, L, t.yi, P, &gCi, scale: -1)         // ∂C_i −= g y_iᵀ
            var gyr = [Double](repeating: 0, count: P * L), gyi = gyr
            Self.productTransposedLeft(cr, H, P, gs, L, &gyr, scale: 1)             // ∂y_r = C_rᵀ g
            Self.productTransposedLeft(ci, H, P, gs, L, &gyi, scale: -1)            // ∂y_i = −C_iᵀ g
            var gvr = gyr, gvi = gyi
            /// One real recurrence (the real or the imaginary part) backwards: ∂v into gv, ∂M and ∂F into gM.
            func adjoint(_ gy: [Double], _ v: [Double], _ z: [Double], _ y: [Double], _ gv: inout [Double]) {
                for q in 0..<P {
                    let m = tape.blocks[q]
                    var lz = 0.0, ly = 0.0                                           // Mᵀ Λ_{k+1}
                    for k in stride(from: L - 1, through: 0, by: -1) {
                        let i = q * L + k
                        ly += gy[i]                                                  // Λ_k = e_y ∂y_k + Mᵀ Λ_{k+1}
                        let pz = k > 0 ? z[i - 1] : 0, py = k > 0 ? y[i - 1] : 0     // s_{k−1}
                        gM[6 * q] += lz * pz; gM[6 * q + 1] += lz * py              // ∂M += Λ s_{k−1}ᵀ
                        gM[6 * q + 2] += ly * pz; gM[6 * q + 3] += ly * py
                        gM[6 * q + 4] += lz * v[i]; gM[6 * q + 5] += ly * v[i]      // ∂F += Λ v
                        gv[i] = m.fz * lz + m.fy * ly                               // ∂v_k = Fᵀ Λ_k
                        (lz, ly) = (m.m00 * lz + m.m10 * ly, m.m01 * lz + m.m11 * ly)  // Mᵀ Λ_k
                    }
                }
            }
            adjoint(gyr, t.vr, t.zr, t.yr, &gvr)
            adjoint(gyi, t.vi, t.zi, t.yi, &gvi)
            Self.productTransposedRight(gvr, P, L, us, H, &gBr, scale: 1)           // ∂B_r += ∂v_r uᵀ
            Self.productTransposedRight(gvi, P, L, us, H, &gBi, scale: 1)
            var back = [Double](repeating: 0, count: H * L)
            Self.productTransposedLeft(br, P, H, gvr, L, &back, scale: 1)           // ∂u += B_rᵀ ∂v_r
            Self.productTransposedLeft(bi, P, H, gvi, L, &back, scale: 1, accumulate: true)  // + B_iᵀ ∂v_i
            for e in 0..<(H * L) { du[o + e] += back[e] }
        }
        var gA = [Double](repeating: 0, count: P), gSteps = gA
        for q in 0..<P {
            let m = tape.blocks[q], (sa, sd) = m.sensitivities(scheme)
            var da = 0.0, dd = 0.0
            for j in 0..<6 { da += gM[6 * q + j] * sa[j]; dd += gM[6 * q + j] * sd[j] }
            gA[q] = aDiag[q] > 0 ? da : 0                                            // relu
            gSteps[q] = dd * m.step * (1 - m.step)                                   // sigmoid′ = Δ(1 − Δ)
        }
        try requireFinite(du, "LinOSS input gradient")
        let gradient = try LinOSSLayer(aDiag: gA, b: zip(gBr, gBi).map { Complex($0, $1) },
                                       c: zip(gCr, gCi).map { Complex($0, $1) }, d: gD, steps: gSteps, scheme: scheme)
        return (du, gradient)
    }

    // MARK: the products (row-major, BLAS through MatrixProduct.gemm)

    /// out (m, n) = W (m, k) · X (k, n).
    private static func product(_ w: [Double], _ m: Int, _ k: Int, _ x: UnsafePointer<Double>, _ n: Int, _ out: inout [Double]) {
        w.withUnsafeBufferPointer { wb in out.withUnsafeMutableBufferPointer { ob in
            MatrixProduct.gemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: wb.baseAddress!, lda: k,
                               b: x, ldb: n, beta: 0, c: ob.baseAddress!, ldc: n)
        } }
    }

    private static func product(_ w: [Double], _ m: Int, _ k: Int, _ x: [Double], _ n: Int, _ out: inout [Double]) {
        x.withUnsafeBufferPointer { product(w, m, k, $0.baseAddress!, n, &out) }
    }

    /// out (m, p) += scale · A (m, n) · Bᵀ, B (p, n).
    private static func productTransposedRight(_ a: [Double], _ m: Int, _ n: Int, _ b: [Double], _ p: Int,
                                               _ out: inout [Double], scale: Double) {
        a.withUnsafeBufferPointer { ab in b.withUnsafeBufferPointer { bb in out.withUnsafeMutableBufferPointer { ob in
            MatrixProduct.gemm(transA: false, transB: true, m: m, n: p, k: n, alpha: scale, a: ab.baseAddress!, lda: n,
                               b: bb.baseAddress!, ldb: n, beta: 1, c: ob.baseAddress!, ldc: p)
        } } }
    }

    /// out (k, n) = scale · Wᵀ X (+ out when accumulating), W (m, k), X (m, n).
    private static func productTransposedLeft(_ w: [Double], _ m: Int, _ k: Int, _ x: [Double], _ n: Int,
                                              _ out: inout [Double], scale: Double, accumulate: Bool = false) {
        w.withUnsafeBufferPointer { wb in x.withUnsafeBufferPointer { xb in out.withUnsafeMutableBufferPointer { ob in
            MatrixProduct.gemm(transA: true, transB: false, m: k, n: n, k: m, alpha: scale, a: wb.baseAddress!, lda: k,
                               b: xb.baseAddress!, ldb: n, beta: accumulate ? 1 : 0, c: ob.baseAddress!, ldc: n)
        } } }
    }
}

extension LinOSSLayer.BatchTape {
    typealias Samples = [(vr: [Double], vi: [Double], zr: [Double], yr: [Double], zi: [Double], yi: [Double])]
}
