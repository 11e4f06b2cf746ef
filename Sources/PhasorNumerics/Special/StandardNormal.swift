// The standard normal density φ and distribution function Φ: the pieces of GELU's erf form (DESIGN.md §3).
// Φ is computed from erfc on the side where it is small, so its tails keep full relative accuracy:
//     Φ(x) = erfc(−x/√2)/2   (x < 0),    Φ(x) = 1 − erfc(x/√2)/2   (x ≥ 0),    φ(x) = e^{−x²/2}/√(2π).
// These scalar functions follow IEEE semantics: NaN in gives NaN out (callers check their outputs with
// `requireFinite`); ±∞ give the limits.

/// The standard normal distribution N(0, 1).
public enum StandardNormal {
    /// φ(x) = e^{−x²/2}/√(2π).
    @inlinable
    public static func density<T: BinaryFloatingPoint & Real>(_ x: T) -> T {
        // 1/√(2π)
        T(0.398942280401432677939946059934381868) * T.exp(-x * x / 2)
    }

    /// Φ(x) = P(Z ≤ x) = (1 + erf(x/√2))/2, evaluated through erfc so that both tails are accurate.
    @inlinable
    public static func cdf<T: BinaryFloatingPoint & Real>(_ x: T) -> T {
        let z = x * T(0.707106781186547524400844362104849039)   // x/√2
        return x < 0 ? T.erfc(-z) / 2 : 1 - T.erfc(z) / 2
    }
}
