import Foundation

// K-fold cross-validation of the number of epochs (`phasor train --folds K`; chosen automatically, K = 5, when one
// validation split would hold fewer than ModelSelection.smallValidation = 50 samples: TrainingDefaults).
//
// Why: on ItalyPowerDemand a 0.2 validation split holds 14 series. Which epoch it selects depends on which 14 were
// drawn, and those 14 are never trained on — over five seeds the selected models scored 0.883–0.961 on the test set.
// Cross-validation uses every training sample for both fitting and choosing:
//
//   folds f = 1…K   stratified (SequenceDataset.stratifiedFolds, drawn with seed + 1 like the single split); run f
//                   trains on the other K−1 folds and is evaluated on fold f after every epoch. The K runs have the
//                   same options (seed, batch, schedule laid over the same epoch cap) and go in lockstep.
//   pooled epoch e  accuracy_e = Σ_f correct_{f,e} / N,   loss_e = Σ_f n_f · loss_{f,e} / N
//                   — every sample is scored once, by the run that did not train on it.
//   e*              the best pooled epoch under ModelSelection.forValidation(count: N); early stopping (the run's
//                   patience) watches the pooled history and ends all K runs together.
//   refit           one run on all N samples with the same options — its schedule laid over the same cap, so the
//                   learning rate at epoch e is the folds' — stopped after e* epochs; that model is the one written.
//
// The folds choose one number, e*; the test split is never seen. The refit has no validation split, so the written
// model's metadata carries the pooled result (`CrossValidationSummary.metadataKey`). Cost: K + 1 runs.

/// Which run of a cross-validation a progress report is about.
public enum CrossValidationPhase: Sendable, Equatable {
    /// Fold f (1-based) of K, while the folds train.
    case fold(Int, of: Int)
    /// The pooled result of one epoch over all folds (`onEpoch` only).
    case pooled
    /// The final run on all the training data, `epochs` long.
    case refit(epochs: Int)
}

/// What cross-validation chose, as stored in the checkpoint and reported by `phasor train --json`.
public struct CrossValidationSummary: Sendable, Codable, Equatable {
    public var folds: Int
    /// Training samples (all folds).
    public var samples: Int
    /// Validation samples of each fold.
    public var foldSizes: [Int]
    /// The chosen number of epochs e*, the refit's length.
    public var selectedEpoch: Int
    /// The pooled out-of-fold accuracy and loss at e*.
    public var accuracy: Double
    public var loss: Double
    /// The pooled result of every epoch the folds ran.
    public var epochs: [EpochSummary]

    /// The metadata key of the written model (JSON of everything but `epochs`).
    public static let metadataKey = "phasor.cross_validation"

    public func metadataValue() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var stored = self
        stored.epochs = []
        return String(decoding: try encoder.encode(stored), as: UTF8.self)
    }
}

public enum CrossValidation {
    /// Runs the folds in lockstep, chooses e* and writes the refit's model (after e* epochs) to `output`. Writes no
    /// resume state: the folds and the refit are started again rather than resumed.
    public static func train(configuration: S4ModelConfiguration, options: TrainingOptions, folds: [TrainingData],
                             all: TrainingData, output: String, precision: TensorPrecision = .f32,
                             initialModel: S4Model? = nil, metadata: [String: String] = [:],
                             onBatch: ((CrossValidationPhase, BatchProgress) -> Void)? = nil,
                             onEpoch: ((CrossValidationPhase, EpochSummary) -> Void)? = nil,
                             onStep: ((_ step: Int, _ parameters: ParameterStore, _ gradients: ParameterStore,
                                       _ loss: Double) throws -> Void)? = nil)
        throws -> (outcome: TrainingOutcome, crossValidation: CrossValidationSummary) {
        guard folds.count >= 2 else { throw ModelError.invalidConfiguration("cross-validation needs at least 2 folds (got \(folds.count))") }
        let sizes = try folds.map { fold -> Int in
            guard let v = fold.validation, v.count > 0 else {
                throw ModelError.invalidConfiguration("a cross-validation fold has no validation samples")
            }
            return v.count
        }
        let n = sizes.reduce(0, +)
        let selection = ModelSelection.forValidation(count: n)
        let inMemory = TrainingRun.Files(output: nil, precision: precision, keepsState: false)
        var runs = try folds.map {
            try TrainingRun(configuration: configuration, options: options, data: $0, files: inMemory,
                            initialModel: initialModel, metadata: metadata)
        }
        var pooled: [EpochSummary] = []
        var best = (epoch: 0, accuracy: -Double.infinity, loss: Double.infinity)
        while pooled.count < options.epochs, !options.stopsEarly(history: pooled, selection: selection) {
            var trainLoss = 0.0, trainCorrect = 0.0, trained = 0, loss = 0.0, correct = 0.0, seconds = 0.0
            for f in runs.indices {
                let phase = CrossValidationPhase.fold(f + 1, of: folds.count)
                let s = try runs[f].trainEpoch(onBatch: onBatch.map { report in { report(phase, $0) } })
                let m = Double(runs[f].source.count), v = Double(sizes[f])
                trainLoss += m * s.trainLoss
                trainCorrect += m * s.trainAccuracy
                trained += runs[f].source.count
                loss += v * (s.validationLoss ?? .nan)                  // Σ_f n_f · loss_f
                correct += (v * (s.validationAccuracy ?? .nan)).rounded() // Σ_f correct_f
                seconds += s.seconds
            }
            let epoch = pooled.count + 1
            let (accuracy, meanLoss) = (correct / Double(n), loss / Double(n))
            let selected = selection.improves(accuracy: accuracy, loss: meanLoss, over: (best.accuracy, best.loss), margin: 0)
            if selected { best = (epoch, accuracy, meanLoss) }
            let summary = EpochSummary(epoch: epoch, epochs: options.epochs, trainLoss: trainLoss / Double(trained),
                                       trainAccuracy: trainCorrect / Double(trained), validationLoss: meanLoss,
                                       validationAccuracy: accuracy, selected: selected, seconds: seconds)
            pooled.append(summary)
            onEpoch?(.pooled, summary)
        }
        runs = []                                                       // the folds' models are no longer needed

        let summary = CrossValidationSummary(folds: folds.count, samples: n, foldSizes: sizes, selectedEpoch: best.epoch,
                                             accuracy: best.accuracy, loss: best.loss, epochs: pooled)
        var refit = try TrainingRun(configuration: configuration, options: options, data: all,
                                    files: TrainingRun.Files(output: nil, precision: precision, keepsState: false),
                                    initialModel: initialModel,
                                    metadata: metadata.merging([CrossValidationSummary.metadataKey: try summary.metadataValue()]) { _, b in b })
        let phase = CrossValidationPhase.refit(epochs: best.epoch)
        while refit.state.completedEpochs < best.epoch {
            let s = try refit.trainEpoch(onBatch: onBatch.map { report in { report(phase, $0) } }, onStep: onStep)
            onEpoch?(phase, s)
        }
        var outcome = try refit.outcome()
        try outcome.best.write(to: output, precision: precision)
        outcome.stoppedEarly = pooled.count < options.epochs
        return (outcome, summary)
    }
}
