import Foundation
import Testing
@testable import PhasorData

// The bundled real datasets (Data/README.md): counts, lengths, channels, classes and a few exact values, checked
// against the files as read independently (Python/awk over the same text).

@Suite("bundled datasets")
struct BundledDataTests {
    @Test func digitsCSV() throws {
        let (train, test) = try DatasetLoader.load(path: Repo.data("digits/digits.csv"))
        #expect(test == nil)
        #expect(train.name == "digits")
        #expect(train.samples.count == 1797 && train.channels == 1)
        #expect(train.maxLength == 64 && train.isEqualLength)
        #expect(train.classNames == (0...9).map(String.init))
        #expect(train.classCounts() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
        // Row 2: 0,0,0,12,13,5,0,0,… label 1.
        #expect(Array(train.samples[1].values.prefix(8)) == [0, 0, 0, 12, 13, 5, 0, 0])
        #expect(train.samples[1].label == 1)
        #expect(train.samples[0].label == 0)
    }

    @Test func gunPoint() throws {
        let (train, testOrNil) = try DatasetLoader.load(path: Repo.data("ucr/GunPoint"))
        let test = try #require(testOrNil)
        #expect(train.name == "GunPoint")
        #expect(train.samples.count == 50 && test.samples.count == 150)
        #expect(train.maxLength == 150 && train.isEqualLength && test.isEqualLength && train.channels == 1)
        #expect(train.classNames == ["1", "2"] && test.classNames == ["1", "2"])
        #expect(train.classCounts() == [24, 26] && test.classCounts() == [76, 74])
        #expect(train.samples[0].values[0] == -0.6478854 && train.samples[0].values[1] == -0.64199155)
        #expect(train.samples[49].values[149] == -1.4308845)
        #expect(test.samples[0].values[0] == -1.1250133)
    }

    @Test func italyPowerDemand() throws {
        let (train, test) = try DatasetLoader.load(
            train: Repo.data("ucr/ItalyPowerDemand/ItalyPowerDemand_TRAIN.ts"),
            test: Repo.data("ucr/ItalyPowerDemand/ItalyPowerDemand_TEST.ts"))
        #expect(train.samples.count == 67 && test.samples.count == 1029)
        #expect(train.maxLength == 24 && test.maxLength == 24)
        #expect(train.classCounts() == [34, 33] && test.classCounts() == [513, 516])
        #expect(train.samples[0].values[0] == -0.71051757 && train.samples[0].values[7] == 0.045966947)
        #expect(test.samples[1028].values[23] == -0.0025421181 && test.samples[1028].label == 1)
        // Channel statistics against NumPy's mean/std (population) over the same values.
        let (mean, std) = train.channelStatistics()
        #expect(abs(mean[0] - -4.4129353571011322e-10) < 1e-14)
        #expect(abs(std[0] - 0.97894501078759077) < 1e-13)
    }

    @Test func basicMotionsMultivariate() throws {
        let (train, testOrNil) = try DatasetLoader.load(path: Repo.data("ucr/BasicMotions"))
        let test = try #require(testOrNil)
        #expect(train.channels == 6 && test.channels == 6)
        #expect(train.samples.count == 40 && test.samples.count == 40)
        #expect(train.maxLength == 100 && train.isEqualLength)
        #expect(train.classNames == ["Standing", "Running", "Walking", "Badminton"])
        #expect(train.classCounts() == [10, 10, 10, 10] && test.classCounts() == [10, 10, 10, 10])
        // Time-major: values[t·6 + c]. Case 1: channel 1 starts 0.079106, channel 2 starts 0.394032 and ends −0.00339.
        let first = train.samples[0]
        #expect(first.values[0] == 0.079106 && first.values[1] == 0.394032)
        #expect(first.values[99 * 6 + 1] == -0.00339)
        #expect(first.label == 0)   // "Standing"
        #expect(train.samples[39].values[99 * 6 + 5] == 0.428803)
        let (mean, std) = train.channelStatistics()
        #expect(abs(mean[0] - 2.5527596290000001) < 1e-12 && abs(std[0] - 7.0723056515526954) < 1e-12)
    }

    @Test func japaneseVowelsVariableLength() throws {
        let (train, testOrNil) = try DatasetLoader.load(path: Repo.data("ucr/JapaneseVowels"))
        let test = try #require(testOrNil)
        #expect(train.channels == 12 && test.channels == 12)
        #expect(train.samples.count == 270 && test.samples.count == 370)
        #expect(train.classNames == (1...9).map(String.init))
        #expect(!train.isEqualLength)
        #expect(train.minLength == 7 && train.maxLength == 26)
        #expect(test.minLength == 7 && test.maxLength == 29)
        #expect(train.classCounts() == [Int](repeating: 30, count: 9))
        #expect(test.classCounts() == [31, 35, 88, 44, 29, 24, 40, 50, 29])
        let first = train.samples[0]
        #expect(first.length == 20 && first.values.count == 20 * 12)
        #expect(first.values[0] == 1.860936 && first.values[19 * 12] == 1.261441)
        #expect(train.samples[269].values.last == 0.173642)
        #expect(test.samples[369].values.last == 0.224688)
        let (mean, std) = train.channelStatistics()
        #expect(abs(mean[0] - 0.86910550046794566) < 1e-13 && abs(std[0] - 0.48761988416516894) < 1e-13)
    }
}
