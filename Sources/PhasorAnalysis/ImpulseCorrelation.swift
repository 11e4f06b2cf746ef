// Correlation of impulse responses versus lag (DESIGN.md §8; seed: "correlation decay in SSM maps to coherence decay
// in oscillators"). For a channel with kernel K[t], t = 0..<L (K = 2·Re Z, Z[t] = Σ_n c_n b_n μ_n^t its complex
// oscillator amplitude):
//   autocorrelation      ρ(ℓ) = Σ_{t=0}^{L−1−ℓ} K[t]K[t+ℓ] / Σ_{t=0}^{L−1} K[t]²
//   layer mean           ρ̄(ℓ) = Σ_h Σ_t K_h[t]K_h[t+ℓ] / Σ_h Σ_t K_h[t]²      (energy-weighted over channels)
//   coherence            r(ℓ) = |(1/H') Σ_h Z_h[ℓ]/|Z_h[ℓ]||                   (Kuramoto order parameter of the
//                        channels' oscillator phases ℓ steps after a common impulse; H' channels with Z_h[ℓ] ≠ 0)
//   correlation length   ξ = 1 + max{ℓ : |ρ(ℓ)| ≥ 1/e}  (the envelope has stayed below 1/e from lag ξ on; ξ = 0 if
//                        none) — censored when the last lag computed is still ≥ 1/e
//   integrated length    ξ_int = Σ_{ℓ=0}^{ℓmax} |ρ(ℓ)|
// For one damped mode (closed form in docs/analysis.md) ρ(ℓ) → e^{−γℓΔ}cos(ωℓΔ) as Q grows.
import PhasorCorrespondence
import PhasorNumerics

/// Autocorrelation of one kernel with its correlation lengths.
public struct KernelAutocorrelation: Codable, Sendable, Equatable {
    /// ρ(ℓ), ℓ = 0…maxLag.
    public let rho: [Double]
    /// ξ = 1 + the last lag with |ρ| ≥ 1/e.
    public let correlationLength: Int
    /// True when |ρ(maxLag)| ≥ 1/e: the true length is ≥ the value given.
    public let censored: Bool
    /// ξ_int = Σ_ℓ |ρ(ℓ)|.
    public let integratedLength: Double

    /// ρ(ℓ) of `kernel` for ℓ = 0…min(maxLag, L − 1). Throws `.degenerate` for an all-zero kernel.
    public init(kernel: [Double], maxLag: Int) throws {
        try requireFinite(kernel, "impulse response")
        guard !kernel.isEmpty, maxLag >= 0 else { throw AnalysisError.invalid("autocorrelation needs a kernel and maxLag ≥ 0") }
        let lags = min(maxLag, kernel.count - 1)
        var sums = [Double](repeating: 0, count: lags + 1)
        Self.accumulate(kernel, into: &sums)
        guard sums[0] > 0 else {
            throw AnalysisError.degenerate("the impulse response is identically zero: its autocorrelation is undefined")
        }
        try self.init(rho: sums.map { $0 / sums[0] })  // ρ(ℓ) = Σ K[t]K[t+ℓ] / Σ K[t]²
    }

    /// Lengths of a given correlation function ρ (ρ[0] should be 1).
    public init(rho: [Double]) throws {
        try requireFinite(rho, "autocorrelation")
        guard !rho.isEmpty else { throw AnalysisError.invalid("empty autocorrelation") }
        self.rho = rho
        let threshold = Double.exp(-1)
        let last = rho.lastIndex { abs($0) >= threshold }
        correlationLength = last.map { $0 + 1 } ?? 0                           // ξ = 1 + max{ℓ : |ρ(ℓ)| ≥ 1/e}
        censored = last == rho.count - 1
        integratedLength = rho.reduce(0) { $0 + abs($1) }                     // ξ_int = Σ |ρ(ℓ)|
    }

    /// sums[ℓ] += Σ_{t=0}^{L−1−ℓ} K[t]K[t+ℓ].
    static func accumulate(_ k: [Double], into sums: inout [Double]) {
        k.withUnsafeBufferPointer { kp in
            for l in 0..<sums.count {
                var s = 0.0
                for t in 0..<(kp.count - l) { s += kp[t] * kp[t + l] }
                sums[l] += s
            }
        }
    }
}

/// Autocorrelation and coherence of the channels of one layer.
public struct LayerCorrelation: Codable, Sendable, Equatable {
    public let layer: Int
    /// Per channel (nil for a channel whose kernel is identically zero).
    public let channels: [KernelAutocorrelation?]
    /// Energy-weighted mean ρ̄(ℓ) with its lengths.
    public let mean: KernelAutocorrelation
    /// Kuramoto coherence r(ℓ) of the channels' complex amplitudes, ℓ = 0…maxLag.
    public let coherence: [Double]
    public let warnings: [String]

    /// From the diagonal SSMs of the layer's channels; kernels of `length` steps (e.g. the sequence length).
    public init(layer: Int, channels ssms: [DiagonalSSM], length: Int, maxLag: Int) throws {
        guard !ssms.isEmpty, length > 0, maxLag >= 0 else {
            throw AnalysisError.invalid("layer correlation needs channels, length > 0 and maxLag ≥ 0")
        }
        let lags = min(maxLag, length - 1)
        var total = [Double](repeating: 0, count: lags + 1)
        var perChannel: [KernelAutocorrelation?] = []
        var zero: [Int] = []
        var phaseSum = [Complex<Double>](repeating: .zero, count: lags + 1)
        var phaseCount = [Int](repeating: 0, count: lags + 1)
        for (h, ssm) in ssms.enumerated() {
            let kernel = ssm.kernel(length: length)
            try requireFinite(kernel, "kernel of layer \(layer) channel \(h) (unstable modes overflow)")
            var sums = [Double](repeating: 0, count: lags + 1)
            KernelAutocorrelation.accumulate(kernel, into: &sums)
            if sums[0] > 0 {
                perChannel.append(try KernelAutocorrelation(rho: sums.map { $0 / sums[0] }))
                for l in 0...lags { total[l] += sums[l] }                            // Σ_h Σ_t K_h[t]K_h[t+ℓ]
            } else { perChannel.append(nil); zero.append(h) }
            for l in 0...lags {
                let z = Self.amplitude(ssm, lag: l)                                   // Z_h[ℓ] = Σ_n c_n b_n μ_n^ℓ
                let r = z.length
                if r > 0, r.isFinite { phaseSum[l] = phaseSum[l] + z / Complex(r); phaseCount[l] += 1 }
            }
        }
        guard total[0] > 0 else {
            throw AnalysisError.degenerate("every kernel of layer \(layer) is identically zero: no autocorrelation")
        }
        self.layer = layer
        channels = perChannel
        mean = try KernelAutocorrelation(rho: total.map { $0 / total[0] })           // ρ̄(ℓ)
        coherence = (0...lags).map { phaseCount[$0] > 0 ? phaseSum[$0].length / Double(phaseCount[$0]) : 0 }  // r(ℓ)
        warnings = zero.isEmpty ? [] : ["layer \(layer): \(zero.count) channel(s) have an identically zero kernel "
            + "(e.g. channel \(zero[0])); they are left out of ρ̄ and listed as null"]
    }

    /// Z[ℓ] = Σ_n c_n b_n μ_n^ℓ with μ^ℓ = e^{ℓ log μ}.
    static func amplitude(_ ssm: DiagonalSSM, lag: Int) -> Complex<Double> {
        var z = Complex<Double>.zero
        for n in 0..<ssm.modeCount where ssm.modes[n] != .zero || lag == 0 {
            let power = lag == 0 ? Complex<Double>.one : Complex.exp(Complex.log(ssm.modes[n]) * Complex(Double(lag)))
            z = z + ssm.output[n] * ssm.input[n] * power
        }
        return z
    }
}
