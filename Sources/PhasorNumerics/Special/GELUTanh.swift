// GELU in its tanh approximation — `jax.nn.gelu` / `flax.linen.gelu` default (approximate=True), the activation of
// every JAX reference code (S5, LRU, LinOSS; docs/architectures-reference.md §1):
//     g(x) = ½x(1 + tanh(s)),   s = √(2/π)(x + 0.044715x³)
//     g'(x) = ½(1 + tanh s) + ½x(1 − tanh² s)·√(2/π)(1 + 3·0.044715x²)
// It differs from the erf form (GELU.swift) by up to ~5e-4; a checkpoint trained with one must run with the same one.
// tanh saturates at ±1, so g = x for large positive x and 0 for large negative x with no overflow (x³ overflows only
// beyond |x| ~ 1e102, where tanh is already ±1 and the product with ½x(1 − tanh²) is 0).

/// The Gaussian error linear unit, tanh approximation.
public enum GELUTanh {
    /// √(2/π).
    public static let scale = 0.797884560802865355879892119868763737
    /// The cubic coefficient 0.044715.
    public static let cubic = 0.044715

    /// g(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
    @inlinable
    public static func value(_ x: Double) -> Double {
        if x.isInfinite { return x > 0 ? x : 0 }
        let t = Double.tanh(scale * (x + cubic * x * x * x))
        return 0.5 * x * (1 + t)
    }

    /// g'(x) = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²), t = tanh(√(2/π)(x + 0.044715x³)).
    @inlinable
    public static func derivative(_ x: Double) -> Double {
        if x.isInfinite { return x > 0 ? 1 : 0 }
        let t = Double.tanh(scale * (x + cubic * x * x * x))
        let sech2 = (1 - t) * (1 + t)                                 // 1 − t², without cancellation near t = ±1
        guard sech2 > 0 else { return 0.5 * (1 + t) }                 // saturated: x(1 − t²) = 0 (avoids ∞·0)
        return 0.5 * (1 + t) + 0.5 * x * sech2 * scale * (1 + 3 * cubic * x * x)
    }
}
