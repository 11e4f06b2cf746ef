// The timescales of one oscillator mode (DESIGN.md §4, §8) — the one definition used by `map`, `analyze`, the demo and
// the architecture readings. A mode with continuous rate λ = −γ + iω (sampled with step Δ, when it is):
//     frequency ω = Im λ,   damping γ = −Re λ   (γ > 0 decays, γ < 0 grows, γ = 0 neither)
//     decay time  τ = 1/γ        only for γ > 0   (a mode that does not decay has no decay time — not a negative one)
//     growth time 1/|γ|          only for γ < 0   (the e-folding time of a growing mode)
//     period      T = 2π/|ω|     only for ω ≠ 0
//     quality     Q = |ω|/(2γ)   only for γ > 0
//     in steps    τ/Δ, T/Δ
// Undefined values are nil (JSON null), never ∞, NaN or a negative time. (Before this type, the oscillator reading
// reported τ = 1/γ < 0 and Q < 0 for growing modes while the analyses reported nil; a negative "decay time" reads
// as a memory and corrupts quantiles, so the analyses' definition is the one kept, with the growth time added.)
import PhasorNumerics

/// Frequency, damping and the derived times of one mode.
public struct ModeTimescales: Sendable, Equatable, Codable {
    /// ω = Im λ (radians per time unit).
    public let frequency: Double
    /// γ = −Re λ (per time unit); negative for a growing mode.
    public let damping: Double
    /// τ = 1/γ (nil unless γ > 0).
    public let decayTime: Double?
    /// 1/|γ| (nil unless γ < 0).
    public let growthTime: Double?
    /// T = 2π/|ω| (nil when ω = 0).
    public let period: Double?
    /// Q = |ω|/(2γ) (nil unless γ > 0).
    public let quality: Double?
    /// The step Δ the mode is sampled with (nil for a continuous system).
    public let step: Double?
    /// τ/Δ (nil without τ or Δ).
    public let decaySteps: Double?
    /// T/Δ (nil without T or Δ).
    public let periodSteps: Double?

    /// The timescales of rate λ, sampled with step Δ when given.
    public init(rate: Complex<Double>, step: Double? = nil) {
        let omega = rate.imaginary, gamma = -rate.real
        let tau: Double? = gamma > 0 ? 1 / gamma : nil                               // τ = 1/γ
        let t: Double? = omega != 0 ? 2 * Double.pi / abs(omega) : nil               // T = 2π/|ω|
        frequency = omega
        damping = gamma
        decayTime = tau
        growthTime = gamma < 0 ? -1 / gamma : nil                                    // 1/|γ|
        period = t
        quality = gamma > 0 ? abs(omega) / (2 * gamma) : nil                         // Q = |ω|/(2γ)
        self.step = step
        decaySteps = step.flatMap { s in tau.map { $0 / s } }                        // τ/Δ
        periodSteps = step.flatMap { s in t.map { $0 / s } }                         // T/Δ
    }

    /// Whether the mode decays (γ > 0).
    public var isStable: Bool { damping > 0 }

    enum CodingKeys: String, CodingKey {
        case frequency, damping, decayTime = "decay_time", growthTime = "growth_time", period, quality, step
        case decaySteps = "decay_steps", periodSteps = "period_steps"
    }

    /// Every key is written; an undefined time is null.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(frequency, forKey: .frequency)
        try c.encode(damping, forKey: .damping)
        try c.encode(decayTime, forKey: .decayTime)
        try c.encode(growthTime, forKey: .growthTime)
        try c.encode(period, forKey: .period)
        try c.encode(quality, forKey: .quality)
        try c.encode(step, forKey: .step)
        try c.encode(decaySteps, forKey: .decaySteps)
        try c.encode(periodSteps, forKey: .periodSteps)
    }
}
