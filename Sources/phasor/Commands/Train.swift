import ArgumentParser
import Foundation
import PhasorAnalysis
import PhasorData
import PhasorModels
import PhasorNumerics

// `phasor train`: parse → DataSplits → Trainer.train (or CrossValidation.train on small sets) → print per-epoch progress (stderr) and the result (stdout).

struct Train: ParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        abstract: "Train a classifier (an S4D, S5, LRU, LinOSS or S6 core, each in its reference skeleton) on a .ts/CSV dataset.",
        discussion: """
        --core picks the sequence-mixing core and --skeleton the reference classifier around it: s4d in state-spaces \
        (example.py), s5 in s5-flax (lindermanlab/S5, default) or linoss-repo (tk-rusch/linoss), lru in minimal-lru \
        (default) or linoss-repo, linoss-im and linoss-imex in linoss-repo, s6 in log-ncde-mamba (log-neural-cdes) — with that reference's block (norm, head, GELU form), initialisation and published \
        recipe for every option not given (s4d: AdamW lr 0.01, wd 0.01, SSM lr 0.001, cosine, dropout 0.1, batch 64, \
        clip 1; s5-flax: SSM group B, Λ, log_step Adam 1e-3 without decay, the rest AdamW 1e-3 wd 0.05, cosine, dropout \
        0; minimal-lru: SSM group ν, θ, γ, B Adam 5e-4, the rest AdamW 1e-3 wd 0.05, cosine, dropout 0.1; linoss-repo: \
        one Adam group 1e-3, constant, batch 32, dropout 0.05 (S5, LinOSS) / 0.1 (LRU); log-ncde-mamba: one Adam group 1e-3, \
        constant, batch 32, dropout 0.1; no clipping but in example.py's). A recipe's batch is the largest the data rule \
        below chooses. \
        Layers, d_model, d_state, batch, the epoch cap, patience and warm-up are chosen from the training data when not \
        given (printed in the banner, stored in the checkpoint; docs/training.md). \
        Inputs are standardised per channel with training-split statistics (stored in the checkpoint). A stratified \
        validation split (--validation-fraction, seeded) chooses the best epoch — by accuracy, or by loss when it holds \
        fewer than 50 samples —, which is written to --out, and stops the run early (--patience); the \
        training state for --resume goes to <out>.resume.safetensors after every epoch. Where that split would hold \
        fewer than 50 samples, 5-fold cross-validation over all the training data chooses the number of epochs \
        instead, and the model written is trained on all of it for that many (--folds; such runs are not resumable). The test split (--test, the \
        *_TEST.ts beside a *_TRAIN.ts, or --test-fraction of a single file) is only reported, never used for choices.
        """
    )

    @Option(help: "Training data: a .ts file, a folder with *_TRAIN.ts/*_TEST.ts, or a CSV with the label last.")
    var data: String
    @Option(help: "Separate test file (optional).")
    var test: String?
    @Option(help: "For a single file without test split: the stratified fraction held out as test set.")
    var testFraction: Double?
    @OptionGroup var dataset: DatasetOptions
    @Option(help: "The sequence-mixing core: s4d, s5, lru, linoss-im, linoss-imex or s6.") var core: CoreKind = .s4d
    @Option(help: "The reference classifier around the core: state-spaces (s4d), s5-flax (s5), minimal-lru (lru), linoss-repo (linoss-im, linoss-imex, s5, lru) or log-ncde-mamba (s6); default: the core's own.")
    var skeleton: ReferenceSkeleton?
    @Option(help: "Number of blocks (default: chosen from the data).") var layers: Int?
    @Option(help: "Model width H (default: chosen from the data).") var dModel: Int?
    @Option(help: "State size: S4D N (N/2 complex modes per channel); S5 ssm_size (P = N/2 stored modes with conjugate symmetry); LRU N complex states (default: chosen).")
    var dState: Int?
    @Option(help: "Most epochs to train; early stopping may end the run sooner (default: chosen from the data).")
    var epochs: Int?
    @Option(help: "Batch size (default: chosen from the number of training samples, at most the reference recipe's).")
    var batch: Int?
    @Option(help: "Stop after this many epochs without a better validation result; 0: never (default: chosen).")
    var patience: Int?
    @Option(help: "Learning rate (default: the reference's recipe; the SSM group uses min(lr, --ssm-lr)).") var lr: Double?
    @Option(help: "Learning rate of the SSM group (S4D log_dt, log_A_real, A_imag; S5 B, Λ, log_step; LRU ν, θ, γ, B), which has no weight decay (default: the recipe's).")
    var ssmLr: Double?
    @Option(help: "AdamW weight decay, not applied to the SSM group (default: the reference's recipe).") var weightDecay: Double?
    @Option(help: "Dropout rate (default: the reference's recipe).") var dropout: Double?
    @Option(help: "Learning-rate schedule: cosine or constant (default: the reference's recipe).") var schedule: LearningRateSchedule?
    @Flag(help: "The norm before each block's core (the default of every reference but example.py's).") var prenorm = false
    @Flag(help: "The norm after the residual add (example.py's default; not the linoss-repo block).") var postnorm = false
    @Option(help: "Activation head of every block: glu (GELU → map to 2H → GLU; example.py's, S5's full_glu), bilinear (1×1 conv → a ⊙ b: no GELU, no sigmoid; the explicit operator is then exact; S4D only), half_glu1, half_glu2 or gelu (S5 only). Default: the reference's (S5: half_glu1).")
    var block: HeadKind?
    @Option(help: "Norm of every block: layer (LayerNorm), batch (BatchNorm: an exact affine map at inference) or none (S4D only). Default: the reference's (S4D layer, the others batch).")
    var norm: NormKind?
    @Option(help: "Pooling over time before the decoder: mean or last (s5-flax and minimal-lru only).") var pooling: Pooling = .mean
    @Option(name: .customLong("init"), help: "S4D initialisation: lin, inv or real.") var initialisation: S4DInit = .lin
    @Option(help: "Start from the spectrum (log_dt, log_A_real, A_imag) of an S4D layer file written by `phasor design` or `phasor identify --out`; C, D and the other weights stay seeded.")
    var initFrom: String?
    @Option(help: "Discretisation (S4D, S5): zoh or bilinear.") var discretization: Discretization = .zoh
    @Option(help: "S5: HiPPO-N blocks of the initialisation (d_state must split into them).") var ssmBlocks = 1
    @Flag(inversion: .prefixedNo, help: "S5: conjugate symmetry (P = d_state/2 stored modes read out by 2·Re).") var conjSym = true
    @Flag(help: "S5: clip Re Λ to ≤ −1e-4 in the forward pass (always on in the linoss-repo skeleton).") var clipEigs = false
    @Flag(help: "S5 (s5-flax): add a time-reversed scan (the layer is then not causal).") var bidirectional = false
    @Option(help: "S5: Δ = step_rescale·exp(log_step).") var stepRescale = 1.0
    @Option(help: "S5: initialisation of C: trunc_standard_normal, lecun_normal or complex_normal.") var cInit: S5CInit = .truncStandardNormal
    @Option(help: "LRU: smallest |λ| of the initialisation ring.") var rMin = 0.0
    @Option(help: "LRU: largest |λ| of the initialisation ring.") var rMax = 1.0
    @Option(help: "LRU: largest initial phase of λ.") var maxPhase = 6.28
    @Option(help: "S6: rank R of the Δ projection (default ⌈H/16⌉).") var dtRank: Int?
    @Option(help: "Global gradient-norm clip (0: off; default: the reference's recipe).") var clip: Double?
    @Option(help: "Fraction of the steps (of the epoch cap) spent in linear warm-up (default: chosen).") var warmup: Double?
    @Option(help: "Stratified validation fraction of the training data used to select the best epoch (0: keep the last; default 0.2). Giving it means one validation split (no cross-validation).")
    var validationFraction: Double?
    @Option(help: "K ≥ 2: K-fold cross-validation chooses the number of epochs, then one model is trained on all the training data for that many; 0: one validation split (default: 5 when one validation split would hold fewer than 50 samples, else 0).")
    var folds: Int?
    @Option(help: "Seed of initialisation, splits, shuffling and dropout.") var seed: UInt64 = 0
    @Option(help: "Threads per batch (results depend on seed and thread count only).") var threads = 2
    @Option(help: "Checkpoint to write (the selected epoch).") var out: String
    @Flag(help: "Continue from <out>.resume.safetensors with the same options.") var resume = false
    @Option(help: "f32: Float arithmetic in the S4D blocks while training (~1.8× faster) and F32 tensors in the checkpoint (PyTorch's default); f64: Double throughout and F64 tensors. Validation and test are always evaluated in Double.")
    var precision: ComputePrecision = .f32
    @Flag(help: "Print the result as JSON on stdout.") var json = false
    @Option(help: "Record the spectrum and ∂L/∂γ, ∂L/∂ω per mode into this run directory (for `phasor dynamics`).")
    var track: String?
    @Option(help: "Record every k-th optimiser step when --track is given.") var trackEvery = 10

    var outputs: [OutputFile] {
        // All three are read back by --resume (the selected model, the state, the records so far).
        let written: [OutputFile] = [.file("--out", out), .file("--out's resume state", Trainer.resumePath(for: out)),
                                     .folder("--track", track)]
        return written.map(\.rereadByResume)
    }

    func validate() throws {
        if prenorm && postnorm { throw ValidationError("give at most one of --prenorm and --postnorm") }
        if core != .s5, ssmBlocks != 1 || !conjSym || clipEigs || bidirectional || stepRescale != 1 || cInit != .truncStandardNormal {
            throw ValidationError("--ssm-blocks, --no-conj-sym, --clip-eigs, --bidirectional, --step-rescale and --c-init are S5 options")
        }
        if core != .s4d, track != nil {
            throw ValidationError("--track records S4D spectra (log_dt, log_A_real, A_imag); it does not read \(core.rawValue) cores yet")
        }
        if core != .lru, rMin != 0 || rMax != 1 || maxPhase != 6.28 {
            throw ValidationError("--r-min, --r-max and --max-phase are LRU options")
        }
        if core != .s6, dtRank != nil { throw ValidationError("--dt-rank is an S6 option") }
        if let folds, folds >= 2, validationFraction != nil {
            throw ValidationError("--folds \(folds) cross-validates over all the training data; --validation-fraction asks for one split: give one of them")
        }
    }

    func run() throws {
        let started = Date()
        let (trainSet, testSet) = try DataSplits.load(data: data, test: test, testFraction: testFraction, seed: seed, options: dataset)
        let trainingData = try TrainingData(dataset: trainSet, validationFraction: validationFraction ?? 0.2, seed: seed &+ 1)
        // Options left out: from the resume state when resuming, else chosen from the data; given ones as given.
        let sk = skeleton ?? .default(for: core)
        let recipe = TrainingRecipe.published(core: core, skeleton: sk)
        let given = TrainingSettings(layers: layers, dModel: dModel, dState: dState, batchSize: batch, epochs: epochs,
                                     patience: patience, warmupFraction: warmup,
                                     folds: folds ?? (validationFraction != nil ? 0 : nil))
        let startedWith = resume ? try TrainingChoices.resumed(output: out) : nil
        if let startedWith, let clash = startedWith.contradictions(given).first {
            throw CLIError("--resume: \(clash); rerun without that option or start a new run without --resume")
        }
        let settings = startedWith?.overridden(by: given)
            ?? TrainingDefaults.choose(for: DataShape(trainingData), given: given, largestBatch: recipe.batchSize)
        if settings.folds > trainSet.samples.count {            // before any arithmetic with the user's number
            throw CLIError("--folds \(settings.folds): at most one fold per training sample (\(trainSet.samples.count)); give fewer folds, or --folds 0 for one validation split")
        }
        if resume, settings.folds >= 2 {
            throw CLIError("--resume: a \(settings.folds)-fold cross-validated run (chosen for a validation split of fewer than 50 samples) keeps no resume state; run again without --resume, or give --folds 0 for one resumable validation split")
        }
        var model = S4ModelConfiguration(
            core: core, skeleton: sk, dInput: trainSet.channels, dModel: settings.dModel, dState: settings.dState,
            layers: settings.layers, classes: trainSet.classNames.count, prenorm: prenorm ? true : (postnorm ? false : nil),
            dropout: dropout ?? recipe.dropout, head: block, norm: norm, pooling: pooling, discretization: discretization,
            initialisation: initialisation,
            s5: S5Options(conjugateSymmetric: conjSym, clipEigenvalues: clipEigs, bidirectional: bidirectional,
                          stepRescale: stepRescale, blocks: ssmBlocks, cInit: cInit),
            lru: LRUOptions(rMin: rMin, rMax: rMax, maxPhase: maxPhase), dtRank: dtRank)
        if sk == .linossRepo, core == .s5 { model.s5.clipEigenvalues = true }            // models/generate_model.py
        let lr = self.lr ?? recipe.learningRate
        // one-group recipes: the SSM group's rate is the rate
        let ssmLr = self.ssmLr ?? (recipe.ssmLearningRate == recipe.learningRate ? lr : recipe.ssmLearningRate)
        let options = TrainingOptions(epochs: settings.epochs, batchSize: settings.batchSize, learningRate: lr,
                                      ssmLearningRate: min(lr, ssmLr), weightDecay: weightDecay ?? recipe.weightDecay,
                                      gradientClip: clip ?? recipe.gradientClip, warmupFraction: settings.warmupFraction,
                                      validationFraction: validationFraction ?? 0.2, seed: seed, threads: threads,
                                      precision: precision, schedule: schedule ?? recipe.schedule, patience: settings.patience)
        try model.validate()
        try options.validate()
        // Cross-validation: K + 1 runs, each with its own standardised copy of the data.
        try ResourceLimits.require(
            model.jobEstimate(samples: trainSet.samples.count * (settings.folds + 1), batch: options.batchSize, length: trainSet.maxLength,
                              work: .training(epochs: options.epochs, threads: threads), blockPrecision: precision),
            job: "train", limitWork: false, fix: "lower --batch, --d-model, --d-state or --layers")
        var initial: S4Model?
        if let initFrom, !resume {
            var seeded = try S4Model(configuration: model, seed: seed)
            try seeded.initialiseSpectrum(from: try ModelFile.loadCores(path: initFrom).cores.map {
                try $0.requireS4D(for: "--init-from (an S4D spectrum)")
            })
            initial = seeded
        }
        // Checked before any work (the trainer computes the same statistics again).
        _ = try InputStandardisation(sequences: trainingData.train.sequences, lengths: trainingData.train.lengths,
                                     channels: trainingData.train.channels)
        let stateExists = FileManager.default.fileExists(atPath: Trainer.resumePath(for: out))
        let tracker = try track.map {
            try TrainingTracker(directory: $0, every: trackEvery, configuration: model, continuing: resume && stateExists)
        }
        let metadata = [TrainingChoices.metadataKey: try settings.metadataValue()]
        let outcome: TrainingOutcome
        var crossValidation: CrossValidationSummary?
        if settings.folds >= 2 {
            let folds = try TrainingData.folds(dataset: trainSet, count: settings.folds, seed: seed &+ 1)
            let sizes = folds.map { $0.validation?.count ?? 0 }
            Terminal.status("train: \(trainSet.name): \(trainSet.samples.count) training samples in \(settings.folds) folds of \(sizes.min() ?? 0)–\(sizes.max() ?? 0), \(testSet?.samples.count ?? 0) test samples; \(trainSet.channels) channel(s), \(trainSet.classNames.count) classes, length ≤ \(trainSet.maxLength); \(settings.summary)")
            let result = try crossValidate(model: model, options: options, folds: folds, trainSet: trainSet,
                                           initial: initial, metadata: metadata, tracker: tracker)
            (outcome, crossValidation) = (result.outcome, result.crossValidation)
            // The model was not made by a resumable run: a resume state of an earlier run for --out would continue
            // that run over this model.
            try? FileManager.default.removeItem(atPath: Trainer.resumePath(for: out))
        } else {
            Terminal.status("train: \(trainSet.name): \(trainingData.train.count) training, \(trainingData.validation?.count ?? 0) validation, \(testSet?.samples.count ?? 0) test samples; \(trainSet.channels) channel(s), \(trainSet.classNames.count) classes, length ≤ \(trainSet.maxLength); \(settings.summary)")
            if resume, !stateExists {
                Terminal.status("train: no resume state at \(Trainer.resumePath(for: out)); starting from epoch 1")
            }
            var bar: ProgressBar?
            outcome = try Trainer.train(
                configuration: model, options: options, data: trainingData, output: out, precision: precision == .f32 ? .f32 : .f64,
                resume: resume, initialModel: initial, metadata: metadata,
                onBatch: { p in
                    if bar == nil || p.batch == 1 { bar = ProgressBar(total: p.batches, label: "epoch \(p.epoch)/\(p.epochs)") }
                    bar?.update(done: p.batch, detail: String(format: "loss %.4f acc %.3f", p.loss, p.accuracy))
                },
                onEpoch: { s in
                    (bar ?? ProgressBar(total: 1, label: "epoch \(s.epoch)/\(s.epochs)")).finish(Self.describe(s))
                    bar = nil
                },
                onStep: tracker.map { t in { step, parameters, gradients, loss in
                    try t.record(step: step, parameters: parameters, gradients: gradients, loss: loss)
                } })
        }
        var testResult: Evaluation?
        if let testSet {
            testResult = try outcome.best.evaluate(try outcome.best.labelledSource(testSet), batchSize: options.batchSize, threads: threads)
        }
        let report = TrainingReport(output: out, outcome: outcome, test: testResult, settings: settings,
                                    crossValidation: crossValidation, seconds: Date().timeIntervalSince(started),
                                    command: CommandLine.arguments.joined(separator: " "))
        if json {
            try JSONOutput.print(report)
        } else {
            var text = "wrote \(out) (epoch \(outcome.bestEpoch)"
            if let cv = crossValidation {
                text += String(format: " on all %d training samples; %d-fold cross-validated accuracy %.4f", cv.samples, cv.folds, cv.accuracy)
                text += "; \(cv.epochs.count) of ≤ \(settings.epochs) epochs run per fold"
            } else {
                if let v = report.validationAccuracy { text += String(format: ", validation accuracy %.4f", v) }
                text += "; \(outcome.history.count) of ≤ \(settings.epochs) epochs run"
            }
            if outcome.stoppedEarly { text += ", stopped early" }
            text += ")"
            if let t = testResult { text += String(format: "\ntest accuracy %.4f (loss %.4f, %d samples)", t.accuracy, t.loss, t.count) }
            print(text)
        }
    }

    /// An epoch's finished line: training loss and accuracy, the validation result, and "*" when it is the best so far.
    static func describe(_ s: EpochSummary, validation name: String = "val") -> String {
        let validation = s.validationAccuracy.map { String(format: " \(name)_loss %.4f \(name)_acc %.4f", s.validationLoss ?? 0, $0) } ?? ""
        return String(format: "loss %.4f acc %.4f", s.trainLoss, s.trainAccuracy) + validation + (s.selected && s.validationAccuracy != nil ? " *" : "")
    }

    /// The cross-validated run (`CrossValidation`): one progress line per epoch over all folds, then the refit's.
    func crossValidate(model: S4ModelConfiguration, options: TrainingOptions, folds: [TrainingData],
                       trainSet: SequenceDataset, initial: S4Model?, metadata: [String: String],
                       tracker: TrainingTracker?) throws -> (outcome: TrainingOutcome, crossValidation: CrossValidationSummary) {
        var bar: ProgressBar?
        return try CrossValidation.train(
            configuration: model, options: options, folds: folds,
            all: try TrainingData(dataset: trainSet, validationFraction: 0, seed: 0), output: out,
            precision: precision == .f32 ? .f32 : .f64, initialModel: initial, metadata: metadata,
            onBatch: { phase, p in
                switch phase {
                case let .fold(f, k):
                    if bar == nil { bar = ProgressBar(total: k * p.batches, label: "epoch \(p.epoch)/\(p.epochs) (\(k) folds)") }
                    bar?.update(done: (f - 1) * p.batches + p.batch, detail: String(format: "fold %d loss %.4f", f, p.loss))
                case let .refit(epochs):
                    if bar == nil { bar = ProgressBar(total: p.batches, label: "all data: epoch \(p.epoch)/\(epochs)") }
                    bar?.update(done: p.batch, detail: String(format: "loss %.4f acc %.3f", p.loss, p.accuracy))
                case .pooled: break
                }
            },
            onEpoch: { phase, s in
                let label: String
                switch phase {
                case .refit(let epochs): label = "all data: epoch \(s.epoch)/\(epochs)"
                default: label = "epoch \(s.epoch)/\(s.epochs) (\(folds.count) folds)"
                }
                (bar ?? ProgressBar(total: 1, label: label)).finish(Self.describe(s, validation: "cv"))
                bar = nil
            },
            onStep: tracker.map { t in { step, parameters, gradients, loss in
                try t.record(step: step, parameters: parameters, gradients: gradients, loss: loss)
            } })
    }
}
