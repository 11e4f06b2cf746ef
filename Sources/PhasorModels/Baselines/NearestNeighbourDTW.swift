import Foundation

// The 1-nearest-neighbour classifier under dynamic time warping — the standard baseline of the UCR/UEA archives —
// to judge a trained model against (docs/training.md). Dependent DTW (one warping path shared by all channels,
// Shokoohi-Yekta et al. 2017) on sequences a (m × d) and b (n × d), time-major, taken as they are (no
// normalisation; variable lengths allowed):
//   c(i, j) = Σ_k (a_ik − b_jk)²                                         squared Euclidean cost of aligning i with j
//   D(0, 0) = 0,  D(i, 0) = D(0, j) = ∞  (i, j ≥ 1)
//   D(i, j) = c(i, j) + min(D(i−1, j), D(i, j−1), D(i−1, j−1))   for |i − j| ≤ w (Sakoe–Chiba band), else ∞
//   dtw(a, b) = D(m, n)   (squared, as the UCR archive's code; the square root would not change the neighbour)
// Band: w = max(⌊r · max(m, n)⌋, |m − n|) for a window fraction r ∈ [0, 1]; r = 1 is full DTW, r = 0 on equal
// lengths the squared Euclidean distance; |m − n| keeps a path open between unequal lengths.
// 1-NN: a query takes the label of the reference sample with the smallest distance; ties go to the lower index. A
// row of D whose minimum already exceeds the best distance so far cannot lead to a smaller D(m, n) (costs are ≥ 0),
// so that candidate is abandoned — the neighbour found is exactly the full computation's.
// Learned window (the UCR archive's "DTW, learned w"): the r of `windowCandidates` with the best leave-one-out 1-NN
// accuracy on the reference (training) set alone, ties to the smaller r; the test set plays no part.

/// 1-nearest-neighbour classification under dependent DTW with an optional Sakoe–Chiba band.
public struct NearestNeighbourDTW: Sendable {
    /// The labelled reference set (the training data, as is).
    public let reference: BatchSource
    /// Band width as a fraction r of the longer sequence (1: full DTW).
    public let window: Double

    public init(reference: BatchSource, window: Double = 1) throws {
        guard (0...1).contains(window) else {
            throw ModelError.invalidConfiguration("the DTW window must be a fraction in [0, 1] (got \(window))")
        }
        guard reference.count > 0 else { throw ModelError.invalidConfiguration("the DTW reference set is empty") }
        self.reference = reference
        self.window = window
    }

    /// The band half-width w for lengths m and n.
    public func band(_ m: Int, _ n: Int) -> Int {
        max(Int((window * Double(max(m, n))).rounded(.down)), abs(m - n))
    }

    /// dtw(a, b) = D(m, n) of the recursion above, or +∞ once every entry of a row exceeds `cutoff`.
    public static func distance(_ a: [Double], length m: Int, _ b: [Double], length n: Int, channels d: Int,
                                band w: Int, cutoff: Double = .infinity) -> Double {
        guard m > 0, n > 0 else { return m == n ? 0 : .infinity }
        var previous = [Double](repeating: .infinity, count: n + 1)     // D(i − 1, ·)
        var current = [Double](repeating: .infinity, count: n + 1)      // D(i, ·)
        previous[0] = 0
        for i in 1...m {
            current[0] = .infinity
            let lo = max(1, i - w), hi = min(n, i + w)
            if lo > 1 { current[lo - 1] = .infinity }
            var rowMin = Double.infinity
            for j in lo...hi {
                var c = 0.0                                                // c(i, j) = Σ_k (a_ik − b_jk)²
                for k in 0..<d {
                    let e = a[(i - 1) * d + k] - b[(j - 1) * d + k]
                    c += e * e
                }
                let value = c + min(previous[j], current[j - 1], previous[j - 1])
                current[j] = value
                rowMin = min(rowMin, value)
            }
            if hi < n { current[hi + 1] = .infinity }
            if rowMin > cutoff { return .infinity }
            swap(&previous, &current)
        }
        return previous[n]
    }

    /// The index of the nearest reference sample to `query` (length × channels values) and its distance; nil only
    /// when every sample is excluded.
    public func nearest(_ query: [Double], length: Int, excluding excluded: Int? = nil) -> (index: Int, distance: Double)? {
        var best: (index: Int, distance: Double)?
        for r in 0..<reference.count where r != excluded {
            let m = reference.lengths[r]
            let dist = Self.distance(query, length: length, reference.sequences[r], length: m,
                                     channels: reference.channels, band: band(length, m),
                                     cutoff: best?.distance ?? .infinity)
            if best == nil || dist < best!.distance { best = (r, dist) }
        }
        return best
    }

    /// The window fractions the learned window is chosen from: 0, 1 %, …, 20 % and 100 %.
    public static let windowCandidates: [Double] = (0...20).map { Double($0) / 100 } + [1]

    /// Leave-one-out 1-NN accuracy on the reference set (each sample classified by the others).
    public func leaveOneOutAccuracy(threads: Int = 2) -> Double {
        let parts = split(Array(0..<reference.count)[...], parts: max(1, threads))
        let slots = ResultSlots<Int>(count: parts.count)
        let model = self
        parallelFor(parts.count) { t in
            slots.set(t, parts[t].filter { q in
                model.nearest(model.reference.sequences[q], length: model.reference.lengths[q], excluding: q)
                    .map { model.reference.labels[$0.index] == model.reference.labels[q] } ?? false
            }.count)
        }
        return Double(slots.values.reduce(0) { $0 + ($1 ?? 0) }) / Double(reference.count)
    }

    /// The classifier with the window of `windowCandidates` that classifies the reference set best (leave-one-out),
    /// ties to the smaller window.
    public static func learned(reference: BatchSource, threads: Int = 2) throws -> NearestNeighbourDTW {
        var best: (model: NearestNeighbourDTW, accuracy: Double)?
        for r in windowCandidates {
            let model = try NearestNeighbourDTW(reference: reference, window: r)
            let accuracy = model.leaveOneOutAccuracy(threads: threads)
            if best == nil || accuracy > best!.accuracy { best = (model, accuracy) }
        }
        return best!.model
    }

    /// Accuracy and confusion matrix on `test` (labels in the reference's class indices), queries split over
    /// `threads`; the result does not depend on the thread count.
    public func evaluate(_ test: BatchSource, classes: Int, threads: Int = 2) throws -> BaselineEvaluation {
        guard test.channels == reference.channels else {
            throw ModelError.inputWidth(expected: reference.channels, found: test.channels)
        }
        guard test.count > 0 else { throw ModelError.invalidConfiguration("the test set is empty") }
        let parts = split(Array(0..<test.count)[...], parts: max(1, threads))
        let slots = ResultSlots<[Int]>(count: parts.count)
        let model = self
        parallelFor(parts.count) { t in
            slots.set(t, parts[t].map { q in model.reference.labels[model.nearest(test.sequences[q], length: test.lengths[q])!.index] })
        }
        let predictions = slots.values.flatMap { $0 ?? [] }
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for (y, p) in zip(test.labels, predictions) where y < classes && p < classes { confusion[y][p] += 1 }
        let correct = zip(test.labels, predictions).filter { $0 == $1 }.count
        return BaselineEvaluation(count: test.count, accuracy: Double(correct) / Double(test.count), window: window,
                                  confusion: confusion)
    }
}

/// How well the 1-NN DTW baseline classifies a labelled set.
public struct BaselineEvaluation: Sendable, Codable, Equatable {
    public var count: Int
    public var accuracy: Double
    /// The window fraction r of the band.
    public var window: Double
    /// confusion[true class][predicted class] = number of samples.
    public var confusion: [[Int]]
}

/// The baseline as `phasor baseline --json` reports it.
public struct BaselineReport: Sendable, Encodable {
    public var method = "1-NN dependent DTW"
    public var window: Double
    public var classes: [String]
    public var referenceCount: Int
    public var count: Int
    public var accuracy: Double
    public var confusion: [[Int]]
    public var seconds: Double

    public init(classes: [String], referenceCount: Int, evaluation e: BaselineEvaluation, seconds: Double) {
        window = e.window
        self.classes = classes
        self.referenceCount = referenceCount
        count = e.count; accuracy = e.accuracy; confusion = e.confusion
        self.seconds = seconds
    }
}
