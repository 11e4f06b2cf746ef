// Parsing an `.npy` file: the magic and version, the header dict (a Python literal, parsed here by hand: keys in
// quotes, strings, True/False, tuples of integers), then the data, converted to one of NpyDType's in-memory types:
// byte-swapped if big-endian, transposed into C order if Fortran order, widened (f2 → f4, i1/i2/i4/u1/u2/u4/u8/b1 →
// i8, c8 → c16). Every size is checked against the file before anything is allocated.

enum NpyReader {
    /// A descr such as "<f8": byte order, kind, item size.
    struct Descr {
        var bigEndian: Bool
        var kind: UInt8      // f, i, u, c, b
        var itemSize: Int
    }

    static func parse(_ bytes: [UInt8], file: String) throws -> NpyArray {
        func fail(_ kind: DataError.Kind, at offset: Int?, _ problem: String, _ fix: String) -> DataError {
            DataError(kind, file: file, byteOffset: offset, problem: problem, fix: fix)
        }
        guard bytes.count >= 6, Array(bytes[0..<6]) == NpyArray.magic else {
            throw fail(bytes.count < 6 ? .truncated : .badMagic, at: 0,
                       "the file does not start with the .npy magic \\x93NUMPY",
                       "this is not a NumPy .npy file; save the array with numpy.save (an .npz archive must be unpacked first)")
        }
        guard bytes.count >= 10 else {
            throw fail(.truncated, at: bytes.count, "the file ends inside the .npy preamble", "the file is truncated; save it again")
        }
        let major = bytes[6], minor = bytes[7]
        guard (1...3).contains(major), minor == 0 else {
            throw fail(.badHeader, at: 6, ".npy version \(major).\(minor) is not one of 1.0, 2.0, 3.0",
                       "save the array with numpy.save")
        }
        let lengthWidth = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthWidth else {
            throw fail(.truncated, at: bytes.count, "the file ends inside the header length", "the file is truncated; save it again")
        }
        let headerLength = Int(FileBytes.littleEndian(bytes, at: 8, width: lengthWidth))
        let headerStart = 8 + lengthWidth
        guard headerLength <= bytes.count - headerStart else {
            throw fail(.truncated, at: 8,
                       "the header length \(headerLength) reaches beyond the end of the file (\(bytes.count) bytes)",
                       "the file is truncated; save it again")
        }
        let dataStart = headerStart + headerLength
        var dict = DictParser(bytes: bytes, position: headerStart, end: dataStart, file: file)
        let header = try dict.parse()

        guard let descrText = header.descr else {
            throw fail(.badHeader, at: headerStart, "the header has no 'descr'", "save the array with numpy.save")
        }
        guard let descr = parseDescr(descrText) else {
            throw fail(.unsupportedDType, at: headerStart,
                       "element type '\(descrText)' is not read by Phasor",
                       "convert in NumPy first, e.g. x.astype(np.float64) (readable: f2 f4 f8, i1–i8, u1–u8, b1, c8 c16)")
        }
        guard let fortran = header.fortranOrder else {
            throw fail(.badHeader, at: headerStart, "the header has no 'fortran_order'", "save the array with numpy.save")
        }
        guard let shape = header.shape else {
            throw fail(.badHeader, at: headerStart, "the header has no 'shape'", "save the array with numpy.save")
        }
        guard let size = ElementCount.of(shape, elementSize: descr.itemSize) else {
            throw fail(.tooLarge, at: headerStart, "shape \(shape) has too many elements to address",
                       "the header is damaged")
        }
        let available = bytes.count - dataStart
        guard size.bytes <= available else {
            throw fail(.truncated, at: dataStart,
                       "shape \(shape) of '\(descrText)' needs \(size.bytes) data bytes but the file holds \(available)",
                       "the file is truncated; save it again")
        }
        guard size.bytes == available else {
            throw fail(.sizeMismatch, at: dataStart + size.bytes,
                       "\(available - size.bytes) bytes follow the \(size.bytes) bytes that shape \(shape) needs",
                       "the header does not describe the data; save the array again with numpy.save")
        }

        // 1. Bring each element to little-endian.
        var raw = Array(bytes[dataStart..<(dataStart + size.bytes)])
        let swapUnit = descr.kind == UInt8(ascii: "c") ? descr.itemSize / 2 : descr.itemSize
        if descr.bigEndian && swapUnit > 1 {
            raw.withUnsafeMutableBufferPointer { buffer in
                var start = 0
                while start < buffer.count {
                    var lo = start, hi = start + swapUnit - 1
                    while lo < hi { buffer.swapAt(lo, hi); lo += 1; hi -= 1 }
                    start += swapUnit
                }
            }
        }
        // 2. Fortran order: the bytes are the C-order array of the reversed shape; transpose back.
        if fortran && shape.count > 1 {
            raw = transposeFromFortran(raw, shape: shape, itemSize: descr.itemSize)
        }
        // 3. Widen to an in-memory type.
        let (dtype, converted) = try widen(raw, descr: descr, count: size.elements, file: file)
        return try NpyArray(shape: shape, dtype: dtype, rawBytes: converted)
    }

    static func parseDescr(_ text: String) -> Descr? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 3, let size = Int(String(decoding: utf8[2...], as: UTF8.self)) else { return nil }
        let order = utf8[0], kind = utf8[1]
        guard [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: "=")].contains(order) else { return nil }
        let allowed: [UInt8: [Int]] = [UInt8(ascii: "f"): [2, 4, 8], UInt8(ascii: "i"): [1, 2, 4, 8],
                                       UInt8(ascii: "u"): [1, 2, 4, 8], UInt8(ascii: "b"): [1],
                                       UInt8(ascii: "c"): [8, 16]]
        guard let sizes = allowed[kind], sizes.contains(size) else { return nil }
        return Descr(bigEndian: order == UInt8(ascii: ">"), kind: kind, itemSize: size)
    }

    /// out[i₀,…,i_{d−1}] (C order) = in[i₀ + s₀·(i₁ + s₁·(i₂ + …))] (Fortran order): an odometer over the C index
    /// keeps the Fortran offset up to date incrementally.
    static func transposeFromFortran(_ input: [UInt8], shape: [Int], itemSize: Int) -> [UInt8] {
        let d = shape.count
        var fortranStride = [Int](repeating: 1, count: d)
        for k in 1..<d { fortranStride[k] = fortranStride[k - 1] * shape[k - 1] }
        let total = input.count / itemSize
        var output = [UInt8](repeating: 0, count: input.count)
        if total == 0 { return output }
        var index = [Int](repeating: 0, count: d)
        var source = 0
        for target in 0..<total {
            for b in 0..<itemSize { output[target * itemSize + b] = input[source * itemSize + b] }
            var k = d - 1
            while k >= 0 {
                index[k] += 1
                source += fortranStride[k]
                if index[k] < shape[k] { break }
                source -= fortranStride[k] * shape[k]
                index[k] = 0
                k -= 1
            }
        }
        return output
    }

    private static func widen(_ raw: [UInt8], descr: Descr, count: Int, file: String) throws -> (NpyDType, [UInt8]) {
        func read<T>(_: T.Type) -> [T] {
            let n = raw.count / MemoryLayout<T>.stride   // c8 holds 2 Floats per element
            return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                raw.withUnsafeBytes { source in
                    if n > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source) }
                }
                initialized = n
            }
        }
        func bytes<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }
        switch (descr.kind, descr.itemSize) {
        case (UInt8(ascii: "f"), 8): return (.float64, raw)
        case (UInt8(ascii: "f"), 4): return (.float32, raw)
        case (UInt8(ascii: "f"), 2): return (.float32, bytes(read(UInt16.self).map(HalfPrecision.float16ToFloat)))
        case (UInt8(ascii: "c"), 16): return (.complex128, raw)
        case (UInt8(ascii: "c"), 8): return (.complex128, bytes(read(Float.self).map(Double.init)))
        case (UInt8(ascii: "i"), 8): return (.int64, raw)
        case (UInt8(ascii: "i"), 4): return (.int64, bytes(read(Int32.self).map(Int64.init)))
        case (UInt8(ascii: "i"), 2): return (.int64, bytes(read(Int16.self).map(Int64.init)))
        case (UInt8(ascii: "i"), 1): return (.int64, bytes(read(Int8.self).map(Int64.init)))
        case (UInt8(ascii: "u"), 4): return (.int64, bytes(read(UInt32.self).map(Int64.init)))
        case (UInt8(ascii: "u"), 2): return (.int64, bytes(read(UInt16.self).map(Int64.init)))
        case (UInt8(ascii: "u"), 1), (UInt8(ascii: "b"), 1): return (.int64, bytes(raw.map(Int64.init)))
        default:   // u8
            let values = read(UInt64.self)
            if let index = values.firstIndex(where: { $0 > UInt64(Int64.max) }) {
                throw DataError(.conversion, file: file, problem: "uint64 element \(index) = \(values[index]) does not fit in int64",
                                fix: "convert in NumPy first, e.g. x.astype(np.float64)")
            }
            return (.int64, bytes(values.map { Int64($0) }))
        }
    }
}

/// The header dict: `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }`.
private struct DictParser {
    let bytes: [UInt8]
    var position: Int
    let end: Int
    let file: String

    var descr: String?
    var fortranOrder: Bool?
    var shape: [Int]?

    init(bytes: [UInt8], position: Int, end: Int, file: String) {
        self.bytes = bytes
        self.position = position
        self.end = end
        self.file = file
    }

    func fail(_ problem: String, _ kind: DataError.Kind = .badHeader,
              fix: String = "the header is damaged; save the array with numpy.save") -> DataError {
        DataError(kind, file: file, byteOffset: position, problem: problem, fix: fix)
    }

    mutating func skipSpace() {
        while position < end, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func expect(_ c: Character) throws {
        skipSpace()
        guard position < end, bytes[position] == c.asciiValue! else { throw fail("expected '\(c)' in the header dict") }
        position += 1
    }

    func peek() -> UInt8? { position < end ? bytes[position] : nil }

    mutating func quoted() throws -> String {
        skipSpace()
        guard let quote = peek(), quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
            throw fail("expected a quoted string in the header dict")
        }
        position += 1
        let start = position
        while position < end, bytes[position] != quote { position += 1 }
        guard position < end else { throw fail("unterminated string in the header dict") }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        position += 1
        return text
    }

    mutating func integer() throws -> Int {
        skipSpace()
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        while let c = peek(), c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { position += 1 }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if peek() == UInt8(ascii: "L") { position += 1 }   // Python 2 long literals
        guard let value = Int(text) else {
            position = start
            throw fail("expected an integer dimension in 'shape'", .badShape, fix: "dimensions must be integers")
        }
        guard value >= 0 else {
            position = start
            throw fail("negative dimension \(value) in 'shape'", .badShape, fix: "dimensions must be non-negative")
        }
        return value
    }

    mutating func parse() throws -> Self {
        try expect("{")
        while true {
            skipSpace()
            if peek() == UInt8(ascii: "}") { position += 1; break }
            let key = try quoted()
            try expect(":")
            skipSpace()
            switch key {
            case "descr":
                if peek() == UInt8(ascii: "[") {
                    throw fail("structured arrays (a list 'descr') are not read", .unsupportedLayout,
                               fix: "save one plain numeric array per file")
                }
                descr = try quoted()
            case "fortran_order":
                if bytes[position...].starts(with: Array("True".utf8)) { fortranOrder = true; position += 4 }
                else if bytes[position...].starts(with: Array("False".utf8)) { fortranOrder = false; position += 5 }
                else { throw fail("'fortran_order' is neither True nor False") }
            case "shape":
                try expect("(")
                var dims: [Int] = []
                while true {
                    skipSpace()
                    if peek() == UInt8(ascii: ")") { position += 1; break }
                    dims.append(try integer())
                    skipSpace()
                    if peek() == UInt8(ascii: ",") { position += 1; continue }
                    try expect(")")
                    break
                }
                shape = dims
            default:
                throw fail("unexpected key '\(key)' in the header dict")
            }
            skipSpace()
            if peek() == UInt8(ascii: ",") { position += 1; continue }
            try expect("}")
            break
        }
        skipSpace()
        if position != end { throw fail("unexpected text after the header dict") }
        return self
    }
}
