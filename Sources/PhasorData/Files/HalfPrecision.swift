// 16-bit floating-point formats, decoded by hand (Swift's Float16 is not available on every platform Phasor builds
// on). Used to read F16/BF16 tensors that PyTorch users save for smaller checkpoints.

enum HalfPrecision {
    /// IEEE 754 binary16: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits.
    /// value = (−1)^s · 2^(e−15) · (1 + f/1024) for 0 < e < 31; (−1)^s · 2^−14 · f/1024 for e = 0; Inf/NaN for e = 31.
    static func float16ToFloat(_ bits: UInt16) -> Float {
        let sign: UInt32 = UInt32(bits >> 15) << 31
        let exponent = UInt32((bits >> 10) & 0x1F)
        let fraction = UInt32(bits & 0x3FF)
        if exponent == 0 {
            // Subnormal or zero: f · 2^−24 is exact in Float.
            let magnitude = Float(fraction) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 31 {
            return Float(bitPattern: sign | 0x7F80_0000 | (fraction << 13))   // Inf, or NaN keeping its payload
        }
        // Re-bias the exponent from 15 to 127 and widen the fraction from 10 to 23 bits.
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (fraction << 13))
    }

    /// bfloat16 is the upper half of an IEEE binary32: widening is a 16-bit shift.
    static func bfloat16ToFloat(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }
}
