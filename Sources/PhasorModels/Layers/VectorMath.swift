// exp and the logistic sigmoid eight lanes at a time, for the GLU gate (libm's scalar exp was 7% of a forward).
//   e^x = 2^k·e^r,  k = round(x·log₂e),  r = x − k·ln2 (ln2 split hi+lo, |r| ≤ ½ln2),
//   e^r by its Taylor polynomial to degree 13 (truncation r¹⁴/14! < 5e-18), 2^k from the exponent bits.
// x is clamped to [−708, 709], where e^x stays a normal double; σ(x) = 1/(1 + e^{−x}).

enum VectorMath {
    typealias V = SIMD8<Double>

    @inline(__always)
    static func exp(_ x0: V) -> V {
        let x = x0.clamped(lowerBound: V(repeating: -708), upperBound: V(repeating: 709))
        // k = round(x·log₂e) by the shifter trick: adding 1.5·2⁵² leaves k in the low mantissa bits (no int conversion).
        let shifter = V(repeating: 6755399441055744.0)
        let t = x * 1.4426950408889634 + shifter
        let k = t - shifter
        let r = (x - k * 0.6931471803691238) - k * 1.9082149292705877e-10      // ln2 = hi + lo
        var p = V(repeating: 1.0 / 6227020800)                                   // 1/13!
        p = p * r + 1.0 / 479001600
        p = p * r + 1.0 / 39916800
        p = p * r + 1.0 / 3628800
        p = p * r + 1.0 / 362880
        p = p * r + 1.0 / 40320
        p = p * r + 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let kBits = unsafeBitCast(t, to: SIMD8<Int64>.self) &- unsafeBitCast(shifter, to: SIMD8<Int64>.self)
        let bits = (kBits &+ 1023) &<< 52                                              // 2^k
        return p * unsafeBitCast(bits, to: V.self)
    }

    @inline(__always)
    static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }

    /// dst[i] = σ(src[i]) for i < count.
    static func sigmoid(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(src + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: sigmoid(v), as: V.self)
            i += 8
        }
        while i < count { dst[i] = Activation.sigmoid(src[i]); i += 1 }
    }
}
