// The (B, H, L) layout of DESIGN.md §2 for the architecture layers, whose single-sequence functions take (H, L):
// sample b is the contiguous slice [b·H·L, (b+1)·H·L), run independently (each from the zero state).

enum ArchitectureBatch {
    /// Applies `run` to each (H, L) sample of u (B, H, L) and concatenates the (H, L) results.
    static func map(_ u: [Double], batch: Int, channels h: Int, length: Int,
                    _ run: ([Double]) throws -> [Double]) throws -> [Double] {
        guard batch > 0, length > 0, u.count == batch * h * length else {
            throw ArchitectureError.shapeMismatch("input has \(u.count) values; expected (B, H, L) = (\(batch), \(h), \(length))")
        }
        var y: [Double] = []
        y.reserveCapacity(u.count)
        for b in 0..<batch { y += try run(Array(u[(b * h * length)..<((b + 1) * h * length)])) }
        return y
    }
}

extension S5Layer {
    /// y (B, H, L) from u (B, H, L) by the recurrence (or by convolution).
    public func forward(_ u: [Double], batch: Int, length: Int, convolution: Bool = false) throws -> [Double] {
        let system = try discrete()
        return try ArchitectureBatch.map(u, batch: batch, channels: channels, length: length) {
            convolution ? try system.convolve($0, length: length) : try system.recur($0, length: length)
        }
    }
}

extension LRULayer {
    /// y (B, H, L) from u (B, H, L) by the recurrence (or by convolution).
    public func forward(_ u: [Double], batch: Int, length: Int, convolution: Bool = false) throws -> [Double] {
        let system = try discrete()
        return try ArchitectureBatch.map(u, batch: batch, channels: channels, length: length) {
            convolution ? try system.convolve($0, length: length) : try system.recur($0, length: length)
        }
    }
}

extension LinOSSLayer {
    /// x (B, H, L) from u (B, H, L) by the scheme's update equations (or by convolution).
    public func forward(_ u: [Double], batch: Int, length: Int, convolution: Bool = false) throws -> [Double] {
        try ArchitectureBatch.map(u, batch: batch, channels: channels, length: length) {
            convolution ? try forwardConvolution($0, length: length) : try forward($0, length: length)
        }
    }
}

extension SelectiveLayer {
    /// y (B, H, L) from u (B, H, L) by the selective recurrence.
    public func forward(_ u: [Double], batch: Int, length: Int) throws -> [Double] {
        try ArchitectureBatch.map(u, batch: batch, channels: channels, length: length) { try forward($0, length: length) }
    }
}
