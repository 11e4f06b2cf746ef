// Fuzz target: NpyArray(bytes:) — v1/v2/v3 headers, dtypes, shapes — and the conversions commands use.
@testable import PhasorData

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNpy(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    expectTypedErrors({
        let array = try NpyArray(bytes: bytes)
        _ = try? array.asDoubles()
        _ = try? array.asInt64()
        _ = array.serialized()
    }, isTyped: { $0 is DataError })
    return 0
}
