import Foundation
import Testing
@testable import PhasorData

@Suite("safetensors")
struct SafeTensorsTests {
    @Test func readsBytesAsPyTorchWritesThem() throws {
        // 8-byte LE header size N, N bytes of JSON, then the data (format spec, built by hand).
        let header = #"{"name":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[1,1],"data_offsets":[8,16]},"__metadata__":{"format":"pt","prenorm":"true"}}"#
        let data = leBytes([Float(1.5), -2.25]) + leBytes([0.1])
        let file = try SafeTensorsFile(bytes: safetensorsBytes(header: header, data: data))
        #expect(file.metadata == ["format": "pt", "prenorm": "true"])
        #expect(file.tensors.count == 2)
        let name = try #require(file.tensors["name"])
        #expect(name.shape == [2] && name.dtype == .float32)
        #expect(name.asFloats() == [1.5, -2.25])
        #expect(name.asDoubles() == [1.5, -2.25])
        let b = try #require(file.tensors["b"])
        #expect(b.shape == [1, 1] && b.dtype == .float64 && b.asDoubles() == [0.1])
    }

    @Test func readsWhitespaceAndPaddedHeaders() throws {
        // Python's json.dumps separators, a newline, escapes, and the trailing-space padding writers add.
        let header = "{\"__metadata__\": {\"format\": \"pt\", \"note\": \"a\\\"b\\u00e9\\ud83d\\ude00\"},\n \"x\": {\"dtype\": \"I32\", \"shape\": [2], \"data_offsets\": [0, 8]}}      "
        let file = try SafeTensorsFile(bytes: safetensorsBytes(header: header, data: le(UInt64(UInt32(bitPattern: -3)), 4) + le(5, 4)))
        #expect(file.metadata["note"] == "a\"bé😀")
        #expect(try file.tensor("x", shape: [2]).asInt64() == [-3, 5])
        #expect(dataError { _ = try file.tensor("y") }?.kind == .missingTensor)
        #expect(dataError { _ = try file.tensor("x", shape: [1, 2]) }?.kind == .shapeMismatch)
    }

    @Test func serializesToTheExpectedBytes() throws {
        let file = SafeTensorsFile(tensors: ["w": try Tensor(shape: [2], float32: [1, 2]),
                                             "a": try Tensor(shape: [], int64: [7])],
                                   metadata: ["k": "v\"q"])
        let bytes = try file.serialized()
        var header = #"{"__metadata__":{"k":"v\"q"},"a":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#
        while (header.utf8.count) % 8 != 0 { header += " " }
        let expected = safetensorsBytes(header: header, data: le(7, 8) + leBytes([Float(1), 2]))
        #expect(bytes == expected)
        #expect((bytes.count - 16) % 8 == 0)
    }

    @Test func roundTripsEveryDType() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        var tensors: [String: Tensor] = [
            "f64": try Tensor(shape: [2, 3], float64: [0, -1.5, .pi, 1e-300, -0.0, 7]),
            "f32": try Tensor(shape: [3], float32: [1, -2.5, .ulpOfOne]),
            "i64": try Tensor(shape: [2, 2], int64: [.min, -1, 0, .max]),
            "i32": try Tensor(shape: [2], int32: [-5, 9]),
            "empty": try Tensor(shape: [0, 4], float32: []),
        ]
        for dtype in [TensorDType.float16, .bfloat16, .int16, .uint16] {
            tensors[dtype.rawValue] = try Tensor(shape: [2], dtype: dtype, rawBytes: [0x00, 0x3C, 0x01, 0xC0])
        }
        for dtype in [TensorDType.int8, .uint8, .bool] {
            tensors[dtype.rawValue] = try Tensor(shape: [3], dtype: dtype, rawBytes: [0, 1, 1])
        }
        tensors["U32"] = try Tensor(shape: [1], dtype: .uint32, rawBytes: le(4_000_000_000, 4))
        tensors["U64"] = try Tensor(shape: [1], dtype: .uint64, rawBytes: le(12345, 8))
        let original = SafeTensorsFile(tensors: tensors, metadata: ["prenorm": "false", "ünï": "código"])
        let path = directory.path("m.safetensors")
        try original.write(to: path)
        let back = try SafeTensorsFile(contentsOf: path)
        #expect(back.tensors == original.tensors)
        #expect(back.metadata == original.metadata)
        #expect(try back.serialized() == original.serialized())
    }

    @Test func conversions() throws {
        // F16: 0x3C00 = 1, 0xC001 = −(1 + 2^−10)·2 ; 0x0001 = 2^−24 (smallest subnormal); 0x7C00 = +inf.
        let half = try Tensor(shape: [4], dtype: .float16, rawBytes: [0x00, 0x3C, 0x01, 0xC0, 0x01, 0x00, 0x00, 0x7C])
        #expect(half.asDoubles() == [1, -2 * (1 + 0x1p-10), 0x1p-24, .infinity])
        // BF16 0x3FC0 = 1.5 (upper half of Float 1.5 = 0x3FC00000).
        let bf = try Tensor(shape: [1], dtype: .bfloat16, rawBytes: [0xC0, 0x3F])
        #expect(bf.asFloats() == [1.5])
        #expect(try Tensor(shape: [2], float64: [3, -4]).asInt64() == [3, -4])
        #expect(dataError { _ = try Tensor(shape: [1], float64: [0.5]).asInt64() }?.kind == .conversion)
        #expect(dataError { _ = try Tensor(shape: [1], dtype: .uint64, rawBytes: le(UInt64.max, 8)).asInt64() }?.kind == .conversion)
        #expect(try Tensor(shape: [3], dtype: .uint8, rawBytes: [0, 200, 255]).asInt64() == [0, 200, 255])
        #expect(try Tensor(shape: [1], int64: [1 << 60]).asDoubles() == [Double(1 << 60)])
        #expect(dataError { _ = try Tensor(shape: [2, 2], float64: [1, 2, 3]) }?.kind == .sizeMismatch)
        #expect(dataError { _ = try Tensor(shape: [-1], float64: []) }?.kind == .badShape)
    }

    @Test func metadataNumbers() throws {
        var file = SafeTensorsFile()
        let values = [0.1, -2.5e-7, 3, 1e300]
        try file.setMetadataNumbers("input_mean", values)
        #expect(try file.metadataNumbers("input_mean") == values)
        #expect(try file.metadataNumbers("absent") == nil)
        file.metadata["bad"] = "[1, \"x\"]"
        #expect(dataError { _ = try file.metadataNumbers("bad") }?.kind == .badHeader)
        #expect(dataError { try file.setMetadataNumbers("n", [.nan]) }?.kind == .nonFinite)
        let back = try SafeTensorsFile(bytes: try file.serialized())
        #expect(try back.metadataNumbers("input_mean") == values)
    }

    // MARK: Damaged and hostile files

    private func readError(_ header: String, _ data: [UInt8]) -> DataError? {
        dataError { _ = try SafeTensorsFile(bytes: safetensorsBytes(header: header, data: data)) }
    }

    @Test func truncatedAndHeaderErrors() throws {
        #expect(dataError { _ = try SafeTensorsFile(bytes: [1, 0, 0]) }?.kind == .truncated)
        // Header length beyond the file.
        let beyond = le(1000, 8) + Array("{}".utf8)
        let error = try #require(dataError { _ = try SafeTensorsFile(bytes: beyond) })
        #expect(error.kind == .truncated)
        #expect(error.description.contains("<bytes>") && error.description.contains("1000"))
        // A header length of 2^63 must not crash.
        #expect(dataError { _ = try SafeTensorsFile(bytes: le(1 << 63, 8) + [0x7B]) }?.kind == .truncated)
        #expect(readError("not json", [])?.kind == .badHeader)
        #expect(readError("{\"a\":", [])?.kind == .badHeader)
        #expect(readError(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0])?.kind == .badHeader)
        #expect(readError(#"{"__metadata__":{"k":1}}"#, [])?.kind == .badHeader)
        #expect(readError(#"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0])?.kind == .badHeader)
        // Missing file: names the file.
        let missing = try #require(dataError { _ = try SafeTensorsFile(contentsOf: "/no/such/model.safetensors") })
        #expect(missing.kind == .unreadable && missing.description.contains("/no/such/model.safetensors"))
    }

    @Test func offsetErrors() throws {
        let four = [UInt8](repeating: 0, count: 8)
        // Out of range.
        #expect(readError(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, four)?.kind == .badOffsets)
        #expect(readError(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[-1,7]}}"#, four)?.kind == .badOffsets)
        #expect(readError(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[5,4]}}"#, four)?.kind == .badOffsets)
        // Overlapping.
        let overlap = try #require(readError(
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, four))
        #expect(overlap.kind == .badOffsets && overlap.description.contains("overlap"))
        // A hole and trailing bytes.
        #expect(readError(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, four)?.kind == .badOffsets)
        #expect(readError(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, four)?.kind == .badOffsets)
        // shape × dtype size ≠ byte count.
        #expect(readError(#"{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}"#, four)?.kind == .sizeMismatch)
    }

    @Test func dtypeAndShapeErrors() throws {
        let eight = [UInt8](repeating: 0, count: 8)
        let unknown = try #require(readError(#"{"a":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}}"#, eight))
        #expect(unknown.kind == .unsupportedDType && unknown.description.contains("F8_E4M3"))
        #expect(readError(#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, eight)?.kind == .badShape)
        #expect(readError(#"{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}"#, eight)?.kind == .badShape)
        // 10^12 elements claimed over 8 bytes: refused by the byte count, before any allocation.
        #expect(readError(#"{"a":{"dtype":"F32","shape":[1000000,1000000],"data_offsets":[0,8]}}"#, eight)?.kind == .sizeMismatch)
        // A product that overflows Int.
        #expect(readError(#"{"a":{"dtype":"F32","shape":[1000000000000,1000000000000],"data_offsets":[0,8]}}"#, eight)?.kind == .tooLarge)
        // A dimension too large for Int at all.
        #expect(readError(#"{"a":{"dtype":"F32","shape":[99999999999999999999999],"data_offsets":[0,8]}}"#, eight)?.kind == .badShape)
    }

    @Test func reservedName() throws {
        let file = SafeTensorsFile(tensors: ["__metadata__": try Tensor(shape: [1], float32: [1])])
        #expect(dataError { _ = try file.serialized() }?.kind == .badArgument)
    }
}
