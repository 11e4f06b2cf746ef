// THE change of representation "a model's core → its diagonal systems", one conversion per core kind (DESIGN.md §10):
//   S4D  one SISO diagonal system per channel (S4DSystems.swift: μ_n, b_n = 1, C̃_n, D_h, the layer's own Δ_h)
//   S5   one MIMO diagonal system over all H channels, from the numbers the forward pass runs (`S5Layer.discrete()`:
//        clip_eigs and step_rescale applied): μ_p = pole(Λ_p, Δ_p), B̄ = F_p B̃, C̃, D, f = 2 with conj_sym; its reading
//        keeps the model's own rates Λ_p (ZOH) with Δ_p = step_rescale·exp(log_step_p). A bidirectional S5 adds the
//        ANTI-CAUSAL system (μ, B̄, C̃₂, no D), run on the time-reversed sequence: y_k = causal_k(u) +
//        Σ_{j≥k} f·Re(C̃₂ μ^{j−k} B̄) u_j — the ring and the operator's mode components treat it as a second system
//        travelling backwards in time.
//   LRU  one MIMO diagonal system: μ_j = λ_j = exp(−e^{ν_log} + i·e^{θ_log}), B̄ = γ ⊙ B, C̃ = C, f = 1; one step per
//        token (Δ = 1), rates λ_j = −e^{ν_log} + i·e^{θ_log}.
//   LinOSS  LinOSSSystems.swift: one MIMO diagonal system of the two modes μ± of every oscillator whose 2×2 transition
//        has an eigen-reading (rates λ = log μ/Δ, the oscillator's own Δ), and the oscillators without one
//        (relu(A_diag) = 0: a Jordan block, a double integrator) run by their own recurrence beside it.
//   S6   not LTI (Δ_t, B_t, C_t depend on the input): no fixed diagonal systems; its ring and its operator run along
//        one input (SelectiveRing, HiddenAttention).
// `map`, `ring`, `analyze`, the demo and the operator's interaction bases read every core through this file.
import PhasorModels
import PhasorNumerics

/// A core's linear map as diagonal systems.
public enum CoreSystems: Sendable {
    /// S4D: one diagonal system per channel.
    case channels([S4DChannel])
    /// S5, LRU: one MIMO diagonal system (its reading: modes with rates and steps), and the anti-causal one of a
    /// bidirectional S5.
    case mimo(causal: ArchitectureReading, anticausal: ArchitectureReading?)
    /// LinOSS: the modes' MIMO system with its reading (nil when no oscillator has one), and the whole conversion
    /// (with the oscillators run as recurrences).
    case oscillators(reading: ArchitectureReading?, systems: LinOSSSystems)

    /// Every mode's continuous rate λ, step Δ and discrete pole μ (S4D: channel by channel).
    public var modes: [(rate: Complex<Double>, step: Double, mu: Complex<Double>)] {
        switch self {
        case .channels(let cs):
            return cs.flatMap { c in (0..<c.ssm.modes.count).map { (c.rates[$0], c.ssm.step, c.ssm.modes[$0]) } }
        case .mimo(let causal, _):
            return causal.modes.map { ($0.rate, $0.step, $0.mu) }
        case .oscillators(let reading, _):
            return (reading?.modes ?? []).map { ($0.rate, $0.step, $0.mu) }
        }
    }
}

extension ArchitectureReading {
    /// The path from input channel h to output channel h through the shared state, as a SISO diagonal system in the
    /// 2·Re convention: modes μ, input B̄_·h, read-out (f/2)·C̃_h·, direct D_h, one step per token (Δ = 1: the
    /// modes' own steps differ). The analyses read a MIMO layer's channels through it.
    public func channelPath(_ h: Int) throws -> DiagonalSSM {
        guard (0..<direct.count).contains(h) else {
            throw CorrespondenceError.invalid("channel \(h) does not exist: the layer has \(direct.count) channels")
        }
        return try DiagonalSSM(modes: modes.map(\.mu), input: modes.map { $0.drive[h] },
                               output: modes.map { $0.readout[h] * Complex(outputFactor / 2) }, direct: direct[h], step: 1)
    }
}

extension SequenceCore {
    /// The core's diagonal systems (see the file header).
    public func diagonalSystems() throws -> CoreSystems {
        switch self {
        case .s4d(let c): return .channels(try c.diagonalSystems())
        case .s5(let c):
            let causal = try ArchitectureReading(s5: c)
            var anticausal: ArchitectureReading?
            if let r = try c.reverseDiscrete() {
                anticausal = try ArchitectureReading(system: r, steps: causal.modes.map(\.step),
                                                     rates: causal.modes.map(\.rate))
            }
            return .mimo(causal: causal, anticausal: anticausal)
        case .lru(let c): return .mimo(causal: try ArchitectureReading(lru: c), anticausal: nil)
        case .linoss(let c):
            let systems = try c.diagonalSystems()
            return .oscillators(reading: try systems.modes.map { try ArchitectureReading(system: $0, steps: systems.modeSteps) },
                                systems: systems)
        case .s6:
            throw CorrespondenceError.invalid("an S6 layer is not LTI (its Δ, B, C depend on the input): it has no fixed "
                + "diagonal systems — its ring and its operator (the kernel K_t,s) run along one input")
        }
    }
}
