// `phasor map` of a model whose core is not S4D, as data (keys snake_case, undefined times null):
//   • LinOSS (LTI): per oscillator p its A = relu(A_diag), Δ = sigmoid(steps), natural frequency √A and, through the
//     one conversion LinOSSSystems.swift, its two modes μ± with their timescales (λ = log μ / Δ), drive B̄ (one
//     weight per input channel) and read-out C̃ (one per output channel) — or, for an oscillator without an
//     eigen-reading (relu(A_diag) = 0: the Jordan block [1 0; Δ 1], a double integrator with impulse response
//     Δ²(l + 1); or κ(V) > 1e4), no modes and `integrator: true`.
//   • S6 (selective, not LTI): the static part of its reading — per channel h and state n the rate A[h,n] =
//     −exp(A_log) per unit of Δ, and Δ at rest, Δ₀[h] = softplus(b_dt[h]) (the step when the projection of the
//     token is zero). The real step is data-dependent, Δ_t = softplus(W_Δ u_t + b_dt); the per-token reading along an
//     input is `phasor ring` / `phasor operator` (the hidden-attention kernel) on that input.
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
    /// Its two modes μ₊, μ₋ (nil for an integrator).
    public let modes: [ModeReport]?
    /// True when it has no eigen-reading and runs by its 2×2 recurrence.
    public let integrator: Bool

    enum CodingKeys: String, CodingKey {
        case index, aDiag = "A_diag", a = "A", step, naturalFrequency = "natural_frequency", kappa, modes, integrator
    }
}

/// One layer of a LinOSS model.
public struct LinOSSLayerMap: Encodable, Sendable {
    public let index: Int
    public let scheme: LinOSSScheme
    public let oscillators: [LinOSSOscillatorReport]
    public let d: [Double]
    enum CodingKeys: String, CodingKey { case index, scheme, oscillators, d = "D" }
}

/// One layer of an S6 model: its static reading.
public struct S6LayerMap: Encodable, Sendable {
    public let index: Int
    /// A[h, n] = −exp(A_log), (H, N) row-major: the continuous rate per unit of Δ.
    public let rates: [Double]
    /// Δ₀[h] = softplus(b_dt[h]), the step at rest.
    public let restingSteps: [Double]
    public let d: [Double]
    enum CodingKeys: String, CodingKey { case index, rates, restingSteps = "resting_steps", d = "D" }
}

/// The reading of a model whose core is not S4D.
public struct CoreMap: Encodable, Sendable {
    public let source: String
    public let core: CoreKind
    public let linossLayers: [LinOSSLayerMap]
    public let s6Layers: [S6LayerMap]
    public let summary: ModeSummary
    public let warnings: [String]
    /// Every mode read (S6: every (h, n) at rest), for plots; not written to JSON.
    public let allModes: [OscillatorMode]

    enum CodingKeys: String, CodingKey { case source, core, layers, summary, warnings }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(core, forKey: .core)
        if core == .s6 { try c.encode(s6Layers, forKey: .layers) } else { try c.encode(linossLayers, forKey: .layers) }
        try c.encode(summary, forKey: .summary)
        try c.encode(warnings, forKey: .warnings)
    }

    /// Reads layers `layer` (all when nil) of `model`; throws for an S4D model (whose reading is `ModelMap`).
    public init(source: String, model: S4Model, layer: Int? = nil) throws {
        let blocks = model.blocks
        if let layer, !(0..<blocks.count).contains(layer) {
            throw CorrespondenceError.invalid("layer \(layer) does not exist: the checkpoint has \(blocks.count) layer(s)")
        }
        var linoss: [LinOSSLayerMap] = [], s6: [S6LayerMap] = [], all: [OscillatorMode] = [], warnings: [String] = []
        for i in layer.map({ [$0] }) ?? Array(blocks.indices) {
            switch blocks[i].core {
            case .s4d:
                throw CorrespondenceError.invalid("an S4D model's reading is per channel (ModelMap)")
            case .linoss(let core):
                let (map, modes, notes) = try Self.linoss(core, layer: i)
                linoss.append(map); all += modes; warnings += notes
            case .s6(let core):
                let rest = core.dtProjBias.map { max($0, 0) + Double.log(onePlus: Double.exp(-abs($0))) }   // softplus
                let a = core.a
                s6.append(S6LayerMap(index: i, rates: a, restingSteps: rest, d: core.d))
                for h in 0..<core.channels { for n in 0..<core.states {
                    let lambda = Complex(a[h * core.states + n]), step = rest[h]
                    all.append(OscillatorMode(lambda: lambda, mu: Complex.exp(lambda * Complex(step)), drive: [], readout: [], step: step))
                } }
            }
        }
        self.source = source
        core = model.configuration.core
        linossLayers = linoss
        s6Layers = s6
        summary = ModeSummary(all)
        self.warnings = warnings
        allModes = all
    }

    /// Layer i of a LinOSS model through the one conversion.
    static func linoss(_ core: LinOSSLayer, layer i: Int) throws -> (LinOSSLayerMap, [OscillatorMode], [String]) {
        let systems = try core.diagonalSystems(), blocks = try core.blocks(requireStable: false), h = core.channels
        var reports: [LinOSSOscillatorReport] = [], modes: [OscillatorMode] = [], warnings: [String] = []
        for q in 0..<core.oscillators {
            let b = blocks[q], kappa = systems.conditionNumbers[q]
            var pair: [OscillatorMode]?
            if let j = systems.modalOscillators.firstIndex(of: q), let m = systems.modes {
                pair = try [2 * j, 2 * j + 1].map { k in
                    let mu = m.mu[k]
                    guard mu != .zero, !(mu.real < 0 && mu.imaginary == 0) else {
                        throw CorrespondenceError.noPrincipalLogarithm("layer \(i) oscillator \(q): μ = \(mu)")
                    }
                    return OscillatorMode(lambda: Complex.log(mu) / Complex(b.step), mu: mu,       // λ = log μ / Δ
                                          drive: (0..<h).map { m.bBar[k * h + $0] },
                                          readout: (0..<h).map { m.c[$0 * m.modeCount + k] }, step: b.step)
                }
                for mode in pair! where (mode.mu?.length ?? 0) >= 1 {
                    warnings.append("layer \(i) oscillator \(q): |μ| = \(mode.mu!.length) ≥ 1 (IMEX with Δ²A = \(b.step * b.step * b.a) > 4 grows)")
                }
                modes += pair!
            } else {
                warnings.append("layer \(i) oscillator \(q): A = relu(\(core.aDiag[q])) = \(b.a), Δ = \(b.step): no eigen-reading "
                    + "(κ(V) = \(kappa)); " + (b.a == 0 ? "a double integrator, impulse response Δ²(l + 1), " : "")
                    + "run by its 2×2 recurrence")
            }
            reports.append(LinOSSOscillatorReport(index: q, aDiag: core.aDiag[q], a: b.a, step: b.step,
                                                  naturalFrequency: b.naturalFrequency, kappa: kappa.isFinite ? kappa : nil,
                                                  modes: pair?.map(ModeReport.init), integrator: pair == nil))
        }
        return (LinOSSLayerMap(index: i, scheme: core.scheme, oscillators: reports, d: core.d), modes, warnings)
    }
}
