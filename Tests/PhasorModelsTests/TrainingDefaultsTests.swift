import Foundation
import Testing
@testable import PhasorModels
import PhasorNumerics

// The automatic training settings (TrainingDefaults.swift) and early stopping: every given setting is used as given
// and only the absent ones are chosen; the rule's outputs on the bundled sets' sizes and its invariants over a range
// of sizes; a run stopped early is a prefix of the run without early stopping (the schedule is laid over the cap),
// resumes to the same end, and `TrainingChoices.resumed` returns the settings a run started with.

private let bundledShapes: [(name: String, shape: DataShape)] = [
    ("ItalyPowerDemand", DataShape(samples: 53, length: 24, channels: 1, classes: 2)),
    ("GunPoint", DataShape(samples: 40, length: 150, channels: 1, classes: 2)),
    ("BasicMotions", DataShape(samples: 32, length: 100, channels: 6, classes: 4)),
    ("JapaneseVowels", DataShape(samples: 216, length: 26, channels: 12, classes: 9)),
    ("digits", DataShape(samples: 1151, length: 64, channels: 1, classes: 10)),
]

@Test func givenSettingsAreUsedAsGivenAndOnlyAbsentOnesChosen() {
    let shape = DataShape(samples: 40, length: 150, channels: 1, classes: 2)
    let all = TrainingSettings(layers: 3, dModel: 48, dState: 16, batchSize: 5, epochs: 7, patience: 2,
                               warmupFraction: 0.25, folds: 4)
    let c = TrainingDefaults.choose(for: shape, given: all)
    #expect(c == TrainingChoices(layers: 3, dModel: 48, dState: 16, batchSize: 5, epochs: 7, patience: 2,
                                 warmupFraction: 0.25, folds: 4, chosen: []))
    #expect(c.summary == "given batch 5, 3 layers, d_model 48, d_state 16, ≤ 7 epochs, patience 2, warm-up 25%, epochs by 4-fold cross-validation")
    // Patience 0 turns early stopping off.
    #expect(TrainingDefaults.choose(for: shape, given: TrainingSettings(patience: 0)).patience == nil)
    // Each setting alone: it is used, and it is the only one missing from `chosen`.
    let automatic = TrainingDefaults.choose(for: shape)
    #expect(automatic.chosen == TrainingChoices.names)
    let single: [(String, TrainingSettings, (TrainingChoices) -> Bool)] = [
        ("layers", TrainingSettings(layers: 5), { $0.layers == 5 }),
        ("d-model", TrainingSettings(dModel: 12), { $0.dModel == 12 }),
        ("d-state", TrainingSettings(dState: 6), { $0.dState == 6 }),
        ("batch", TrainingSettings(batchSize: 3), { $0.batchSize == 3 }),
        ("epochs", TrainingSettings(epochs: 9), { $0.epochs == 9 }),
        ("patience", TrainingSettings(patience: 4), { $0.patience == 4 }),
        ("warmup", TrainingSettings(warmupFraction: 0), { $0.warmupFraction == 0 }),
        ("folds", TrainingSettings(folds: 3), { $0.folds == 3 }),
    ]
    for (name, given, holds) in single {
        let c = TrainingDefaults.choose(for: shape, given: given)
        #expect(holds(c), "\(name)")
        #expect(c.chosen == TrainingChoices.names.filter { $0 != name }, "\(name)")
    }
    // A given batch size sets the steps per epoch the epoch cap is computed from.
    let batch10 = TrainingDefaults.choose(for: shape, given: TrainingSettings(batchSize: 10))
    #expect(batch10.epochs == min(400, (TrainingDefaults.stepBudget + 3) / 4))
}

@Test func ruleOnTheBundledSetsAndItsInvariants() {
    // What the rule gives for the bundled sets (the training splits after the 0.2 validation split; digits with
    // --test-fraction 0.2): docs/training.md's table lists the same.
    let expected: [String: (batch: Int, layers: Int, dModel: Int, epochs: Int, patience: Int)] = [
        "ItalyPowerDemand": (8, 2, 64, 400, 50), "GunPoint": (8, 2, 64, 400, 50), "BasicMotions": (8, 2, 64, 400, 50),
        "JapaneseVowels": (8, 2, 64, 112, 28), "digits": (64, 2, 64, 167, 42),
    ]
    for (name, shape) in bundledShapes {
        let c = TrainingDefaults.choose(for: shape)
        let e = expected[name]!
        #expect((c.batchSize, c.layers, c.dModel, c.dState, c.epochs, c.patience) ==
                (e.batch, e.layers, e.dModel, 64, e.epochs, e.patience), "\(name): \(c.summary)")
        #expect(c.warmupFraction == 0.05)
    }
    // Invariants over sizes from 10 to 10⁶ samples.
    var previous: TrainingChoices?
    for n in [10, 30, 64, 100, 300, 1000, 1024, 2000, 5000, 50_000, 1_000_000] {
        let c = TrainingDefaults.choose(for: DataShape(samples: n, length: 100, channels: 3, classes: 5))
        let steps = (n + c.batchSize - 1) / c.batchSize
        #expect(TrainingDefaults.batchRange.contains(c.batchSize) && c.batchSize.nonzeroBitCount == 1)
        if (128...1024).contains(n) { #expect(steps >= 16, "n \(n): \(steps) steps per epoch") }
        // The cap reaches the step budget unless the epoch range caps it.
        #expect(c.epochs == TrainingDefaults.epochRange.upperBound || c.epochs == TrainingDefaults.epochRange.lowerBound
                || (c.epochs * steps >= TrainingDefaults.stepBudget && (c.epochs - 1) * steps < TrainingDefaults.stepBudget),
                "n \(n)")
        #expect(c.patience! >= 10 && c.patience! <= c.epochs)
        if let p = previous {   // more data never gives a smaller batch or a smaller model
            #expect(c.batchSize >= p.batchSize && c.layers >= p.layers && c.dModel >= p.dModel, "n \(n)")
        }
        previous = c
    }
    // Wide inputs widen the model: d_model ≥ 2 · channels.
    #expect(TrainingDefaults.choose(for: DataShape(samples: 100, length: 50, channels: 100, classes: 3)).dModel == 256)
}

// Data on which validation stops improving, so that early stopping triggers: noise sequences with labels drawn
// independently of them (the model can only memorise the training part; validation loss soon rises).
private func noisyRamps(count: Int, seed: UInt64) throws -> TrainingData {
    var g = SeededGenerator(seed: seed)
    var sequences: [[Double]] = [], lengths: [Int] = [], labels: [Int] = []
    for _ in 0..<count {
        sequences.append((0..<6).map { _ in g.normal() })
        lengths.append(6)
        labels.append(Int(g.next() % 2))
    }
    let all = try BatchSource(sequences: sequences, lengths: lengths, labels: labels, channels: 1)
    let cut = count * 3 / 4
    func part(_ r: Range<Int>) throws -> BatchSource {
        try BatchSource(sequences: Array(all.sequences[r]), lengths: Array(all.lengths[r]), labels: Array(all.labels[r]),
                        channels: 1)
    }
    return TrainingData(train: try part(0..<cut), validation: try part(cut..<count), classNames: ["up", "down"])
}

private let tinyModel = tinyTrainingModel

private func scratch() -> String { trainingScratchDirectory("phasor-defaults") }

@Test func modelSelectionRanksSmallValidationSplitsByLoss() {
    #expect(ModelSelection.forValidation(count: 14) == .loss && ModelSelection.forValidation(count: 49) == .loss)
    #expect(ModelSelection.forValidation(count: 50) == .accuracyThenLoss)
    let reference = (accuracy: 1.0, loss: 0.6)
    // The ItalyPowerDemand case: a later epoch with one validation error fewer right but a much lower loss.
    #expect(ModelSelection.loss.improves(accuracy: 0.93, loss: 0.1, over: reference, margin: 1e-3))
    #expect(!ModelSelection.accuracyThenLoss.improves(accuracy: 0.93, loss: 0.1, over: reference, margin: 1e-3))
    #expect(!ModelSelection.loss.improves(accuracy: 1, loss: 0.5995, over: reference, margin: 1e-3))     // within the margin
    #expect(ModelSelection.accuracyThenLoss.improves(accuracy: 1, loss: 0.59, over: reference, margin: 1e-3))
}

@Test func earlyStoppingIsAPrefixOfTheFullRunAndResumesToTheSameEnd() throws {
    let data = try noisyRamps(count: 32, seed: 5)
    let full = TrainingOptions(epochs: 30, batchSize: 6, learningRate: 0.05, warmupFraction: 0.05, seed: 3, threads: 2)
    var stopping = full
    stopping.patience = 3
    let dir = scratch()
    let long = try Trainer.train(configuration: tinyModel, options: full, data: data, output: dir + "/full.safetensors")
    let short = try Trainer.train(configuration: tinyModel, options: stopping, data: data, output: dir + "/es.safetensors")
    // Independently of the trainer: the first epoch after which 3 epochs pass without an improvement. The validation
    // split here has fewer than 50 samples, so epochs are ranked by loss alone (down by more than 1e-3 from the last
    // improvement's); a larger split ranks by accuracy, then loss.
    let byLoss = data.validation!.count < 50
    #expect(byLoss)
    var stop = long.history.count, improved = 0, reference = (accuracy: -1.0, loss: Double.infinity)
    for e in long.history {
        let a = e.validationAccuracy!, l = e.validationLoss!
        if byLoss ? l < reference.loss - 1e-3 : (a > reference.accuracy || (a == reference.accuracy && l < reference.loss - 1e-3)) {
            improved = e.epoch
            reference = (a, l)
        }
        if e.epoch - improved >= 3 { stop = e.epoch; break }
    }
    #expect(stop < 30, "the data should make validation stall")
    // The written epoch is the best of the epochs run (lowest loss; with a larger split accuracy, then loss).
    let run = long.history.prefix(stop)
    let best = byLoss ? run.min { $0.validationLoss! < $1.validationLoss! }!
        : run.max { ($0.validationAccuracy!, -$0.validationLoss!) < ($1.validationAccuracy!, -$1.validationLoss!) }!
    let (stopped, ranAll) = (short.stoppedEarly, !long.stoppedEarly)
    #expect(stopped && ranAll)
    #expect(short.history.count == stop)
    #expect(short.history.map(\.trainLoss) == Array(long.history.prefix(stop)).map(\.trainLoss))
    #expect(short.bestEpoch == best.epoch)
    let written = try Checkpoint.load(path: dir + "/es.safetensors")
    #expect(written.extraMetadata["phasor.epoch"] == "\(best.epoch)")
    // Interrupted before the stop and resumed: ends where the uninterrupted run ended, with the same file.
    let cut = max(1, stop - 2)
    _ = try Trainer.train(configuration: tinyModel, options: stopping, data: data, output: dir + "/r.safetensors",
                          stopAfterEpoch: cut)
    let resumed = try Trainer.train(configuration: tinyModel, options: stopping, data: data,
                                    output: dir + "/r.safetensors", resume: true)
    #expect(resumed.history == short.history.enumerated().map { i, s in
        var s = s
        s.seconds = resumed.history[i].seconds
        return s
    })
    let resumedStopped = resumed.stoppedEarly
    #expect(resumedStopped)
    #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/r.safetensors"))
            == Data(contentsOf: URL(fileURLWithPath: dir + "/es.safetensors")))
    // Resuming a run that has already stopped trains nothing more.
    let again = try Trainer.train(configuration: tinyModel, options: stopping, data: data,
                                  output: dir + "/r.safetensors", resume: true)
    let (count, againStopped) = (again.history.count, again.stoppedEarly)
    #expect(count == stop && againStopped)
}

@Test func resumedChoicesAreTheStartedRunsAndGivenOnesReplaceThem() throws {
    let data = try noisyRamps(count: 16, seed: 6)
    let dir = scratch(), out = dir + "/m.safetensors"
    #expect(try TrainingChoices.resumed(output: out) == nil)
    let started = TrainingDefaults.choose(for: DataShape(data),
                                          given: TrainingSettings(layers: 1, dModel: 4, dState: 4, epochs: 2, folds: 0))
    let configuration = S4ModelConfiguration(dInput: 1, dModel: started.dModel, dState: started.dState,
                                             layers: started.layers, classes: 2, prenorm: false, dropout: 0.1,
                                             initialisation: .lin, discretization: .zoh)
    let options = TrainingOptions(epochs: started.epochs, batchSize: started.batchSize,
                                  warmupFraction: started.warmupFraction, seed: 1, threads: 1, patience: started.patience)
    let json = String(decoding: try JSONEncoder().encode(started), as: UTF8.self)
    _ = try Trainer.train(configuration: configuration, options: options, data: data, output: out, stopAfterEpoch: 1,
                          metadata: [TrainingChoices.metadataKey: json])
    #expect(try Checkpoint.load(path: out).extraMetadata[TrainingChoices.metadataKey] == json)
    let resumed = try #require(try TrainingChoices.resumed(output: out))
    #expect(resumed == started)
    #expect(resumed.chosen == ["batch", "patience", "warmup"])
    let changed = resumed.overridden(by: TrainingSettings(batchSize: 7, patience: 0))
    #expect(changed.batchSize == 7 && changed.patience == nil && changed.chosen == ["warmup"])
    #expect(changed.layers == 1 && changed.epochs == 2)
}
