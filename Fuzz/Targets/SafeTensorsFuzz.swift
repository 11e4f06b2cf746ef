// Fuzz target: SafeTensorsFile(bytes:) and every accessor a command uses on what it returns.
@testable import PhasorData

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    expectTypedErrors({
        let file = try SafeTensorsFile(bytes: bytes)
        for (name, tensor) in file.tensors {
            _ = tensor.asDoubles()
            _ = tensor.asFloats()
            _ = try? tensor.asInt64()
            _ = try file.tensor(name, shape: tensor.shape)
        }
        for key in file.metadata.keys { _ = try? file.metadataNumbers(key) }
        _ = try file.serialized()
    }, isTyped: { $0 is DataError })
    return 0
}
