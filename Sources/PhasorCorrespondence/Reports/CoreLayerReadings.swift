// The parts of `phasor map` (ModelMap, MapReport.swift) that only a LinOSS or an S6 layer has:
//   • LinOSS: per oscillator p its A = relu(A_diag), Δ = sigmoid(steps), natural frequency √A and, through the one
//     conversion LinOSSSystems.swift, its two modes μ± — or, for an oscillator without an eigen-reading
//     (relu(A_diag) = 0: the Jordan block [1 0; Δ 1], a double integrator with impulse response Δ²(l + 1); or
//     κ(V) > 1e4), no modes and `integrator: true`, with a warning naming it.
//   • S6 (selective, not LTI): the static part of its reading — per channel h and state n the rate A[h,n] = −exp(A_log)
//     per unit of Δ, and Δ at rest, Δ₀[h] = softplus(b_dt[h]) (the step when the token's projection is zero). The real
//     step is data-dependent, Δ_t = softplus(W_Δ u_t + b_dt); the per-token reading along an input is `phasor ring`
//     and `phasor operator` (the kernel K_t,s) on that input.
import PhasorModels
import PhasorNumerics

/// One LinOSS oscillator's reading.
public struct LinOSSOscillatorReport: Encodable, Sendable {
    public let index: Int
    /// A_diag as stored and A = relu(A_diag).
    public let aDiag: Double, a: Double
    /// Δ = sigmoid(steps).
    public let step: Double
    /// √A, the continuous oscillator's natural frequency (rad per time unit).
    public let naturalFrequency: Double
    /// κ₂ of its eigenvector matrix (null = ∞: no eigen-decomposition).
    public let kappa: Double?
    /// Indices of its two modes μ₊, μ₋ in the layer's `modes` (nil for an integrator).
    public let modes: [Int]?
    /// True when it has no eigen-reading and runs by its 2×2 recurrence.
    public let integrator: Bool

    enum CodingKeys: String, CodingKey {
        case index, aDiag = "A_diag", a = "A", step, naturalFrequency = "natural_frequency", kappa, modes, integrator
    }

    /// Every oscillator of `core` with the warnings its reading raises (integrators; growing IMEX modes).
    public static func oscillators(_ core: LinOSSLayer, systems: LinOSSSystems, layer i: Int) throws
        -> (reports: [LinOSSOscillatorReport], warnings: [String]) {
        let blocks = try core.blocks(requireStable: false)
        var reports: [LinOSSOscillatorReport] = [], warnings: [String] = []
        for q in 0..<core.oscillators {
            let b = blocks[q], kappa = systems.conditionNumbers[q], j = systems.modalOscillators.firstIndex(of: q)
            if j == nil {
                warnings.append("layer \(i) oscillator \(q): A = relu(\(core.aDiag[q])) = \(b.a), Δ = \(b.step): no eigen-reading "
                    + "(κ(V) = \(kappa)); " + (b.a == 0 ? "a double integrator, impulse response Δ²(l + 1), " : "")
                    + "run by its 2×2 recurrence")
            } else if core.scheme == .implicitExplicit, b.step * b.step * b.a > 4 {
                warnings.append("layer \(i) oscillator \(q): IMEX with Δ²A = \(b.step * b.step * b.a) > 4: a real mode with |μ| > 1 grows")
            }
            reports.append(LinOSSOscillatorReport(index: q, aDiag: core.aDiag[q], a: b.a, step: b.step,
                                                  naturalFrequency: b.naturalFrequency, kappa: kappa.isFinite ? kappa : nil,
                                                  modes: j.map { [2 * $0, 2 * $0 + 1] }, integrator: j == nil))
        }
        return (reports, warnings)
    }
}

/// The static part of an S6 layer's reading.
public struct SelectiveRestReading: Encodable, Sendable {
    /// A[h, n] = −exp(A_log), (H, N) row-major: the continuous rate per unit of Δ.
    public let rates: [Double]
    /// Δ₀[h] = softplus(b_dt[h]), the step at rest.
    public let restingSteps: [Double]
    /// Every (h, n) as a mode at rest: λ = A[h,n], μ = e^{Δ₀ λ}, step Δ₀[h].
    public let modes: [OscillatorMode]

    enum CodingKeys: String, CodingKey { case rates, restingSteps = "resting_steps" }

    public init(_ core: SelectiveLayer) {
        let a = core.a
        let rest = core.dtProjBias.map { max($0, 0) + Double.log(onePlus: Double.exp(-abs($0))) }   // softplus
        rates = a; restingSteps = rest
        modes = (0..<(core.channels * core.states)).map { e in
            let lambda = Complex(a[e]), step = rest[e / core.states]
            return OscillatorMode(lambda: lambda, mu: Complex.exp(lambda * Complex(step)), drive: [], readout: [], step: step)
        }
    }
}
