import Foundation
import Testing
@testable import PhasorModels
import PhasorNumerics

// The trainer on a tiny model and a tiny task (rising vs falling ramps of varying length): it learns; it is a
// deterministic function of (seed, threads); interrupting after epoch 2 and resuming gives bit-identical results to
// an uninterrupted run; splitting a batch across threads gives the whole-batch gradient.

private func rampData(count: Int, seed: UInt64) throws -> TrainingData {
    var g = SeededGenerator(seed: seed)
    var sequences: [[Double]] = [], lengths: [Int] = [], labels: [Int] = []
    for i in 0..<count {
        let length = 5 + i % 4, label = i % 2
        let slope = label == 0 ? 1.0 : -1.0
        sequences.append((0..<length).map { t in 10 + slope * Double(t) + 0.3 * g.normal() })   // offset tests scaling
        lengths.append(length)
        labels.append(label)
    }
    let all = try BatchSource(sequences: sequences, lengths: lengths, labels: labels, channels: 1)
    let cut = count * 3 / 4
    func part(_ r: Range<Int>) throws -> BatchSource {
        try BatchSource(sequences: Array(all.sequences[r]), lengths: Array(all.lengths[r]), labels: Array(all.labels[r]), channels: 1)
    }
    return TrainingData(train: try part(0..<cut), validation: try part(cut..<count), classNames: ["up", "down"])
}

private let tiny = tinyTrainingModel

private func directory() -> String { trainingScratchDirectory("phasor-train") }

/// example.py's S4D; lindermanlab/S5 with BatchNorm (its buffers and momentum) and the constant schedule; the LinOSS
/// repository's LRU and LinOSS-IM (BatchNorm without scale or bias); log-neural-cdes' S6.
private let resumable = [tiny,
    S4ModelConfiguration(core: .s5, dInput: 1, dModel: 4, dState: 4, layers: 1, classes: 2, dropout: 0.1),
    S4ModelConfiguration(core: .lru, skeleton: .linossRepo, dInput: 1, dModel: 4, dState: 3, layers: 2, classes: 2, dropout: 0.1),
    S4ModelConfiguration(core: .linossIM, dInput: 1, dModel: 4, dState: 3, layers: 2, classes: 2, dropout: 0.1),
    S4ModelConfiguration(core: .s6, dInput: 1, dModel: 4, dState: 3, layers: 2, classes: 2, dropout: 0.1)]

@Test(arguments: 0..<resumable.count)
func resumeAfterAnInterruptionIsBitIdentical(_ k: Int) throws {
    let tiny = resumable[k]
    let data = try rampData(count: 24, seed: 1)
    let options = TrainingOptions(epochs: 3, batchSize: 6, seed: 42, threads: 2, schedule: k == 1 ? .constant : .cosine)
    let a = directory(), b = directory()
    let full = try Trainer.train(configuration: tiny, options: options, data: data, output: a + "/m.safetensors")
    let first = try Trainer.train(configuration: tiny, options: options, data: data, output: b + "/m.safetensors",
                                  stopAfterEpoch: 2)
    #expect(first.history.count == 2)
    #expect(first.last.parameters != full.last.parameters)
    let resumed = try Trainer.train(configuration: tiny, options: options, data: data, output: b + "/m.safetensors",
                                    resume: true)
    #expect(resumed.last.parameters == full.last.parameters)
    #expect(resumed.bestEpoch == full.bestEpoch)
    #expect(resumed.history.map(\.trainLoss) == full.history.map(\.trainLoss))
    #expect(resumed.history.map(\.validationAccuracy) == full.history.map(\.validationAccuracy))
    #expect(try Data(contentsOf: URL(fileURLWithPath: a + "/m.safetensors")) == Data(contentsOf: URL(fileURLWithPath: b + "/m.safetensors")))
    // Different options are refused on resume.
    var other = options
    other.learningRate = 0.02
    #expect(throws: ModelError.self) {
        try Trainer.train(configuration: tiny, options: other, data: data, output: b + "/m.safetensors", resume: true)
    }
}

@Test func trainingLearnsAndIsDeterministic() throws {
    let data = try rampData(count: 32, seed: 2)
    let options = TrainingOptions(epochs: 12, batchSize: 8, learningRate: 0.05, seed: 9, threads: 2)
    let dir = directory()
    var epochs: [EpochSummary] = []
    let run = try Trainer.train(configuration: tiny, options: options, data: data, output: dir + "/a.safetensors",
                                onEpoch: { epochs.append($0) })
    #expect(epochs.count == 12 && epochs == run.history)
    #expect(run.history.last!.trainLoss < run.history.first!.trainLoss)
    #expect(try #require(run.history[run.bestEpoch - 1].validationAccuracy) == 1)
    // The selected checkpoint reproduces its validation accuracy when evaluated from the file on raw data.
    let best = try Checkpoint.load(path: dir + "/a.safetensors")
    #expect(try best.evaluate(data.validation!).accuracy == run.history[run.bestEpoch - 1].validationAccuracy)
    #expect(best.standardisation != nil && best.classNames == ["up", "down"])
    let again = try Trainer.train(configuration: tiny, options: options, data: data, output: dir + "/b.safetensors")
    #expect(again.last.parameters == run.last.parameters)
}

@Test func splittingABatchAcrossThreadsGivesTheWholeBatchGradient() throws {
    // Without dropout the only difference between 1 and 3 threads is the order of summation.
    var config = tiny
    config.dropout = 0
    let data = try rampData(count: 14, seed: 3)
    let dir = directory()
    var o1 = TrainingOptions(epochs: 2, batchSize: 7, gradientClip: 0, validationFraction: 0, seed: 4, threads: 1,
                             precision: .f64)
    let one = try Trainer.train(configuration: config, options: o1, data: data, output: dir + "/1.safetensors")
    o1.threads = 3
    let three = try Trainer.train(configuration: config, options: o1, data: data, output: dir + "/3.safetensors")
    for (p, q) in zip(one.last.parameters.parameters, three.last.parameters.parameters) {
        for (x, y) in zip(p.values, q.values) { #expect(abs(x - y) < 1e-10) }
    }
}

@Test func crossEntropyAndSplittingMatchDirectFormulas() throws {
    let logits: [Double] = [1, 2, 3, 1000, -1000, 0]
    let (losses, predictions) = crossEntropy(logits: logits, labels: [0, 1], classes: 3)
    #expect(abs(losses[0] - (Foundation.log(exp(1) + exp(2) + exp(3)) - 1)) < 1e-14)
    #expect(losses[1] == 2000 && predictions == [2, 0])
    #expect(split([1, 2, 3, 4, 5][...], parts: 2).map(Array.init) == [[1, 2], [3, 4, 5]])
}
