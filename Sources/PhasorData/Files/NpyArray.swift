import Foundation
import PhasorNumerics

// NumPy's `.npy` format (numpy.lib.format), the array exchange format of `phasor predict` and the analyses:
//
//   bytes 0..<6   magic "\x93NUMPY"
//   bytes 6, 7    major, minor version (1.0, 2.0 or 3.0)
//   then          header length HLEN: u16 LE (v1) or u32 LE (v2, v3)
//   then          HLEN bytes: a Python dict literal {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }
//                 padded with spaces and ending in '\n' (latin-1 for v1/v2, UTF-8 for v3)
//   then          the elements, product(shape) × itemsize bytes
//
// Reading: little- and big-endian (byte-swapped on load), C or Fortran order (Fortran order is transposed on load
// into C order, so the array means the same thing NumPy means), element types f2/f4/f8, i1…i8, u1…u8, b1, c8/c16,
// widened to the four in-memory types below. Structured and object arrays are refused. Writing: v1.0 (v2.0 if the
// header exceeds 65535 bytes), little-endian, C order, header padded so the data starts at a multiple of 64 bytes.

/// The in-memory (and written) element types of an `.npy` array; the strings are NumPy's descr.
public enum NpyDType: String, Sendable, CaseIterable {
    case float32 = "<f4", float64 = "<f8", int64 = "<i8", complex128 = "<c16"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .float32: 4
        case .float64, .int64: 8
        case .complex128: 16
        }
    }
}

/// A NumPy array: shape (C order), dtype, little-endian element bytes.
public struct NpyArray: Sendable, Equatable {
    public let shape: [Int]
    public let dtype: NpyDType
    /// The elements as little-endian bytes in C order; complex elements are (real, imaginary) pairs of Double.
    public let rawBytes: [UInt8]

    public static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]   // "\x93NUMPY"

    /// Whether `path` is a regular file starting with the `.npy` magic (for files without an extension). Never
    /// blocks: a named pipe or device is not opened.
    public static func hasMagic(atPath path: String) -> Bool {
        FileBytes.prefix(path, count: magic.count) == magic
    }

    /// An array from raw little-endian C-order bytes; the count must equal product(shape) × dtype.size.
    public init(shape: [Int], dtype: NpyDType, rawBytes: [UInt8]) throws {
        try ElementCount.requireRawBytes(rawBytes.count, shape: shape, elementSize: dtype.size, dtypeName: dtype.rawValue,
                                         file: "<npy>")
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

    /// Complex elements are stored as interleaved (real, imaginary) Doubles, NumPy's complex128 layout.
    public init(shape: [Int], complex128: [Complex<Double>]) throws {
        var interleaved = [Double]()
        interleaved.reserveCapacity(2 * complex128.count)
        for z in complex128 { interleaved.append(z.real); interleaved.append(z.imaginary) }
        guard let size = ElementCount.of(shape), size.elements == complex128.count else {
            throw DataError(.sizeMismatch, file: "<npy>",
                            problem: "shape \(shape) does not hold \(complex128.count) elements",
                            fix: "pass exactly product(shape) values in C (row-major) order")
        }
        try self.init(shape: shape, dtype: .complex128, rawBytes: interleaved.withUnsafeBytes { Array($0) })
    }

    /// Number of elements, product(shape).
    public var count: Int { rawBytes.count / dtype.size }

    /// Reads an `.npy` file.
    public init(contentsOf path: String) throws {
        self = try NpyReader.parse(try FileBytes.read(path), file: path)
    }

    /// Parses `.npy` bytes (errors name the source as "<bytes>").
    public init(bytes: [UInt8]) throws {
        self = try NpyReader.parse(bytes, file: "<bytes>")
    }

    /// The elements as Double; complex arrays are refused (use `asComplex()`).
    public func asDoubles() throws -> [Double] {
        switch dtype {
        case .float64: return load(Double.self)
        case .float32: return load(Float.self).map(Double.init)
        case .int64: return load(Int64.self).map(Double.init)
        case .complex128:
            throw DataError(.conversion, file: "<npy>", problem: "the array is complex (<c16), not real",
                            fix: "read it with asComplex(), or save the real part in NumPy")
        }
    }

    /// The elements as complex numbers (real dtypes get imaginary part 0).
    public func asComplex() -> [Complex<Double>] {
        switch dtype {
        case .complex128:
            let parts = load(Double.self)
            return (0..<(parts.count / 2)).map { Complex(parts[2 * $0], parts[2 * $0 + 1]) }
        case .float64: return load(Double.self).map { Complex($0, 0) }
        case .float32: return load(Float.self).map { Complex(Double($0), 0) }
        case .int64: return load(Int64.self).map { Complex(Double($0), 0) }
        }
    }

    /// The elements as Int64: int64 directly; float arrays only if every element is an exact integer.
    public func asInt64() throws -> [Int64] {
        if dtype == .int64 { return load(Int64.self) }
        let values = try asDoubles()
        return try values.enumerated().map { index, v in
            guard let exact = Int64(exactly: v) else {
                throw DataError(.conversion, file: "<npy>", problem: "element \(index) = \(v) is not an integer",
                                fix: "save integer data with dtype int64")
            }
            return exact
        }
    }

    /// The `.npy` v1.0 bytes (v2.0 if the header needs more than 65535 bytes).
    public func serialized() -> [UInt8] {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        let dict = Array("{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }".utf8)
        // Total prefix = magic (6) + version (2) + length field (2 or 4) + dict + padding + '\n' ≡ 0 (mod 64).
        var prefix = 10
        var padding = (64 - (prefix + dict.count + 1) % 64) % 64
        let version1 = dict.count + padding + 1 <= Int(UInt16.max)
        if !version1 {
            prefix = 12
            padding = (64 - (prefix + dict.count + 1) % 64) % 64
        }
        let headerLength = dict.count + padding + 1
        var out = Self.magic
        out.append(contentsOf: version1 ? [1, 0] : [2, 0])
        FileBytes.appendLittleEndian(UInt64(headerLength), width: version1 ? 2 : 4, to: &out)
        out.append(contentsOf: dict)
        out.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: padding))
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: rawBytes)
        return out
    }

    /// Writes the file atomically.
    public func write(to path: String) throws {
        try AtomicFile.write(Data(serialized()), to: path)
    }

    private func load<T>(_: T.Type) -> [T] {
        let n = rawBytes.count / MemoryLayout<T>.stride
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            rawBytes.withUnsafeBytes { source in
                if n > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source) }
            }
            initialized = n
        }
    }
}
