import Foundation
import Testing
@testable import PhasorModels
import PhasorNumerics
import PhasorData

// Batching, shuffling and input standardisation, checked against direct element-by-element computations.

@Test func batchesPadToTheLongestSampleOfTheBatch() throws {
    // Two channels; sample i has length i + 1 and values 100·i + t·2 + c.
    let lengths = [1, 2, 3, 4]
    let sequences = lengths.enumerated().map { i, l in (0..<(l * 2)).map { Double(100 * i + $0) } }
    let source = try BatchSource(sequences: sequences, lengths: lengths, labels: [0, 1, 0, 1], channels: 2)
    let b = source.batch([2, 0][...])
    #expect(b.batch == 2 && b.length == 3 && b.lengths == [3, 1] && b.labels == [0, 0])
    for (row, i) in [2, 0].enumerated() {
        for t in 0..<3 {
            for c in 0..<2 {
                let expected = t < lengths[i] ? Double(100 * i + t * 2 + c) : 0
                #expect(b.inputs[(row * 3 + t) * 2 + c] == expected)
            }
        }
    }
    let cuts = source.batches(order: [3, 1, 0, 2], size: 3)
    #expect(cuts.map(Array.init) == [[3, 1, 0], [2]])
}

@Test func shuffleIsAPermutationAndSeeded() {
    var g1 = SeededGenerator(seed: 7), g2 = SeededGenerator(seed: 7), g3 = SeededGenerator(seed: 8)
    let a = BatchSource.shuffled(count: 50, generator: &g1)
    #expect(a.sorted() == Array(0..<50))
    #expect(a == BatchSource.shuffled(count: 50, generator: &g2))
    #expect(a != BatchSource.shuffled(count: 50, generator: &g3))
    #expect(a != Array(0..<50))
}

@Test func standardisationUsesValidStepsOnly() throws {
    // Channel statistics over valid steps; the padding tail (999) must not count.
    let sequences: [[Double]] = [[1, 10, 3, 10, 999, 999], [5, 10]]
    let s = try InputStandardisation(sequences: sequences, lengths: [2, 1], channels: 2)
    let c0 = [1.0, 3, 5], mean0 = c0.reduce(0, +) / 3
    let std0 = (c0.map { ($0 - mean0) * ($0 - mean0) }.reduce(0, +) / 3).squareRoot()
    #expect(abs(s.mean[0] - mean0) < 1e-14 && abs(s.std[0] - std0) < 1e-14)
    #expect(s.mean[1] == 10 && s.std[1] == 1)   // constant channel: centred only
    var x: [Double] = [3, 12]
    try s.apply(to: &x)
    #expect(abs(x[0] - (3 - mean0) / std0) < 1e-14 && x[1] == 2)
    // Metadata round trip is exact; half-present or malformed statistics are refused.
    var file = SafeTensorsFile()
    try s.store(in: &file)
    #expect(try InputStandardisation.load(from: file) == s)
    #expect(try InputStandardisation.load(from: SafeTensorsFile()) == nil)
    #expect(throws: ModelError.self) { try InputStandardisation.load(from: SafeTensorsFile(metadata: ["input_mean": "[1]"])) }
    #expect(throws: (any Error).self) {
        try InputStandardisation.load(from: SafeTensorsFile(metadata: ["input_mean": "[1]", "input_std": "[\"a\"]"]))
    }
    #expect(throws: ModelError.self) {
        try InputStandardisation.load(from: SafeTensorsFile(metadata: ["input_mean": "[1]", "input_std": "[0]"]))
    }
}
