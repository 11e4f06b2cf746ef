import Foundation
import PhasorNumerics
import Testing
@testable import PhasorData

// Hostile inputs kept as tests that run in `swift test` (the fuzzers in Fuzz/ do not): files in
// Tests/PhasorDataTests/Regressions/<reader>/ (found from #filePath, not as package resources). Any crashing input
// a fuzzer finds goes here; the 1,000,000-execution runs recorded in docs/reliability.md found none, so the folder
// holds the size and overflow attacks the fuzzers are least likely to construct (headers claiming 10⁹ or 2⁶⁴
// elements, offsets near Int.max, 1e999). Each must throw a DataError — never trap, never allocate what it claims.

enum Regressions {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions")

    /// Every kept input of one reader, as (file name, bytes).
    static func inputs(_ reader: String) throws -> [(String, [UInt8])] {
        let dir = folder.appendingPathComponent(reader)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return try names.sorted().map { ($0, Array(try Data(contentsOf: dir.appendingPathComponent($0)))) }
    }

    /// Runs `parse`; nil if it succeeded or threw a DataError, otherwise the unexpected error.
    static func unexpected(_ parse: () throws -> Void) -> Error? {
        do { try parse(); return nil } catch is DataError { return nil } catch { return error }
    }
}

@Suite("fuzz regressions")
struct FuzzRegressionTests {
    @Test(arguments: ["safetensors", "npy", "ts", "csv"])
    func keptInputsGiveTypedErrors(_ reader: String) throws {
        for (name, bytes) in try Regressions.inputs(reader) {
            let error = Regressions.unexpected {
                switch reader {
                case "safetensors":
                    let file = try SafeTensorsFile(bytes: bytes)
                    for (key, t) in file.tensors { _ = t.asDoubles(); _ = try file.tensor(key, shape: t.shape) }
                case "npy": _ = try NpyArray(bytes: bytes).serialized()
                case "ts": _ = try TSFormat.parse(bytes, file: name)
                default: _ = try CSVFormat.parse(bytes, file: name)
                }
            }
            #expect(error == nil, "\(reader)/\(name): \(String(describing: error))")
        }
    }

    /// Every kept input is refused (they are all invalid files), and each reader has some, so a lost folder fails.
    @Test(arguments: ["safetensors", "npy", "ts", "csv"])
    func keptInputsAreRefused(_ reader: String) throws {
        let inputs = try Regressions.inputs(reader)
        #expect(!inputs.isEmpty, "no kept inputs in Regressions/\(reader)")
        for (name, bytes) in inputs {
            let error = dataError {
                switch reader {
                case "safetensors": _ = try SafeTensorsFile(bytes: bytes)
                case "npy": _ = try NpyArray(bytes: bytes)
                case "ts": _ = try TSFormat.parse(bytes, file: name)
                default: _ = try CSVFormat.parse(bytes, file: name)
                }
            }
            #expect(error != nil, "\(reader)/\(name) parsed")
        }
    }
}

// Numerical guards of PhasorData (docs/reliability.md, "Numerical guards"): statistics and standardisation never
// hand back NaN/Inf silently.
@Suite("numerical guards: datasets")
struct DatasetNumericalGuardTests {
    func dataset(_ values: [Double]) -> SequenceDataset {
        SequenceDataset(name: "guard", channels: 1, classNames: ["a", "b"],
                        samples: values.map { LabelledSequence(values: [$0], length: 1, label: 0) })
    }

    /// Σx overflows for values near 1.8e308; the mean and std are still the exact finite values, checked against
    /// the same quantities of the data scaled by 2⁻¹⁰ (exact in binary) and scaled back.
    @Test func statisticsOfHugeValuesStayFinite() throws {
        let big = [1.5e308, 1.7e308, 1.6e308, 1.2e308]
        let (mean, std) = dataset(big).channelStatistics()
        let (smallMean, smallStd) = dataset(big.map { $0 * 0x1p-10 }).channelStatistics()
        #expect(mean[0].isFinite && std[0].isFinite)
        #expect(abs(mean[0] - smallMean[0] * 0x1p10) <= 1e-14 * mean[0])
        #expect(abs(std[0] - smallStd[0] * 0x1p10) <= 1e-12 * std[0])
    }

    /// Deviations of 1e200 square to ∞; the scaled second pass gives std = 1e200 exactly for ±1e200 about 0.
    @Test func stdOfLargeDeviationsStaysFinite() throws {
        let (mean, std) = dataset([1e200, -1e200, 1e200, -1e200]).channelStatistics()
        #expect(mean[0] == 0)
        #expect(abs(std[0] - 1e200) <= 1e186)
    }

    /// A subnormal std makes 1/std = ∞: standardising must throw a nonFinite DataError, not return ∞/NaN.
    @Test func standardisingWithSubnormalStdThrows() throws {
        let data = dataset([1, 2])
        let error = dataError { _ = try data.standardized(mean: [0], std: [1e-310]) }
        #expect(error?.kind == .nonFinite)
        #expect(error?.problem.contains("channel 0") == true)
        // Ordinary statistics still standardise, and the result has mean 0 and std 1.
        let (m, s) = data.channelStatistics()
        let (m2, s2) = try data.standardized(mean: m, std: s).channelStatistics()
        #expect(abs(m2[0]) <= 1e-15 && abs(s2[0] - 1) <= 1e-15)
    }
}
