import Foundation
import PhasorData

// What `phasor train --resume` needs to continue a run exactly: the model after the last completed epoch, the AdamW
// moments and step count, the epoch, the best validation result so far, the options and the history. No generator
// state: every random draw is a function of (seed, epoch, batch, part) (Trainer.swift).
//
// It is a safetensors file of its own beside the model, `<output minus .safetensors>.resume.safetensors`, so the model
// file stays a plain PyTorch-loadable state_dict. Tensors (F64, exact): `phasor.parameters.<key>`,
// `phasor.optimizer.exp_avg.<key>`, `phasor.optimizer.exp_avg_sq.<key>` (AdamW's moments under PyTorch's names);
// metadata: `phasor.state` = JSON of the scalars below, with a fingerprint of the training data.
//
// Loading for --resume goes in three steps, so a corrupt or crafted state can neither trap nor allocate a model of
// its own choosing (docs/reliability.md §3):
//   1. validate the state's own numbers (a configuration and options that validate, 0 ≤ completed epochs ≤ epochs,
//      0 ≤ best epoch ≤ completed, one history entry per epoch, a step count ≥ 0, a best accuracy and loss in range);
//   2. compare them with the run the command line asks for (every field of the configuration and the options, the
//      optimiser's step count against completed epochs × batches per epoch, and the data fingerprint), naming each
//      difference;
//   3. only then build the model and the optimiser (the configuration is now the command line's, whose size was
//      checked against the memory limit) and read the tensors.
// The data fingerprint is FNV-1a 64 over every value (bit pattern), length and label of the training and validation
// splits and the class names: another --data file, --label-column, --test-fraction or split is refused by name
// instead of silently continuing on different data.

/// The resumable state of a training run after a completed epoch.
struct TrainingState {
    var configuration: S4ModelConfiguration
    var options: TrainingOptions
    var model: S4Model
    var optimizer: AdamW
    var completedEpochs: Int
    var bestEpoch: Int
    var bestAccuracy: Double
    var bestLoss: Double
    var history: [EpochSummary]
    /// `TrainingData.fingerprint` of the data the run trains on.
    var dataFingerprint: String

    static let parameterPrefix = "phasor.parameters."
    static let optimizerPrefix = "phasor.optimizer."
    static let metadataKey = "phasor.state"

    /// The state file that belongs to model file `output`.
    static func path(for output: String) -> String {
        let base = output.hasSuffix(".safetensors") ? String(output.dropLast(".safetensors".count)) : output
        return base + ".resume.safetensors"
    }

    /// The scalars, as JSON in the metadata. `bestAccuracy` −1 and `bestLoss` = Double.greatestFiniteMagnitude
    /// stand for "none yet" (JSON has no infinity; an infinite epoch loss is written as the string "inf").
    private struct Scalars: Codable {
        var configuration: S4ModelConfiguration
        var options: TrainingOptions
        var optimizerSteps: Int
        var completedEpochs: Int
        var bestEpoch: Int
        var bestAccuracy: Double
        var bestLoss: Double
        var history: [EpochSummary]
        var dataFingerprint: String?
    }

    /// What the command line asks for, which a loaded state must match.
    struct Run {
        var configuration: S4ModelConfiguration
        var options: TrainingOptions
        var dataFingerprint: String
        var batchesPerEpoch: Int
    }

    func write(to path: String) throws {
        var tensors = try model.parameters.tensors(prefix: Self.parameterPrefix)
        tensors.merge(try optimizer.state.tensors(prefix: Self.optimizerPrefix)) { a, _ in a }
        let steps: Int = optimizer.step
        let scalars = Scalars(configuration: configuration, options: options, optimizerSteps: steps,
                              completedEpochs: completedEpochs, bestEpoch: bestEpoch, bestAccuracy: bestAccuracy,
                              bestLoss: bestLoss.isFinite ? bestLoss : .greatestFiniteMagnitude, history: history,
                              dataFingerprint: dataFingerprint)
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json = String(decoding: try encoder.encode(scalars), as: UTF8.self)
        try SafeTensorsFile(tensors: tensors, metadata: [Self.metadataKey: json]).write(to: path)
    }

    /// The configuration and options of the state at `path`, validated (step 1 of `load`) but not built: what a resumed
    /// `phasor train` takes for the settings the user leaves out.
    static func recordedSettings(path: String) throws -> (configuration: S4ModelConfiguration, options: TrainingOptions) {
        let s = try validatedScalars(try SafeTensorsFile(contentsOf: path), path: path)
        return (s.configuration, s.options)
    }

    /// Step 1 of `load`: the state's scalars, decoded, and its own numbers checked.
    private static func validatedScalars(_ file: SafeTensorsFile, path: String) throws -> Scalars {
        func refuse(_ problem: String) -> ModelError { .cannotResume(path: path, reason: problem) }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let json = file.metadata[metadataKey],
              let s = try? decoder.decode(Scalars.self, from: Data(json.utf8)) else {
            throw refuse("is not a Phasor training state (no readable '\(metadataKey)' metadata); start without --resume")
        }
        // 1. The state's own numbers.
        do {
            try s.configuration.validate()
            try s.options.validate()
        } catch {
            throw refuse("is corrupt: \(error); start without --resume")
        }
        let problems = [
            (0...s.options.epochs).contains(s.completedEpochs) ? nil : "completed epochs \(s.completedEpochs) outside 0…\(s.options.epochs)",
            (0...max(0, s.completedEpochs)).contains(s.bestEpoch) ? nil : "best epoch \(s.bestEpoch) outside 0…\(s.completedEpochs)",
            s.history.map(\.epoch) == Array(stride(from: 1, through: s.completedEpochs, by: 1)) ? nil
                : "its history lists epochs \(s.history.map(\.epoch).prefix(8)) for \(s.completedEpochs) completed",
            s.optimizerSteps >= 0 ? nil : "optimiser step count \(s.optimizerSteps) < 0",
            s.bestAccuracy == -1 || (0...1).contains(s.bestAccuracy) ? nil : "best accuracy \(s.bestAccuracy) outside [0, 1]",
            s.bestLoss >= 0 ? nil : "best loss \(s.bestLoss) is not ≥ 0",
        ].compactMap { $0 }
        guard problems.isEmpty else { throw refuse("is corrupt: \(problems.joined(separator: "; ")); start without --resume") }
        return s
    }

    /// The state at `path` for the run `run`: validated, compared with `run`, then built (see the file comment).
    static func load(path: String, for run: Run) throws -> TrainingState {
        func refuse(_ problem: String) -> ModelError { .cannotResume(path: path, reason: problem) }
        let file = try SafeTensorsFile(contentsOf: path)
        let s = try validatedScalars(file, path: path)
        // 2. The run asked for.
        var differences = fieldDifferences(s.configuration, run.configuration) + fieldDifferences(s.options, run.options)
        if s.dataFingerprint != run.dataFingerprint {
            differences.append("the training data (fingerprint \(s.dataFingerprint ?? "none") in the state, \(run.dataFingerprint) now: "
                + "another --data file, --label-column or --test-fraction)")
        }
        guard differences.isEmpty else {
            throw refuse("was written by a different run: \(differences.joined(separator: "; ")); rerun with the original "
                + "data and options, or start without --resume")
        }
        let (expectedSteps, overflow) = s.completedEpochs.multipliedReportingOverflow(by: run.batchesPerEpoch)
        guard !overflow, s.optimizerSteps == expectedSteps else {
            throw refuse("is corrupt: \(s.optimizerSteps) optimiser steps for \(s.completedEpochs) epochs of "
                + "\(run.batchesPerEpoch) batches; start without --resume")
        }
        // 3. Build: the configuration is the command line's.
        func values(_ key: String) throws -> [Double] {
            guard let t = file.tensors[key] else { throw refuse("is corrupt: it lacks the tensor '\(key)'; start without --resume") }
            let v = t.asDoubles()
            guard v.allSatisfy({ $0.isFinite }) else { throw refuse("is corrupt: tensor '\(key)' is not finite; start without --resume") }
            return v
        }
        var parameters = try S4Model(configuration: s.configuration, seed: s.options.seed).parameters
        for name in parameters.names { try parameters.setValues(name, try values(parameterPrefix + name)) }
        var moments = Trainer.makeOptimizer(parameters, options: s.options).state
        for name in moments.names { try moments.setValues(name, try values(optimizerPrefix + name)) }
        let model = try S4Model(configuration: s.configuration, parameters: parameters)
        let optimizer = try AdamW(parameters: parameters, configuration: Trainer.optimizerConfiguration(s.options),
                                  state: moments, step: s.optimizerSteps)
        return TrainingState(configuration: s.configuration, options: s.options, model: model, optimizer: optimizer,
                             completedEpochs: s.completedEpochs, bestEpoch: s.bestEpoch, bestAccuracy: s.bestAccuracy,
                             bestLoss: s.bestLoss, history: s.history, dataFingerprint: run.dataFingerprint)
    }

    /// "learningRate: 0.01 in the state, 0.02 now" for each stored property that differs (by reflection, so a field
    /// added to the options later is compared and named too).
    static func fieldDifferences<T>(_ stored: T, _ now: T) -> [String] {
        zip(Mirror(reflecting: stored).children, Mirror(reflecting: now).children).compactMap { a, b in
            let x = "\(a.value)", y = "\(b.value)"
            return x == y ? nil : "\(a.label ?? "?"): \(x) in the state, \(y) now"
        }
    }
}

extension TrainingData {
    /// FNV-1a 64 (16 hex digits) over the training and validation splits — every value's bit pattern, every length
    /// and label, the channel count — and the class names: equal for the same data read the same way.
    public var fingerprint: String {
        var h: UInt64 = 14_695_981_039_346_656_037
        func mix(_ x: UInt64) {
            for k in 0..<8 { h = (h ^ ((x >> (8 * UInt64(k))) & 0xFF)) &* 1_099_511_628_211 }   // h ← (h ⊕ byte)·p
        }
        for source in [train] + (validation.map { [$0] } ?? []) {
            mix(UInt64(source.count)); mix(UInt64(source.channels))
            for (sequence, (length, label)) in zip(source.sequences, zip(source.lengths, source.labels)) {
                mix(UInt64(length)); mix(UInt64(bitPattern: Int64(label)))
                for v in sequence.prefix(length * source.channels) { mix(v.bitPattern) }
            }
        }
        for name in classNames { mix(UInt64(name.utf8.count)); for byte in name.utf8 { mix(UInt64(byte)) } }
        let text = String(h, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
