// Records the spectrum of every S4D layer and the loss gradients in oscillator coordinates during training
// (TrainingDynamicsAnalysis, DESIGN.md §8). For S4D the oscillator coordinates are the native parameters:
//     γ = exp(log_A_real),  ω = A_imag,  Δ = exp(log_dt)
//     ∂L/∂γ = (∂L/∂log_A_real) / γ          (chain rule: ∂γ/∂log_A_real = γ)
//     ∂L/∂ω = ∂L/∂A_imag
// in the model's time units. In units of the channel's step (per-step rate γΔ, per-step frequency ωΔ, at fixed Δ):
//     ∂L/∂(γΔ) = (∂L/∂γ)/Δ,   ∂L/∂(ωΔ) = (∂L/∂ω)/Δ.
// A run directory holds `tracking-meta.json` (sizes, interval) and `tracking.jsonl` (one JSON record per line); both
// are rewritten atomically after every record, so a reader never sees a half-written line. A resumed run
// (`phasor train --resume --track DIR`) continues the records already there: it keeps those of earlier steps and
// replaces any from the interrupted epoch as it records those steps again (training is deterministic, so they are the
// same records).
import Foundation
import PhasorData
import PhasorModels
import PhasorNumerics

/// The spectrum and oscillator-coordinate gradients of one S4D layer at one step; arrays are (H) or (H·M) row-major.
public struct TrackedLayer: Codable, Sendable, Equatable {
    public let dt: [Double]
    public let gamma: [Double]
    public let omega: [Double]
    public let dLdGamma: [Double]
    public let dLdOmega: [Double]
}

/// One record: the optimiser step whose gradient it holds (parameters as they were when the gradient was computed).
public struct TrackingRecord: Codable, Sendable, Equatable {
    public let step: Int
    public let loss: Double
    public let layers: [TrackedLayer]
}

/// Sizes of a tracked run.
public struct TrackingMeta: Codable, Sendable, Equatable {
    public var format = "phasor-tracking-1"
    public let layers: Int
    public let channels: Int
    public let modes: Int
    public let every: Int
}

/// Writes a run directory for `phasor dynamics`. Call `record` once per optimiser step; it keeps every `every`-th.
public final class TrainingTracker {
    public let directory: String
    public let every: Int
    public let meta: TrackingMeta
    private var lines: [(step: Int, line: String)] = []

    public static let metaFile = "tracking-meta.json"
    public static let recordsFile = "tracking.jsonl"

    /// Creates (or replaces the tracking files in) `directory` for a model of `configuration`; with `continuing`
    /// (a resumed run), keeps the records already there, which must be of the same sizes and interval.
    public init(directory: String, every: Int, configuration: S4ModelConfiguration, continuing: Bool = false) throws {
        guard every >= 1 else { throw AnalysisError.invalid("--track-every must be ≥ 1 (got \(every))") }
        guard configuration.core == .s4d else {
            throw AnalysisError.invalid("--track records S4D spectra (γ, ω per mode); the model's core is \(configuration.core.rawValue)")
        }
        try AtomicFile.createFolder(atPath: directory)   // one-line FileWriteError (a file in the way, permissions)
        self.directory = directory
        self.every = every
        meta = TrackingMeta(layers: configuration.layers, channels: configuration.dModel, modes: configuration.dState / 2,
                            every: every)
        let base = directory as NSString
        if continuing, FileManager.default.fileExists(atPath: base.appendingPathComponent(Self.metaFile)) {
            let (earlier, records) = try Self.load(directory: directory)
            guard earlier == meta else {
                throw AnalysisError.invalid("\(directory) holds a tracked run of other sizes or another --track-every "
                    + "(\(earlier.layers) layers, \(earlier.channels) channels, \(earlier.modes) modes, every \(earlier.every)); "
                    + "give the run's own --track folder, or a new one")
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            lines = try records.map { ($0.step, String(decoding: try encoder.encode($0), as: UTF8.self)) }
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(String(decoding: try encoder.encode(meta), as: UTF8.self) + "\n", to: path(Self.metaFile))
        try AtomicFile.write("", to: path(Self.recordsFile))
    }

    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// Records step `step` (counted from 1) when `step % every == 0`; `parameters` are those the `gradients` were
    /// computed at. Returns whether a record was written.
    @discardableResult
    public func record(step: Int, parameters: ParameterStore, gradients: ParameterStore, loss: Double) throws -> Bool {
        guard step % every == 0 else { return false }
        try requireFinite(loss, "training loss at step \(step)")
        var layers: [TrackedLayer] = []
        for i in 0..<meta.layers {
            let k = S4ModelKeys.block(i)
            let logDt = try parameters.values(k.logDt), logA = try parameters.values(k.logAReal)
            let aImag = try parameters.values(k.aImag)
            let gLogA = try gradients.values(k.logAReal), gImag = try gradients.values(k.aImag)
            let gamma = logA.map { Double.exp($0) }                                   // γ = exp(log_A_real)
            layers.append(TrackedLayer(dt: logDt.map { Double.exp($0) },             // Δ = exp(log_dt)
                                       gamma: gamma, omega: aImag,                     // ω = A_imag
                                       dLdGamma: zip(gLogA, gamma).map { $0 / $1 },   // ∂L/∂γ = ∂L/∂log_A_real / γ
                                       dLdOmega: gImag))                               // ∂L/∂ω = ∂L/∂A_imag
        }
        let record = TrackingRecord(step: step, loss: loss, layers: layers)
        for l in layers { try requireFinite(l.dLdGamma + l.dLdOmega + l.gamma + l.dt, "tracked spectrum at step \(step)") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        lines.removeAll { $0.step >= step }                        // records of an interrupted epoch, made again
        lines.append((step, String(decoding: try encoder.encode(record), as: UTF8.self)))
        try AtomicFile.write(lines.map(\.line).joined(separator: "\n") + "\n", to: path(Self.recordsFile))
        return true
    }

    /// Reads a run directory written by a tracker.
    public static func load(directory: String) throws -> (meta: TrackingMeta, records: [TrackingRecord]) {
        let base = directory as NSString
        let metaPath = base.appendingPathComponent(metaFile), recordPath = base.appendingPathComponent(recordsFile)
        guard FileManager.default.fileExists(atPath: metaPath), FileManager.default.fileExists(atPath: recordPath) else {
            throw AnalysisError.invalid("\(directory) is not a tracking run: it needs \(metaFile) and \(recordsFile) "
                + "(written by `phasor train --track DIR` or TrainingTracker)")
        }
        let metaData = Data(try FileBytes.read(metaPath)), recordData = Data(try FileBytes.read(recordPath))
        let decoder = JSONDecoder()
        let meta: TrackingMeta
        do { meta = try decoder.decode(TrackingMeta.self, from: metaData) } catch {
            throw AnalysisError.invalid("\(metaFile) in \(directory) is not valid tracking metadata: \(JSONCodingErrors.sentence(error) ?? "\(error)")")
        }
        var records: [TrackingRecord] = []
        for (i, line) in String(decoding: recordData, as: UTF8.self).split(separator: "\n").enumerated() {
            do { records.append(try decoder.decode(TrackingRecord.self, from: Data(line.utf8))) } catch {
                throw AnalysisError.invalid("line \(i + 1) of \(recordsFile) in \(directory) is not a tracking record: \(JSONCodingErrors.sentence(error) ?? "\(error)")")
            }
        }
        return (meta, records)
    }
}
