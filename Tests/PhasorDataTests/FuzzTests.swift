import Foundation
import PhasorNumerics
import Testing
@testable import PhasorData

// Hostile input must never crash a reader: seeded random mutations (byte flips, truncations, insertions) of valid
// files either parse or throw a DataError — any trap fails the whole test run.

@Suite("mutated files")
struct FuzzTests {
    func mutations(of valid: [UInt8], count: Int, seed: UInt64, _ body: ([UInt8]) -> Void) {
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<count {
            var bytes = valid
            let edits = Int(generator.next() % 4) + 1
            for _ in 0..<edits {
                guard !bytes.isEmpty else { break }
                let at = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 4 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes.removeSubrange(at...)
                case 2: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: at)
                default: bytes[at] = [UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "\n"), UInt8(ascii: "-"),
                                      UInt8(ascii: "9"), UInt8(ascii: "\""), UInt8(ascii: "]"), 0xFF][Int(generator.next() % 8)]
                }
            }
            body(bytes)
        }
    }

    func survives(_ parse: () throws -> Void) -> Bool {
        do { try parse(); return true } catch is DataError { return true } catch { return false }
    }

    @Test func safetensorsReaderNeverTraps() throws {
        var file = SafeTensorsFile(tensors: ["a": try Tensor(shape: [2, 2], float32: [1, 2, 3, 4]),
                                             "b": try Tensor(shape: [3], int64: [1, 2, 3])], metadata: ["k": "v"])
        try file.setMetadataNumbers("m", [1, 2])
        let valid = try file.serialized()
        var failures = 0
        mutations(of: valid, count: 1500, seed: 1) { bytes in
            if !survives({ _ = try SafeTensorsFile(bytes: bytes) }) { failures += 1 }
        }
        #expect(failures == 0)
    }

    @Test func npyReaderNeverTraps() throws {
        let valid = try NpyArray(shape: [2, 3], float64: [1, 2, 3, 4, 5, 6]).serialized()
        var failures = 0
        mutations(of: valid, count: 1500, seed: 2) { bytes in
            if !survives({ _ = try NpyArray(bytes: bytes) }) { failures += 1 }
        }
        #expect(failures == 0)
    }

    @Test func tsAndCSVReadersNeverTrap() throws {
        let ts = Array("@problemName T\n@dimensions 2\n@equalLength true\n@seriesLength 3\n@classLabel true a b\n@data\n1,2,3:4,5,6:a\n-1.5,2e3,0:7,8,9:b\n".utf8)
        let csv = Array("1,2,3,a\n4.5,-6,7e-2,b\n".utf8)
        var failures = 0
        mutations(of: ts, count: 1500, seed: 3) { bytes in
            if !survives({ _ = try TSFormat.parse(bytes, file: "fuzz.ts") }) { failures += 1 }
        }
        mutations(of: csv, count: 1500, seed: 4) { bytes in
            if !survives({ _ = try CSVFormat.parse(bytes, file: "fuzz.csv") }) { failures += 1 }
        }
        #expect(failures == 0)
    }
}
