// The knobs of a training run (DESIGN.md §3 training recipe): AdamW, lr 0.01 / weight decay 0.01 for ordinary
// parameters and lr 0.001 / no decay for the SSM parameters (log_dt, log_A_real, A_imag), a cosine schedule over all
// steps (optional linear warm-up) or a constant rate, global-norm gradient clipping, a seeded stratified validation
// split for model selection and early stopping, and the number of threads a batch is split across. Each core's published defaults are
// its `TrainingRecipe` (TrainingRecipe.swift); `phasor train` fills the options a user leaves out
// from the data (TrainingDefaults.swift).

/// How the learning rate moves over the run (after the optional linear warm-up).
public enum LearningRateSchedule: String, Sendable, Codable, CaseIterable {
    /// ½(1 + cos(π·progress)) down to 0 at the last step (state-spaces example.py, S5).
    case cosine
    /// The rate itself throughout (tk-rusch/linoss and log-neural-cdes train.py: `lr_scheduler = lambda lr: lr`).
    case constant

    /// The factor of step s (0-based) in a run of `total` steps with `warmup` warm-up steps.
    public func scale(step: Int, total: Int, warmup: Int) -> Double {
        switch self {
        case .cosine: return CosineSchedule(totalSteps: total, warmupSteps: warmup).scale(step: step)
        case .constant: return step < warmup ? Double(step + 1) / Double(warmup) : 1
        }
    }
}

/// Options of one training run. A resumed run must use the same options (they are stored with the training state).
public struct TrainingOptions: Sendable, Codable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    /// Learning rate of log_dt, log_A_real, A_imag (state-spaces: min(0.001, lr)); their weight decay is 0.
    public var ssmLearningRate: Double
    public var weightDecay: Double
    /// Global L2 norm the gradient is clipped to (0: no clipping).
    public var gradientClip: Double
    /// Fraction of all steps spent in linear warm-up before the cosine decay.
    public var warmupFraction: Double
    /// Fraction of the training data held out (stratified) to choose the best epoch; 0 keeps the last epoch.
    public var validationFraction: Double
    public var seed: UInt64
    /// Each batch is split into this many contiguous parts computed concurrently; gradients are summed in part order,
    /// so a run is a deterministic function of (seed, threads).
    public var threads: Int
    /// Arithmetic of the S4D blocks while training (`S4Model.blockPrecision`): f32 is ~1.8× faster; validation,
    /// evaluation and every written number stay Double. (Blocks with another core always run in Double.)
    public var precision: ComputePrecision
    /// The learning-rate schedule.
    public var schedule: LearningRateSchedule
    /// Early stopping: the run ends after this many epochs without an improvement on the validation split
    /// (`lastImprovement`); nil (or no validation split) runs all `epochs`. Then `epochs` is a cap, and the schedule is laid over the cap.
    public var patience: Int?

    public init(epochs: Int, batchSize: Int = 64, learningRate: Double = 0.01, ssmLearningRate: Double = 0.001,
                weightDecay: Double = 0.01, gradientClip: Double = 1, warmupFraction: Double = 0,
                validationFraction: Double = 0.2, seed: UInt64 = 0, threads: Int = 2,
                precision: ComputePrecision = .f32, schedule: LearningRateSchedule = .cosine, patience: Int? = nil) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.ssmLearningRate = ssmLearningRate
        self.weightDecay = weightDecay
        self.gradientClip = gradientClip
        self.warmupFraction = warmupFraction
        self.validationFraction = validationFraction
        self.seed = seed
        self.threads = threads
        self.precision = precision
        self.schedule = schedule
        self.patience = patience
    }

    enum CodingKeys: String, CodingKey {
        case epochs, batchSize, learningRate, ssmLearningRate, weightDecay, gradientClip, warmupFraction, validationFraction
        case seed, threads, precision, schedule, patience
    }

    /// Decodes stored options; a state written before schedules were named (no "schedule") was cosine, one written
    /// before early stopping (no "patience") ran every epoch.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(epochs: try c.decode(Int.self, forKey: .epochs), batchSize: try c.decode(Int.self, forKey: .batchSize),
                  learningRate: try c.decode(Double.self, forKey: .learningRate),
                  ssmLearningRate: try c.decode(Double.self, forKey: .ssmLearningRate),
                  weightDecay: try c.decode(Double.self, forKey: .weightDecay),
                  gradientClip: try c.decode(Double.self, forKey: .gradientClip),
                  warmupFraction: try c.decode(Double.self, forKey: .warmupFraction),
                  validationFraction: try c.decode(Double.self, forKey: .validationFraction),
                  seed: try c.decode(UInt64.self, forKey: .seed), threads: try c.decode(Int.self, forKey: .threads),
                  precision: try c.decode(ComputePrecision.self, forKey: .precision),
                  schedule: try c.decodeIfPresent(LearningRateSchedule.self, forKey: .schedule) ?? .cosine,
                  patience: try c.decodeIfPresent(Int.self, forKey: .patience))
    }

    /// Throws `ModelError.invalidConfiguration` naming the first option out of range.
    public func validate() throws {
        func bad(_ text: String) -> ModelError { .invalidConfiguration(text) }
        guard epochs >= 1 else { throw bad("epochs must be at least 1 (got \(epochs))") }
        guard batchSize >= 1 else { throw bad("batch size must be at least 1 (got \(batchSize))") }
        guard learningRate > 0, learningRate.isFinite else { throw bad("learning rate must be positive (got \(learningRate))") }
        guard ssmLearningRate >= 0, ssmLearningRate.isFinite else { throw bad("SSM learning rate must be ≥ 0 (got \(ssmLearningRate))") }
        guard weightDecay >= 0, weightDecay.isFinite else { throw bad("weight decay must be ≥ 0 (got \(weightDecay))") }
        guard gradientClip >= 0, gradientClip.isFinite else { throw bad("gradient clip must be ≥ 0 (got \(gradientClip))") }
        guard (0..<1).contains(warmupFraction) else { throw bad("warm-up fraction must be in [0, 1) (got \(warmupFraction))") }
        guard (0..<1).contains(validationFraction) else { throw bad("validation fraction must be in [0, 1) (got \(validationFraction))") }
        guard (1...64).contains(threads) else { throw bad("threads must be in 1…64 (got \(threads))") }
        if let patience, patience < 1 { throw bad("patience must be at least 1 epoch, or 0 for no early stopping (got \(patience))") }
    }
}

extension TrainingOptions {
    /// At equal validation accuracy, the validation loss (mean cross-entropy, nats) must fall by more than this for an
    /// epoch to count as an improvement for early stopping. Once a small validation split is classified perfectly,
    /// its loss keeps creeping down by 1e-5 an epoch; that should not keep a run going.
    public static let minimumLossImprovement = 1e-3

    /// The last epoch of `history` that improved for early stopping (0: none) under `selection`: by
    /// `ModelSelection.improves` with the margin `minimumLossImprovement` on the loss; the reference moves only at such
    /// epochs (Keras' EarlyStopping with min_delta). The epoch written to `--out` is still the best under `selection`
    /// whatever the margin.
    public static func lastImprovement(_ history: [EpochSummary], selection: ModelSelection = .accuracyThenLoss) -> Int {
        var last = 0, reference = (accuracy: -Double.infinity, loss: Double.infinity)
        for e in history {
            guard let a = e.validationAccuracy, let l = e.validationLoss else { continue }
            if selection.improves(accuracy: a, loss: l, over: reference, margin: minimumLossImprovement) {
                (last, reference) = (e.epoch, (a, l))
            }
        }
        return last
    }

    /// Early stopping: true when `patience` epochs have passed since the last improvement. Never without `patience`
    /// or without a validation result.
    public func stopsEarly(history: [EpochSummary], selection: ModelSelection = .accuracyThenLoss) -> Bool {
        guard let patience, let latest = history.last, latest.validationAccuracy != nil else { return false }
        return latest.epoch - Self.lastImprovement(history, selection: selection) >= patience
    }
}

/// How the validation split ranks epochs: the epoch written to `--out`, and what counts as an improvement for early
/// stopping. A pure function of the validation split's size, so a resumed run ranks as the interrupted one did.
public enum ModelSelection: Sendable, Equatable {
    /// Validation accuracy, then validation loss at equal accuracy (state-spaces example.py's "best accuracy").
    case accuracyThenLoss
    /// Validation loss (mean cross-entropy) alone. On a split of fewer than `smallValidation` samples accuracy moves in
    /// steps of more than 2% and saturates early: ranked by accuracy, a 14-sample split (ItalyPowerDemand) selected an
    /// under-fitted epoch 9 (training accuracy 0.57, validation loss 0.60) that happened to classify all 14, and no
    /// later epoch matched it. Cross-entropy, a proper scoring rule, ranks such epochs by how well they fit.
    case loss

    /// Splits below this many samples are ranked by loss.
    public static let smallValidation = 50

    /// The ranking for a validation split of `count` samples.
    public static func forValidation(count: Int) -> ModelSelection { count < smallValidation ? .loss : .accuracyThenLoss }

    /// Whether an epoch with validation (`accuracy`, `loss`) improves on `reference`; the loss must fall by more than
    /// `margin` (where it decides).
    public func improves(accuracy: Double, loss: Double, over reference: (accuracy: Double, loss: Double), margin: Double) -> Bool {
        switch self {
        case .accuracyThenLoss:
            return accuracy > reference.accuracy || (accuracy == reference.accuracy && loss < reference.loss - margin)
        case .loss:
            return loss < reference.loss - margin
        }
    }
}

/// One finished epoch, as reported to the progress callback and stored in the training history.
public struct EpochSummary: Sendable, Codable, Equatable {
    /// 1-based.
    public var epoch: Int
    public var epochs: Int
    /// Mean training loss and accuracy over the epoch's batches (with dropout, as trained).
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    /// Whether this epoch became the selected (best) model.
    public var selected: Bool
    public var seconds: Double
}

/// Progress inside an epoch, for progress bars.
public struct BatchProgress: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var batch: Int
    public var batches: Int
    /// Running means over the epoch so far.
    public var loss: Double
    public var accuracy: Double
}
