// softplus(x) = log(1 + e^{x}), the smooth ReLU, and its derivative σ(x).
// Stable form: log(1 + e^{x}) = max(x, 0) + log1p(e^{−|x|}) — e^{−|x|} ≤ 1 never overflows, and log1p keeps full
// accuracy when e^{−|x|} is tiny (softplus(−40) ≈ e^{−40}, not 0).

/// The softplus function.
public enum Softplus {
    /// log(1 + e^{x}).
    @inlinable
    public static func value<T: BinaryFloatingPoint & Real>(_ x: T) -> T {
        let positive = x > 0 ? x : 0
        let magnitude = x > 0 ? x : -x
        return positive + T.log(onePlus: T.exp(-magnitude))
    }

    /// d/dx log(1 + e^{x}) = σ(x).
    @inlinable
    public static func derivative<T: BinaryFloatingPoint & Real>(_ x: T) -> T {
        Sigmoid.value(x)
    }
}
