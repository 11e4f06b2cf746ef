import PhasorNumerics

// The labelled sequence datasets that models train and evaluate on, whatever file they came from (.ts or CSV):
// each sample is a (length × channels) array stored time-major, with an integer class label indexing the dataset's
// class names. The split into training and validation is stratified and seeded, so a run is a function of its seed.

/// One labelled sequence: `length` time steps of `channels` values, time-major.
public struct LabelledSequence: Sendable, Equatable {
    /// length × channels values, time-major: values[t * channels + c].
    public var values: [Double]
    public var length: Int
    /// Index into the dataset's classNames.
    public var label: Int

    public init(values: [Double], length: Int, label: Int) {
        self.values = values
        self.length = length
        self.label = label
    }
}

/// A classification dataset of sequences sharing a channel count and a set of class names.
public struct SequenceDataset: Sendable, Equatable {
    public var name: String
    public var channels: Int
    public var classNames: [String]
    public var samples: [LabelledSequence]
    /// What the reader decided about the file (a skipped header row, missing values filled or trimmed); empty for a
    /// dataset built in memory.
    public var notes: DatasetNotes

    public init(name: String, channels: Int, classNames: [String], samples: [LabelledSequence], notes: DatasetNotes? = nil) {
        self.name = name
        self.channels = channels
        self.classNames = classNames
        self.samples = samples
        self.notes = notes ?? DatasetNotes(file: name)
    }

    /// The longest sample's length (0 if empty).
    public var maxLength: Int { samples.map(\.length).max() ?? 0 }

    /// The shortest sample's length (0 if empty).
    public var minLength: Int { samples.map(\.length).min() ?? 0 }

    /// Whether every sample has the same length.
    public var isEqualLength: Bool { minLength == maxLength }

    /// Number of samples per class, indexed like classNames.
    public func classCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for sample in samples where sample.label >= 0 && sample.label < counts.count { counts[sample.label] += 1 }
        return counts
    }

    /// Per-channel mean and population standard deviation over all time steps of all samples:
    /// mean_c = (1/N) Σ x[t,c],  std_c = sqrt((1/N) Σ (x[t,c] − mean_c)²),  N = total time steps, computed without
    /// overflow by `Statistics.meanAndStandardDeviation` (finite unless the true std exceeds Double's range).
    /// Zeros for an empty dataset.
    public func channelStatistics() -> (mean: [Double], std: [Double]) {
        let steps = samples.reduce(0) { $0 + $1.length }
        var mean = [Double](repeating: 0, count: channels), std = [Double](repeating: 0, count: channels)
        var column = [Double]()
        column.reserveCapacity(steps)
        for c in 0..<channels {
            column.removeAll(keepingCapacity: true)
            for sample in samples { for t in 0..<sample.length { column.append(sample.values[t * channels + c]) } }
            (mean[c], std[c]) = Statistics.meanAndStandardDeviation(column)
        }
        return (mean, std)
    }

    /// The dataset with every channel standardised: x'[t,c] = (x[t,c] − mean_c) / std_c (DESIGN.md §9: training-split
    /// statistics, applied to every split). A channel with std_c = 0 (constant in training) is only centred.
    public func standardized(mean: [Double], std: [Double]) throws -> SequenceDataset {
        guard mean.count == channels, std.count == channels else {
            throw DataError(.badArgument, file: name,
                            problem: "\(mean.count) means and \(std.count) standard deviations for \(channels) channels",
                            fix: "pass one mean and one std per channel (channelStatistics() of the training split)")
        }
        if let c = (0..<channels).first(where: { !mean[$0].isFinite || !std[$0].isFinite || std[$0] < 0 }) {
            throw DataError(.badArgument, file: name, problem: "channel \(c) has mean \(mean[c]) and std \(std[c])",
                            fix: "means must be finite and standard deviations finite and ≥ 0")
        }
        let scale = std.map { $0 > 0 ? 1 / $0 : 1 }
        var result = self
        for i in result.samples.indices {
            let length = result.samples[i].length
            result.samples[i].values.withUnsafeMutableBufferPointer { v in
                for t in 0..<length {
                    for c in 0..<channels { v[t * channels + c] = (v[t * channels + c] - mean[c]) * scale[c] }
                }
            }
        }
        // A tiny std (e.g. subnormal, 1/std = ∞) or a far-away mean overflows x' silently: refuse, naming where.
        for (i, sample) in result.samples.enumerated() {
            if let k = sample.values.firstIndex(where: { !$0.isFinite }) {
                let c = k % channels
                throw DataError(.nonFinite, file: name,
                                problem: "standardising sample \(i), step \(k / channels), channel \(c) gives "
                                    + "\(sample.values[k]) (mean \(mean[c]), std \(std[c]))",
                                fix: "the channel's std is too small or its values too large for Double; rescale the data")
            }
        }
        return result
    }

    /// Deterministic, seeded, stratified split (each class split in the same proportion; at least one validation
    /// sample per class with ≥ 2 samples). Same seed ⇒ same split.
    ///
    /// For each class (in class order) its sample indices are shuffled with one SeededGenerator(seed) by
    /// Fisher–Yates; the first round(fraction · n) go to validation, clamped to 1…n−1 when n ≥ 2 (a class with one
    /// sample stays in training). Both parts keep the original sample order.
    public func stratifiedSplit(validationFraction: Double, seed: UInt64) throws
        -> (train: SequenceDataset, validation: SequenceDataset) {
        guard validationFraction > 0, validationFraction < 1 else {
            throw DataError(.badArgument, file: name, problem: "validation fraction \(validationFraction) is not in (0, 1)",
                            fix: "pass a fraction such as 0.2")
        }
        var isValidation = [Bool](repeating: false, count: samples.count)
        for members in try shuffledClasses(seed: seed) {
            let n = members.count
            guard n >= 2 else { continue }
            let take = min(max(Int((validationFraction * Double(n)).rounded()), 1), n - 1)
            for index in members.prefix(take) { isValidation[index] = true }
        }
        return partitioned(isValidation)
    }

    /// Deterministic, seeded, stratified k-fold partition: fold f's validation part is every sample dealt to f, its
    /// training part the rest (original order kept in both). The classes' members, shuffled as in `stratifiedSplit`
    /// (same seed ⇒ same shuffle), are dealt in turn to folds 0, 1, …, k−1, 0, … continuing from class to class, so
    /// every class is spread over the folds as evenly as it can be and fold sizes differ by at most one. Every sample
    /// is in exactly one validation part.
    public func stratifiedFolds(_ k: Int, seed: UInt64) throws -> [(train: SequenceDataset, validation: SequenceDataset)] {
        guard k >= 2, k <= samples.count else {
            throw DataError(.badArgument, file: name, problem: "\(k) folds need 2 ≤ k ≤ the \(samples.count) training samples",
                            fix: "give fewer folds, or --folds 0 for one validation split")
        }
        var fold = [Int](repeating: 0, count: samples.count)
        var dealt = 0
        for members in try shuffledClasses(seed: seed) {
            for index in members {
                fold[index] = dealt % k
                dealt += 1
            }
        }
        return (0..<k).map { f in partitioned(fold.map { $0 == f }) }
    }

    /// Each class's sample indices (class order), shuffled by Fisher–Yates with one SeededGenerator(seed) and a bounded
    /// draw by multiply-high (bias ≤ n / 2^64, and fixed forever, unlike the standard library's shuffle whose
    /// algorithm is not guaranteed across releases).
    private func shuffledClasses(seed: UInt64) throws -> [[Int]] {
        var byClass = [[Int]](repeating: [], count: classNames.count)
        for (index, sample) in samples.enumerated() {
            guard sample.label >= 0, sample.label < classNames.count else {
                throw DataError(.unknownLabel, file: name,
                                problem: "sample \(index) has label \(sample.label), outside 0..<\(classNames.count)",
                                fix: "labels must index classNames")
            }
            byClass[sample.label].append(index)
        }
        var generator = SeededGenerator(seed: seed)
        for c in byClass.indices where byClass[c].count >= 2 {
            for i in stride(from: byClass[c].count - 1, to: 0, by: -1) {
                let j = Int(generator.next().multipliedFullWidth(by: UInt64(i + 1)).high)
                byClass[c].swapAt(i, j)
            }
        }
        return byClass
    }

    /// (samples not marked, samples marked), each in the original order.
    private func partitioned(_ marked: [Bool]) -> (train: SequenceDataset, validation: SequenceDataset) {
        var train = self, validation = self
        train.samples = []
        validation.samples = []
        for (index, sample) in samples.enumerated() {
            if marked[index] { validation.samples.append(sample) } else { train.samples.append(sample) }
        }
        return (train, validation)
    }
}
