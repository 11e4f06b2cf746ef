// The time-varying oscillator reading of a selective (Mamba-style) layer for one input sequence (DESIGN.md §8).
// Each state (h, n) is a real first-order oscillator whose rate is A[h,n] = −exp(A_log[h,n]) per unit Δ, sampled at a
// token-dependent step Δ_t[h]: per token its transition is Ā_t = exp(Δ_t[h] A[h,n]), so
//     damping per step  γ_t[h,n] = −log Ā_t = −Δ_t[h] A[h,n] > 0,   frequency per step  arg Ā_t = 0 (A real).
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
    /// Lyapunov exponents λ[h,n] per token, H × N.
    public let lyapunovExponents: [Double]

    /// Frequencies per step: all zero for real A (arg of a positive real Ā_t).
    public var stepFrequency: [Double] { [Double](repeating: 0, count: stepDamping.count) }
    /// λ_max = max λ[h,n].
    public var largestLyapunovExponent: Double { lyapunovExponents.max() ?? -.infinity }

    public init(_ layer: SelectiveLayer, input u: [Double], length: Int) throws {
        let tokens = try layer.tokens(u, length: length)
        let h = layer.channels, n = layer.states, a = layer.a
        var damping = [Double](repeating: 0, count: length * h * n)
        for t in 0..<length { for q in 0..<h { for k in 0..<n {
            damping[(t * h + q) * n + k] = -tokens.delta[t * h + q] * a[q * n + k]  // γ_t = −Δ_t A
        } } }
        self.length = length; channels = h; states = n
        steps = tokens.delta; rates = a; stepDamping = damping
        lyapunovExponents = try layer.lyapunovExponents(u, length: length)
        try requireFinite(damping, "selective step damping")
    }

    /// The diagonal transitions Ā_t (N × N row-major) of channel h, for `LyapunovSpectrum`.
    public func transitions(channel h: Int) throws -> [[Double]] {
        guard (0..<channels).contains(h) else { throw CorrespondenceError.shapeMismatch("channel \(h) not in 0..<\(channels)") }
        return (0..<length).map { t in
            var m = [Double](repeating: 0, count: states * states)
            for k in 0..<states { m[k * states + k] = Double.exp(-stepDamping[(t * channels + h) * states + k]) }  // Ā = e^{−γ}
            return m
        }
    }
}
