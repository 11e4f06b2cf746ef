import Foundation
import PhasorData
import Testing
@testable import PhasorModels
import PhasorNumerics

// Cross-validation against an independent computation: each fold trained on its own by `Trainer.train` (the
// single-run path) gives the per-fold validation results; pooling them by the definition (accuracy = Σ correct / N,
// loss = Σ n_f·loss_f / N) must give CrossValidation's pooled history, its e* must be the best pooled epoch, and the
// model it writes must be, bit for bit, `Trainer.train` on all the data stopped after e* epochs of the same cap.

private func rampDataset(count: Int) -> SequenceDataset {
    var g = SeededGenerator(seed: 11)
    let samples = (0..<count).map { i -> LabelledSequence in
        let length = 5 + i % 4, label = i % 2
        let slope = label == 0 ? 0.4 : -0.4
        return LabelledSequence(values: (0..<length).map { t in slope * Double(t) + 0.8 * g.normal() }, length: length, label: label)
    }
    return SequenceDataset(name: "ramps", channels: 1, classNames: ["up", "down"], samples: samples)
}

private let tiny = tinyTrainingModel

private func directory() -> String { trainingScratchDirectory("phasor-cv") }

@Test(arguments: [nil, 2] as [Int?])
func crossValidationPoolsTheFoldsAndRefitsForTheChosenEpochs(patience: Int?) throws {
    let dataset = rampDataset(count: 23)
    let options = TrainingOptions(epochs: 6, batchSize: 4, learningRate: 0.05, warmupFraction: 0.1, seed: 5, threads: 2,
                                  precision: .f64, patience: patience)
    let folds = try TrainingData.folds(dataset: dataset, count: 4, seed: 9)
    let all = try TrainingData(dataset: dataset, validationFraction: 0, seed: 0)
    let dir = directory()
    let (outcome, cv) = try CrossValidation.train(configuration: tiny, options: options, folds: folds, all: all,
                                                  output: dir + "/cv.safetensors", precision: .f64)

    // Each fold on its own, for as many epochs as the lockstep run went (without its own early stopping: an epoch's
    // training does not depend on the patience, the schedule is laid over the cap).
    let ran = cv.epochs.count
    var free = options
    free.patience = nil
    let alone = try folds.enumerated().map { f, fold in
        try Trainer.train(configuration: tiny, options: free, data: fold, output: dir + "/fold\(f).safetensors",
                          stopAfterEpoch: ran).history
    }
    let sizes = folds.map { $0.validation!.count }
    #expect(cv.foldSizes == sizes && cv.samples == 23 && sizes.reduce(0, +) == 23)
    var best = (epoch: 0, loss: Double.infinity)
    for e in 0..<ran {
        let correct = zip(alone, sizes).map { h, n in (h[e].validationAccuracy! * Double(n)).rounded() }.reduce(0, +)
        let loss = zip(alone, sizes).map { h, n in Double(n) * h[e].validationLoss! }.reduce(0, +) / 23
        #expect(cv.epochs[e].validationAccuracy == correct / 23)
        #expect(abs(cv.epochs[e].validationLoss! - loss) <= 1e-15 * max(1, loss))
        if loss < best.loss { best = (e + 1, loss) }                    // 23 < 50 samples: ranked by loss
    }
    #expect(cv.selectedEpoch == best.epoch && outcome.bestEpoch == best.epoch)
    if patience == nil { #expect(ran == 6) } else {
        // Early stopping on the pooled history: stopped exactly when `patience` epochs passed without an improvement.
        #expect(ran == 6 || ran - TrainingOptions.lastImprovement(cv.epochs, selection: .loss) == patience)
    }

    // The refit: Trainer.train on all the data, schedule over the same cap, stopped after e*.
    let refit = try Trainer.train(configuration: tiny, options: options, data: all, output: dir + "/all.safetensors",
                                  stopAfterEpoch: best.epoch)
    let written = try Checkpoint.load(path: dir + "/cv.safetensors")
    #expect(written.model.parameters == refit.best.model.parameters)
    #expect(outcome.history.count == best.epoch && outcome.history.allSatisfy { $0.validationAccuracy == nil })
    let stored = try #require(try SafeTensorsFile(contentsOf: dir + "/cv.safetensors").metadata[CrossValidationSummary.metadataKey])
    let decoded = try JSONDecoder().decode(CrossValidationSummary.self, from: Data(stored.utf8))
    #expect(decoded.selectedEpoch == best.epoch && decoded.folds == 4 && decoded.accuracy == cv.accuracy && decoded.epochs.isEmpty)
}

@Test func foldsAreChosenOnlyForSmallValidationSplits() {
    func folds(_ train: Int, _ validation: Int, given: Int? = nil) -> Int {
        TrainingDefaults.choose(for: DataShape(samples: train, length: 10, channels: 1, classes: 2, validationSamples: validation),
                                given: TrainingSettings(folds: given)).folds
    }
    #expect(folds(53, 14) == 5)                    // ItalyPowerDemand
    #expect(folds(216, 54) == 0)                   // JapaneseVowels: 54 ≥ 50 validation samples
    #expect(folds(195, 49) == 5)
    #expect(folds(3, 1) == 4)                      // no more folds than samples
    #expect(folds(1, 0) == 0 && folds(100, 0) == 0) // no validation split asked for
    #expect(folds(53, 14, given: 0) == 0 && folds(53, 14, given: 1) == 0 && folds(216, 54, given: 3) == 3)
}
