// GELU in its tanh approximation — `jax.nn.gelu` / `flax.linen.gelu` default (approximate=True), the activation of
// every JAX reference code (S5, LRU, LinOSS; docs/architectures-reference.md §1):
//     g(x) = ½x(1 + tanh(s)),   s = √(2/π)(x + 0.044715x³)
//     g'(x) = ½(1 + tanh s) + ½x(1 − tanh² s)·√(2/π)(1 + 3·0.044715x²)
// It differs from the erf form (GELU.swift) by up to ~5e-4; a checkpoint trained with one must run with the same one.
// tanh saturates at ±1, so g = x for large positive x and 0 for large negative x with no overflow (x³ overflows only
// beyond |x| ~ 1e102, where tanh is already ±1 and the product with ½x(1 − tanh²) is 0).
// Its local Taylor coefficients at x0 (the operator's expansion, DESIGN.md §7): with x = x0 + t, w(t) = s is the cubic
// w0 + w1 t + w2 t² + w3 t³, and T = tanh(w(t)) = Σ T_k t^k follows from T' = (1 − T²)w':
//     k·T_k = Σ_{j=1}^{min(k,3)} j·w_j·S_{k−j},   S = 1 − T² (S_m = δ_m0 − Σ_{i≤m} T_i T_{m−i})
// and g = ½(x0 + t)(1 + T) gives g_k = ½(x0·(δ_k0 + T_k) + δ_k1 + T_{k−1}). tanh has poles where w = ±iπ/2, so the
// series has a finite radius (like σ's).

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

    /// Taylor coefficients g_0…g_order of g about x0 (see the header).
    public static func taylorCoefficients(at x0: Double, through order: Int) -> [Double] {
        guard order >= 0 else { return [] }
        let w = [scale * (x0 + cubic * x0 * x0 * x0), scale * (1 + 3 * cubic * x0 * x0), scale * 3 * cubic * x0, scale * cubic]
        var T = [Double](repeating: 0, count: order + 1), S = T
        T[0] = Double.tanh(w[0])
        S[0] = 1 - T[0] * T[0]
        if order >= 1 {
            for k in 1...order {
                var s = 0.0
                for j in 1...min(k, 3) { s += Double(j) * w[j] * S[k - j] }          // k T_k = Σ j w_j S_{k−j}
                T[k] = s / Double(k)
                var sq = 0.0
                for i in 0...k { sq += T[i] * T[k - i] }
                S[k] = -sq                                                           // S = 1 − T²
            }
        }
        return (0...order).map { k in
            0.5 * (x0 * ((k == 0 ? 1 : 0) + T[k]) + (k == 1 ? 1 : 0) + (k >= 1 ? T[k - 1] : 0))
        }
    }
}
