import Foundation
import PhasorData

// What `phasor train --resume` needs to continue a run exactly: the model after the last completed epoch, the AdamW
// moments and step count, the epoch, the best validation result so far, the options and the history. No generator
// state: every random draw is a function of (seed, epoch, batch, part) (Trainer.swift).
//
// It is a safetensors file of its own beside the model, `<output minus .safetensors>.resume.safetensors`, so the model
// file stays a plain PyTorch-loadable state_dict. Tensors (F64, exact): `phasor.parameters.<key>`,
// `phasor.optimizer.exp_avg.<key>`, `phasor.optimizer.exp_avg_sq.<key>` (AdamW's moments under PyTorch's names);
// metadata: `phasor.state` = JSON of the scalars below.

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

    static let parameterPrefix = "phasor.parameters."
    static let optimizerPrefix = "phasor.optimizer."
    static let metadataKey = "phasor.state"

    /// The state file that belongs to model file `output`.
    static func path(for output: String) -> String {
        let base = output.hasSuffix(".safetensors") ? String(output.dropLast(".safetensors".count)) : output
        return base + ".resume.safetensors"
    }

    /// The scalars, as JSON in the metadata. `bestAccuracy` −1 and `bestLoss` = Double.greatestFiniteMagnitude
    /// stand for "none yet" (JSON has no infinity).
    private struct Scalars: Codable {
        var configuration: S4ModelConfiguration
        var options: TrainingOptions
        var optimizerSteps: Int
        var completedEpochs: Int
        var bestEpoch: Int
        var bestAccuracy: Double
        var bestLoss: Double
        var history: [EpochSummary]
    }

    func write(to path: String) throws {
        var tensors = try model.parameters.tensors(prefix: Self.parameterPrefix)
        tensors.merge(try optimizer.state.tensors(prefix: Self.optimizerPrefix)) { a, _ in a }
        let steps: Int = optimizer.step
        let scalars = Scalars(configuration: configuration, options: options, optimizerSteps: steps,
                              completedEpochs: completedEpochs, bestEpoch: bestEpoch, bestAccuracy: bestAccuracy,
                              bestLoss: bestLoss.isFinite ? bestLoss : .greatestFiniteMagnitude, history: history)
        let json = String(decoding: try JSONEncoder().encode(scalars), as: UTF8.self)
        try SafeTensorsFile(tensors: tensors, metadata: [Self.metadataKey: json]).write(to: path)
    }

    static func load(path: String) throws -> TrainingState {
        let file = try SafeTensorsFile(contentsOf: path)
        guard let json = file.metadata[metadataKey],
              let s = try? JSONDecoder().decode(Scalars.self, from: Data(json.utf8)) else {
            throw ModelError.invalidConfiguration("\(path) is not a Phasor training state (no readable '\(metadataKey)' metadata); start without --resume")
        }
        func values(_ key: String) throws -> [Double] {
            guard let t = file.tensors[key] else { throw ModelError.missingKey(key) }
            let v = t.asDoubles()
            guard v.allSatisfy({ $0.isFinite }) else { throw ModelError.nonFinite(key: key) }
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
                             bestLoss: s.bestLoss, history: s.history)
    }
}
