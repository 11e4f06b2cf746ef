import Foundation
import PhasorData
import Testing
@testable import PhasorModels
import PhasorNumerics

// The one job estimate (JobSize.swift), the trainer's checked arithmetic, the resume state's three steps
// (TrainingState.swift: validate, compare with a data fingerprint, build), the naming of divergence, and the
// standardisation's refusal of statistics that overflow.

private func source(_ values: [[Double]], labels: [Int]) throws -> BatchSource {
    try BatchSource(sequences: values, lengths: values.map(\.count), labels: labels, channels: 1)
}

private func ramps(_ count: Int, shift: Double = 0) throws -> TrainingData {
    let values: [[Double]] = (0..<count).map { i in
        (0..<6).map { t -> Double in
            let ramp = Double(i % 2 == 0 ? t : 6 - t)
            return ramp + 0.1 * Double(i) + shift
        }
    }
    return TrainingData(train: try source(values, labels: (0..<count).map { $0 % 2 }), validation: nil, classNames: ["up", "down"])
}

private let tiny = S4ModelConfiguration(dInput: 1, dModel: 2, dState: 2, layers: 1, classes: 2)

private func folder() -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("phasor-jobs-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
}

@Suite("job sizes")
struct JobSizeTests {
    /// P from the formula equals the sum of the checkpoint layout's own tensor sizes (an independent count).
    @Test(arguments: [(1, 4, 4, 1, 2), (3, 8, 6, 2, 5), (2, 128, 64, 4, 10), (7, 3, 2, 0, 3)])
    func parameterCountIsTheLayoutsCount(_ c: (Int, Int, Int, Int, Int)) {
        let configuration = S4ModelConfiguration(dInput: c.0, dModel: c.1, dState: c.2, layers: c.3, classes: c.4)
        let layout = configuration.parameterShapes.reduce(0) { $0 + $1.shape.reduce(1, *) }
        #expect(configuration.parameterCount == Double(layout))
    }

    @Test func absurdSizesAreNumbersNotTraps() {
        var huge = tiny
        huge.layers = Int.max; huge.dModel = Int.max; huge.dState = Int.max - 1
        let e = huge.jobEstimate(samples: Int.max, batch: Int.max, length: Int.max, work: .training(epochs: Int.max, threads: 64))
        #expect(e.bytes > 1e50 && e.operations > 1e50)
    }

    @Test func activationsScaleWithTheBatchAndLengthAndTheBatchIsCappedByTheData() {
        func activations(batch: Int, length: Int) -> Double {
            tiny.jobEstimate(samples: 100, batch: batch, length: length, work: .inference).parts.first { $0.name == "activations" }!.bytes
        }
        // Affine in B (a per-sample part and the kernel's H·L), linear in L.
        let step = activations(batch: 20, length: 100) - activations(batch: 10, length: 100)
        #expect(step > 0 && activations(batch: 30, length: 100) - activations(batch: 20, length: 100) == step)
        #expect(activations(batch: 10, length: 200) == 2 * activations(batch: 10, length: 100))
        let a = tiny.jobEstimate(samples: 100, batch: 10, length: 100, work: .inference)
        let capped = tiny.jobEstimate(samples: 100, batch: Int.max, length: 100, work: .inference)
        #expect(capped == tiny.jobEstimate(samples: 100, batch: 100, length: 100, work: .inference))
        let training = tiny.jobEstimate(samples: 100, batch: 10, length: 100, work: .training(epochs: 3, threads: 2))
        #expect(training.bytes > a.bytes && abs(training.operations / a.operations - 9) < 1e-9)   // 3 epochs × 3 passes
    }
}

@Suite("training with user numbers")
struct TrainingArithmeticTests {
    @Test func epochsTimesBatchesOverflowingIsRefused() throws {
        let options = TrainingOptions(epochs: Int.max, batchSize: 1, threads: 1)
        #expect(throws: ModelError.self) {
            try Trainer.train(configuration: tiny, options: options, data: try ramps(4), output: folder() + "/m.safetensors")
        }
    }

    @Test func aBatchLargerThanTheDataIsOneBatch() throws {
        let out = folder() + "/m.safetensors"
        var batches: Set<Int> = []
        _ = try Trainer.train(configuration: tiny, options: TrainingOptions(epochs: 1, batchSize: Int.max, threads: 1),
                              data: try ramps(6), output: out, onBatch: { batches.insert($0.batches) })
        #expect(batches == [1])
    }

    @Test func divergenceIsNamedWithTheLearningRate() throws {
        let options = TrainingOptions(epochs: 3, batchSize: 2, learningRate: 1e300, threads: 1)
        do {
            _ = try Trainer.train(configuration: tiny, options: options, data: try ramps(8), output: folder() + "/m.safetensors")
            Issue.record("lr 1e300 trained")
        } catch let ModelError.diverged(epoch, batch, why) {
            #expect(epoch == 1 && batch >= 2)
            #expect(why.contains("--lr"))
        }
    }
}

@Suite("resume state")
struct ResumeStateTests {
    @Test func theFingerprintIsAFunctionOfTheData() throws {
        let a = try ramps(6), b = try ramps(6)
        #expect(a.fingerprint == b.fingerprint && a.fingerprint.count == 16)
        var oneUlp = a.train.sequences
        oneUlp[3][2] = oneUlp[3][2].nextUp
        let c = TrainingData(train: try source(oneUlp, labels: a.train.labels), validation: nil, classNames: a.classNames)
        let d = TrainingData(train: a.train, validation: nil, classNames: ["down", "up"])
        let e = TrainingData(train: try source(Array(a.train.sequences.reversed()), labels: Array(a.train.labels.reversed())),
                             validation: nil, classNames: a.classNames)
        let f = TrainingData(train: a.train, validation: try source([a.train.sequences[0]], labels: [0]), classNames: a.classNames)
        #expect(Set([a, c, d, e, f].map(\.fingerprint)).count == 5)
    }

    @Test func resumingOnOtherDataIsRefusedByName() throws {
        let out = folder() + "/m.safetensors"
        let options = TrainingOptions(epochs: 2, batchSize: 2, threads: 1)
        _ = try Trainer.train(configuration: tiny, options: options, data: try ramps(6), output: out, stopAfterEpoch: 1)
        do {
            _ = try Trainer.train(configuration: tiny, options: options, data: try ramps(6, shift: 1), output: out, resume: true)
            Issue.record("resumed on other data")
        } catch let ModelError.cannotResume(_, reason) {
            #expect(reason.contains("the training data"))
        }
        let resumed = try Trainer.train(configuration: tiny, options: options, data: try ramps(6), output: out, resume: true)
        #expect(resumed.history.map(\.epoch) == [1, 2])
    }

    @Test func aStateWithAnInfiniteEpochLossRoundTrips() throws {
        let path = folder() + "/s.resume.safetensors"
        let model = try S4Model(configuration: tiny, seed: 1)
        let options = TrainingOptions(epochs: 2, batchSize: 2, threads: 1)
        let summary = EpochSummary(epoch: 1, epochs: 2, trainLoss: 0.5, trainAccuracy: 1, validationLoss: .infinity,
                                   validationAccuracy: 0.5, selected: true, seconds: 0)
        let state = TrainingState(configuration: tiny, options: options, model: model,
                                  optimizer: Trainer.makeOptimizer(model.parameters, options: options), completedEpochs: 1,
                                  bestEpoch: 1, bestAccuracy: 0.5, bestLoss: .infinity, history: [summary], dataFingerprint: "f")
        try state.write(to: path)                                         // was EncodingError "Invalid number value (inf)"
        let run = TrainingState.Run(configuration: tiny, options: options, dataFingerprint: "f", batchesPerEpoch: 0)
        let loaded = try TrainingState.load(path: path, for: run)
        #expect(loaded.history == [summary])
        #expect(loaded.model.parameters == model.parameters)
    }

    @Test func differencesAreNamedFieldByField() {
        var a = TrainingOptions(epochs: 2), b = a
        b.learningRate = 0.5; b.seed = 9
        #expect(TrainingState.fieldDifferences(a, b) == ["learningRate: 0.01 in the state, 0.5 now", "seed: 0 in the state, 9 now"])
        a = b
        #expect(TrainingState.fieldDifferences(a, b).isEmpty)
    }
}

@Suite("standardisation statistics")
struct StandardisationGuardTests {
    @Test func aSubnormalStandardDeviationIsRefused() {
        #expect(throws: ModelError.self) { try InputStandardisation(mean: [0], std: [5e-324]) }
        #expect(throws: Never.self) { try InputStandardisation(mean: [0], std: [Double.leastNormalMagnitude]) }
    }

    @Test func anOverflowingStandardisedValueNamesTheStatistics() throws {
        let s = try InputStandardisation(mean: [0, 0], std: [1, 1e-300])
        var fine = [1.0, 1e-10]
        try s.apply(to: &fine)
        #expect(fine == [1, 1e290])
        var values = [1.0, 1e10]
        do {
            try s.apply(to: &values)
            Issue.record("1e10 / 1e-300 did not overflow")
        } catch let ModelError.invalidConfiguration(text) {
            #expect(text.contains("channel 1") && text.contains("input_std 1e-300"))
        }
    }
}
