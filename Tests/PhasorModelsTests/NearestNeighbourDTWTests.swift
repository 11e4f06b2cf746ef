import Foundation
import Testing
import PhasorData
@testable import PhasorModels
import PhasorNumerics

// The 1-NN DTW baseline against independent computations: the distance against a memoised recursion over the whole
// matrix written from the definition (band as a mask), against hand-computed values and the squared Euclidean distance
// at window 0; the abandoning 1-NN search against brute-force argmin; leave-one-out against the pairwise matrix; and on
// ItalyPowerDemand against the UCR archive's published 1-NN DTW error rates (full window 0.0496, learned window 0.0447).

/// D(i, j) by the definition, recursively with memoisation; ∞ outside |i − j| ≤ w.
private func referenceDTW(_ a: [[Double]], _ b: [[Double]], band w: Int) -> Double {
    var memo: [Int: Double] = [:]
    func d(_ i: Int, _ j: Int) -> Double {
        if i == 0 && j == 0 { return 0 }
        if i == 0 || j == 0 || abs(i - j) > w { return .infinity }
        if let v = memo[i * 10_000 + j] { return v }
        let cost = zip(a[i - 1], b[j - 1]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        let v = cost + min(d(i - 1, j), d(i, j - 1), d(i - 1, j - 1))
        memo[i * 10_000 + j] = v
        return v
    }
    return d(a.count, b.count)
}

private func randomSequence(_ length: Int, _ channels: Int, _ g: inout SeededGenerator) -> [[Double]] {
    (0..<length).map { _ in (0..<channels).map { _ in g.normal() } }
}

@Test func dtwDistanceMatchesTheDefinition() throws {
    var g = SeededGenerator(seed: 17)
    for trial in 0..<40 {
        let d = 1 + trial % 3, m = 1 + Int(g.next() % 12), n = 1 + Int(g.next() % 12)
        let a = randomSequence(m, d, &g), b = randomSequence(n, d, &g)
        for w in Set([0, 1, 3, abs(m - n), 12]) where w >= abs(m - n) {
            let fast = NearestNeighbourDTW.distance(a.flatMap { $0 }, length: m, b.flatMap { $0 }, length: n,
                                                    channels: d, band: w)
            let slow = referenceDTW(a, b, band: w)
            #expect(abs(fast - slow) <= 1e-12 * max(1, slow), "m \(m) n \(n) d \(d) w \(w)")
        }
    }
    // By hand: a repeated sample is absorbed by warping; the band forbids it.
    #expect(NearestNeighbourDTW.distance([0, 1, 2], length: 3, [0, 0, 1, 2], length: 4, channels: 1, band: 1) == 0)
    #expect(NearestNeighbourDTW.distance([0, 1, 2, 3], length: 4, [0, 0, 1, 2], length: 4, channels: 1, band: 0) == 3)
    #expect(NearestNeighbourDTW.distance([0, 1, 2, 3], length: 4, [0, 0, 1, 2], length: 4, channels: 1, band: 1) == 1)
    // Two channels share one path (dependent DTW): channel 0 alone would warp [0, 1, 1] onto [0, 0, 1] at cost 0,
    // but channel 1 ([0, 5, 0] on both) then pays 25; the diagonal costs 1.
    #expect(NearestNeighbourDTW.distance([0, 0, 1, 5, 1, 0], length: 3, [0, 0, 0, 5, 1, 0], length: 3, channels: 2,
                                         band: 2) == 1)
    // Window 0 on equal lengths is the squared Euclidean distance.
    let a = randomSequence(9, 2, &g).flatMap { $0 }, b = randomSequence(9, 2, &g).flatMap { $0 }
    let euclidean = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
    #expect(abs(NearestNeighbourDTW.distance(a, length: 9, b, length: 9, channels: 2, band: 0) - euclidean) < 1e-12)
}

@Test func nearestNeighbourAndLeaveOneOutMatchBruteForce() throws {
    var g = SeededGenerator(seed: 5)
    var sequences: [[Double]] = [], lengths: [Int] = [], labels: [Int] = []
    for i in 0..<30 {
        let length = 6 + i % 5
        sequences.append(randomSequence(length, 2, &g).flatMap { $0 })
        lengths.append(length)
        labels.append(i % 3)
    }
    let reference = try BatchSource(sequences: sequences, lengths: lengths, labels: labels, channels: 2)
    for window in [0.0, 0.2, 1] {
        let model = try NearestNeighbourDTW(reference: reference, window: window)
        func full(_ q: Int, _ r: Int) -> Double {
            NearestNeighbourDTW.distance(sequences[q], length: lengths[q], sequences[r], length: lengths[r],
                                         channels: 2, band: model.band(lengths[q], lengths[r]))
        }
        // Brute force: first index of the smallest full distance.
        var correct = 0
        for q in 0..<30 {
            let others = (0..<30).filter { $0 != q }
            let best = others.min { full(q, $0) < full(q, $1) }!
            let found = try #require(model.nearest(sequences[q], length: lengths[q], excluding: q))
            #expect(found.index == best && found.distance == full(q, best), "window \(window), query \(q)")
            if labels[best] == labels[q] { correct += 1 }
            #expect(model.nearest(sequences[q], length: lengths[q])!.index == q)   // itself, at distance 0
        }
        #expect(model.leaveOneOutAccuracy(threads: 3) == Double(correct) / 30)
        #expect(model.leaveOneOutAccuracy(threads: 1) == model.leaveOneOutAccuracy(threads: 2))
    }
    #expect(throws: ModelError.self) { try NearestNeighbourDTW(reference: reference, window: 1.5) }
}

@Test func italyPowerDemandMatchesTheUCRArchive() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data/ucr/ItalyPowerDemand").path
    let (train, test) = try DatasetLoader.load(path: root)
    let reference = try BatchSource(dataset: train)
    let testSource = try BatchSource(dataset: try #require(test), classNames: train.classNames)
    // UCR archive (2018) summary: 1-NN DTW error 0.0496 with a full window, 0.0447 with the learned window (w = 0).
    let full = try NearestNeighbourDTW(reference: reference).evaluate(testSource, classes: 2)
    #expect(full.count == 1029 && abs((1 - full.accuracy) - 0.0496) < 0.0005)
    let learned = try NearestNeighbourDTW.learned(reference: reference)
    #expect(learned.window == 0)
    let e = try learned.evaluate(testSource, classes: 2)
    #expect(abs((1 - e.accuracy) - 0.0447) < 0.0005)
    #expect(e.confusion.flatMap { $0 }.reduce(0, +) == 1029 && e.confusion[0][0] + e.confusion[1][1] == Int(e.accuracy * 1029 + 0.5))
}
