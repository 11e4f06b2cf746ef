import Foundation
import PhasorNumerics
import Testing
@testable import PhasorData

@Suite("split and parsing")
struct SplitAndParsingTests {
    /// A toy dataset: class sizes 10, 7, 2, 1; sample i has the single value i (so samples identify themselves).
    func toy() -> SequenceDataset {
        let sizes = [10, 7, 2, 1]
        var samples: [LabelledSequence] = []
        var next = 0
        for round in 0..<10 {
            for (label, size) in sizes.enumerated() where round < size {
                samples.append(LabelledSequence(values: [Double(next)], length: 1, label: label))
                next += 1
            }
        }
        return SequenceDataset(name: "toy", channels: 1, classNames: ["a", "b", "c", "d"], samples: samples)
    }

    @Test func stratifiedSplitProportionsDisjointUnion() throws {
        let data = toy()
        let (train, validation) = try data.stratifiedSplit(validationFraction: 0.3, seed: 7)
        // Per class: round(0.3·n) clamped to 1…n−1 for n ≥ 2; a single-sample class stays in training.
        #expect(validation.classCounts() == [3, 2, 1, 0])
        #expect(train.classCounts() == [7, 5, 1, 1])
        let trainIDs = Set(train.samples.map { $0.values[0] })
        let validationIDs = Set(validation.samples.map { $0.values[0] })
        #expect(trainIDs.isDisjoint(with: validationIDs))
        #expect(trainIDs.union(validationIDs) == Set(data.samples.map { $0.values[0] }))
        // Both parts keep the original order and labels.
        #expect(train.samples.map { $0.values[0] } == train.samples.map { $0.values[0] }.sorted())
        for sample in validation.samples { #expect(data.samples[Int(sample.values[0])] == sample) }
        #expect(train.classNames == data.classNames && validation.channels == 1)
    }

    @Test func splitIsDeterministicAndSeedDependent() throws {
        let data = toy()
        let a = try data.stratifiedSplit(validationFraction: 0.5, seed: 42)
        let b = try data.stratifiedSplit(validationFraction: 0.5, seed: 42)
        #expect(a.validation.samples == b.validation.samples && a.train.samples == b.train.samples)
        // Over several seeds the validation sets differ (C(10,5)·C(7,4)·2 possible choices).
        let sets = try (0..<5).map { seed in
            Set(try data.stratifiedSplit(validationFraction: 0.5, seed: UInt64(seed)).validation.samples.map { $0.values[0] })
        }
        #expect(Set(sets).count > 1)
        #expect(dataError { _ = try data.stratifiedSplit(validationFraction: 0, seed: 1) }?.kind == .badArgument)
        #expect(dataError { _ = try data.stratifiedSplit(validationFraction: 1, seed: 1) }?.kind == .badArgument)
    }

    @Test func stratifiedFoldsPartitionEverySampleOnce() throws {
        let data = toy()                                                  // class sizes 10, 7, 2, 1 (20 samples)
        let folds = try data.stratifiedFolds(3, seed: 7)
        #expect(folds.count == 3)
        var seen: [Double: Int] = [:]
        for fold in folds {
            let trainIDs = Set(fold.train.samples.map { $0.values[0] })
            let validationIDs = Set(fold.validation.samples.map { $0.values[0] })
            #expect(trainIDs.isDisjoint(with: validationIDs))
            #expect(trainIDs.union(validationIDs) == Set(data.samples.map { $0.values[0] }))
            #expect(fold.validation.samples.map { $0.values[0] } == fold.validation.samples.map { $0.values[0] }.sorted())
            for id in validationIDs { seen[id, default: 0] += 1 }
        }
        #expect(seen.count == 20 && seen.values.allSatisfy { $0 == 1 }, "every sample validates exactly once")
        // Dealt in turn, continuing across classes: sizes 7, 7, 6; each class spread as evenly as it can be.
        #expect(folds.map { $0.validation.samples.count } == [7, 7, 6])
        let perClass = folds.map { $0.validation.classCounts() }
        for c in 0..<4 {
            let counts = perClass.map { $0[c] }
            #expect(counts.max()! - counts.min()! <= 1, "class \(c): \(counts)")
        }
        // Same seed, same folds; the shuffle within a class is stratifiedSplit's (the same seed moves the same samples
        // to the front: the first fold of class 0 holds the class's 1st, 4th, 7th and 10th shuffled members).
        #expect(try data.stratifiedFolds(3, seed: 7).map(\.validation.samples) == folds.map(\.validation.samples))
        let split = try data.stratifiedSplit(validationFraction: 0.1, seed: 7)      // class 0: its first shuffled member
        let firstOfClass0 = try #require(split.validation.samples.first { $0.label == 0 })
        #expect(folds[0].validation.samples.contains(firstOfClass0))
        #expect(dataError { _ = try data.stratifiedFolds(1, seed: 1) }?.kind == .badArgument)
        #expect(dataError { _ = try data.stratifiedFolds(21, seed: 1) }?.kind == .badArgument)
        #expect(try data.stratifiedFolds(20, seed: 1).allSatisfy { $0.validation.samples.count == 1 })
    }

    @Test func splitOfRealData() throws {
        let (train, _) = try DatasetLoader.load(path: Repo.data("ucr/JapaneseVowels/JapaneseVowels_TRAIN.ts"))
        let (fit, validation) = try train.stratifiedSplit(validationFraction: 0.2, seed: 1)
        #expect(validation.classCounts() == [Int](repeating: 6, count: 9))
        #expect(fit.classCounts() == [Int](repeating: 24, count: 9))
    }

    @Test func channelStatisticsMatchDirectFormula() throws {
        // Two channels, two samples of lengths 2 and 1: channel 0 values 1, 3, 5; channel 1 values 10, 10, 40.
        let data = SequenceDataset(name: "s", channels: 2, classNames: ["x"], samples: [
            LabelledSequence(values: [1, 10, 3, 10], length: 2, label: 0),
            LabelledSequence(values: [5, 40], length: 1, label: 0),
        ])
        let (mean, std) = data.channelStatistics()
        #expect(mean == [3, 20])
        #expect(abs(std[0] - (8.0 / 3).squareRoot()) < 1e-15)
        #expect(abs(std[1] - 200.0.squareRoot()) < 1e-13)
        // Standardising with these statistics gives mean 0 and std 1 per channel; a constant channel is only centred.
        let standard = try data.standardized(mean: mean, std: std)
        let (m2, s2) = standard.channelStatistics()
        #expect(abs(m2[0]) < 1e-15 && abs(m2[1]) < 1e-15 && abs(s2[0] - 1) < 1e-15 && abs(s2[1] - 1) < 1e-15)
        let expected0: Double = 2 / (8.0 / 3).squareRoot()
        let expected1: Double = 20 / 200.0.squareRoot()
        #expect(abs(standard.samples[1].values[0] - expected0) < 1e-15 && abs(standard.samples[1].values[1] - expected1) < 1e-15)
        let centred = try data.standardized(mean: [1, 2], std: [0, 1])
        #expect(centred.samples[0].values == [0, 8, 2, 8])
        #expect(dataError { _ = try data.standardized(mean: [0], std: [1]) }?.kind == .badArgument)
        #expect(dataError { _ = try data.standardized(mean: [0, .nan], std: [1, 1]) }?.kind == .badArgument)
        let empty = SequenceDataset(name: "e", channels: 3, classNames: [], samples: [])
        #expect(empty.channelStatistics().mean == [0, 0, 0] && empty.maxLength == 0)
    }

    @Test func decimalParserAgreesWithTheStandardLibrary() throws {
        // Random decimal strings of many shapes: the byte parser must give the correctly rounded Double, like
        // Double(String) (strtod).
        var generator = SeededGenerator(seed: 2024)
        var texts = ["0", "-0", "1.", ".5", "-.5", "+3", "1e5", "1E-5", "123456789012345678901234",
                     "9007199254740993", "0.1", "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308",
                     "0.000000000000000000000000000001", "12345678901234567890.5"]
        for _ in 0..<3000 {
            let digits = Int(generator.next() % 20) + 1
            var text = generator.next() % 2 == 0 ? "-" : ""
            for i in 0..<digits {
                text += String(generator.next() % 10)
                if i == Int(generator.next() % UInt64(digits)) && !text.contains(".") { text += "." }
            }
            if generator.next() % 3 == 0 { text += "e\(Int(generator.next() % 60) - 30)" }
            texts.append(text)
        }
        for text in texts {
            let bytes = Array(text.utf8)
            let outcome = bytes.withUnsafeBufferPointer { DecimalParser.parse($0, 0, $0.count) }
            guard case let .number(value) = outcome else {
                Issue.record("\(text) was not parsed")
                continue
            }
            #expect(value.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
        for bad in ["", "-", "1.2.3", "e5", "1e", "0x10", "1,5", "abc"] {
            let bytes = Array(bad.utf8)
            let outcome = bytes.withUnsafeBufferPointer { DecimalParser.parse($0, 0, $0.count) }
            if case .notANumber = outcome {} else { Issue.record("\(bad) should not be a number") }
        }
    }
}
