import Foundation
import PhasorNumerics

// One training run in progress, epoch by epoch (the loop and its equations are described in Trainer.swift): the
// standardised training data, the schedule's step counts, the state (model, optimiser, history, best validation result)
// and the selected model so far. `Trainer.train` drives one run to its end; `CrossValidation` drives one run per fold
// in lockstep and stops them together.

struct TrainingRun {
    /// Where a run keeps what it selects. `output` nil: the selected model stays in memory and nothing is written (a
    /// cross-validation fold). `keepsState` false: no resume state is written (a run that cannot be resumed by itself).
    struct Files {
        var output: String?
        var precision: TensorPrecision
        var keepsState: Bool
    }

    let options: TrainingOptions
    let data: TrainingData
    let files: Files
    let metadata: [String: String]
    let standardisation: InputStandardisation
    /// The standardised training samples.
    let source: BatchSource
    let batchesPerEpoch: Int
    /// Steps of the whole cap (`options.epochs`): the schedule is laid over them.
    let totalSteps: Int
    let warmupSteps: Int
    let selection: ModelSelection
    /// The resume state's path when this run continues one (named in divergence errors).
    let resumedFrom: String?
    private(set) var state: TrainingState
    private(set) var best: Checkpoint?
    private var stepsThisRun = 0

    init(configuration: S4ModelConfiguration, options: TrainingOptions, data: TrainingData, files: Files,
         resume: Bool = false, initialModel: S4Model? = nil, metadata: [String: String] = [:]) throws {
        try options.validate()
        guard data.train.channels == configuration.dInput else {
            throw ModelError.inputWidth(expected: configuration.dInput, found: data.train.channels)
        }
        guard data.classNames.count == configuration.classes else {
            throw ModelError.invalidConfiguration("\(data.classNames.count) classes in the data but the model has \(configuration.classes)")
        }
        guard data.train.count > 0 else { throw ModelError.invalidConfiguration("the training split is empty") }
        self.options = options
        self.data = data
        self.files = files
        self.metadata = metadata

        // Standardise with training-split statistics (valid steps only); validation is standardised by Checkpoint.
        standardisation = try InputStandardisation(sequences: data.train.sequences, lengths: data.train.lengths,
                                                   channels: data.train.channels)
        source = try standardisation.applied(to: data.train)

        // ⌈count / batch⌉ and batches × epochs in checked arithmetic: both are user numbers (--batch, --epochs).
        batchesPerEpoch = source.count / options.batchSize + (source.count % options.batchSize == 0 ? 0 : 1)
        let (steps, overflow) = batchesPerEpoch.multipliedReportingOverflow(by: options.epochs)
        guard !overflow else {
            throw ModelError.invalidConfiguration("\(options.epochs) epochs × \(batchesPerEpoch) batches per epoch exceeds "
                + "\(Int.max) optimiser steps; give fewer epochs")
        }
        totalSteps = steps
        warmupSteps = Int((options.warmupFraction * Double(steps)).rounded(.down))
        selection = ModelSelection.forValidation(count: data.validation?.count ?? 0)

        let statePath = files.output.map(TrainingState.path(for:))
        if resume, let statePath, FileManager.default.fileExists(atPath: statePath) {
            state = try TrainingState.load(path: statePath, for: TrainingState.Run(
                configuration: configuration, options: options, dataFingerprint: data.fingerprint,
                batchesPerEpoch: batchesPerEpoch))
            resumedFrom = statePath
        } else {
            // `initialModel` (same configuration) replaces the seeded initialisation, e.g. a designed spectrum.
            if let m = initialModel, m.configuration != configuration {
                throw ModelError.invalidConfiguration("the initial model's sizes differ from the run's configuration")
            }
            var model = try initialModel ?? S4Model(configuration: configuration, seed: options.seed)
            model.blockPrecision = options.precision
            state = TrainingState(configuration: configuration, options: options, model: model,
                                  optimizer: Trainer.makeOptimizer(model.parameters, options: options),
                                  completedEpochs: 0, bestEpoch: 0, bestAccuracy: -1, bestLoss: .infinity, history: [],
                                  dataFingerprint: data.fingerprint)
            resumedFrom = nil
        }
        if state.bestEpoch > 0, let output = files.output, FileManager.default.fileExists(atPath: output) {
            best = try Checkpoint.load(path: output)
        }
    }

    /// Early stopping on this run's own validation split (`TrainingOptions.stopsEarly`).
    var stopsEarly: Bool { options.stopsEarly(history: state.history, selection: selection) }

    /// Trains epoch `state.completedEpochs + 1`, evaluates it on the validation split, keeps (and writes) it when it is
    /// the best so far, and writes the resume state.
    mutating func trainEpoch(onBatch: ((BatchProgress) -> Void)? = nil,
                             onStep: ((_ step: Int, _ parameters: ParameterStore, _ gradients: ParameterStore,
                                       _ loss: Double) throws -> Void)? = nil) throws -> EpochSummary {
        let epoch = state.completedEpochs + 1
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
            let source = self.source, threads = options.threads
            concurrentParts(parts.count) { t in
                var dropout = epochGenerator.fork(UInt64(b * threads + t))
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
                    guard Trainer.isNonFinite(error) else { throw error }
                    throw Trainer.diverged(epoch: epoch, batch: b + 1, firstStep: stepsThisRun == 0, resumed: resumedFrom)
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
                guard Trainer.isNonFinite(error) else { throw error }
                throw Trainer.diverged(epoch: epoch, batch: b + 1, firstStep: stepsThisRun == 0, resumed: resumedFrom)
            }
            guard batchLoss.isFinite else {
                throw Trainer.diverged(epoch: epoch, batch: b + 1, firstStep: stepsThisRun == 0, resumed: resumedFrom)
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
            throw Trainer.diverged(epoch: epoch, batch: batchesPerEpoch, firstStep: false, resumed: nil)
        }

        var evaluated = state.model
        evaluated.blockPrecision = .f64                                   // selection and files in Double
        let current = try Checkpoint(model: evaluated, standardisation: standardisation, classNames: data.classNames)
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
            if let output = files.output { try chosen.write(to: output, precision: files.precision) }
            best = chosen
        }
        let summary = EpochSummary(epoch: epoch, epochs: options.epochs, trainLoss: lossSum / Double(seen),
                                   trainAccuracy: Double(correct) / Double(seen),
                                   validationLoss: validation?.loss, validationAccuracy: validation?.accuracy,
                                   selected: selected, seconds: Date().timeIntervalSince(started))
        state.history.append(summary)
        state.completedEpochs = epoch
        if files.keepsState, let output = files.output { try state.write(to: TrainingState.path(for: output)) }
        return summary
    }

    /// What the run produced so far; an error when no epoch has been kept.
    func outcome() throws -> TrainingOutcome {
        guard let best else {
            let where_ = files.output.map { "\(TrainingState.path(for: $0)) already records \(state.completedEpochs) of \(options.epochs) epochs and \($0) is missing" }
                ?? "the run has no epochs"
            throw ModelError.invalidConfiguration("no epoch was trained: \(where_)")
        }
        return TrainingOutcome(best: best, bestEpoch: state.bestEpoch, last: state.model, history: state.history,
                               stoppedEarly: state.completedEpochs < options.epochs && stopsEarly)
    }
}
