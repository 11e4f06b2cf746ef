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
}

#if _endian(big)
#error("PhasorData stores little-endian data in memory as is; big-endian hosts are not supported")
#endif
