// `phasor identify`: a measured series → Hankel DMD or HAVOK → the oscillators it contains, reconstruction and
// forecast errors, and (optionally) the identified system, its network form and an S4D layer designed from its modes
// (docs/identification.md). Parses, calls PhasorIdentification.Identification, writes, prints.
import ArgumentParser
import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorIdentification
import PhasorModels
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
            let core = try design.s4dCore(channels: channels)
            layerFile = SafeTensorsFile(tensors: try CheckpointLayout.coreParameters([core], firstLayer: layer).tensors(),
                                        metadata: ["phasor": "identify", "source": (data as NSString).lastPathComponent,
                                                   ModelFile.discretizationKey: core.discretization.rawValue])
            designNotes = notes
            designedModes = design.targets.count
            targets = design.targets
        }
        let systemFile = try systemOut.map { _ in try result.system.safeTensors() }
        let network = try networkOut.map { _ in try Self.networkFiles(result) }
        let figures = try plot.map { _ in try result.figures() }

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

        let report = IdentificationReport(result, data: data, out: out, designedModes: designedModes, designTargets: targets,
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
        let continuous = try result.system.continuised(method: .zoh).system
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
