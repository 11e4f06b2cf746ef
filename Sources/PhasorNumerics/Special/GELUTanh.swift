// GELU in its tanh approximation, the form every JAX code uses (`jax.nn.gelu` / `flax.linen.gelu`, approximate=True:
// lindermanlab/S5, minimal-LRU, the LinOSS repository; docs/architectures-reference.md §1):
//     g(x) = ½x(1 + tanh(w)),   w = c(x + a x³),   c = √(2/π),   a = 0.044715
//     g'(x) = ½(1 + tanh w) + ½x(1 − tanh² w)·c(1 + 3a x²)
// It differs from the erf form (GELU.swift) by up to ~5e-4, far above a checkpoint identity's 1e-10.
// Its local Taylor coefficients at x0 (the operator's expansion, DESIGN.md §7): with x = x0 + t, w(t) is the cubic
// w0 + w1 t + w2 t² + w3 t³, and T = tanh(w(t)) = Σ T_k t^k follows from T' = (1 − T²)w':
//     k·T_k = Σ_{j=1}^{min(k,3)} j·w_j·S_{k−j},   S = 1 − T² (S_m = δ_m0 − Σ_{i≤m} T_i T_{m−i})
// and g = ½(x0 + t)(1 + T) gives g_k = ½(x0·(δ_k0 + T_k) + δ_k1 + T_{k−1}). tanh has poles where w = ±iπ/2, so the
// series has a finite radius (like σ's).

/// The Gaussian error linear unit, tanh approximation.
public enum GELUTanh {
    public static let c = 0.797884560802865355879892119868763737   // √(2/π)
    public static let a = 0.044715

    /// g(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
    @inlinable
    public static func value(_ x: Double) -> Double {
        if x.isInfinite { return x > 0 ? x : 0 }
        let w = c * (x + a * x * x * x)
        return 0.5 * x * (1 + Double.tanh(w))
    }

    /// g'(x) = ½(1 + tanh w) + ½x(1 − tanh² w)·√(2/π)(1 + 3·0.044715x²).
    @inlinable
    public static func derivative(_ x: Double) -> Double {
        if x.isInfinite { return x > 0 ? 1 : 0 }
        let t = Double.tanh(c * (x + a * x * x * x))
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * a * x * x)
    }

    /// Taylor coefficients g_0…g_order of g about x0 (see the header).
    public static func taylorCoefficients(at x0: Double, through order: Int) -> [Double] {
        guard order >= 0 else { return [] }
        let w = [c * (x0 + a * x0 * x0 * x0), c * (1 + 3 * a * x0 * x0), c * 3 * a * x0, c * a]   // w(x0 + t)
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
