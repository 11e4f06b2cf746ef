// The oscillator reading of an LTI system (DESIGN.md §4). Diagonalise A = V diag(λ) V⁻¹ (for a discrete system the
// eigenvalues μ of Ā give λ = log μ / Δ, principal log). Mode k is the oscillator z_k = (V⁻¹x)_k,
//   dz_k/dt = λ_k z_k + (V⁻¹B u)_k,   y = Σ_k (CV)_k z_k + D u,
// read as frequency ω = Im λ, damping γ = −Re λ, decay time τ = 1/γ, period T = 2π/|ω|, quality Q = |ω|/2γ,
// drive b̃ = V⁻¹B (row k: one complex weight per input) and read-out c̃ = CV (column k: one per output).
// Identity: C e^{tA} B = Σ_k c̃_k e^{λ_k t} b̃_k (continuous), C Ā^j B̄ = Σ_k c̃_k μ_k^j b̃_k (discrete).
//
// κ(V) = σ_max(V)/σ_min(V) says whether this means anything: the computed b̃, c̃ carry relative errors ~ κ(V)·ε and the
// modal sum cancels terms of size κ(V)·‖response‖. Above `kappaThreshold` = 1e8 (half of Double's 16 digits lost)
// the eigen-reading is flagged meaningless and the Schur reading A = U T U* is given instead: U unitary (κ = 1),
// diag(T) the oscillators, the strictly upper part of T their one-directional (feed-forward) coupling:
//   dζ_k/dt = T_kk ζ_k + Σ_{l>k} T_kl ζ_l + (U*B u)_k,   y = C U ζ + D u.
// (The seed's coupling V⁻¹(A − diag λ)V is identically ~0 and is not computed.)
import PhasorModels
import PhasorNumerics

/// One oscillator of the eigen-reading. Its times are `ModeTimescales` (undefined ones nil, never NaN/Inf/negative).
public struct OscillatorMode: Sendable, Equatable {
    /// Continuous rate λ = −γ + iω (for a discrete system log μ / Δ, or the model's own rate).
    public let lambda: Complex<Double>
    /// The discrete eigenvalue μ (nil for a continuous system).
    public let mu: Complex<Double>?
    /// b̃_k = (V⁻¹B)_k·, one complex weight per input.
    public let drive: [Complex<Double>]
    /// c̃_k = (CV)_·k, one complex weight per output.
    public let readout: [Complex<Double>]
    /// Frequency, damping, decay/growth time, period and quality (in steps too for a discrete system).
    public let timescales: ModeTimescales

    public init(lambda: Complex<Double>, mu: Complex<Double>?, drive: [Complex<Double>], readout: [Complex<Double>],
                step: Double?) {
        self.lambda = lambda; self.mu = mu; self.drive = drive; self.readout = readout
        timescales = ModeTimescales(rate: lambda, step: step)
    }

    /// ω = Im λ (rad per time unit).
    public var frequency: Double { timescales.frequency }
    /// γ = −Re λ (> 0 decays, < 0 grows).
    public var damping: Double { timescales.damping }
    /// τ = 1/γ; nil unless the mode decays (γ > 0).
    public var decayTime: Double? { timescales.decayTime }
    /// T = 2π/|ω|; nil when ω = 0 (T = ∞).
    public var period: Double? { timescales.period }
    /// Q = |ω|/2γ; nil unless the mode decays.
    public var quality: Double? { timescales.quality }
}

/// The Schur reading A = U T U*: oscillators diag(T) with one-directional couplings (strictly upper T).
public struct SchurReading: Sendable, Equatable {
    /// Upper triangular T (of A for a continuous system, of Ā for a discrete one).
    public let t: ComplexMatrix
    /// Unitary U.
    public let u: ComplexMatrix
    /// Continuous rates of the oscillators: diag(T) (continuous) or log(diag T)/Δ (discrete).
    public let oscillators: [Complex<Double>]
    /// The strictly upper part of T: coupling from oscillator l to oscillator k < l.
    public let coupling: ComplexMatrix
    /// U*B (drive of each Schur oscillator).
    public let drive: ComplexMatrix
    /// C U (read-out of each Schur oscillator).
    public let readout: ComplexMatrix
    /// ‖A − U T U*‖_F / ‖A‖_F (backward error of the reading).
    public let relativeResidual: Double
    /// ‖strictly upper T‖_F / ‖T‖_F: 0 for a normal matrix, near 1 for a strongly non-normal one.
    public let departureFromNormality: Double
}

/// The oscillator reading of an `LTISystem`.
public struct OscillatorReading: Sendable, Equatable {
    /// κ(V) above this flags the eigen-reading as meaningless (half the digits of a Double lost).
    public static let kappaThreshold = 1e8

    public let modes: [OscillatorMode]
    /// The direct term D.
    public let direct: ComplexMatrix
    /// κ(V) = σ_max(V)/σ_min(V) (+∞ for a defective A).
    public let kappa: Double
    /// κ(V) ≤ `kappaThreshold`.
    public let eigenReadingMeaningful: Bool
    /// The Schur reading, given when the eigen-reading is not meaningful (or when asked for).
    public let schur: SchurReading?
    /// Δ for a discrete system.
    public let step: Double?
    /// Nyquist-edge and conditioning notes.
    public let warnings: [String]

    /// Reads `system` as oscillators; `includeSchur` adds the Schur reading even when κ(V) is small.
    public init(_ system: LTISystem, includeSchur: Bool = false) throws {
        let step = system.domain.step
        let eigen = try system.a.eigen()
        var warnings: [String] = []
        let lambdas: [Complex<Double>] = try eigen.values.enumerated().map { k, value in
            guard let step else { return value }
            return try OscillatorReading.rate(value, step: step, mode: k, warnings: &warnings)
        }
        kappa = eigen.vectorConditionNumber
        eigenReadingMeaningful = kappa.isFinite && kappa <= Self.kappaThreshold
        // b̃ = V⁻¹B: by a solve when V is well conditioned, else by the left eigenvectors (W* = V⁻¹ up to κ·ε).
        var driveMatrix: ComplexMatrix
        if eigenReadingMeaningful, let solved = try? eigen.right.solve(system.b) { driveMatrix = solved }
        else { driveMatrix = try eigen.left.product(system.b, adjointSelf: true) }
        let readoutMatrix = try system.c * eigen.right  // c̃ = C V
        if !eigenReadingMeaningful {
            warnings.append("κ(V) = \(kappa) exceeds \(Self.kappaThreshold): A is (nearly) defective / strongly "
                + "non-normal, so the eigen-reading (drive, read-out) is meaningless; use the Schur reading")
            if !driveMatrix.isFinite { driveMatrix = ComplexMatrix(rows: driveMatrix.rows, columns: driveMatrix.columns) }
        }
        modes = (0..<lambdas.count).map { k in
            OscillatorMode(lambda: lambdas[k], mu: step == nil ? nil : eigen.values[k],
                           drive: (0..<system.inputCount).map { driveMatrix[k, $0] },
                           readout: (0..<system.outputCount).map { readoutMatrix[$0, k] }, step: step)
        }
        direct = system.d
        self.step = step
        schur = (includeSchur || !eigenReadingMeaningful) ? try OscillatorReading.schurReading(system) : nil
        self.warnings = warnings
    }

    /// The reading of a diagonal channel without any eigen-solve (V = I, κ = 1): mode n has λ_n = log μ_n / Δ,
    /// drive b_n and read-out c_n. Each stored mode stands for itself AND its implied conjugate: the channel's
    /// impulse response is 2·Re Σ_n c_n μ_n^j b_n (+ D at j = 0), i.e. 2·Re of `impulseResponse(at: jΔ)`.
    /// `rates`, when given (e.g. an S4D layer's λ = −exp(log_A_real) + i·A_imag), replace log μ / Δ so the modes are
    /// reported as the model defines them; they must give the channel's μ under `discretization` (to 1e-9 relative).
    /// Under ZOH each mode with |Im λ|Δ > π gets a warning (sampled, it is indistinguishable from its folded
    /// frequency); bilinear maps the whole left half-plane into the unit disc, so nothing folds there.
    public init(diagonal ssm: DiagonalSSM, rates: [Complex<Double>]? = nil, discretization: Discretization = .zoh) throws {
        var warnings: [String] = []
        var lambdas = try ssm.modes.enumerated().map { k, mu in
            try OscillatorReading.rate(mu, step: ssm.step, mode: k, warnings: &warnings)
        }
        if let rates {
            guard rates.count == ssm.modeCount else {
                throw CorrespondenceError.shapeMismatch("\(rates.count) rates for \(ssm.modeCount) modes")
            }
            warnings.removeAll()
            var beyond: [Int] = []
            for (n, lambda) in rates.enumerated() {
                let mu = discretization.pole(rate: lambda, step: ssm.step)  // μ of λ under the layer's discretisation
                guard lambda.isFinite, (mu - ssm.modes[n]).length <= 1e-9 * max(ssm.modes[n].length, 1e-300) else {
                    throw CorrespondenceError.invalid("rate λ_\(n) = \(lambda) does not give the channel's μ_\(n) = \(ssm.modes[n]) under \(discretization.rawValue)")
                }
                if discretization == .zoh, abs(lambda.imaginary) * ssm.step > Double.pi { beyond.append(n) }
            }
            if !beyond.isEmpty {
                warnings.append("\(beyond.count) mode(s) have |ω|Δ > π (beyond the Nyquist frequency π/Δ = \(Double.pi / ssm.step)): "
                    + "modes \(beyond.prefix(12).map(String.init).joined(separator: ", "))\(beyond.count > 12 ? ", …" : ""); "
                    + "sampled, each is indistinguishable from its folded frequency")
            }
            lambdas = rates
        }
        if let n = ssm.modes.firstIndex(where: { $0.length >= 1 }) {
            warnings.append("mode \(n) (and possibly others) has |μ| = \(ssm.modes[n].length) ≥ 1: it does not decay")
        }
        modes = lambdas.indices.map { n in
            OscillatorMode(lambda: lambdas[n], mu: ssm.modes[n], drive: [ssm.input[n]], readout: [ssm.output[n]], step: ssm.step)
        }
        direct = ComplexMatrix.diagonal([Complex(ssm.direct)])
        kappa = 1
        eigenReadingMeaningful = true
        schur = nil
        step = ssm.step
        self.warnings = warnings
    }

    /// The reading of one S4D channel with the model's own rates and discretisation (S4DSystems.swift).
    public init(s4d channel: S4DChannel) throws {
        try self.init(diagonal: channel.ssm, rates: channel.rates, discretization: channel.discretization)
    }

    /// λ = log μ / Δ with the Nyquist rules: μ = 0 or μ on the negative real axis throws; |arg μ| ≥ 0.99π warns.
    public static func rate(_ mu: Complex<Double>, step: Double, mode k: Int, warnings: inout [String]) throws -> Complex<Double> {
        if mu.length == 0 || (mu.real < 0 && mu.imaginary == 0) {
            throw CorrespondenceError.noPrincipalLogarithm(
                "discrete eigenvalue μ_\(k) = \(mu) is zero or negative real: no rate λ = log μ / Δ "
                + "(a dead mode, or a mode exactly at the Nyquist frequency π/Δ)")
        }
        if abs(mu.phase) >= Double.pi * ZeroOrderHold.nyquistFraction {
            warnings.append("mode \(k): arg μ = \(mu.phase) is at the Nyquist edge: its frequency is folded into "
                + "(−π/Δ, π/Δ] and may alias a higher one")
        }
        return Complex.log(mu) / Complex(step)  // λ = log μ / Δ
    }

    /// A = U T U*, read as oscillators diag(T) with coupling = strictly upper T.
    static func schurReading(_ system: LTISystem) throws -> SchurReading {
        let s = try system.a.schur()
        let n = system.stateCount
        var coupling = ComplexMatrix(rows: n, columns: n)
        for j in 0..<n { for i in 0..<j { coupling[i, j] = s.t[i, j] } }
        var discardWarnings: [String] = []
        let oscillators: [Complex<Double>] = try s.t.diagonalElements.enumerated().map { k, value in
            guard let step = system.domain.step else { return value }
            return try rate(value, step: step, mode: k, warnings: &discardWarnings)
        }
        let rebuilt = try s.u * s.t.product(s.u, adjointOther: true)  // U T U*
        let residual = try (system.a - rebuilt).frobeniusNorm / max(system.a.frobeniusNorm, Double.leastNormalMagnitude)
        return SchurReading(t: s.t, u: s.u, oscillators: oscillators, coupling: coupling,
                            drive: try s.u.product(system.b, adjointSelf: true), readout: try system.c * s.u,
                            relativeResidual: residual,
                            departureFromNormality: coupling.frobeniusNorm / max(s.t.frobeniusNorm, Double.leastNormalMagnitude))
    }

    /// The impulse response of the modal sum, Σ_k c̃_k e^{λ_k t} b̃_k (p×m), at time t (continuous) — for a discrete
    /// system pass t = jΔ to get C Ā^j B̄ (μ^j = e^{jΔλ}).
    public func impulseResponse(at t: Double) throws -> ComplexMatrix {
        try requireFinite(t, "time t")
        let p = direct.rows, m = direct.columns
        var out = ComplexMatrix(rows: p, columns: m)
        for mode in modes {
            let e = Complex.exp(mode.lambda * Complex(t))  // e^{λ_k t}
            for j in 0..<m { for i in 0..<p { out[i, j] += mode.readout[i] * e * mode.drive[j] } }
        }
        try out.requireFinite("modal impulse response at t = \(t)")
        return out
    }
}
