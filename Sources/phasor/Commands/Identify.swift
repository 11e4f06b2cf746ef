// `phasor identify`: a measured series → Hankel DMD or HAVOK → the oscillators it contains, reconstruction and
// forecast errors, and (optionally) the identified system, its network form and an S4D layer designed from its modes
// (docs/identification.md). Parses, calls PhasorIdentification.Identification, writes, prints.
import ArgumentParser
import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorIdentification
import PhasorNumerics

extension IdentificationMethod: ExpressibleByArgument {}

struct Identify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Identify oscillators in a measured series (Hankel DMD / HAVOK); write the system or an S4D layer.",
        discussion: """
        --data is a .npy array (L,) or (L, d), a .csv with one row per time step (channels in columns, one header row \
        allowed), or a UCR/UEA .ts dataset whose cases are concatenated. The last --holdout of the series is held out \
        for the forecast. Rank: --rank r, --energy e, or by default the optimal hard threshold of Gavish & Donoho \
        (capped at the rounding level). Times are in units of --dt. --out writes an S4D layer initialised from the \
        identified modes (memories capped at --max-memory, default the training span): train from it with \
        `phasor train --init-from layer.safetensors --d-state 2N` (N = its modes). --system-out writes the discrete \
        LTISystem (A, B, C, D; `phasor map --system`); --network-out DIR writes J.npy = log(Ā)/Δ, z0.npy, C.npy and \
        free_run.npy, so that C·z(kΔ) from `phasor network --jacobian DIR/J.npy --z0 DIR/z0.npy` is row k of \
        free_run.npy, the DMD's free run from its first window (the sample at time (delays − 1 + k)·Δ).
        """
    )

    @Option(help: "The series: .npy, .csv (rows = time steps) or .ts (cases concatenated).") var data: String
    @Option(help: "Use only this component (channel, from 0) of the series, e.g. 0 for x of an attractor.") var component: Int?
    @Option(help: "dmd (Hankel DMD; --delays 1 is exact DMD) or havok.") var method: IdentificationMethod = .dmd
    @Option(help: "Number of delays q of the Hankel embedding.") var delays = 1
    @Option(help: "Truncation rank r (default: optimal hard threshold).") var rank: Int?
    @Option(help: "Truncation by energy: smallest r with Σσ² ≥ e·total, 0 < e ≤ 1.") var energy: Double?
    @Option(help: "Sampling step Δ (the time unit of periods and decay times).") var dt: Double = 1
    @Option(help: "Fraction of the series held out at the end for the forecast (0 … 0.9).") var holdout: Double = 0.2
    @Option(help: "HAVOK: forcing threshold in standard deviations.") var threshold: Double = 2.5
    @Option(help: "HAVOK: window around a sign change of channel 0, samples before,after.") var window: String = "30,10"
    @Option(help: "Write an S4D layer initialised from the identified modes (.safetensors).") var out: String?
    @Option(help: "Channels H of the layer written with --out (identical copies).") var channels: Int = 1
    @Option(help: "Layer index in the tensor names of --out.") var layer: Int = 0
    @Option(help: "Memory cap τ_max of the designed modes (default: the training span).") var maxMemory: Double?
    @Option(help: "Write the identified discrete system A, B, C, D (.safetensors).") var systemOut: String?
    @Option(help: "Write J.npy, z0.npy, C.npy, free_run.npy (method dmd) into this folder.") var networkOut: String?
    @Flag(help: "Print the result as JSON.") var json = false
    @Option(help: "Write spectrum.svg, series.svg (and forcing.svg for havok) into this folder.") var plot: String?

    func validate() throws {
        if rank != nil, energy != nil { throw ValidationError("give at most one of --rank and --energy") }
        if networkOut != nil, method == .havok {
            throw ValidationError("--network-out needs --method dmd: HAVOK's linear part is driven by its forcing, not free")
        }
    }

    func run() throws {
        let windowValues = try parseNumberList(window, option: "--window")
        guard windowValues.count == 2, windowValues.allSatisfy({ $0 >= 0 && $0 == $0.rounded() && $0 < 1e9 }) else {
            throw CLIError("--window \"\(window)\" must be two whole numbers of samples, before,after (e.g. 30,10)")
        }
        try OutputPaths.requireWritable([out, systemOut])
        try Self.requireFolder(networkOut, option: "--network-out")
        try Self.requireFolder(plot, option: "--plot")
        var series = try TimeSeries.load(path: data)
        if let component {
            guard (0..<series.channels).contains(component) else {
                throw CLIError("--component \(component) does not exist: \(data) has \(series.channels) channel(s) (0..<\(series.channels))")
            }
            series = try TimeSeries(name: series.name, channels: 1, values: series.channel(component))
        }
        let rule: RankRule = rank.map { .fixed($0) } ?? energy.map { .energy($0) } ?? .optimalHardThreshold
        let settings = IdentificationSettings(method: method, delays: delays, rank: rule, step: dt, holdout: holdout,
                                              threshold: threshold, window: (Int(windowValues[0]), Int(windowValues[1])))
        if series.length * series.channels * delays > 4_000_000 {
            Terminal.error("identify: \(series.name): SVD of a \(delays * series.channels)×\(series.length - delays + 1) Hankel matrix …")
        }
        let result = try Identification(series, settings: settings)

        // Everything is computed before anything is written.
        var layerFile: SafeTensorsFile?, designNotes: [String] = [], designedModes = 0, targets: [OscillatorTarget] = []
        if let out {
            let cap = maxMemory ?? Double(result.trainingLength) * dt
            let (design, notes) = try result.oscillators.design(maxMemory: cap)
            layerFile = try S4DFile.file(try design.s4dParameters(layer: layer, channels: channels),
                                         metadata: ["phasor": "identify", "source": (data as NSString).lastPathComponent])
            designNotes = notes
            designedModes = design.targets.count
            targets = design.targets
        }
        let systemFile = try systemOut.map { _ in try result.system.safeTensors() }
        let network = try networkOut.map { _ in try Self.networkFiles(result) }
        let figures = plot.map { _ in result.figures() }

        if let out, let layerFile { try layerFile.write(to: out) }
        if let systemOut, let systemFile { try systemFile.write(to: systemOut) }
        if let networkOut, let network {
            try Self.makeFolder(networkOut)
            for (name, array) in network { try array.write(to: (networkOut as NSString).appendingPathComponent(name)) }
        }
        if let plot, let figures {
            try Self.makeFolder(plot)
            for figure in figures { try AtomicFile.write(figure.svg, to: (plot as NSString).appendingPathComponent(figure.name)) }
        }

        let report = IdentifyJSON(result, data: data, out: out, designedModes: designedModes, designTargets: targets,
                                  designNotes: designNotes)
        if json { try JSONOutput.print(report); return }
        print(report.text)
    }

    /// J = log(Ā)/Δ, z0 = B̄, C, and the DMD free run over the training windows and the tail.
    static func networkFiles(_ result: Identification) throws -> [(String, NpyArray)] {
        guard let dmd = result.dmd else { throw CLIError("--network-out needs --method dmd") }
        if let dead = result.oscillators.oscillators.first(where: { $0.lambda == nil }) {
            throw CLIError("--network-out: the DMD has a mode μ = \(dead.mu.real) on the negative real axis (typically noise at "
                + "the Nyquist frequency), so no continuous-time network J = log(Ā)/Δ exists; lower --rank")
        }
        let continuous = try result.system.continuised(method: .zeroOrderHold).system
        let n = continuous.stateCount, d = result.series.channels
        func rowMajor(_ m: ComplexMatrix) -> [Complex<Double>] {
            (0..<m.rows).flatMap { i in (0..<m.columns).map { m[i, $0] } }
        }
        let count = dmd.embedding.windows + result.holdoutLength
        return [
            ("J.npy", try NpyArray(shape: [n, n], complex128: rowMajor(continuous.a))),
            ("z0.npy", try NpyArray(shape: [n], complex128: result.system.b.column(0))),
            ("C.npy", try NpyArray(shape: [d, n], complex128: rowMajor(continuous.c))),
            ("free_run.npy", try NpyArray(shape: [count, d], float64: try dmd.freeRun(amplitudes: dmd.dmd.amplitudes, count: count))),
        ]
    }

    /// An output folder: an existing writable folder, or one whose parent exists (it is created after the work).
    static func requireFolder(_ path: String?, option: String) throws {
        guard let path else { return }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CLIError("\(option) \(path) is a file; give a folder") }
            guard FileManager.default.isWritableFile(atPath: path) else { throw CLIError("\(option) \(path) is not writable") }
            return
        }
        try OutputPaths.requireWritable([path])
    }

    static func makeFolder(_ path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        }
    }
}

/// One identified oscillator in the report.
struct IdentifiedOscillatorJSON: Encodable {
    let o: IdentifiedOscillator
    enum CodingKeys: String, CodingKey {
        case mu, lambda, pair, frequency, damping, decayTime = "decay_time", period, amplitude
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pair(o.mu), forKey: .mu)
        try c.encode(o.lambda.map(pair), forKey: .lambda)  // null: no principal logarithm
        try c.encode(o.isPair, forKey: .pair)
        try c.encode(o.frequency, forKey: .frequency)
        try c.encode(o.damping, forKey: .damping)
        try c.encode(o.decayTime, forKey: .decayTime)    // null = ∞ (or no rate)
        try c.encode(o.period, forKey: .period)          // null = ∞ (real mode)
        try c.encode(o.amplitude, forKey: .amplitude)
    }
}

struct FitJSON: Encodable {
    let start: Int
    let samples: Int
    let nrmse: Double
    init(_ fit: SegmentFit, channels: Int) {
        start = fit.start
        samples = fit.truth.count / channels
        nrmse = fit.error
    }
}

struct SwitchingJSON: Encodable {
    let thresholdSigmas: Double, windowBefore: Int, windowAfter: Int, switches: Int, activeFraction: Double
    let precision: Double, baseRate: Double, recall: Double, chanceRecall: Double
    init(_ s: SwitchingAgreement) {
        thresholdSigmas = s.thresholdSigmas; windowBefore = s.before; windowAfter = s.after; switches = s.switches
        activeFraction = s.activeFraction; precision = s.precision; baseRate = s.baseRate; recall = s.recall
        chanceRecall = s.chanceRecall
    }
    enum CodingKeys: String, CodingKey {
        case thresholdSigmas = "threshold_sigmas", windowBefore = "window_before", windowAfter = "window_after", switches
        case activeFraction = "active_fraction", precision, baseRate = "base_rate", recall, chanceRecall = "chance_recall"
    }
}

/// One designed mode of the layer written with --out (period null = ∞).
struct DesignTargetJSON: Encodable {
    let period: Double?
    let memory: Double
    enum CodingKeys: String, CodingKey { case period, memory }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(period, forKey: .period)
        try c.encode(memory, forKey: .memory)
    }
}

struct IdentifyJSON: Encodable {
    let data: String, name: String, samples: Int, channels: Int, dt: Double
    let method: String, delays: Int, rankRule: String, rank: Int, singularValues: [Double]
    let trainingSamples: Int, holdoutSamples: Int, kappa: Double
    let oscillators: [IdentifiedOscillatorJSON]
    let reconstruction: FitJSON, forecast: FitJSON?, forecastKind: String?, persistenceNrmse: Double?
    let switching: SwitchingJSON?
    let out: String?, designedModes: Int?, designTargets: [DesignTargetJSON]?, designNotes: [String]
    let warnings: [String]
    let text: String

    enum CodingKeys: String, CodingKey {
        case data, name, samples, channels, dt, method, delays, rankRule = "rank_rule", rank
        case singularValues = "singular_values", trainingSamples = "training_samples", holdoutSamples = "holdout_samples"
        case kappa, oscillators, reconstruction, forecast, forecastKind = "forecast_kind"
        case persistenceNrmse = "persistence_nrmse", switching, out, designedModes = "designed_modes"
        case designTargets = "design_targets"
        case designNotes = "design_notes", warnings
    }

    init(_ r: Identification, data: String, out: String?, designedModes: Int, designTargets: [OscillatorTarget],
         designNotes: [String]) {
        let d = r.series.channels, s = r.settings
        self.data = data
        name = r.series.name
        samples = r.series.length
        channels = d
        dt = s.step
        method = s.method.rawValue
        delays = s.delays
        rankRule = s.rank.description
        rank = r.rank
        singularValues = Array(r.singularValues.prefix(64))
        trainingSamples = r.trainingLength
        holdoutSamples = r.holdoutLength
        kappa = r.oscillators.kappa
        oscillators = r.oscillators.oscillators.map(IdentifiedOscillatorJSON.init)
        reconstruction = FitJSON(r.reconstruction, channels: d)
        forecast = r.forecast.map { FitJSON($0, channels: d) }
        forecastKind = r.forecast == nil ? nil
            : s.method == .dmd ? "free run from the last training window" : "driven by the forcing measured on the tail"
        persistenceNrmse = r.persistenceError
        switching = r.switching.map(SwitchingJSON.init)
        self.out = out
        self.designedModes = out == nil ? nil : designedModes
        self.designTargets = out == nil ? nil : designTargets.map { DesignTargetJSON(period: $0.period, memory: $0.memory) }
        self.designNotes = designNotes
        warnings = r.warnings

        func g(_ v: Double?) -> String { v.map { String(format: "%.4g", $0) } ?? "∞" }
        var lines = ["\(name): \(samples) samples × \(d) channel(s), Δ = \(g(dt)); training \(trainingSamples), held out \(holdoutSamples)",
                     "\(s.method == .dmd ? "Hankel DMD" : "HAVOK"), \(delays) delay(s), rank \(rank) (\(rankRule)); κ(V) = \(g(kappa))",
                     "oscillators (largest amplitude first; times in the unit of Δ):",
                     "  " + ["period", "decay time", "frequency", "damping", "amplitude"].map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined()]
        for o in r.oscillators.oscillators.prefix(20) {
            lines.append("  " + [g(o.period), g(o.decayTime), g(o.frequency), g(o.damping), g(o.amplitude)]
                .map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined())
        }
        if r.oscillators.oscillators.count > 20 { lines.append("  … \(r.oscillators.oscillators.count - 20) more (see --json)") }
        var errors = "reconstruction NRMSE \(g(reconstruction.nrmse)) over \(reconstruction.samples) samples"
        if let f = forecast, let p = persistenceNrmse {
            errors += "; \(s.method == .dmd ? "forecast" : "tail (driven)") NRMSE \(g(f.nrmse)) over \(f.samples) (persistence \(g(p)))"
        }
        lines.append(errors)
        if let sw = r.switching {
            lines.append(String(format: "forcing |v_r| > %.3g std on %.1f%% of the time: %.0f%% of it near a sign change of channel 0 (base rate %.0f%%); %d of %d changes found (%.0f%%, chance %.0f%%)",
                                sw.thresholdSigmas, 100 * sw.activeFraction, 100 * sw.precision, 100 * sw.baseRate,
                                Int((sw.recall * Double(sw.switches)).rounded()), sw.switches, 100 * sw.recall, 100 * sw.chanceRecall))
        }
        if let out {
            lines.append("wrote \(out): S4D layer with \(designedModes) mode(s) per channel (train with --d-state \(2 * designedModes) --init-from \(out))")
        }
        lines += (designNotes + warnings).map { "  note: \($0)" }
        text = lines.joined(separator: "\n")
    }
}
