// The logistic sigmoid σ(x) = 1/(1 + e^{−x}) (the gate of GLU, DESIGN.md §3), its derivative and power series.
// Stable form: for x ≥ 0, σ = 1/(1 + e^{−x}); for x < 0, σ = e^{x}/(1 + e^{x}) — e^{±x} never overflows.
// σ' = σ(x)(1 − σ(x)) = σ(x)·σ(−x): both factors computed directly, no cancellation in 1 − σ for large x.
// Power series about 0 from the Riccati equation σ' = σ − σ²:  (n + 1)·c_{n+1} = c_n − Σ_{i=0}^{n} c_i c_{n−i},
// c_0 = ½. Radius of convergence π: σ has poles at x = ±iπ (where e^{−x} = −1), so the series diverges for |x| > π
// — the reason DESIGN.md §7 prefers Chebyshev fits on the data's range.

/// The logistic sigmoid.
public enum Sigmoid {
    /// The radius of convergence of the power series about 0: π (poles at ±iπ).
    public static let radiusOfConvergence = Double.pi

    /// σ(x) = 1/(1 + e^{−x}), stable for any x.
    @inlinable
    public static func value<T: BinaryFloatingPoint & Real>(_ x: T) -> T {
        if x >= 0 { return 1 / (1 + T.exp(-x)) }
        let e = T.exp(x)
        return e / (1 + e)
    }

    /// σ'(x) = σ(x)·(1 − σ(x)) = σ(x)·σ(−x).
    @inlinable
    public static func derivative<T: BinaryFloatingPoint & Real>(_ x: T) -> T {
        value(x) * value(-x)
    }

    /// The power-series coefficients c_0…c_order of σ about 0 (c_0 = ½, c_1 = ¼, c_3 = −1/48, c_5 = 1/480, …;
    /// even orders ≥ 2 vanish). Empty for a negative order. Converges only for |x| < π.
    public static func taylorCoefficients(through order: Int) -> [Double] {
        guard order >= 0 else { return [] }
        var c = [Double](repeating: 0, count: order + 1)
        c[0] = 0.5
        if order == 0 { return c }
        for n in 0..<order {
            var square = 0.0                          // (σ²)_n = Σ_{i=0}^{n} c_i c_{n−i}
            for i in 0...n { square += c[i] * c[n - i] }
            c[n + 1] = (c[n] - square) / Double(n + 1)
        }
        return c
    }
}
