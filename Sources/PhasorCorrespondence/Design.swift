// Inverse design (DESIGN.md §4): from target periods T_k and memories (decay times) τ_k, in the time unit of Δ
// (in steps when Δ = 1), to
//   continuous eigenvalues  λ_k = −1/τ_k + 2πi/T_k   (γ_k = 1/τ_k, ω_k = 2π/T_k; T_k = ∞ gives a real mode),
//   discrete eigenvalues    μ_k = exp(Δλ_k) = exp(Δ(−1/τ_k + 2πi/T_k)),
//   a complex-diagonal system A = diag(λ_1, λ̄_1, …) (real modes once), B = 1, C = 1, D = 0,
//   a real 2×2-block system  A_k = [[−γ_k, ω_k], [−ω_k, −γ_k]], B_k = (1, 0)ᵀ, C_k = (2, 0) (1×1 [−γ_k], 1, 1 for real
//     modes) — both have the impulse response Σ_k 2·Re e^{λ_k t} (+ e^{λ_k t} for real modes),
//   an S4D layer initialisation per channel: log_dt = log Δ, log_A_real_k = log γ_k = −log τ_k, A_imag_k = ω_k,
//     C_k = (1, 0), D = 0 (kernel K[l] = 2·Re Σ_k (e^{Δλ_k} − 1)/λ_k · μ_k^l).
// And back: λ = log μ / Δ ⇒ T = 2π/|Im λ|, τ = −1/Re λ. Targets must satisfy 0 < τ < ∞ (|μ| < 1) and T > 2Δ (the
// frequency below the Nyquist limit π/Δ, so the principal log returns it unfolded).
import PhasorModels
import PhasorNumerics

/// One designed oscillator: its period (nil = ∞, a non-oscillating mode) and its memory τ (decay time).
public struct OscillatorTarget: Sendable, Equatable {
    public let period: Double?
    public let memory: Double
    public init(period: Double?, memory: Double) {
        self.period = period
        self.memory = memory
    }
}

/// A set of designed oscillators sampled with step Δ.
public struct OscillatorDesign: Sendable, Equatable {
    public let targets: [OscillatorTarget]
    public let step: Double

    /// Validates the targets: equal counts, 0 < τ < ∞, T > 2Δ or T = ∞ (pass `.infinity`), Δ > 0.
    public init(periods: [Double], memories: [Double], step: Double = 1) throws {
        guard step > 0, step.isFinite else { throw CorrespondenceError.invalidStep(step) }
        guard !periods.isEmpty, periods.count == memories.count else {
            throw CorrespondenceError.shapeMismatch(
                "\(periods.count) periods and \(memories.count) memories: give one memory per period (at least one)")
        }
        var targets: [OscillatorTarget] = []
        for (k, (period, memory)) in zip(periods, memories).enumerated() {
            guard memory > 0, memory.isFinite else {
                throw CorrespondenceError.unstable("memory τ_\(k) = \(memory) must be positive and finite (|μ| < 1)")
            }
            // μ = e^{−Δ/τ}·e^{2πiΔ/T} must be a normal number strictly inside the unit circle, or no rate can be
            // read back: Δ/τ > 708 underflows |μ| (e^{−708} is the smallest normal Double), Δ/τ < 2⁻⁵³ rounds it to 1.
            guard step / memory <= 708 else {
                throw CorrespondenceError.invalid("memory τ_\(k) = \(memory) is too short for Δ = \(step): the mode would "
                    + "decay by e^{−Δ/τ} per step, which underflows to 0; give τ ≥ Δ/708 = \(step / 708)")
            }
            guard Double.exp(-step / memory) < 1 else {
                throw CorrespondenceError.invalid("memory τ_\(k) = \(memory) is too long for Δ = \(step): e^{−Δ/τ} rounds to 1 "
                    + "in Double, a mode that never decays; give τ ≤ Δ·10¹⁵ = \(step * 1e15)")
            }
            guard !period.isNaN, period > 2 * step else {
                throw CorrespondenceError.invalid("period T_\(k) = \(period) must exceed 2Δ = \(2 * step) (the Nyquist "
                    + "limit: shorter periods alias onto longer ones); use an infinite period (inf) for a non-oscillating mode")
            }
            targets.append(OscillatorTarget(period: period.isInfinite ? nil : period, memory: memory))
        }
        self.targets = targets
        self.step = step
    }

    /// λ_k = −1/τ_k + 2πi/T_k.
    public var continuousEigenvalues: [Complex<Double>] {
        targets.map { Complex(-1 / $0.memory, $0.period.map { 2 * Double.pi / $0 } ?? 0) }
    }

    /// μ_k = exp(Δ(−1/τ_k + 2πi/T_k)).
    public var discreteEigenvalues: [Complex<Double>] {
        continuousEigenvalues.map { Complex.exp($0 * Complex(step)) }
    }

    /// The complex-diagonal continuous system: λ_k and its conjugate for each oscillating target (one real mode
    /// otherwise), B = 1, C = 1, D = 0. Discretise it with ZOH and Δ to get the μ_k.
    public func complexDiagonalSystem() throws -> LTISystem {
        var values: [Complex<Double>] = []
        for lambda in continuousEigenvalues {
            values.append(lambda)
            if lambda.imaginary != 0 { values.append(lambda.conjugate) }
        }
        let n = values.count
        return try LTISystem(a: ComplexMatrix.diagonal(values),
                             b: ComplexMatrix(rows: n, columns: 1, columnMajor: Array(repeating: .one, count: n)),
                             c: ComplexMatrix(rows: 1, columns: n, columnMajor: Array(repeating: .one, count: n)),
                             d: ComplexMatrix(rows: 1, columns: 1), domain: .continuous)
    }

    /// The real block-diagonal continuous system with blocks [[−γ, ω], [−ω, −γ]], B_k = (1, 0)ᵀ, C_k = (2, 0).
    public func realBlockSystem() throws -> LTISystem {
        let lambdas = continuousEigenvalues
        let n = lambdas.reduce(0) { $0 + ($1.imaginary != 0 ? 2 : 1) }
        var a = ComplexMatrix(rows: n, columns: n), b = ComplexMatrix(rows: n, columns: 1)
        var c = ComplexMatrix(rows: 1, columns: n)
        var i = 0
        for lambda in lambdas {
            let gamma = -lambda.real, omega = lambda.imaginary
            if omega != 0 {
                a[i, i] = Complex(-gamma); a[i, i + 1] = Complex(omega)          // [[−γ,  ω],
                a[i + 1, i] = Complex(-omega); a[i + 1, i + 1] = Complex(-gamma) //  [−ω, −γ]]
                b[i, 0] = .one
                c[0, i] = Complex(2)                                             // 2·Re e^{λt}
                i += 2
            } else {
                a[i, i] = Complex(-gamma); b[i, 0] = .one; c[0, i] = .one
                i += 1
            }
        }
        return try LTISystem(a: a, b: b, c: c, d: ComplexMatrix(rows: 1, columns: 1), domain: .continuous)
    }

    /// Memory and work of writing this design: the S4D layer (`channels` copies of the targets' C, log_A_real, A_imag,
    /// a few copies while it is built and written) and, with `system`, the real 2×2-block system of n = 2·targets
    /// states ZOH-discretised with Δ — a dense exponential of the (n+1)×(n+1) block matrix [[A, B], [0, 0]]: ~10 such
    /// complex matrices and 30(n+1)³ operations. `phasor design` checks it (ResourceLimits) before it builds anything.
    public func jobEstimate(channels: Int, system: Bool) -> JobEstimate {
        let modes = Double(max(channels, 1)) * Double(targets.count), n = 2 * Double(targets.count) + 1
        let layer = JobEstimate(parts: [("designed layer", modes * 4 * 8 * 4)], operations: modes * 20)
        guard system else { return layer }
        return layer + JobEstimate(parts: [("system matrices", 10 * 16 * n * n)], operations: 30 * n * n * n)
    }

    /// The largest channels × modes `s4dCore` builds (2²²).
    public static let maxDesignedModes = 1 << 22

    /// An S4D layer's core with `channels` identical channels and N/2 = number of targets (ZOH, the discretisation
    /// the design formulas assume).
    public func s4dCore(channels: Int = 1) throws -> S4DCore {
        guard channels >= 1 else { throw CorrespondenceError.invalid("an S4D layer needs at least 1 channel, got \(channels)") }
        let m = targets.count
        // Absurd sizes are refused before anything is allocated (channels are identical copies; 2²² modes = 64 MB of C).
        let (modes, overflow) = channels.multipliedReportingOverflow(by: max(m, 1))
        guard !overflow, modes <= Self.maxDesignedModes else {
            throw CorrespondenceError.invalid("\(channels) channels × \(m) modes exceed the \(Self.maxDesignedModes) modes a "
                + "designed layer may have; use fewer channels (they are identical copies)")
        }
        let logAReal = targets.map { -Double.log($0.memory) }                     // log γ = −log τ
        let aImag = targets.map { t in t.period.map { 2 * Double.pi / $0 } ?? 0 }  // ω = 2π/T
        func tile(_ row: [Double]) -> [Double] { (0..<channels).flatMap { _ in row } }
        let kernel = try S4DKernelParameters(channels: channels, modes: m,
                                             logDt: Array(repeating: Double.log(step), count: channels),   // log Δ
                                             C: tile(Array(repeating: [1.0, 0.0], count: m).flatMap { $0 }),  // C = 1
                                             logAReal: tile(logAReal), AImag: tile(aImag))
        return try S4DCore(kernel: kernel, D: Array(repeating: 0, count: channels), discretization: .zoh)
    }

    /// Targets read back from continuous rates: T = 2π/|Im λ| (nil when Im λ = 0), τ = −1/Re λ. With
    /// `dropConjugates`, modes with Im λ < 0 are skipped, so a real system from `complexDiagonalSystem` or
    /// `realBlockSystem` gives each target once; S4D modes (conjugates implicit) keep every mode.
    public static func targets(continuous lambdas: [Complex<Double>], dropConjugates: Bool = true) throws
        -> [OscillatorTarget] {
        try lambdas.filter { !dropConjugates || $0.imaginary >= 0 }.enumerated().map { k, lambda in
            guard lambda.real < 0 else {
                throw CorrespondenceError.unstable("mode \(k): Re λ = \(lambda.real) ≥ 0 has no finite memory")
            }
            return OscillatorTarget(period: lambda.imaginary == 0 ? nil : 2 * Double.pi / abs(lambda.imaginary),
                                    memory: -1 / lambda.real)
        }
    }

    /// Targets read back from discrete eigenvalues: λ = log μ / Δ (throws for |μ| ≥ 1, μ = 0 or μ ≤ 0 real).
    public static func targets(discrete mus: [Complex<Double>], step: Double, dropConjugates: Bool = true) throws
        -> [OscillatorTarget] {
        guard step > 0, step.isFinite else { throw CorrespondenceError.invalidStep(step) }
        var warnings: [String] = []
        let lambdas = try mus.enumerated().map { k, mu in
            guard mu.length < 1 else {
                throw CorrespondenceError.unstable("|μ_\(k)| = \(mu.length) ≥ 1: the mode never forgets (infinite memory)")
            }
            return try OscillatorReading.rate(mu, step: step, mode: k, warnings: &warnings)
        }
        return try targets(continuous: lambdas, dropConjugates: dropConjugates)
    }

    /// Targets read back from an S4D channel (λ = −exp(log_A_real) + i·A_imag taken from its μ and Δ).
    public static func targets(s4d ssm: DiagonalSSM) throws -> [OscillatorTarget] {
        try targets(discrete: ssm.modes, step: ssm.step, dropConjugates: false)
    }
}
