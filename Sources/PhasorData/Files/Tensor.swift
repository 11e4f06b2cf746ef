import Foundation

// A tensor as safetensors stores it: a dtype, a shape (C order, row-major) and the raw little-endian bytes. Keeping
// the bytes as they are means every safetensors dtype round-trips bit for bit (NaN payloads, −0, F16/BF16 included);
// conversions to Double/Float/Int64 happen only when a caller asks for numbers.

/// The element types of the safetensors format (the strings are the format's own "dtype" names).
public enum TensorDType: String, Sendable, CaseIterable {
    case float64 = "F64", float32 = "F32", float16 = "F16", bfloat16 = "BF16"
    case int64 = "I64", int32 = "I32", int16 = "I16", int8 = "I8"
    case uint64 = "U64", uint32 = "U32", uint16 = "U16", uint8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .float64, .int64, .uint64: 8
        case .float32, .int32, .uint32: 4
        case .float16, .bfloat16, .int16, .uint16: 2
        case .int8, .uint8, .bool: 1
        }
    }

    /// Whether the elements are floating-point numbers.
    public var isFloatingPoint: Bool { [.float64, .float32, .float16, .bfloat16].contains(self) }
}

/// One named array of a safetensors file.
public struct Tensor: Sendable, Equatable {
    /// Dimensions, outermost first (C order).
    public let shape: [Int]
    public let dtype: TensorDType
    /// The elements as little-endian bytes in C order; `count × dtype.size` bytes.
    public let rawBytes: [UInt8]

    /// A tensor from raw little-endian bytes; the byte count must equal product(shape) × dtype.size.
    public init(shape: [Int], dtype: TensorDType, rawBytes: [UInt8]) throws {
        try ElementCount.requireRawBytes(rawBytes.count, shape: shape, elementSize: dtype.size, dtypeName: dtype.rawValue,
                                         file: "<tensor>")
        self.shape = shape
        self.dtype = dtype
        self.rawBytes = rawBytes
    }

    public init(shape: [Int], float64: [Double]) throws {
        try self.init(shape: shape, dtype: .float64, rawBytes: try Tensor.bytes(of: float64, shape: shape))
    }

    public init(shape: [Int], float32: [Float]) throws {
        try self.init(shape: shape, dtype: .float32, rawBytes: try Tensor.bytes(of: float32, shape: shape))
    }

    public init(shape: [Int], int64: [Int64]) throws {
        try self.init(shape: shape, dtype: .int64, rawBytes: try Tensor.bytes(of: int64, shape: shape))
    }

    public init(shape: [Int], int32: [Int32]) throws {
        try self.init(shape: shape, dtype: .int32, rawBytes: try Tensor.bytes(of: int32, shape: shape))
    }

    /// Number of elements, product(shape).
    public var count: Int { rawBytes.count / dtype.size }

    /// The elements as Double (exact for every dtype except U64/I64 beyond 2^53, which round to nearest).
    public func asDoubles() -> [Double] {
        switch dtype {
        case .float64: return load(Double.self)
        case .float32: return load(Float.self).map(Double.init)
        case .float16: return load(UInt16.self).map { Double(HalfPrecision.float16ToFloat($0)) }
        case .bfloat16: return load(UInt16.self).map { Double(HalfPrecision.bfloat16ToFloat($0)) }
        case .int64: return load(Int64.self).map(Double.init)
        case .int32: return load(Int32.self).map(Double.init)
        case .int16: return load(Int16.self).map(Double.init)
        case .int8: return load(Int8.self).map(Double.init)
        case .uint64: return load(UInt64.self).map(Double.init)
        case .uint32: return load(UInt32.self).map(Double.init)
        case .uint16: return load(UInt16.self).map(Double.init)
        case .uint8, .bool: return rawBytes.map(Double.init)
        }
    }

    /// The elements as Float (F64 rounds to nearest; large integers round).
    public func asFloats() -> [Float] {
        switch dtype {
        case .float32: return load(Float.self)
        case .float16: return load(UInt16.self).map(HalfPrecision.float16ToFloat)
        case .bfloat16: return load(UInt16.self).map(HalfPrecision.bfloat16ToFloat)
        default: return asDoubles().map(Float.init)
        }
    }

    /// The elements as Int64: integer dtypes directly, floating-point dtypes only if every element is an exact
    /// integer in Int64's range.
    public func asInt64() throws -> [Int64] {
        switch dtype {
        case .int64: return load(Int64.self)
        case .int32: return load(Int32.self).map(Int64.init)
        case .int16: return load(Int16.self).map(Int64.init)
        case .int8: return load(Int8.self).map(Int64.init)
        case .uint32: return load(UInt32.self).map(Int64.init)
        case .uint16: return load(UInt16.self).map(Int64.init)
        case .uint8, .bool: return rawBytes.map(Int64.init)
        case .uint64:
            let values = load(UInt64.self)
            if let index = values.firstIndex(where: { $0 > UInt64(Int64.max) }) {
                throw DataError(.conversion, file: "<tensor>",
                                problem: "U64 element \(index) = \(values[index]) does not fit in Int64",
                                fix: "store the tensor as I64 or F64")
            }
            return values.map { Int64($0) }
        case .float64, .float32, .float16, .bfloat16:
            let values = asDoubles()
            var result = [Int64]()
            result.reserveCapacity(values.count)
            for (index, v) in values.enumerated() {
                guard let exact = Int64(exactly: v) else {
                    throw DataError(.conversion, file: "<tensor>",
                                    problem: "\(dtype.rawValue) element \(index) = \(v) is not an integer in Int64's range",
                                    fix: "store integer data as I64, or read it with asDoubles()")
                }
                result.append(exact)
            }
            return result
        }
    }

    /// Copies the raw bytes into an array of `T` (host and file are both little-endian).
    private func load<T>(_: T.Type) -> [T] {
        let n = rawBytes.count / MemoryLayout<T>.stride
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            rawBytes.withUnsafeBytes { source in
                if n > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source) }
            }
            initialized = n
        }
    }

    static func bytes<T>(of values: [T], shape: [Int]) throws -> [UInt8] {
        guard let size = ElementCount.of(shape) else {
            throw DataError(.badShape, file: "<tensor>", problem: "shape \(shape) has a negative dimension or is too large",
                            fix: "use non-negative dimensions whose product fits in memory")
        }
        guard size.elements == values.count else {
            throw DataError(.sizeMismatch, file: "<tensor>",
                            problem: "shape \(shape) holds \(size.elements) elements, got \(values.count) values",
                            fix: "pass exactly product(shape) values in C (row-major) order")
        }
        return values.withUnsafeBytes { Array($0) }
    }
}
