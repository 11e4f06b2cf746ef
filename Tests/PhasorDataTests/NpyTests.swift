import Foundation
import PhasorNumerics
import Testing
@testable import PhasorData

/// An `.npy` file built by hand per the NumPy format spec: magic, version, LE header length, the dict padded with
/// spaces and ending in '\n' so the preamble is a multiple of 64 bytes, then the data.
func npyBytes(dict: String, data: [UInt8], major: UInt8 = 1) -> [UInt8] {
    let lengthWidth = major == 1 ? 2 : 4
    var header = Array(dict.utf8)
    while (6 + 2 + lengthWidth + header.count + 1) % 64 != 0 { header.append(0x20) }
    header.append(0x0A)
    return [0x93] + Array("NUMPY".utf8) + [major, 0] + le(UInt64(header.count), lengthWidth) + header + data
}

@Suite("npy")
struct NpyTests {
    @Test func readsVersion1HeaderBuiltByHand() throws {
        let bytes = npyBytes(dict: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
                             data: leBytes([1, 2, 3, 4, 5, 6.5]))
        #expect(bytes.count == 128 + 48)   // 10 + 61-byte dict + 1 → padded to 128
        let array = try NpyArray(bytes: bytes)
        #expect(array.shape == [2, 3] && array.dtype == .float64)
        #expect(try array.asDoubles() == [1, 2, 3, 4, 5, 6.5])
        // The writer produces exactly these bytes (v1.0, NumPy's dict repr, 64-byte alignment).
        #expect(array.serialized() == bytes)
    }

    @Test func readsVersion2And3Headers() throws {
        for major: UInt8 in [2, 3] {
            let bytes = npyBytes(dict: "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
                                 data: leBytes([Float(1), -1, 0.5]), major: major)
            let array = try NpyArray(bytes: bytes)
            #expect(array.shape == [3] && array.dtype == .float32)
            #expect(try array.asDoubles() == [1, -1, 0.5])
        }
        // Scalars (shape ()) and Python-2 long dimensions, double-quoted keys, no trailing comma.
        let scalar = try NpyArray(bytes: npyBytes(dict: "{\"descr\": \"<i8\", \"fortran_order\": False, \"shape\": ()}",
                                                  data: le(42, 8)))
        #expect(scalar.shape == [])
        #expect(try scalar.asInt64() == [42])
        let long = try NpyArray(bytes: npyBytes(dict: "{'descr': '<i8', 'fortran_order': False, 'shape': (1L, 2L), }",
                                                data: le(1, 8) + le(2, 8)))
        #expect(long.shape == [1, 2])
    }

    @Test func roundTripsEveryDType() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let arrays = [
            try NpyArray(shape: [2, 2], float64: [1, -0.0, .pi, -.leastNonzeroMagnitude]),
            try NpyArray(shape: [3], float32: [1.5, -2, .greatestFiniteMagnitude]),
            try NpyArray(shape: [2, 1, 2], int64: [.min, -1, 0, .max]),
            try NpyArray(shape: [2], complex128: [Complex(1, -2), Complex(0.5, 3e-20)]),
            try NpyArray(shape: [0, 3], float64: []),
            try NpyArray(shape: [], float64: [2.75]),
        ]
        for (i, array) in arrays.enumerated() {
            let path = directory.path("a\(i).npy")
            try array.write(to: path)
            let back = try NpyArray(contentsOf: path)
            #expect(back == array)
            let bytes = array.serialized()
            let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            #expect((10 + headerLength) % 64 == 0 && bytes[9 + headerLength] == 0x0A)
        }
        #expect(arrays[3].asComplex() == [Complex(1, -2), Complex(0.5, 3e-20)])
        #expect(dataError { _ = try arrays[3].asDoubles() }?.kind == .conversion)
        #expect(arrays[0].asComplex().map(\.imaginary) == [0, 0, 0, 0])
    }

    @Test func bigEndianIsByteSwapped() throws {
        let values = [1.0, -2.5, 1e100]
        let bigEndian = values.flatMap { le($0.bitPattern, 8).reversed() }
        let array = try NpyArray(bytes: npyBytes(dict: "{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }",
                                                 data: bigEndian))
        #expect(array.dtype == .float64)
        #expect(try array.asDoubles() == values)
        let ints = try NpyArray(bytes: npyBytes(dict: "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }",
                                                data: [0xFF, 0xFF, 0xFF, 0xFE, 0x00, 0x00, 0x01, 0x00]))
        #expect(try ints.asInt64() == [-2, 256])
        let complex = try NpyArray(bytes: npyBytes(dict: "{'descr': '>c16', 'fortran_order': False, 'shape': (1,), }",
                                                   data: le((3.0).bitPattern, 8).reversed() + le((-4.0).bitPattern, 8).reversed()))
        #expect(complex.asComplex() == [Complex(3, -4)])
    }

    @Test func fortranOrderIsTransposedIntoCOrder() throws {
        // A 2×3 array [[1,2,3],[4,5,6]] in Fortran order is stored column by column: 1,4,2,5,3,6.
        let matrix = try NpyArray(bytes: npyBytes(dict: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                                                  data: leBytes([1.0, 4, 2, 5, 3, 6])))
        #expect(matrix.shape == [2, 3])
        #expect(try matrix.asDoubles() == [1, 2, 3, 4, 5, 6])
        // 2×3×2: element (i,j,k) = 100i + 10j + k; Fortran offset i + 2j + 6k.
        var fortran = [Double](repeating: 0, count: 12)
        var c = [Double]()
        for i in 0..<2 { for j in 0..<3 { for k in 0..<2 {
            fortran[i + 2 * j + 6 * k] = Double(100 * i + 10 * j + k)
            c.append(Double(100 * i + 10 * j + k))
        } } }
        let cube = try NpyArray(bytes: npyBytes(dict: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 2), }",
                                                data: leBytes(fortran)))
        #expect(try cube.asDoubles() == c)
    }

    @Test func narrowTypesAreWidened() throws {
        let i4 = try NpyArray(bytes: npyBytes(dict: "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
                                              data: le(UInt64(UInt32(bitPattern: -7)), 4) + le(9, 4)))
        #expect(i4.dtype == .int64)
        #expect(try i4.asInt64() == [-7, 9])
        let u1 = try NpyArray(bytes: npyBytes(dict: "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", data: [0, 255]))
        #expect(try u1.asInt64() == [0, 255])
        let b1 = try NpyArray(bytes: npyBytes(dict: "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", data: [1, 0]))
        #expect(try b1.asInt64() == [1, 0])
        let f2 = try NpyArray(bytes: npyBytes(dict: "{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }",
                                              data: [0x00, 0x3C, 0x00, 0xB8]))   // 1.0, −0.5
        #expect(f2.dtype == .float32)
        #expect(try f2.asDoubles() == [1, -0.5])
        let c8 = try NpyArray(bytes: npyBytes(dict: "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
                                              data: leBytes([Float(0.25), -8])))
        #expect(c8.dtype == .complex128 && c8.asComplex() == [Complex(0.25, -8)])
        let u8 = npyBytes(dict: "{'descr': '<u8', 'fortran_order': False, 'shape': (1,), }", data: le(UInt64.max, 8))
        #expect(dataError { _ = try NpyArray(bytes: u8) }?.kind == .conversion)
        #expect(try NpyArray(shape: [2], float64: [3, 4]).asInt64() == [3, 4])
        #expect(dataError { _ = try NpyArray(shape: [1], float32: [0.5]).asInt64() }?.kind == .conversion)
    }

    @Test func damagedFilesAreRefused() throws {
        let good = npyBytes(dict: "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", data: leBytes([1.0, 2]))
        var wrongMagic = good
        wrongMagic[1] = UInt8(ascii: "X")
        #expect(dataError { _ = try NpyArray(bytes: wrongMagic) }?.kind == .badMagic)
        #expect(dataError { _ = try NpyArray(bytes: Array("PK\u{3}\u{4}zip".utf8)) }?.kind == .badMagic)
        #expect(dataError { _ = try NpyArray(bytes: Array(good.prefix(9))) }?.kind == .truncated)
        let truncated = try #require(dataError { _ = try NpyArray(bytes: Array(good.dropLast(3))) })
        #expect(truncated.kind == .truncated && truncated.description.contains("16"))
        #expect(dataError { _ = try NpyArray(bytes: good + [0]) }?.kind == .sizeMismatch)
        var badVersion = good
        badVersion[6] = 4
        #expect(dataError { _ = try NpyArray(bytes: badVersion) }?.kind == .badHeader)
        // Header length beyond the file.
        var longHeader = good
        longHeader[8] = 0xFF; longHeader[9] = 0xFF
        #expect(dataError { _ = try NpyArray(bytes: longHeader) }?.kind == .truncated)
        func header(_ dict: String, _ data: [UInt8] = []) -> DataError? {
            dataError { _ = try NpyArray(bytes: npyBytes(dict: dict, data: data)) }
        }
        #expect(header("{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }")?.kind == .unsupportedDType)
        #expect(header("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }")?.kind == .unsupportedDType)
        #expect(header("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }")?.kind == .unsupportedLayout)
        #expect(header("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }")?.kind == .badShape)
        #expect(header("{'descr': '<f8', 'fortran_order': False, }")?.kind == .badHeader)
        #expect(header("{'descr': '<f8', 'fortran_order': maybe, 'shape': (1,), }")?.kind == .badHeader)
        #expect(header("not a dict")?.kind == .badHeader)
        // 10^12 elements claimed over 8 bytes: refused against the file size before allocating.
        #expect(header("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }", leBytes([1.0]))?.kind == .truncated)
        #expect(header("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000, 1000000000000), }")?.kind == .tooLarge)
        let missing = try #require(dataError { _ = try NpyArray(contentsOf: "/no/such/x.npy") })
        #expect(missing.kind == .unreadable && missing.description.contains("/no/such/x.npy"))
        #expect(dataError { _ = try NpyArray(shape: [2], float64: [1]) }?.kind == .sizeMismatch)
    }
}
