// The time-varying oscillator reading of a selective (Mamba-style) layer for one input sequence (DESIGN.md §8).
// Each state (h, n) is a real first-order oscillator whose rate is A[h,n] = −exp(A_log[h,n]) per unit Δ, sampled at a
// token-dependent step Δ_t[h]: per token its transition is Ā_t = exp(Δ_t[h] A[h,n]), so
//     damping per step  γ_t[h,n] = −log|Ā_t| = −Δ_t[h] A[h,n] > 0,
//     frequency per step  arg Ā_t = Δ_t[h]·A_imag[h,n]  (0 for Mamba's real A; the complex option turns it on).
// The token dynamics x_t = Ā_t x_{t−1} are diagonal, so their Lyapunov exponents are exactly
//     λ[h,n] = (1/L) Σ_t log|Ā_t[h,n]| = −(1/L) Σ_t γ_t[h,n],   λ_max = max_{h,n} λ[h,n]  (< 0: contracting),
// which `LyapunovSpectrum` (QR / renormalisation) reproduces; the tests check both against each other.
import PhasorModels
import PhasorNumerics

/// Per-token damping, steps and Lyapunov exponents of a selective layer on a given input.
public struct SelectiveReading: Sendable, Equatable {
    public let length: Int
    public let channels: Int
    public let states: Int
    /// Δ_t[h], L × H.
    public let steps: [Double]
    /// A[h,n] (continuous rate per unit Δ), H × N.
    public let rates: [Double]
    /// γ_t[h,n] = −Δ_t[h] A[h,n], L × H × N (damping per step).
    public let stepDamping: [Double]
    /// ω_t[h,n] = Δ_t[h]·A_imag[h,n], L × H × N (radians per step; all zero for real A).
    public let stepFrequency: [Double]
    /// Lyapunov exponents λ[h,n] per token, H × N.
    public let lyapunovExponents: [Double]
    /// λ_max = max λ[h,n].
    public var largestLyapunovExponent: Double { lyapunovExponents.max() ?? -.infinity }

    public init(_ layer: SelectiveLayer, input u: [Double], length: Int) throws {
        let tokens = try layer.tokens(u, length: length)
        let h = layer.channels, n = layer.states, a = layer.a
        var damping = [Double](repeating: 0, count: length * h * n), frequency = damping
        for t in 0..<length { for q in 0..<h { for k in 0..<n {
            damping[(t * h + q) * n + k] = -tokens.delta[t * h + q] * a[q * n + k]                   // γ_t = −Δ_t A
            if let aImag = layer.aImag { frequency[(t * h + q) * n + k] = tokens.delta[t * h + q] * aImag[q * n + k] }  // ω_t = Δ_t A_imag
        } } }
        stepFrequency = frequency
        self.length = length; channels = h; states = n
        steps = tokens.delta; rates = a; stepDamping = damping
        lyapunovExponents = try layer.lyapunovExponents(u, length: length)
        try requireFinite(damping, "selective step damping")
    }

    /// The transitions Ā_t of channel h as real matrices for `LyapunovSpectrum`: N × N diagonal e^{−γ} for real A; with
    /// frequencies, 2N × 2N with one 2×2 block e^{−γ}[cos ω, −sin ω; sin ω, cos ω] per complex state (re, im).
    public func transitions(channel h: Int) throws -> [[Double]] {
        guard (0..<channels).contains(h) else { throw CorrespondenceError.shapeMismatch("channel \(h) not in 0..<\(channels)") }
        let complex = stepFrequency.contains { $0 != 0 }
        let n = complex ? 2 * states : states
        return (0..<length).map { t in
            var m = [Double](repeating: 0, count: n * n)
            for k in 0..<states {
                let i = (t * channels + h) * states + k
                let r = Double.exp(-stepDamping[i])                          // |Ā| = e^{−γ}
                if complex {
                    let c = r * Double.cos(stepFrequency[i]), s = r * Double.sin(stepFrequency[i])
                    m[(2 * k) * n + 2 * k] = c; m[(2 * k) * n + 2 * k + 1] = -s
                    m[(2 * k + 1) * n + 2 * k] = s; m[(2 * k + 1) * n + 2 * k + 1] = c
                } else {
                    m[k * n + k] = r
                }
            }
            return m
        }
    }
}
