// The Linear Recurrent Unit (Orvieto, Smith, Gu, Fernando, Gulcehre, Pascanu, De, "Resurrecting Recurrent Neural
// Networks for Long Sequences", ICML 2023; the paper's Appendix A code is the reference). A discrete diagonal system:
//     λ_j = exp(−exp(ν_log_j) + i·exp(θ_log_j))          (|λ_j| = exp(−exp(ν_log_j)) < 1 by construction)
//     γ_j = exp(γ_log_j), initialised to √(1 − |λ_j|²)   (the normalisation keeps E|x|² ≈ E|Bu|² for white input)
//     x_k = λ ⊙ x_{k−1} + γ ⊙ (B u_k),    y_k = Re(C x_k) + D ⊙ u_k
// B complex N×H (B_re + i B_im), C complex H×N, D real (H). γ is a free parameter after training (use the stored
// gamma_log, never √(1 − |λ|²) again). Tensor names and the reading of a checkpoint's block are LRULayout.swift's.
// Ring initialisation: u₁, u₂ ~ U[0,1); |λ| = √(u₁(r_max² − r_min²) + r_min²) uniform on the ring's area, so
//     ν_log = log(−½ log(u₁(r_max² − r_min²) + r_min²)),  θ_log = log(max_phase·u₂),
// B_re, B_im ~ N(0, 1/(2H)), C_re, C_im ~ N(0, 1/N), D ~ N(0, 1).
import PhasorNumerics

/// The LRU's diagonal recurrence with exponential parametrisation and γ-normalisation.
public struct LRULayer: Sendable, Equatable {
    public var nuLog: [Double]
    public var thetaLog: [Double]
    /// B, N × H row-major.
    public var b: [Complex<Double>]
    /// C, H × N row-major.
    public var c: [Complex<Double>]
    public var d: [Double]
    public var gammaLog: [Double]

    public var states: Int { nuLog.count }
    public var channels: Int { d.count }

    /// Validates shapes and finiteness.
    public init(nuLog: [Double], thetaLog: [Double], b: [Complex<Double>], c: [Complex<Double>], d: [Double],
                gammaLog: [Double]) throws {
        let n = nuLog.count, h = d.count
        try ArchitectureCheck.positive([("N (states)", n), ("H (channels)", h)])
        try ArchitectureCheck.count(nuLog, n, "nu_log")
        try ArchitectureCheck.count(thetaLog, n, "theta_log")
        try ArchitectureCheck.count(gammaLog, n, "gamma_log")
        try ArchitectureCheck.count(d, h, "D")
        guard b.count == n * h, c.count == h * n else {
            throw ArchitectureError.shapeMismatch("B has \(b.count) entries and C \(c.count); need N·H = \(n * h)")
        }
        try ArchitectureTensors.finite(b, "B")
        try ArchitectureTensors.finite(c, "C")
        self.nuLog = nuLog; self.thetaLog = thetaLog; self.b = b; self.c = c; self.d = d; self.gammaLog = gammaLog
    }

    /// The paper's initialisation: |λ| uniform on the ring area r_min ≤ |λ| ≤ r_max, phase uniform in [0, max_phase].
    public init(channels h: Int, states n: Int, rMin: Double = 0, rMax: Double = 1, maxPhase: Double = 2 * Double.pi,
                generator: inout SeededGenerator) throws {
        try ArchitectureCheck.positive([("N (states)", n), ("H (channels)", h)])
        guard 0 <= rMin, rMin < rMax, rMax <= 1, maxPhase > 0, maxPhase.isFinite else {
            throw ArchitectureError.invalid("need 0 ≤ r_min < r_max ≤ 1 and 0 < max_phase < ∞; got r_min \(rMin), r_max \(rMax), max_phase \(maxPhase)")
        }
        var nu: [Double] = [], theta: [Double] = [], gamma: [Double] = []
        for _ in 0..<n {
            var u1 = generator.uniform()
            while u1 * (rMax * rMax - rMin * rMin) + rMin * rMin == 0 { u1 = generator.uniform() }  // |λ| > 0
            var u2 = generator.uniform()
            while u2 == 0 { u2 = generator.uniform() }                                               // log(0) avoided
            let radius2 = u1 * (rMax * rMax - rMin * rMin) + rMin * rMin                             // |λ|²
            nu.append(Double.log(-0.5 * Double.log(radius2)))  // ν_log = log(−½ log |λ|²)
            theta.append(Double.log(maxPhase * u2))            // θ_log = log(max_phase·u₂)
            gamma.append(Double.log((1 - radius2).squareRoot()))  // γ_log = log √(1 − |λ|²)
        }
        let bScale = 1 / (2 * Double(h)).squareRoot(), cScale = 1 / Double(n).squareRoot()
        let b = (0..<(n * h)).map { _ in Complex(generator.normal() * bScale, generator.normal() * bScale) }
        let c = (0..<(h * n)).map { _ in Complex(generator.normal() * cScale, generator.normal() * cScale) }
        let d = (0..<h).map { _ in generator.normal() }
        try self.init(nuLog: nu, thetaLog: theta, b: b, c: c, d: d, gammaLog: gamma)
    }

    /// λ_j = exp(−exp(ν_log_j) + i·exp(θ_log_j)); throws `unstable` when |λ_j| ≥ 1 (exp(ν_log) underflowed to 0).
    public func lambda() throws -> [Complex<Double>] {
        try (0..<states).map { j in
            let l = Complex.exp(Complex(-Double.exp(nuLog[j]), Double.exp(thetaLog[j])))  // λ = e^{−e^ν + i e^θ}
            guard l.length < 1, l.isFinite else {
                throw ArchitectureError.unstable("|λ_\(j)| = \(l.length) ≥ 1 (nu_log = \(nuLog[j]) is too negative)")
            }
            return l
        }
    }

    /// γ_j = exp(γ_log_j).
    public var gamma: [Double] { gammaLog.map { Double.exp($0) } }

    /// The recurrence as a `DiagonalMIMOSystem`: μ = λ, B̄ = diag(γ) B, C̃ = C, f = 1.
    public func discrete() throws -> DiagonalMIMOSystem {
        let h = channels, g = gamma
        var bBar = b
        for j in 0..<states { for i in 0..<h { bBar[j * h + i] = b[j * h + i] * Complex(g[j]) } }  // γ ⊙ B
        return try DiagonalMIMOSystem(mu: try lambda(), bBar: bBar, c: c, d: d, outputFactor: 1)
    }

    /// y (H, L) from u (H, L) by the recurrence.
    public func forward(_ u: [Double], length: Int) throws -> [Double] { try discrete().recur(u, length: length) }

    /// y (H, L) by the causal convolution with K_l = Re(C diag(λ^l γ) B) (FFT, or the direct sum).
    public func forwardConvolution(_ u: [Double], length: Int, direct: Bool = false) throws -> [Double] {
        try discrete().convolve(u, length: length, direct: direct)
    }
}
