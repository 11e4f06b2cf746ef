// Fuzz target: the CSV dataset reader (label in the last column, or the first; comma or tab separated), alone and
// against known class names, then the dataset operations training uses.
@testable import PhasorData

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    expectTypedErrors({
        let set = try CSVFormat.parse(bytes, file: "fuzz.csv")
        _ = set.classCounts()
        let stats = set.channelStatistics()
        _ = try? set.standardized(mean: stats.mean, std: stats.std)
        _ = try? set.stratifiedSplit(validationFraction: 0.25, seed: 1)
    }, isTyped: { $0 is DataError })
    expectTypedErrors({ _ = try CSVFormat.parse(bytes, file: "fuzz.csv", classNames: ["0", "1"]) },
                      isTyped: { $0 is DataError })
    expectTypedErrors({
        let set = try CSVFormat.parse(bytes, file: "fuzz.tsv", separator: 0x09, labelColumn: .first)
        _ = set.channelStatistics()
    }, isTyped: { $0 is DataError })
    return 0
}
