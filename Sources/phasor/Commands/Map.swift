// `phasor map`: the oscillator reading (DESIGN.md §4) of every S4D channel of a checkpoint, or of an LTI system file.
import ArgumentParser
import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorModels
import PhasorNumerics

struct Map: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read an SSM as oscillators: frequency, damping, decay time, period, quality, drive, read-out per mode.",
        discussion: """
        --model reads the S4D layers of a state-spaces checkpoint (s4_layers.{i}.kernel.log_dt, C, log_A_real, \
        A_imag, D); each stored mode stands for itself and its implied conjugate. --system reads tensors A, B, C, D \
        (real, or complex with a trailing axis of 2) with __metadata__ {"dt": "…"} for a discrete system; a large \
        κ(V) (> 1e8) flags the eigen-reading as meaningless and adds the Schur reading. Infinite times are null. \
        --model with --tokens (int64 ids, (L)) reads a Mamba language model's selective layers along that sequence: \
        per token and channel Δ_t, μ_t = exp(Δ_t A) and τ_t = 1/(Δ_t|A|) (the full per-channel arrays with --layer), \
        channel memory, token effects, Lyapunov exponents per layer and of the whole model (docs/mamba.md).
        """
    )

    @Option(help: "A checkpoint (.safetensors) with S4D layers.") var model: String?
    @Option(help: "A system file (.safetensors) with tensors A, B, C, D.") var system: String?
    @Option(help: "Only this layer (default: all).") var layer: Int?
    @Option(help: "Only this channel (default: all).") var channel: Int?
    @Flag(help: "Print the reading as JSON.") var json = false
    @Option(help: "Write the spectrum (λ in the complex plane) as an SVG.") var plot: String?
    @Option(help: "Token ids (.npy int64, (L)) for a Mamba language model --model.") var tokens: String?

    func validate() throws {
        guard (model == nil) != (system == nil) else { throw ValidationError("give exactly one of --model or --system") }
        if system != nil, layer != nil || channel != nil {
            throw ValidationError("--layer and --channel apply to --model only")
        }
        if tokens != nil, system != nil || plot != nil { throw ValidationError("--tokens reads a Mamba --model; it has no --plot") }
    }

    func run() throws {
        if let model, let tokens { return try MambaMap.run(model: model, tokens: tokens, layer: layer, channel: channel, json: json) }
        if let model { try runModel(model) } else if let system { try runSystem(system) }
    }

    private func runModel(_ path: String) throws {
        let (store, layers) = try S4DFile.parameters(try SafeTensorsFile(contentsOf: path))
        let layerIndices: [Int]
        if let layer {
            guard layer >= 0, layer < layers else {
                throw CorrespondenceError.invalid("layer \(layer) does not exist: the checkpoint has \(layers) S4D layer(s)")
            }
            layerIndices = [layer]
        } else { layerIndices = Array(0..<layers) }
        var output: [LayerJSON] = []
        var all: [OscillatorMode] = []
        var warnings: [String] = []
        for i in layerIndices {
            let (h, _) = try DiagonalSSM.s4dShape(store, layer: i)
            if let channel, !(0..<h).contains(channel) {
                throw CorrespondenceError.invalid("channel \(channel) does not exist: layer \(i) has \(h) channels (0..<\(h))")
            }
            var channels: [ChannelJSON] = []
            for c in channel.map({ [$0] }) ?? Array(0..<h) {
                let ssm = try DiagonalSSM.s4d(store, layer: i, channel: c)
                let reading = try OscillatorReading(diagonal: ssm, rates: try DiagonalSSM.s4dRates(store, layer: i, channel: c))
                all += reading.modes
                warnings += reading.warnings.map { "layer \(i) channel \(c): \($0)" }
                channels.append(ChannelJSON(index: c, dt: ssm.step, kappa: reading.kappa, d: ssm.direct,
                                            modes: reading.modes.map(ModeJSON.init), warnings: reading.warnings))
            }
            output.append(LayerJSON(index: i, channels: channels))
        }
        if let plot { try AtomicFile.write(SpectrumPlot.svg(eigenvalues: all.map(\.lambda)), to: plot) }
        let result = ModelMapJSON(source: path, layers: output, summary: SummaryJSON(all), warnings: warnings)
        if json { try JSONOutput.print(result); return }
        print("\(path): \(output.count) layer(s), \(all.count) modes (each with its implied conjugate)")
        let s = result.summary
        print("  |ω|: \(describe(s.frequency))   τ: \(describe(s.decayTime))   T: \(describe(s.period))   Q: \(describe(s.quality))")
        if s.nonDecaying > 0 { print("  \(s.nonDecaying) mode(s) do not decay") }
        for w in warnings.prefix(10) { print("  warning: \(w)") }
        if warnings.count > 10 { print("  … \(warnings.count - 10) more warning(s); see --json") }
    }

    private func runSystem(_ path: String) throws {
        let system = try LTISystem(safeTensors: try SafeTensorsFile(contentsOf: path))
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
        if let plot {
            try AtomicFile.write(SpectrumPlot.svg(eigenvalues: reading.modes.map(\.lambda)), to: plot)
        }
        let result = SystemMapJSON(source: path, dt: system.domain.step, states: system.stateCount,
                                   inputs: system.inputCount, outputs: system.outputCount, kappa: reading.kappa,
                                   eigenReadingMeaningful: reading.eigenReadingMeaningful,
                                   kappaThreshold: OscillatorReading.kappaThreshold,
                                   modes: reading.modes.map(ModeJSON.init), schur: reading.schur.map(SchurJSON.init),
                                   summary: SummaryJSON(reading.modes), warnings: warnings)
        if json { try JSONOutput.print(result); return }
        print("\(path): \(system.stateCount) states, \(system.inputCount) input(s), \(system.outputCount) output(s), "
              + (system.domain.step.map { "discrete Δ = \($0)" } ?? "continuous"))
        print("  κ(V) = \(reading.kappa)\(reading.eigenReadingMeaningful ? "" : "  (> \(OscillatorReading.kappaThreshold): eigen-reading meaningless, Schur reading in --json)")")
        let s = result.summary
        print("  |ω|: \(describe(s.frequency))   τ: \(describe(s.decayTime))   T: \(describe(s.period))   Q: \(describe(s.quality))")
        for w in warnings { print("  warning: \(w)") }
    }

    private func describe(_ s: StatsJSON) -> String {
        guard let lo = s.min, let mid = s.median, let hi = s.max else { return "all ∞" }
        return "\(short(lo)) … \(short(mid)) … \(short(hi))" + (s.infinite > 0 ? " (+\(s.infinite) ∞)" : "")
    }

    private func short(_ v: Double) -> String { String(format: "%.4g", v) }
}

struct LayerJSON: Encodable {
    let index: Int
    let channels: [ChannelJSON]
}

struct ChannelJSON: Encodable {
    let index: Int
    let dt: Double
    let kappa: Double
    let d: Double
    let modes: [ModeJSON]
    let warnings: [String]
    enum CodingKeys: String, CodingKey { case index, dt, kappa, d = "D", modes, warnings }
}

struct ModelMapJSON: Encodable {
    let source: String
    let layers: [LayerJSON]
    let summary: SummaryJSON
    let warnings: [String]
}

struct SchurJSON: Encodable {
    let oscillators: [[Double]]
    /// Strictly upper part of T, row-major, [re, im] entries.
    let coupling: [[[Double]]]
    let relativeResidual: Double
    let departureFromNormality: Double
    init(_ s: SchurReading) {
        oscillators = s.oscillators.map(pair)
        coupling = (0..<s.coupling.rows).map { i in (0..<s.coupling.columns).map { pair(s.coupling[i, $0]) } }
        relativeResidual = s.relativeResidual
        departureFromNormality = s.departureFromNormality
    }
    enum CodingKeys: String, CodingKey {
        case oscillators, coupling, relativeResidual = "relative_residual", departureFromNormality = "departure_from_normality"
    }
}

struct SystemMapJSON: Encodable {
    let source: String
    let dt: Double?
    let states: Int, inputs: Int, outputs: Int
    let kappa: Double
    let eigenReadingMeaningful: Bool
    let kappaThreshold: Double
    let modes: [ModeJSON]
    let schur: SchurJSON?
    let summary: SummaryJSON
    let warnings: [String]
    enum CodingKeys: String, CodingKey {
        case source, dt, states, inputs, outputs, kappa, eigenReadingMeaningful = "eigen_reading_meaningful"
        case kappaThreshold = "kappa_threshold", modes, schur, summary, warnings
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(dt, forKey: .dt)  // null = continuous
        try c.encode(states, forKey: .states)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(outputs, forKey: .outputs)
        // κ(V) = +∞ for a defective A: reported as the string "inf" by JSONOutput, with eigen_reading_meaningful false
        try c.encode(kappa, forKey: .kappa)
        try c.encode(eigenReadingMeaningful, forKey: .eigenReadingMeaningful)
        try c.encode(kappaThreshold, forKey: .kappaThreshold)
        try c.encode(modes, forKey: .modes)
        try c.encodeIfPresent(schur, forKey: .schur)
        try c.encode(summary, forKey: .summary)
        try c.encode(warnings, forKey: .warnings)
    }
}



func pair(_ z: Complex<Double>) -> [Double] { [z.real, z.imaginary] }

/// One oscillator of a reading.
struct ModeJSON: Encodable {
    let lambda: [Double]
    let mu: [Double]?
    let frequency: Double
    let damping: Double
    let decayTime: Double?
    let period: Double?
    let quality: Double?
    let drive: [Double]
    let readout: [Double]
    /// All inputs / outputs when the system has more than one.
    let drives: [[Double]]?
    let readouts: [[Double]]?

    init(_ m: OscillatorMode) {
        lambda = pair(m.lambda)
        mu = m.mu.map(pair)
        frequency = m.frequency
        damping = m.damping
        decayTime = m.decayTime
        period = m.period
        quality = m.quality
        drive = pair(m.drive.first ?? .zero)
        readout = pair(m.readout.first ?? .zero)
        drives = m.drive.count > 1 ? m.drive.map(pair) : nil
        readouts = m.readout.count > 1 ? m.readout.map(pair) : nil
    }

    enum CodingKeys: String, CodingKey {
        case lambda, mu, frequency, damping, decayTime = "decay_time", period, quality, drive, readout, drives, readouts
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lambda, forKey: .lambda)
        try c.encodeIfPresent(mu, forKey: .mu)
        try c.encode(frequency, forKey: .frequency)
        try c.encode(damping, forKey: .damping)
        try c.encode(decayTime, forKey: .decayTime)  // null = ∞
        try c.encode(period, forKey: .period)        // null = ∞
        try c.encode(quality, forKey: .quality)      // null = ∞
        try c.encode(drive, forKey: .drive)
        try c.encode(readout, forKey: .readout)
        try c.encodeIfPresent(drives, forKey: .drives)
        try c.encodeIfPresent(readouts, forKey: .readouts)
    }
}

/// min / median / max of the finite values, and how many were infinite (null).
struct StatsJSON: Encodable {
    let count: Int
    let infinite: Int
    let min: Double?
    let median: Double?
    let max: Double?

    init(_ values: [Double?]) {
        let finite = values.compactMap { $0 }.filter(\.isFinite).sorted()
        count = finite.count
        infinite = values.count - finite.count
        min = finite.first
        max = finite.last
        median = finite.isEmpty ? nil
            : finite.count % 2 == 1 ? finite[finite.count / 2] : (finite[finite.count / 2 - 1] + finite[finite.count / 2]) / 2
    }

    enum CodingKeys: String, CodingKey { case count, infinite, min, median, max }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(infinite, forKey: .infinite)
        try c.encode(min, forKey: .min)
        try c.encode(median, forKey: .median)
        try c.encode(max, forKey: .max)
    }
}

/// Summary statistics over a set of modes.
struct SummaryJSON: Encodable {
    let modes: Int
    let frequency: StatsJSON
    let damping: StatsJSON
    let decayTime: StatsJSON
    let period: StatsJSON
    let quality: StatsJSON
    let nonDecaying: Int

    init(_ modes: [OscillatorMode]) {
        self.modes = modes.count
        frequency = StatsJSON(modes.map { abs($0.frequency) })
        damping = StatsJSON(modes.map(\.damping))
        decayTime = StatsJSON(modes.map(\.decayTime))
        period = StatsJSON(modes.map(\.period))
        quality = StatsJSON(modes.map(\.quality))
        nonDecaying = modes.filter { $0.damping <= 0 }.count
    }

    enum CodingKeys: String, CodingKey {
        case modes, frequency = "abs_frequency", damping, decayTime = "decay_time", period, quality
        case nonDecaying = "non_decaying"
    }
}

/// Parses "10,100,1000" (also "inf").
func parseNumberList(_ text: String, option: String) throws -> [Double] {
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap(Double.init)
    guard !parts.isEmpty, values.count == parts.count, values.allSatisfy({ !$0.isNaN }) else {
        throw CorrespondenceError.invalid("\(option) \"\(text)\" is not a comma-separated list of numbers (e.g. 10,100,1000)")
    }
    return values
}
