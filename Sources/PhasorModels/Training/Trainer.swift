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
    /// When the number of epochs was chosen by cross-validation: the folds' pooled result (then `validationAccuracy`
    /// is the pooled out-of-fold accuracy at `bestEpoch`, and `epochs` the final run's, which has no validation).
    public var crossValidation: CrossValidationSummary?
    public var seconds: Double
    public var command: String

    public init(output: String, outcome: TrainingOutcome, test: Evaluation?, settings: TrainingChoices? = nil,
                crossValidation: CrossValidationSummary? = nil, seconds: Double, command: String) {
        self.output = output
        bestEpoch = outcome.bestEpoch
        stoppedEarly = outcome.stoppedEarly
        self.settings = settings
        self.crossValidation = crossValidation
        validationAccuracy = crossValidation?.accuracy
            ?? outcome.history.first(where: { $0.epoch == outcome.bestEpoch })?.validationAccuracy
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
        var run = try TrainingRun(configuration: configuration, options: options, data: data,
                                  files: TrainingRun.Files(output: output, precision: precision, keepsState: true),
                                  resume: resume, initialModel: initialModel, metadata: metadata)
        let lastEpoch = min(options.epochs, stopAfterEpoch ?? options.epochs)
        while run.state.completedEpochs < lastEpoch, !run.stopsEarly {
            let summary = try run.trainEpoch(onBatch: onBatch, onStep: onStep)   // not inside onEpoch?(…): nil would skip it
            onEpoch?(summary)
        }
        return try run.outcome()
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
