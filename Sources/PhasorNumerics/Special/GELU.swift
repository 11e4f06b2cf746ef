// GELU in its exact (erf) form, as PyTorch's nn.GELU() default and S4D's activation (DESIGN.md §3):
//     g(x) = x·Φ(x) = (x/2)(1 + erf(x/√2)),        g'(x) = Φ(x) + x·φ(x)
// and its power series about 0 (DESIGN.md §7), from Φ(x) = ½ + (1/√(2π)) Σ_k (−1)^k x^{2k+1}/(2^k k!(2k+1)):
//     g(y) = y/2 + (1/√(2π)) Σ_k (−1)^k y^{2k+2}/(2^k k!(2k+1))
// GELU is entire (infinite radius), but the alternating terms peak near k ≈ y²/2 with size ~e^{y²/2}, so partial
// sums lose about y²/(2·ln 10) digits to cancellation: fine for |y| ≲ 3, useless for |y| ≳ 8 in Double.

/// The Gaussian error linear unit, erf form.
public enum GELU {
    /// g(x) = x·Φ(x).
    @inlinable
    public static func value<T: BinaryFloatingPoint & Real>(_ x: T) -> T {
        if x.isInfinite { return x > 0 ? x : 0 }      // the limits (−∞·Φ(−∞) would be NaN)
        return x * StandardNormal.cdf(x)
    }

    /// g'(x) = Φ(x) + x·φ(x). For |x| large, x·φ(x) underflows to 0 before x² overflows matter (φ(x) = 0 there).
    @inlinable
    public static func derivative<T: BinaryFloatingPoint & Real>(_ x: T) -> T {
        if x.isInfinite { return x > 0 ? 1 : 0 }      // the limits (∞·φ(∞) would be NaN)
        return StandardNormal.cdf(x) + x * StandardNormal.density(x)
    }

    /// The power-series coefficients c_0…c_order of g about 0, g(y) = Σ_n c_n y^n:
    /// c_1 = 1/2, c_{2k+2} = (−1)^k / (√(2π)·2^k·k!·(2k+1)), all others 0. Empty for a negative order.
    public static func taylorCoefficients(through order: Int) -> [Double] {
        guard order >= 0 else { return [] }
        var c = [Double](repeating: 0, count: order + 1)
        if order >= 1 { c[1] = 0.5 }
        let invSqrt2Pi = 0.398942280401432677939946059934381868
        var a = 1.0                                   // a_k = (−1)^k / (2^k k!)
        var k = 0
        while 2 * k + 2 <= order {
            c[2 * k + 2] = invSqrt2Pi * a / Double(2 * k + 1)
            k += 1
            a *= -1.0 / Double(2 * k)                 // a_k = a_{k−1} · (−1/(2k))
        }
        return c
    }
}
