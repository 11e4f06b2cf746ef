import Foundation
import PhasorNumerics

// Accuracy, mean cross-entropy and the confusion matrix of a checkpoint on labelled data. Loss per sample:
// ℓ = log Σ_k e^{z_k} − z_y, computed as m + log Σ_k e^{z_k − m} with m = max_k z_k (no overflow). Batches are split
// across threads like training batches; per-sample results are combined in sample order, so the numbers do not
// depend on the thread count.

/// How well a model classifies a labelled set.
public struct Evaluation: Sendable, Codable, Equatable {
    public var count: Int
    public var loss: Double
    public var accuracy: Double
    /// confusion[true class][predicted class] = number of samples.
    public var confusion: [[Int]]
}

/// An evaluation as `phasor eval --json` reports it: which split, the class names in logit order, and the numbers.
public struct EvaluationReport: Sendable, Encodable {
    public var split: String
    public var classes: [String]
    public var count: Int
    public var accuracy: Double
    public var loss: Double
    public var confusion: [[Int]]

    public init(split: String, classes: [String], evaluation e: Evaluation) {
        self.split = split; self.classes = classes
        count = e.count; accuracy = e.accuracy; loss = e.loss; confusion = e.confusion
    }
}

/// Per-sample cross-entropy and arg-max of logits (B × classes).
func crossEntropy(logits: [Double], labels: [Int], classes: Int) -> (losses: [Double], predictions: [Int]) {
    var losses: [Double] = [], predictions: [Int] = []
    for (b, y) in labels.enumerated() {
        let z = logits[(b * classes)..<((b + 1) * classes)]
        var best = z.startIndex
        for k in z.indices where z[k] > z[best] { best = k }
        let m = z[best]
        let logSum = m + Foundation.log(z.reduce(0) { $0 + Foundation.exp($1 - m) })   // log Σ e^{z_k}
        losses.append(logSum - z[z.startIndex + y])                                    // ℓ = log Σ e^{z} − z_y
        predictions.append(best - z.startIndex)
    }
    return (losses, predictions)
}

/// Boxes results written by concurrent workers at distinct indices.
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) { lock.lock(); slots[index] = value; lock.unlock() }
    var values: [T?] { lock.lock(); defer { lock.unlock() }; return slots }
}

/// Splits `indices` into at most `parts` contiguous, non-empty, nearly equal pieces.
func split(_ indices: ArraySlice<Int>, parts: Int) -> [ArraySlice<Int>] {
    let n = indices.count, p = max(1, min(parts, n))
    return (0..<p).map { t in
        let lo = indices.startIndex + t * n / p, hi = indices.startIndex + (t + 1) * n / p
        return indices[lo..<hi]
    }.filter { !$0.isEmpty }
}

extension Checkpoint {
    /// Evaluates on raw (unstandardised) data, e.g. `labelledSource(dataset)`; the checkpoint's own standardisation is
    /// applied.
    /// Labels must be class indices of this model (0..<classes).
    public func evaluate(_ source: BatchSource, batchSize: Int = 64, threads: Int = 2) throws -> Evaluation {
        let classes = model.configuration.classes
        guard source.channels == model.configuration.dInput else {
            throw ModelError.inputWidth(expected: model.configuration.dInput, found: source.channels)
        }
        if let bad = source.labels.first(where: { !(0..<classes).contains($0) }) {
            throw ModelError.invalidConfiguration("label \(bad) is outside the model's \(classes) classes")
        }
        guard source.count > 0 else { throw ModelError.invalidConfiguration("no samples to evaluate") }
        guard batchSize >= 1, (1...64).contains(threads) else {
            throw ModelError.invalidConfiguration("the batch size must be ≥ 1 and threads in 1…64 (got \(batchSize), \(threads))")
        }
        let inputs = try standardisation?.applied(to: source) ?? source
        var confusion = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        var totalLoss = 0.0, correct = 0
        for indices in source.batches(order: Array(0..<source.count), size: batchSize) {
            let parts = split(indices, parts: threads)
            let slots = ResultSlots<Result<[Double], Error>>(count: parts.count)
            concurrentParts(parts.count) { t in
                let b = inputs.batch(parts[t])
                slots.set(t, Result { try model.logits(inputs: b.inputs, batch: b.batch, length: b.length, lengths: b.lengths) })
            }
            for (t, slot) in slots.values.enumerated() {
                let z = try slot!.get()
                let labels = parts[t].map { source.labels[$0] }
                let (losses, predictions) = crossEntropy(logits: z, labels: labels, classes: classes)
                for (y, p) in zip(labels, predictions) {
                    confusion[y][p] += 1
                    if y == p { correct += 1 }
                }
                for l in losses { totalLoss += l }
            }
        }
        let n = source.count
        return Evaluation(count: n, loss: totalLoss / Double(n), accuracy: Double(correct) / Double(n), confusion: confusion)
    }
}
