// Shapes come from untrusted headers. The element count is the product of the dimensions; it is computed with
// overflow checks so that a header claiming 10^12 × 10^12 elements is refused instead of wrapping around, and every
// caller compares the resulting byte count with the bytes actually present before allocating.

enum ElementCount {
    /// product(shape), or nil if a dimension is negative or the product (or product × elementSize) overflows Int.
    static func of(_ shape: [Int], elementSize: Int = 1) -> (elements: Int, bytes: Int)? {
        var product = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            product = next
        }
        let (bytes, overflow) = product.multipliedReportingOverflow(by: elementSize)
        return overflow ? nil : (product, bytes)
    }

    /// Checks that `byteCount` raw bytes are exactly an array of `shape` with elements of `elementSize` bytes
    /// (`dtypeName` names the type in the message, `file` the source: "<tensor>", "<npy>").
    static func requireRawBytes(_ byteCount: Int, shape: [Int], elementSize: Int, dtypeName: String,
                                file: String) throws {
        guard let size = of(shape, elementSize: elementSize) else {
            throw DataError(.badShape, file: file, problem: "shape \(shape) has a negative dimension or is too large",
                            fix: "use non-negative dimensions whose product fits in memory")
        }
        guard size.bytes == byteCount else {
            throw DataError(.sizeMismatch, file: file,
                            problem: "shape \(shape) of \(dtypeName) needs \(size.bytes) bytes, got \(byteCount)",
                            fix: "pass exactly product(shape) × \(elementSize) bytes")
        }
    }
}

#if _endian(big)
#error("PhasorData stores little-endian data in memory as is; big-endian hosts are not supported")
#endif
