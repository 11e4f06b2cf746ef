import ArgumentParser
import Foundation
import PhasorAnalysis
import PhasorData
import PhasorModels

// `phasor train`: parse → DataSplits → Trainer.train → print per-epoch progress (stderr) and the result (stdout).

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an S4D classifier (state-spaces example.py S4Model) on a .ts/CSV dataset.",
        discussion: """
        Inputs are standardised per channel with training-split statistics (stored in the checkpoint). A stratified \
        validation split (--validation-fraction, seeded) chooses the best epoch, which is written to --out; the \
        training state for --resume goes to <out>.resume.safetensors after every epoch. The test split (--test, the \
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
    @Option(help: "Number of S4D layers (default: chosen from the data).") var layers: Int?
    @Option(help: "Model width H (default: chosen from the data).") var dModel: Int?
    @Option(help: "State size N, N/2 complex modes per channel (default: chosen).") var dState: Int?
    @Option(help: "Most epochs to train; early stopping may end the run sooner (default: chosen from the data).")
    var epochs: Int?
    @Option(help: "Batch size (default: chosen from the number of training samples).") var batch: Int?
    @Option(help: "Stop after this many epochs without a better validation result; 0: never (default: chosen).")
    var patience: Int?
    @Option(help: "Learning rate (SSM parameters use min(lr, --ssm-lr)).") var lr = 0.01
    @Option(help: "Learning rate of log_dt, log_A_real, A_imag.") var ssmLr = 0.001
    @Option(help: "AdamW weight decay (not applied to SSM parameters).") var weightDecay = 0.01
    @Option(help: "Dropout rate.") var dropout = 0.1
    @Flag(help: "LayerNorm before each S4D block instead of after.") var prenorm = false
    @Option(name: .customLong("init"), help: "S4D initialisation: lin, inv or real.") var initialisation: S4DInit = .lin
    @Option(help: "Start from the spectrum (log_dt, log_A_real, A_imag) of an S4D layer file written by `phasor design` or `phasor identify --out`; C, D and the other weights stay seeded.")
    var initFrom: String?
    @Option(help: "Discretisation: zoh or bilinear.") var discretization: Discretization = .zoh
    @Option(help: "Global gradient-norm clip (0: off).") var clip = 1.0
    @Option(help: "Fraction of the steps (of the epoch cap) spent in linear warm-up (default: chosen).") var warmup: Double?
    @Option(help: "Stratified validation fraction of the training data used to select the best epoch (0: keep the last).")
    var validationFraction = 0.2
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

    func run() throws {
        let started = Date()
        try OutputPaths.requireWritable([out])  // before an epoch is spent: --out and its .resume file share the folder
        let (trainSet, testSet) = try DataSplits.load(data: data, test: test, testFraction: testFraction, seed: seed, options: dataset)
        let trainingData = try TrainingData(dataset: trainSet, validationFraction: validationFraction, seed: seed &+ 1)
        // Options left out: from the resume state when resuming, else chosen from the data; given ones as given.
        let given = TrainingSettings(layers: layers, dModel: dModel, dState: dState, batchSize: batch, epochs: epochs,
                                     patience: patience, warmupFraction: warmup)
        let startedWith = resume ? try TrainingChoices.resumed(output: out) : nil
        if let startedWith, let clash = startedWith.contradictions(given).first {
            throw CLIError("--resume: \(clash); rerun without that option or start a new run without --resume")
        }
        let settings = startedWith?.overridden(by: given) ?? TrainingDefaults.choose(for: DataShape(trainingData), given: given)
        let model = S4ModelConfiguration(dInput: trainSet.channels, dModel: settings.dModel, dState: settings.dState,
                                         layers: settings.layers, classes: trainSet.classNames.count, prenorm: prenorm,
                                         dropout: dropout, initialisation: initialisation, discretization: discretization)
        let options = TrainingOptions(epochs: settings.epochs, batchSize: settings.batchSize, learningRate: lr,
                                      ssmLearningRate: min(lr, ssmLr), weightDecay: weightDecay, gradientClip: clip,
                                      warmupFraction: settings.warmupFraction, validationFraction: validationFraction,
                                      seed: seed, threads: threads, precision: precision, patience: settings.patience)
        try model.validate()
        try options.validate()
        var initial: S4Model?
        if let initFrom, !resume {
            var seeded = try S4Model(configuration: model, seed: seed)
            try seeded.initialiseSpectrum(from: try ModelFile.loadCores(path: initFrom).cores)
            initial = seeded
        }
        // Checked before the banner below, so a failure here is still the run's only line on stderr (the trainer
        // computes the same statistics again).
        _ = try InputStandardisation(sequences: trainingData.train.sequences, lengths: trainingData.train.lengths,
                                     channels: trainingData.train.channels)
        Terminal.error("train: \(trainSet.name): \(trainingData.train.count) training, \(trainingData.validation?.count ?? 0) validation, \(testSet?.samples.count ?? 0) test samples; \(trainSet.channels) channel(s), \(trainSet.classNames.count) classes, length ≤ \(trainSet.maxLength); \(settings.summary)")
        let tracker = try track.map { try TrainingTracker(directory: $0, every: trackEvery, configuration: model) }
        if resume, !FileManager.default.fileExists(atPath: Trainer.resumePath(for: out)) {
            Terminal.error("train: no resume state at \(Trainer.resumePath(for: out)); starting from epoch 1")
        }
        var bar: ProgressBar?
        let outcome = try Trainer.train(
            configuration: model, options: options, data: trainingData, output: out, precision: precision == .f32 ? .f32 : .f64,
            resume: resume, initialModel: initial,
            metadata: [TrainingChoices.metadataKey: String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)],
            onBatch: { p in
                if bar == nil || p.batch == 1 { bar = ProgressBar(total: p.batches, label: "epoch \(p.epoch)/\(p.epochs)") }
                bar?.update(done: p.batch, detail: String(format: "loss %.4f acc %.3f", p.loss, p.accuracy))
            },
            onEpoch: { s in
                let validation = s.validationAccuracy.map { String(format: " val_loss %.4f val_acc %.4f", s.validationLoss ?? 0, $0) } ?? ""
                let line = String(format: "loss %.4f acc %.4f", s.trainLoss, s.trainAccuracy) + validation + (s.selected ? " *" : "")
                (bar ?? ProgressBar(total: 1, label: "epoch \(s.epoch)/\(s.epochs)")).finish(line)
                bar = nil
            },
            onStep: tracker.map { t in { step, parameters, gradients, loss in
                try t.record(step: step, parameters: parameters, gradients: gradients, loss: loss)
            } })
        var testResult: Evaluation?
        if let testSet {
            testResult = try outcome.best.evaluate(try outcome.best.labelledSource(testSet), batchSize: settings.batchSize,
                                                   threads: threads)
        }
        let report = TrainingReport(output: out, outcome: outcome, test: testResult, settings: settings,
                                    seconds: Date().timeIntervalSince(started),
                                    command: CommandLine.arguments.joined(separator: " "))
        if json {
            try JSONOutput.print(report)
        } else {
            var text = "wrote \(out) (epoch \(outcome.bestEpoch)"
            if let v = report.validationAccuracy { text += String(format: ", validation accuracy %.4f", v) }
            text += "; \(outcome.history.count) of ≤ \(settings.epochs) epochs run"
            if outcome.stoppedEarly { text += ", stopped early" }
            text += ")"
            if let t = testResult { text += String(format: "\ntest accuracy %.4f (loss %.4f, %d samples)", t.accuracy, t.loss, t.count) }
            print(text)
        }
    }
}
