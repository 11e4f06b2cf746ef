import PhasorNumerics

// Mini-batches for training and evaluation. A batch is the model's input layout (B, L, d_input), time-major per
// sample, zero-padded to the longest sample IN THE BATCH; the true lengths travel with it so the model's mean over L
// is a masked mean (padding never reaches the pooled features, and a causal model never lets it reach earlier steps).
// The sample order of an epoch is a Fisher–Yates shuffle drawn from that epoch's generator.

/// One padded mini-batch.
public struct Batch: Sendable, Equatable {
    /// B × L × channels, row-major, zeros after each sample's length.
    public var inputs: [Double]
    public var batch: Int
    public var length: Int
    public var channels: Int
    public var lengths: [Int]
    public var labels: [Int]
}

/// Labelled variable-length sequences ready to be cut into batches.
public struct BatchSource: Sendable {
    /// Time-major values of each sample (lengths[i] × channels).
    public let sequences: [[Double]]
    public let lengths: [Int]
    public let labels: [Int]
    public let channels: Int

    public init(sequences: [[Double]], lengths: [Int], labels: [Int], channels: Int) throws {
        guard sequences.count == lengths.count, lengths.count == labels.count else {
            throw ModelError.invalidConfiguration("\(sequences.count) sequences, \(lengths.count) lengths and \(labels.count) labels")
        }
        for (i, (s, l)) in zip(sequences, lengths).enumerated() where l <= 0 || s.count < l * channels {
            throw ModelError.invalidConfiguration("sample \(i) has length \(l) but \(s.count) values for \(channels) channels")
        }
        self.sequences = sequences
        self.lengths = lengths
        self.labels = labels
        self.channels = channels
    }

    public var count: Int { sequences.count }

    /// The padded length of a batch of the samples at `indices`: their longest length.
    public func length(of indices: ArraySlice<Int>) -> Int { indices.map { lengths[$0] }.max() ?? 0 }

    /// The batch made of the samples at `indices`, in that order, padded to their longest length.
    public func batch(_ indices: ArraySlice<Int>) -> Batch {
        let length = length(of: indices)
        var inputs = [Double](repeating: 0, count: indices.count * length * channels)
        for (b, i) in indices.enumerated() {
            let n = lengths[i] * channels
            inputs.withUnsafeMutableBufferPointer { dst in
                sequences[i].withUnsafeBufferPointer { src in
                    for k in 0..<n { dst[b * length * channels + k] = src[k] }
                }
            }
        }
        return Batch(inputs: inputs, batch: indices.count, length: length, channels: channels,
                     lengths: indices.map { lengths[$0] }, labels: indices.map { labels[$0] })
    }

    /// Consecutive batches of at most `size` samples in the given order (the last one may be smaller).
    public func batches(order: [Int], size: Int) -> [ArraySlice<Int>] {
        stride(from: 0, to: order.count, by: max(1, size)).map { order[$0..<min($0 + max(1, size), order.count)] }
    }

    /// A uniformly random permutation of 0..<count (Fisher–Yates).
    public static func shuffled(count: Int, generator: inout SeededGenerator) -> [Int] {
        var order = Array(0..<count)
        if count < 2 { return order }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(generator.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }
}
