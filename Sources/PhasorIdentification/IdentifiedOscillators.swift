// The oscillators an identified system contains, and an S4D initialisation built from them (DESIGN.md §4).
// From the discrete system (Ā, B, C) with one input: Ā V = V diag(μ), drive b̃ = V⁻¹B, read-out c̃ = C V; mode k
// contributes c̃_k μ_k^j b̃_k to the output at step j, so its weight per output channel is w_k = c̃_k b̃_k (for Hankel DMD
// w_k = (Φ_k)_newest b_k — the mode's share of the observed series; for HAVOK, its response per unit forcing).
// λ = log μ / Δ with the correspondence's Nyquist rules (OscillatorReading.rate): μ = 0 or μ on the negative real axis
// has no rate (kept, reported, never designed); |arg μ| ≥ 0.99π is flagged as folded.
// Real data give real Ā: modes come as conjugate pairs (one oscillator, amplitude 2‖w_k‖) or real modes (‖w_k‖).
// A mode is taken as real when |Im μ| ≤ 1e-9·max(1, |μ|) — LAPACK's complex QR leaves ~ε‖Ā‖ imaginary parts on
// real eigenvalues — and the pair's member with Im μ < 0 is not listed separately.
//
// Design (the `phasor design` path, Design.swift): each listed oscillator with a rate becomes a target
//   period T = 2π/|ω| (∞ for a real mode),  memory τ = 1/γ,
// except that modes that do not decay (γ ≤ 0, |μ| ≥ 1: sustained or growing oscillations — common in DMD of
// periodic data) or decay slower than `maxMemory` get τ = maxMemory (default: the training span), because an S4D
// layer needs 0 < τ < ∞. Targets are ordered by frequency (as S4D-Lin's modes are).
import PhasorCorrespondence
import PhasorNumerics

/// One identified oscillator (a conjugate pair, or a real mode).
public struct IdentifiedOscillator: Sendable, Equatable {
    /// The discrete eigenvalue μ (Im μ ≥ 0 for a pair's listed member).
    public let mu: Complex<Double>
    /// λ = log μ / Δ, nil when μ has no principal logarithm.
    public let lambda: Complex<Double>?
    /// Whether this is a conjugate pair (true) or a real mode (false).
    public let isPair: Bool
    /// w = c̃ b̃ per output channel.
    public let weights: [Complex<Double>]
    /// Peak contribution to the output: 2‖w‖ for a pair, ‖w‖ for a real mode.
    public let amplitude: Double

    /// ω = Im λ (rad per time unit).
    public var frequency: Double? { lambda.map { abs($0.imaginary) } }
    /// γ = −Re λ.
    public var damping: Double? { lambda.map { -$0.real } }
    /// τ = 1/γ; nil when there is no rate or γ = 0. Negative for a growing mode.
    public var decayTime: Double? { damping.flatMap { $0 == 0 ? nil : 1 / $0 } }
    /// T = 2π/|ω|; nil for a real mode or no rate.
    public var period: Double? { isPair ? frequency.flatMap { $0 == 0 ? nil : 2 * Double.pi / $0 } : nil }
}

/// The oscillators of an identified single-input system, largest amplitude first.
public struct IdentifiedOscillators: Sendable {
    public let oscillators: [IdentifiedOscillator]
    /// Δ.
    public let step: Double
    /// κ(V) of Ā.
    public let kappa: Double
    /// Nyquist-edge and missing-rate notes.
    public let warnings: [String]

    /// Reads a discrete system with one input (Hankel DMD's or HAVOK's).
    public init(_ system: LTISystem) throws {
        guard let step = system.domain.step else {
            throw IdentificationError.invalid("identified systems are discrete; got a continuous one")
        }
        guard system.inputCount == 1 else {
            throw IdentificationError.invalid("the system has \(system.inputCount) inputs; identified systems have one")
        }
        let eigen = try system.a.eigen()
        // b̃ = V⁻¹B by a solve; for a numerically defective Ā by the left eigenvectors (W* = V⁻¹ up to κ·ε).
        let drive = try (try? eigen.right.solve(system.b)) ?? eigen.left.product(system.b, adjointSelf: true)
        let readout = try system.c * eigen.right      // c̃ = C V
        var warnings: [String] = []
        var list: [IdentifiedOscillator] = []
        for (k, mu) in eigen.values.enumerated() {
            let tolerance = 1e-9 * max(1, mu.length)
            if mu.imaginary < -tolerance { continue }  // the conjugate of a listed pair
            let isPair = mu.imaginary > tolerance
            let value = isPair ? mu : Complex(mu.real)  // a real mode's rounding-level imaginary part dropped
            var lambda: Complex<Double>?
            do { lambda = try OscillatorReading.rate(value, step: step, mode: k, warnings: &warnings) } catch {
                warnings.append("mode \(k): μ = \(value) has no rate λ = log μ / Δ (zero or negative real: a dead mode or one "
                    + "exactly at the Nyquist frequency); it is listed but not designed")
            }
            let weights = (0..<system.outputCount).map { readout[$0, k] * drive[k, 0] }  // w = c̃_k b̃_k
            let norm = weights.reduce(0) { $0 + $1.lengthSquared }.squareRoot()
            list.append(IdentifiedOscillator(mu: value, lambda: lambda, isPair: isPair, weights: weights,
                                             amplitude: (isPair ? 2 : 1) * norm))
        }
        oscillators = list.sorted { $0.amplitude > $1.amplitude }
        self.step = step
        kappa = eigen.vectorConditionNumber
        self.warnings = warnings
    }

    /// The design targets (see the file comment) and what was clamped or left out.
    public func design(maxMemory: Double) throws -> (design: OscillatorDesign, notes: [String]) {
        guard maxMemory > 0, maxMemory.isFinite else {
            throw IdentificationError.invalid("the memory cap \(maxMemory) must be positive and finite")
        }
        var notes: [String] = []
        var targets: [(frequency: Double, period: Double, memory: Double)] = []
        var clamped = 0
        for o in oscillators {
            guard let omega = o.frequency, let gamma = o.damping else { continue }
            let period = o.isPair && omega > 0 ? 2 * Double.pi / omega : Double.infinity
            guard period > 2 * step else {
                notes.append("mode μ = \(o.mu) sits exactly at the Nyquist frequency (T = 2Δ): left out")
                continue
            }
            var memory = gamma > 0 ? 1 / gamma : Double.infinity
            if memory > maxMemory { memory = maxMemory; clamped += 1 }
            targets.append((o.isPair ? omega : 0, period, memory))
        }
        if clamped > 0 {
            notes.append("\(clamped) mode(s) do not decay within \(maxMemory) (|μ| ≥ 1 or τ longer than the cap): "
                + "their memory is set to \(maxMemory)")
        }
        guard !targets.isEmpty else {
            throw IdentificationError.degenerate("no identified mode has a continuous rate to design from")
        }
        targets.sort { $0.frequency < $1.frequency }
        return (try OscillatorDesign(periods: targets.map(\.period), memories: targets.map(\.memory), step: step), notes)
    }
}
