// Fuzz target: the UCR/UEA .ts reader, alone and as a test set read against known class names, then the dataset
// operations training uses (statistics, standardisation, stratified split).
@testable import PhasorData

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    expectTypedErrors({
        let set = try TSFormat.parse(bytes, file: "fuzz.ts")
        _ = set.classCounts()
        let stats = set.channelStatistics()
        _ = try? set.standardized(mean: stats.mean, std: stats.std)
        _ = try? set.stratifiedSplit(validationFraction: 0.25, seed: 1)
    }, isTyped: { $0 is DataError })
    expectTypedErrors({ _ = try TSFormat.parse(bytes, file: "fuzz.ts", classNames: ["1", "2"]) },
                      isTyped: { $0 is DataError })
    return 0
}
