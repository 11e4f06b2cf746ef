import Foundation
import PhasorNumerics

// The training loop. Per epoch e (1-based): the generator G_e = SeededGenerator(seed).fork(e) shuffles the training
// samples; batch b is split into `threads` contiguous parts, part t draws its dropout masks from G_e.fork(b·threads + t)
// and runs forward + backward on its own thread; the part gradients are combined in part order,
//   g = Σ_t (n_t / n) g_t   (each g_t is the gradient of the part's MEAN loss, so g is that of the batch mean),
// and AdamW (which first clips g to a global L2 norm) takes a step scaled by the schedule (cosine or constant). A model with BatchNorm
// runs each batch as ONE part (its statistics are the whole batch's, as nn.BatchNorm1d's; the work inside a part still
// runs on every core), and after the step the batch statistics move the running buffers (PyTorch's momentum update).
// Because every random draw is a
// function of (seed, epoch, batch, part), a resumed run needs no saved generator state: model, optimiser moments,
// epoch and best validation result (TrainingState.swift) make epoch e + 1 identical to an uninterrupted run.
//
// Model selection: after each epoch the model is evaluated on the validation split; the best epoch is written to
// `output` — best validation accuracy (ties: lower validation loss), or on a split of fewer than 50 samples the lowest
// validation loss (`ModelSelection`). Without a validation split the last epoch is kept.
// Early stopping (`options.patience`): the run ends once `patience` epochs have passed without an improvement on the
// validation split under the same ranking (the loss must fall by more than 1e-3 where it decides:
// TrainingOptions.lastImprovement);
// `options.epochs` is then a cap, and the warm-up + cosine schedule is laid over the cap's steps, so an epoch's learning
// rates do not depend on when the run will stop (a stopped run is a prefix of the uncapped one).

/// Data for one run: the (raw) training samples, an optional validation split and the class names.
public struct TrainingData: Sendable {
    public var train: BatchSource
    public var validation: BatchSource?
    public var classNames: [String]

    public init(train: BatchSource, validation: BatchSource?, classNames: [String]) {
        self.train = train
        self.validation = validation
        self.classNames = classNames
    }
}

/// What a run produced.
public struct TrainingOutcome: Sendable {
    /// The selected model (as written to `output`).
    public var best: Checkpoint
    public var bestEpoch: Int
    /// The model after the last epoch trained.
    public var last: S4Model
    public var history: [EpochSummary]
    /// True when early stopping ended the run before `options.epochs`.
    public var stoppedEarly: Bool
}

/// A run as `phasor train --json` reports it: where the model went, the selected epoch, every epoch, the test
/// evaluation (when there was a test part), the wall time and the command line.
public struct TrainingReport: Sendable, Encodable {
    public var output: String
    public var bestEpoch: Int
    public var validationAccuracy: Double?
    public var test: Evaluation?
    public var epochs: [EpochSummary]
    public var stoppedEarly: Bool
    /// The sizes and schedule the run used, and which of them the automatic rule chose.
    public var settings: TrainingChoices?
    public var seconds: Double
    public var command: String

    public init(output: String, outcome: TrainingOutcome, test: Evaluation?, settings: TrainingChoices? = nil,
                seconds: Double, command: String) {
        self.output = output
        bestEpoch = outcome.bestEpoch
        stoppedEarly = outcome.stoppedEarly
        self.settings = settings
        validationAccuracy = outcome.history.first(where: { $0.epoch == outcome.bestEpoch })?.validationAccuracy
        self.test = test
        epochs = outcome.history
        self.seconds = seconds
        self.command = command
    }
}

public enum Trainer {
    /// Where the resume state of a run writing `output` lives (`<output minus .safetensors>.resume.safetensors`).
    public static func resumePath(for output: String) -> String { TrainingState.path(for: output) }

    /// Trains (or, with `resume`, continues) a run; writes the selected model to `output` and the training state to
    /// `TrainingState.path(for: output)` after every epoch (both atomically). `stopAfterEpoch` ends the run early as
    /// an interruption would (the state stays resumable).
    public static func train(configuration: S4ModelConfiguration, options: TrainingOptions, data: TrainingData,
                             output: String, precision: TensorPrecision = .f32, resume: Bool = false,
                             stopAfterEpoch: Int? = nil, initialModel: S4Model? = nil,
                             metadata: [String: String] = [:],
                             onBatch: ((BatchProgress) -> Void)? = nil,
                             onEpoch: ((EpochSummary) -> Void)? = nil,
                             onStep: ((_ step: Int, _ parameters: ParameterStore, _ gradients: ParameterStore,
                                       _ loss: Double) throws -> Void)? = nil) throws -> TrainingOutcome {
        try options.validate()
        guard data.train.channels == configuration.dInput else {
            throw ModelError.inputWidth(expected: configuration.dInput, found: data.train.channels)
        }
        guard data.classNames.count == configuration.classes else {
            throw ModelError.invalidConfiguration("\(data.classNames.count) classes in the data but the model has \(configuration.classes)")
        }
        guard data.train.count > 0 else { throw ModelError.invalidConfiguration("the training split is empty") }

        // Standardise with training-split statistics (valid steps only); validation is standardised by Checkpoint.
        let standardisation = try InputStandardisation(sequences: data.train.sequences, lengths: data.train.lengths,
                                                       channels: data.train.channels)
        let source = try standardisation.applied(to: data.train)

        // ⌈count / batch⌉ and batches × epochs in checked arithmetic: both are user numbers (--batch, --epochs).
        let batchesPerEpoch = source.count / options.batchSize + (source.count % options.batchSize == 0 ? 0 : 1)
        let (totalSteps, overflow) = batchesPerEpoch.multipliedReportingOverflow(by: options.epochs)
        guard !overflow else {
            throw ModelError.invalidConfiguration("\(options.epochs) epochs × \(batchesPerEpoch) batches per epoch exceeds "
                + "\(Int.max) optimiser steps; give fewer epochs")
        }
        let warmupSteps = Int((options.warmupFraction * Double(totalSteps)).rounded(.down))
        var state: TrainingState
        let statePath = TrainingState.path(for: output)
        let fingerprint = data.fingerprint
        let resumed = resume && FileManager.default.fileExists(atPath: statePath)
        if resumed {
            state = try TrainingState.load(path: statePath, for: TrainingState.Run(
                configuration: configuration, options: options, dataFingerprint: fingerprint, batchesPerEpoch: batchesPerEpoch))
        } else {
            // `initialModel` (same configuration) replaces the seeded initialisation, e.g. a designed spectrum.
            if let m = initialModel, m.configuration != configuration {
                throw ModelError.invalidConfiguration("the initial model's sizes differ from the run's configuration")
            }
            var model = try initialModel ?? S4Model(configuration: configuration, seed: options.seed)
            model.blockPrecision = options.precision
            state = TrainingState(configuration: configuration, options: options, model: model,
                                  optimizer: makeOptimizer(model.parameters, options: options),
                                  completedEpochs: 0, bestEpoch: 0, bestAccuracy: -1, bestLoss: .infinity, history: [],
                                  dataFingerprint: fingerprint)
        }
        var best: Checkpoint? = state.bestEpoch > 0 && FileManager.default.fileExists(atPath: output)
            ? try Checkpoint.load(path: output) : nil

        let lastEpoch = min(options.epochs, stopAfterEpoch ?? options.epochs)
        var epoch = state.completedEpochs + 1
        var stepsThisRun = 0
        let selection = ModelSelection.forValidation(count: data.validation?.count ?? 0)
        while epoch <= lastEpoch, !options.stopsEarly(history: state.history, selection: selection) {
            let started = Date()
            var g = SeededGenerator(seed: options.seed).fork(UInt64(epoch))
            let order = BatchSource.shuffled(count: source.count, generator: &g)
            let epochGenerator = g
            var lossSum = 0.0, correct = 0, seen = 0
            for (b, indices) in source.batches(order: order, size: options.batchSize).enumerated() {
                let parts = split(indices, parts: state.model.configuration.norm == .batch ? 1 : options.threads)
                var stepModel = state.model
                stepModel.blockPrecision = options.precision
                let model = stepModel
                let kernels = model.sharedKernels(length: source.length(of: indices))   // K once per batch, for every part
                let slots = ResultSlots<Result<(loss: Double, correct: Int, gradients: ParameterStore,
                                                statistics: [BatchNorm.Statistics?], kernelGradient: SharedKernels.Gradient),
                                               Error>>(count: parts.count)
                concurrentParts(parts.count) { t in
                    var dropout = epochGenerator.fork(UInt64(b * options.threads + t))
                    let batch = source.batch(parts[t])
                    slots.set(t, Result {
                        try model.trainingPass(inputs: batch.inputs, batch: batch.batch, length: batch.length,
                                               lengths: batch.lengths, labels: batch.labels, training: true,
                                               generator: &dropout, kernels: kernels)
                    })
                }
                // g = Σ_t (n_t/n) g_t, in part order; the same for ∂L/∂K, then one kernel adjoint per layer.
                var gradients = state.model.parameters.zeros()
                var kernelGradient = kernels.zeroGradient
                var batchLoss = 0.0
                var statistics: [BatchNorm.Statistics?] = []
                for (t, slot) in slots.values.enumerated() {
                    let r: (loss: Double, correct: Int, gradients: ParameterStore, statistics: [BatchNorm.Statistics?],
                            kernelGradient: SharedKernels.Gradient)
                    do { r = try slot!.get() } catch {
                        guard isNonFinite(error) else { throw error }
                        throw diverged(epoch: epoch, batch: b + 1, firstStep: stepsThisRun == 0, resumed: resumed ? statePath : nil)
                    }
                    statistics = r.statistics                                 // BatchNorm: the one part's
                    let w = Double(parts[t].count) / Double(indices.count)
                    batchLoss += w * r.loss
                    correct += r.correct
                    for k in 0..<gradients.count {
                        let gk = r.gradients[k].values
                        gradients[k].values.withUnsafeMutableBufferPointer { acc in
                            for j in acc.indices { acc[j] += w * gk[j] }
                        }
                    }
                    kernelGradient.add(r.kernelGradient, weight: w)
                }
                do { try kernels.addAdjoints(kernelGradient, to: &gradients) } catch {
                    guard isNonFinite(error) else { throw error }
                    throw diverged(epoch: epoch, batch: b + 1, firstStep: stepsThisRun == 0, resumed: resumed ? statePath : nil)
                }
                guard batchLoss.isFinite else {
                    throw diverged(epoch: epoch, batch: b + 1, firstStep: stepsThisRun == 0,
                                   resumed: resumed ? statePath : nil)
                }
                let step = (epoch - 1) * batchesPerEpoch + b
                // Tracking hook (phasor train --track): step counted from 1, parameters the gradient was taken at.
                try onStep?(step + 1, state.model.parameters, gradients, batchLoss)
                let scale = options.schedule.scale(step: step, total: totalSteps, warmup: warmupSteps)
                state.model.step(&state.optimizer, gradients: gradients, learningRateScale: scale)
                stepsThisRun += 1
                try state.model.updateRunningStatistics(statistics)
                lossSum += batchLoss * Double(indices.count)
                seen += indices.count
                onBatch?(BatchProgress(epoch: epoch, epochs: options.epochs, batch: b + 1, batches: batchesPerEpoch,
                                       loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen)))
            }
            guard (try? state.model.parameters.requireFinite()) != nil else {
                throw diverged(epoch: epoch, batch: batchesPerEpoch, firstStep: false, resumed: nil)
            }

            var evaluated = state.model
            evaluated.blockPrecision = .f64                                   // selection and files in Double
            let current = try Checkpoint(model: evaluated, standardisation: standardisation,
                                         classNames: data.classNames)
            var validation: Evaluation?
            if let v = data.validation, v.count > 0 {
                validation = try current.evaluate(v, batchSize: options.batchSize, threads: options.threads)
            }
            let accuracy = validation?.accuracy ?? 0, loss = validation?.loss ?? 0
            let selected = validation == nil
                || selection.improves(accuracy: accuracy, loss: loss, over: (state.bestAccuracy, state.bestLoss), margin: 0)
            if selected {
                state.bestEpoch = epoch
                state.bestAccuracy = accuracy
                state.bestLoss = loss
                var chosen = current
                chosen.extraMetadata = metadata.merging(["phasor.epoch": "\(epoch)",
                                        "phasor.validation_accuracy": validation.map { "\($0.accuracy)" } ?? "none"]) { _, b in b }
                try chosen.write(to: output, precision: precision)
                best = chosen
            }
            let summary = EpochSummary(epoch: epoch, epochs: options.epochs, trainLoss: lossSum / Double(seen),
                                       trainAccuracy: Double(correct) / Double(seen),
                                       validationLoss: validation?.loss, validationAccuracy: validation?.accuracy,
                                       selected: selected, seconds: Date().timeIntervalSince(started))
            state.history.append(summary)
            state.completedEpochs = epoch
            try state.write(to: statePath)
            onEpoch?(summary)
            epoch += 1
        }
        guard let best else {
            throw ModelError.invalidConfiguration("no epoch was trained: \(statePath) already records \(state.completedEpochs) of \(options.epochs) epochs and \(output) is missing")
        }
        return TrainingOutcome(best: best, bestEpoch: state.bestEpoch, last: state.model, history: state.history,
                               stoppedEarly: state.completedEpochs < options.epochs && options.stopsEarly(history: state.history, selection: selection))
    }

    /// The error for a non-finite loss or parameters. Inputs are finite and standardised and the parameters were
    /// finite when loaded, so after a step it is divergence (the learning rate); at the very first batch of a resumed
    /// run, the state's parameters themselves.
    static func diverged(epoch: Int, batch: Int, firstStep: Bool, resumed statePath: String?) -> ModelError {
        if firstStep, let statePath {
            return .diverged(epoch: epoch, batch: batch, why: "this is the first batch after resuming, so the parameters "
                + "in \(statePath) are the cause (a corrupt state): start without --resume")
        }
        if firstStep {
            return .diverged(epoch: epoch, batch: batch, why: "before any optimiser step, so the initial model's outputs "
                + "overflow on this data (extreme values after standardisation?): check the data's range")
        }
        return .diverged(epoch: epoch, batch: batch, why: "the learning rate is too high for this model and data: "
            + "lower --lr (and --ssm-lr), or keep --clip on")
    }

    /// A NaN/Inf found by the model's own checks (loss, logits, gradients) while training.
    static func isNonFinite(_ error: Error) -> Bool {
        if error is NonFiniteError { return true }
        if case .nonFinite? = error as? ModelError { return true }
        return false
    }

    /// AdamW with the state-spaces parameter groups (SSM parameters: their own rate, no weight decay) and the
    /// global-norm clip.
    static func optimizerConfiguration(_ options: TrainingOptions) -> AdamWConfiguration {
        AdamWConfiguration(learningRate: options.learningRate, weightDecay: options.weightDecay,
                           ssmLearningRate: options.ssmLearningRate, ssmWeightDecay: 0,
                           gradientClip: options.gradientClip > 0 ? options.gradientClip : nil)
    }

    static func makeOptimizer(_ parameters: ParameterStore, options: TrainingOptions) -> AdamW {
        AdamW(parameters: parameters, configuration: optimizerConfiguration(options))
    }
}
