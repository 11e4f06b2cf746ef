// The oscillator reading of the diagonal architectures (S5, LRU, LinOSS after diagonalising its 2×2 blocks), DESIGN.md §4.
// Their discretised form is x_k = diag(μ) x_{k−1} + B̄ u_k, y_k = f·Re(C̃ x_k) + D⊙u_k (`DiagonalMIMOSystem`); the
// state is already modal (V = I, κ = 1), so mode p is the oscillator z_p with discrete eigenvalue μ_p, drive
// b̃_p = B̄_p· (one complex weight per input channel) and read-out c̃_p = C̃_·p (one per output channel).
// Each mode carries its own step Δ_p (S5: exp(log_step_p); LinOSS: sigmoid(steps_p); LRU: 1, one token), and its
// continuous rate λ_p with e^{Δ_p λ_p} = μ_p:
//     S5:     λ_p = Λ_p (the model's own, frequencies beyond π/Δ_p kept);   LRU: λ_j = −exp(ν_log_j) + i·exp(θ_log_j);
//     LinOSS: λ = log μ± / Δ (principal log; μ± = eigenvalues of the oscillator's 2×2 transition).
// Per-step reading: frequency arg μ_p (radians per step), damping −log|μ_p| (per step); per time unit: ω = Im λ,
// γ = −Re λ. Identity (tested): the modal sum
//     K_j = f·Re Σ_p c̃_p μ_p^j b̃_p  (+ D at j = 0),  μ_p^j = e^{jΔ_pλ_p}
// is the layer's impulse response (the response to a unit impulse on input channel i is column i of K_j).
import PhasorModels
import PhasorNumerics

/// One oscillator (mode) of a diagonal architecture.
public struct ArchitectureMode: Sendable, Equatable {
    /// Discrete eigenvalue μ (per step of this mode).
    public let mu: Complex<Double>
    /// Continuous rate λ with e^{Δλ} = μ.
    public let rate: Complex<Double>
    /// This mode's step Δ.
    public let step: Double
    /// b̃ = row of B̄ (one complex weight per input channel).
    public let drive: [Complex<Double>]
    /// c̃ = column of C̃ (one complex weight per output channel).
    public let readout: [Complex<Double>]

    /// ω = Im λ (rad per time unit).
    public var frequency: Double { rate.imaginary }
    /// γ = −Re λ (per time unit).
    public var damping: Double { -rate.real }
    /// arg μ (rad per step).
    public var stepFrequency: Double { mu.phase }
    /// −log|μ| (per step; 0 for a conservative mode).
    public var stepDamping: Double { -Double.log(mu.length) }
    /// Frequency, damping, decay/growth time, period and quality (ModeTimescales.swift), with this mode's Δ.
    public var timescales: ModeTimescales { ModeTimescales(rate: rate, step: step) }
    /// τ = 1/γ; nil unless the mode decays.
    public var decayTime: Double? { timescales.decayTime }
    /// T = 2π/|ω|; nil when ω = 0.
    public var period: Double? { timescales.period }
    /// Q = |ω|/2γ; nil unless the mode decays.
    public var quality: Double? { timescales.quality }
}

/// The modes, direct term and output factor of a diagonal architecture layer.
public struct ArchitectureReading: Sendable, Equatable {
    public let modes: [ArchitectureMode]
    /// D (diagonal skip term), one per channel.
    public let direct: [Double]
    /// f in y = f·Re(C̃x) + D u.
    public let outputFactor: Double
    /// Notes (non-decaying modes, Nyquist folding).
    public let warnings: [String]
    /// The discrete system the reading was taken from.
    public let system: DiagonalMIMOSystem

    /// Reads `system` with per-mode steps and rates; `rates` nil means λ = log μ / Δ (principal log). Given rates must
    /// satisfy e^{Δλ} = μ to 1e-9 relative.
    public init(system: DiagonalMIMOSystem, steps: [Double], rates: [Complex<Double>]? = nil) throws {
        let p = system.modeCount, h = system.channels
        guard steps.count == p, rates.map({ $0.count == p }) ?? true else {
            throw CorrespondenceError.shapeMismatch("\(steps.count) steps and \(rates?.count ?? p) rates for \(p) modes")
        }
        var warnings: [String] = []
        var modes: [ArchitectureMode] = []
        for q in 0..<p {
            let mu = system.mu[q], step = steps[q]
            guard step > 0, step.isFinite else { throw CorrespondenceError.invalidStep(step) }
            let rate: Complex<Double>
            if let rates {
                rate = rates[q]
                let check = Complex.exp(rate * Complex(step))  // μ = e^{Δλ}
                guard rate.isFinite, (check - mu).length <= 1e-9 * max(mu.length, 1e-300) else {
                    throw CorrespondenceError.invalid("rate λ_\(q) = \(rate) with Δ = \(step) does not give μ_\(q) = \(mu)")
                }
            } else {
                guard mu != .zero, !(mu.real < 0 && mu.imaginary == 0) else {
                    throw CorrespondenceError.noPrincipalLogarithm("μ_\(q) = \(mu) is zero or negative real")
                }
                rate = Complex.log(mu) / Complex(step)  // λ = log μ / Δ
            }
            if mu.length >= 1 { warnings.append("mode \(q): |μ| = \(mu.length) ≥ 1, it does not decay") }
            if abs(rate.imaginary) * step > Double.pi {
                warnings.append("mode \(q): |ω|Δ = \(abs(rate.imaginary) * step) > π (beyond Nyquist); sampled, it is "
                    + "indistinguishable from its folded frequency")
            }
            modes.append(ArchitectureMode(mu: mu, rate: rate, step: step,
                                          drive: (0..<h).map { system.bBar[q * h + $0] },
                                          readout: (0..<h).map { system.c[$0 * p + q] }))
        }
        self.modes = modes
        direct = system.d
        outputFactor = system.outputFactor
        self.warnings = warnings
        self.system = system
    }

    /// S5: modes Λ_p with their own Δ_p.
    public init(s5 layer: S5Layer) throws {
        try self.init(system: try layer.discrete(), steps: try layer.steps(),
                      rates: layer.discretization == .zoh ? layer.lambda : nil)
    }

    /// LRU: one token per step, λ_j = −exp(ν_log_j) + i·exp(θ_log_j) (so arg μ = exp(θ_log), −log|μ| = exp(ν_log)).
    public init(lru layer: LRULayer) throws {
        let rates = (0..<layer.states).map { Complex(-Double.exp(layer.nuLog[$0]), Double.exp(layer.thetaLog[$0])) }
        try self.init(system: try layer.discrete(), steps: [Double](repeating: 1, count: layer.states), rates: rates)
    }

    /// LinOSS: the two eigen-modes μ± of each oscillator's 2×2 transition, with that oscillator's Δ.
    public init(linoss layer: LinOSSLayer) throws {
        let steps = try layer.blocks().flatMap { [$0.step, $0.step] }
        try self.init(system: try layer.diagonalised(), steps: steps)
    }

    /// The modal sum K_j = f·Re Σ_p c̃_p e^{jΔ_pλ_p} b̃_p + D δ_{j0}, an H × H row-major matrix (output, input).
    public func impulseResponse(step j: Int) throws -> [Double] {
        guard j >= 0 else { throw CorrespondenceError.invalid("impulse response step \(j) must be ≥ 0") }
        let h = direct.count
        var k = [Double](repeating: 0, count: h * h)
        for mode in modes {
            let power = Complex.exp(mode.rate * Complex(mode.step * Double(j)))  // μ^j = e^{jΔλ}
            for i in 0..<h {
                let cp = mode.readout[i] * power
                for l in 0..<h { k[i * h + l] += outputFactor * (cp * mode.drive[l]).real }
            }
        }
        if j == 0 { for i in 0..<h { k[i * h + i] += direct[i] } }
        try requireFinite(k, "modal impulse response at step \(j)")
        return k
    }

    /// The discrete LTI system (one token per step, Δ = 1): A = diag μ, B = B̄, C = C̃, D = diag D, for the generic
    /// `OscillatorReading`. Its impulse response C Aʲ B (+ D) is complex; the layer's is f·Re of it.
    public func lti() throws -> LTISystem {
        let p = modes.count, h = direct.count
        return try LTISystem(a: ComplexMatrix.diagonal(system.mu),
                             b: try ComplexMatrix(rows: p, columns: h, rowMajor: system.bBar),
                             c: try ComplexMatrix(rows: h, columns: p, rowMajor: system.c),
                             d: ComplexMatrix.diagonal(direct), domain: .discrete(step: 1))
    }
}
