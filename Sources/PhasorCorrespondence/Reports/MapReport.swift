// `phasor map` as data (the JSON other programs read, DESIGN.md §9; keys snake_case): the oscillator reading of every
// channel of S4D layers, or of an LTI system, with summary statistics over the modes. Infinite or undefined times are
// null; κ(V) = +∞ (a defective A) is the JSON encoder's "inf" next to "eigen_reading_meaningful": false.
import PhasorModels
import PhasorNumerics

/// [re, im] of a complex number, as the JSON writes it.
public func realImaginary(_ z: Complex<Double>) -> [Double] { [z.real, z.imaginary] }

/// One oscillator of a reading.
public struct ModeReport: Encodable, Sendable {
    public let lambda: [Double]
    public let mu: [Double]?
    public let timescales: ModeTimescales
    public let drive: [Double]
    public let readout: [Double]
    /// All inputs / outputs when the system has more than one.
    public let drives: [[Double]]?
    public let readouts: [[Double]]?

    public init(_ m: OscillatorMode) {
        lambda = realImaginary(m.lambda)
        mu = m.mu.map(realImaginary)
        timescales = m.timescales
        drive = realImaginary(m.drive.first ?? .zero)
        readout = realImaginary(m.readout.first ?? .zero)
        drives = m.drive.count > 1 ? m.drive.map(realImaginary) : nil
        readouts = m.readout.count > 1 ? m.readout.map(realImaginary) : nil
    }

    enum CodingKeys: String, CodingKey { case lambda, mu, drive, readout, drives, readouts }

    /// λ, μ, drive and read-out beside the timescales' keys (frequency, damping, decay_time, growth_time, period,
    /// quality, step, decay_steps, period_steps; null = undefined).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lambda, forKey: .lambda)
        try c.encodeIfPresent(mu, forKey: .mu)
        try c.encode(drive, forKey: .drive)
        try c.encode(readout, forKey: .readout)
        try c.encodeIfPresent(drives, forKey: .drives)
        try c.encodeIfPresent(readouts, forKey: .readouts)
        try timescales.encode(to: encoder)
    }
}

/// min / median / max of the defined finite values, and how many were undefined (null).
public struct ValueSummary: Encodable, Sendable, Equatable {
    public let count: Int
    public let infinite: Int
    public let min: Double?
    public let median: Double?
    public let max: Double?

    public init(_ values: [Double?]) {
        let finite = values.compactMap { $0 }.filter(\.isFinite).sorted()
        count = finite.count
        infinite = values.count - finite.count
        min = finite.first
        max = finite.last
        median = finite.isEmpty ? nil
            : finite.count % 2 == 1 ? finite[finite.count / 2] : (finite[finite.count / 2 - 1] + finite[finite.count / 2]) / 2
    }

    enum CodingKeys: String, CodingKey { case count, infinite, min, median, max }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(infinite, forKey: .infinite)
        try c.encode(min, forKey: .min)
        try c.encode(median, forKey: .median)
        try c.encode(max, forKey: .max)
    }

    /// "min … median … max (+k ∞)", 4 significant digits; "all ∞" when nothing is defined.
    public var text: String {
        guard let lo = min, let mid = median, let hi = max else { return "all ∞" }
        func short(_ v: Double) -> String { String(format: "%.4g", v) }
        return "\(short(lo)) … \(short(mid)) … \(short(hi))" + (infinite > 0 ? " (+\(infinite) ∞)" : "")
    }
}

/// Summary statistics over a set of modes.
public struct ModeSummary: Encodable, Sendable, Equatable {
    public let modes: Int
    public let frequency: ValueSummary
    public let damping: ValueSummary
    public let decayTime: ValueSummary
    public let period: ValueSummary
    public let quality: ValueSummary
    public let nonDecaying: Int

    public init(_ modes: [OscillatorMode]) {
        self.modes = modes.count
        frequency = ValueSummary(modes.map { abs($0.frequency) })
        damping = ValueSummary(modes.map(\.damping))
        decayTime = ValueSummary(modes.map(\.decayTime))
        period = ValueSummary(modes.map(\.period))
        quality = ValueSummary(modes.map(\.quality))
        nonDecaying = modes.filter { $0.damping <= 0 }.count
    }

    enum CodingKeys: String, CodingKey {
        case modes, frequency = "abs_frequency", damping, decayTime = "decay_time", period, quality
        case nonDecaying = "non_decaying"
    }

    /// One line: |ω|, τ, T, Q ranges.
    public var text: String {
        "|ω|: \(frequency.text)   τ: \(decayTime.text)   T: \(period.text)   Q: \(quality.text)"
    }
}

/// One channel of an S4D layer.
public struct ChannelMap: Encodable, Sendable {
    public let index: Int
    public let dt: Double
    public let kappa: Double
    public let d: Double
    public let modes: [ModeReport]
    public let warnings: [String]
    enum CodingKeys: String, CodingKey { case index, dt, kappa, d = "D", modes, warnings }
}

/// One layer: an S4D layer's channels, or a MIMO core's (S5, LRU, LinOSS) modes shared by all channels, or an S6
/// layer's rates at rest.
public struct LayerMap: Encodable, Sendable {
    public let index: Int
    public let core: CoreKind
    public let discretization: Discretization
    /// S4D: one reading per channel (empty for a MIMO core).
    public let channels: [ChannelMap]
    /// S5, LRU: the modes, each with its own step and one drive/read-out weight per channel (nil for S4D).
    public let modes: [ModeReport]?
    /// S5, LRU: D per channel, and f in y = f·Re(C̃x) + D⊙u.
    public let direct: [Double]?
    public let outputFactor: Double?
    /// A bidirectional S5's anti-causal system: the same μ and drives, read out by C̃₂ (nil otherwise).
    public let anticausalModes: [ModeReport]?
    /// LinOSS: every oscillator (its modes' indices in `modes`, or an integrator without an eigen-reading).
    public var oscillators: [LinOSSOscillatorReport]? = nil
    /// S6: the rates and steps at rest (not LTI: no modes).
    public var selective: SelectiveRestReading? = nil

    enum CodingKeys: String, CodingKey {
        case index, core, discretization, channels, modes, direct, outputFactor = "output_factor"
        case anticausalModes = "anticausal_modes", oscillators, selective
    }
}

/// The oscillator reading of a model's layers (any core) or of a designed layer file's S4D layers.
public struct ModelMap: Encodable, Sendable {
    public let source: String
    public let layers: [LayerMap]
    public let summary: ModeSummary
    public let warnings: [String]
    /// Every mode read (for plots), not written to JSON.
    public let allModes: [OscillatorMode]

    enum CodingKeys: String, CodingKey { case source, layers, summary, warnings }

    /// Reads layers `layers` (all when nil) and channels `channels` (all when nil) of `cores` through the one
    /// conversion per core (CoreSystems.swift), with each layer's own discretisation. For a MIMO core (S5, LRU) a
    /// channel selects the drive and read-out weights of that channel (the path input h → output h).
    public init(source: String, cores: [SequenceCore], layer: Int? = nil, channel: Int? = nil) throws {
        if let layer, !(0..<cores.count).contains(layer) {
            throw CorrespondenceError.invalid("layer \(layer) does not exist: the checkpoint has \(cores.count) layer(s)")
        }
        var out: [LayerMap] = [], all: [OscillatorMode] = [], warnings: [String] = []
        for i in layer.map({ [$0] }) ?? Array(cores.indices) {
            let core = cores[i], H = core.channels
            if let channel, !(0..<H).contains(channel) {
                throw CorrespondenceError.invalid("channel \(channel) does not exist: layer \(i) has \(H) channels (0..<\(H))")
            }
            let chosen = channel.map { [$0] } ?? Array(0..<H)
            if case .s6(let s6) = core {                                       // not LTI: its reading at rest
                let rest = SelectiveRestReading(s6)
                all += rest.modes
                var map = LayerMap(index: i, core: .s6, discretization: .zoh, channels: [], modes: nil,
                                   direct: chosen.map { s6.d[$0] }, outputFactor: nil, anticausalModes: nil)
                map.selective = rest
                out.append(map)
                continue
            }
            func modes(_ r: ArchitectureReading) -> [OscillatorMode] {
                r.modes.map { m in
                    OscillatorMode(lambda: m.rate, mu: m.mu, drive: chosen.map { m.drive[$0] },
                                   readout: chosen.map { m.readout[$0] }, step: m.step)
                }
            }
            switch try core.diagonalSystems() {
            case .channels(let systems):
                guard case .s4d(let s4d) = core else { preconditionFailure("per-channel systems are S4D's") }
                var channels: [ChannelMap] = []
                for h in chosen {
                    let system = systems[h]
                    let reading = try OscillatorReading(s4d: system)
                    all += reading.modes
                    warnings += reading.warnings.map { "layer \(i) channel \(h): \($0)" }
                    channels.append(ChannelMap(index: h, dt: system.ssm.step, kappa: reading.kappa, d: system.ssm.direct,
                                               modes: reading.modes.map(ModeReport.init), warnings: reading.warnings))
                }
                out.append(LayerMap(index: i, core: .s4d, discretization: s4d.discretization, channels: channels, modes: nil,
                                    direct: nil, outputFactor: nil, anticausalModes: nil))
            case .oscillators(let reading, let systems):
                guard case .linoss(let linoss) = core else { preconditionFailure("oscillator systems are LinOSS's") }
                let read = reading.map(modes) ?? []
                all += read
                let (reports, notes) = try LinOSSOscillatorReport.oscillators(linoss, systems: systems, layer: i)
                warnings += notes + (reading?.warnings ?? []).map { "layer \(i): \($0)" }
                var map = LayerMap(index: i, core: core.kind, discretization: .zoh, channels: [], modes: read.map(ModeReport.init),
                                   direct: chosen.map { linoss.d[$0] }, outputFactor: 1, anticausalModes: nil)
                map.oscillators = reports
                out.append(map)
            case .mimo(let causal, let anticausal):
                let causalModes = modes(causal)
                all += causalModes
                warnings += causal.warnings.map { "layer \(i): \($0)" }
                let discretization: Discretization
                if case .s5(let s5) = core { discretization = s5.discretization } else { discretization = .zoh }
                out.append(LayerMap(index: i, core: core.kind, discretization: discretization, channels: [],
                                    modes: causalModes.map(ModeReport.init), direct: chosen.map { causal.direct[$0] },
                                    outputFactor: causal.outputFactor,
                                    anticausalModes: anticausal.map { modes($0).map(ModeReport.init) }))
            }
        }
        self.source = source
        layers = out
        summary = ModeSummary(all)
        self.warnings = warnings
        allModes = all
    }
}

/// The Schur reading of a system, as JSON.
public struct SchurReport: Encodable, Sendable {
    public let oscillators: [[Double]]
    /// Strictly upper part of T, row-major, [re, im] entries.
    public let coupling: [[[Double]]]
    public let relativeResidual: Double
    public let departureFromNormality: Double

    public init(_ s: SchurReading) {
        oscillators = s.oscillators.map(realImaginary)
        coupling = (0..<s.coupling.rows).map { i in (0..<s.coupling.columns).map { realImaginary(s.coupling[i, $0]) } }
        relativeResidual = s.relativeResidual
        departureFromNormality = s.departureFromNormality
    }

    enum CodingKeys: String, CodingKey {
        case oscillators, coupling, relativeResidual = "relative_residual", departureFromNormality = "departure_from_normality"
    }
}

/// The oscillator reading of an LTI system file.
public struct SystemMap: Encodable, Sendable {
    public let source: String
    public let dt: Double?
    public let states: Int, inputs: Int, outputs: Int
    public let kappa: Double
    public let eigenReadingMeaningful: Bool
    public let kappaThreshold: Double
    public let modes: [ModeReport]
    public let schur: SchurReport?
    public let summary: ModeSummary
    public let warnings: [String]
    /// Every mode read (for plots), not written to JSON.
    public let allModes: [OscillatorMode]

    /// Reads `system`; non-decaying modes (|μ| ≥ 1, or Re λ ≥ 0 for a continuous system) are added to the warnings.
    public init(source: String, system: LTISystem) throws {
        let reading = try OscillatorReading(system)
        var warnings = reading.warnings
        if let step = system.domain.step {
            for (k, m) in reading.modes.enumerated() where (m.mu?.length ?? 0) >= 1 {
                warnings.append("mode \(k): |μ| = \(m.mu?.length ?? 0) ≥ 1 (Δ = \(step)): it does not decay")
            }
        } else {
            for (k, m) in reading.modes.enumerated() where m.damping <= 0 {
                warnings.append("mode \(k): Re λ = \(m.lambda.real) ≥ 0: it does not decay")
            }
        }
        self.source = source
        dt = system.domain.step
        states = system.stateCount; inputs = system.inputCount; outputs = system.outputCount
        kappa = reading.kappa
        eigenReadingMeaningful = reading.eigenReadingMeaningful
        kappaThreshold = OscillatorReading.kappaThreshold
        modes = reading.modes.map(ModeReport.init)
        schur = reading.schur.map(SchurReport.init)
        summary = ModeSummary(reading.modes)
        self.warnings = warnings
        allModes = reading.modes
    }

    enum CodingKeys: String, CodingKey {
        case source, dt, states, inputs, outputs, kappa, eigenReadingMeaningful = "eigen_reading_meaningful"
        case kappaThreshold = "kappa_threshold", modes, schur, summary, warnings
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(dt, forKey: .dt)  // null = continuous
        try c.encode(states, forKey: .states)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(outputs, forKey: .outputs)
        try c.encode(kappa, forKey: .kappa)
        try c.encode(eigenReadingMeaningful, forKey: .eigenReadingMeaningful)
        try c.encode(kappaThreshold, forKey: .kappaThreshold)
        try c.encode(modes, forKey: .modes)
        try c.encodeIfPresent(schur, forKey: .schur)
        try c.encode(summary, forKey: .summary)
        try c.encode(warnings, forKey: .warnings)
    }
}
