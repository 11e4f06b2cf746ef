// The discrete, diagonal, multi-input multi-output linear recurrence that S5, LRU and (after diagonalising its 2×2
// blocks) LinOSS all reduce to once discretised:
//     x_k = diag(μ) x_{k−1} + B̄ u_k            (x ∈ ℂ^P, u ∈ ℝ^H)
//     y_k = f·Re(C̃ x_k) + D ⊙ u_k               (y ∈ ℝ^H; f = 2 for conjugate-symmetric S5, f = 1 otherwise)
// Unrolled from x₀ = 0 it is the causal convolution y_k = Σ_{l≤k} K_l u_{k−l} + D ⊙ u_k with the H×H kernel
//     K_l[i, j] = f·Re Σ_p C̃_ip μ_p^l B̄_pj.
// Both ways are here (the convolution by FFT or by the direct sum); they agree to rounding (~1e-12 relative in Double).
import PhasorNumerics

/// x_k = diag(μ) x_{k−1} + B̄ u_k,  y_k = f·Re(C̃ x_k) + D⊙u_k.
public struct DiagonalMIMOSystem: Sendable, Equatable {
    /// Discrete eigenvalues μ_p, p = 0..<P.
    public let mu: [Complex<Double>]
    /// B̄, P × H row-major.
    public let bBar: [Complex<Double>]
    /// C̃, H × P row-major.
    public let c: [Complex<Double>]
    /// D, H (a diagonal skip term).
    public let d: [Double]
    /// f: 2 when each stored mode stands for itself and its implied conjugate, 1 otherwise.
    public let outputFactor: Double

    /// Validates shapes and finiteness.
    public init(mu: [Complex<Double>], bBar: [Complex<Double>], c: [Complex<Double>], d: [Double], outputFactor: Double) throws {
        let p = mu.count, h = d.count
        try ArchitectureCheck.positive([("modes P", p), ("channels H", h)])
        guard bBar.count == p * h, c.count == h * p else {
            throw ArchitectureError.shapeMismatch("B̄ has \(bBar.count) entries, C̃ \(c.count); need P·H = \(p * h)")
        }
        try ArchitectureTensors.finite(mu, "μ")
        try ArchitectureTensors.finite(bBar, "B̄")
        try ArchitectureTensors.finite(c, "C̃")
        try ArchitectureCheck.count(d, h, "D")
        guard outputFactor == 1 || outputFactor == 2 else {
            throw ArchitectureError.invalid("output factor f = \(outputFactor); use 2 (conjugate-symmetric) or 1")
        }
        self.mu = mu; self.bBar = bBar; self.c = c; self.d = d; self.outputFactor = outputFactor
    }

    public var modeCount: Int { mu.count }
    public var channels: Int { d.count }

    /// Runs the recurrence on u of shape (H, L) from x₀ = 0; returns y of shape (H, L).
    public func recur(_ u: [Double], length: Int) throws -> [Double] {
        let h = channels, p = modeCount
        try ArchitectureCheck.input(u, channels: h, length: length)
        var xr = [Double](repeating: 0, count: p), xi = [Double](repeating: 0, count: p)
        let br = bBar.map(\.real), bi = bBar.map(\.imaginary), cr = c.map(\.real), ci = c.map(\.imaginary)
        let mr = mu.map(\.real), mi = mu.map(\.imaginary)
        var y = [Double](repeating: 0, count: h * length)
        for k in 0..<length {
            for q in 0..<p {
                var sr = mr[q] * xr[q] - mi[q] * xi[q], si = mr[q] * xi[q] + mi[q] * xr[q]  // μ x_{k−1}
                for j in 0..<h {
                    let uj = u[j * length + k]
                    sr += br[q * h + j] * uj; si += bi[q * h + j] * uj                      // + B̄ u_k
                }
                xr[q] = sr; xi[q] = si
            }
            for i in 0..<h {
                var re = 0.0
                for q in 0..<p { re += cr[i * p + q] * xr[q] - ci[i * p + q] * xi[q] }    // Re(C̃ x_k)_i
                y[i * length + k] = outputFactor * re + d[i] * u[i * length + k]
            }
        }
        try ArchitectureCheck.output(y, "recurrent output")
        return y
    }

    /// The kernel K_l[i, j] = f·Re Σ_p C̃_ip μ_p^l B̄_pj, shape (L, H, H) (powers μ^l re-anchored by exp every 64 steps).
    /// Computed as real matrix products, 64 steps at a time: with a_(l,i),p = C̃_ip μ_p^l,
    ///   K[(l,i), j] = f·Σ_p (Re a·Re B̄_pj − Im a·Im B̄_pj) = f·[Re a | −Im a] (LH × 2P) · [Re B̄; Im B̄] (2P × H).
    public func kernel(length: Int) throws -> [Double] {
        let h = channels, p = modeCount, block = 64
        guard length > 0 else { throw ArchitectureError.shapeMismatch("kernel length \(length) must be positive") }
        var kernel = [Double](repeating: 0, count: length * h * h)
        var right = [Double](repeating: 0, count: 2 * p * h)                     // [Re B̄; Im B̄], 2P × H
        for q in 0..<p { for j in 0..<h { right[q * h + j] = bBar[q * h + j].real; right[(p + q) * h + j] = bBar[q * h + j].imaginary } }
        let logMu = mu.map { $0 == .zero ? nil : Complex.log($0) }
        var left = [Double](repeating: 0, count: block * h * 2 * p)            // rows (l, i), columns [Re a | −Im a]
        var l0 = 0
        while l0 < length {
            let count = min(block, length - l0)
            for q in 0..<p {
                // μ^{l0} by exp (the re-anchoring), then repeated multiplication inside the block.
                var power = l0 == 0 ? Complex<Double>.one
                    : (logMu[q].map { Complex.exp($0 * Complex(Double(l0))) } ?? .zero)  // μ^l = e^{l log μ}
                for r in 0..<count {
                    if r > 0 { power = power * mu[q] }
                    for i in 0..<h {
                        let a = c[i * p + q] * power                             // a = C̃_iq μ_q^l
                        left[(r * h + i) * 2 * p + q] = a.real
                        left[(r * h + i) * 2 * p + p + q] = -a.imaginary
                    }
                }
            }
            left.withUnsafeBufferPointer { lb in right.withUnsafeBufferPointer { rb in kernel.withUnsafeMutableBufferPointer { kb in
                MatrixProduct.gemm(transA: false, transB: false, m: count * h, n: h, k: 2 * p, alpha: outputFactor,
                                   a: lb.baseAddress!, lda: 2 * p, b: rb.baseAddress!, ldb: h, beta: 0,
                                   c: kb.baseAddress! + l0 * h * h, ldc: h)        // K = f·left·right
            } } }
            l0 += count
        }
        try ArchitectureCheck.output(kernel, "convolution kernel")
        return kernel
    }

    /// y_k = Σ_{l≤k} K_l u_{k−l} + D⊙u_k by causal convolution (FFT of size 2L; `direct: true` for the O(L²H²) sum);
    /// u and y of shape (H, L).
    public func convolve(_ u: [Double], length: Int, direct: Bool = false) throws -> [Double] {
        let h = channels
        try ArchitectureCheck.input(u, channels: h, length: length)
        let kernel = try kernel(length: length)
        return try MIMOConvolution.withSkip(kernel: kernel, skip: d, input: u, channels: h, length: length,
                                            direct: direct, quantity: "convolution output")
    }

    /// The response (H_out, L) to a unit impulse on input channel `input` at step 0, by the recurrence.
    public func impulseResponse(input: Int, length: Int) throws -> [Double] {
        guard (0..<channels).contains(input) else {
            throw ArchitectureError.shapeMismatch("impulse input channel \(input) not in 0..<\(channels)")
        }
        var u = [Double](repeating: 0, count: channels * length)
        u[input * length] = 1
        return try recur(u, length: length)
    }
}
