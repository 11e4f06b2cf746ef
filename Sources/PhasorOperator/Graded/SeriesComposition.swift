// Composition of a pointwise function with a graded signal, f(y) = f(y^[0] + δ), δ = Σ_{p≥1} ε^p y^[p]:
//     f(y0 + δ) = Σ_{k=0}^{P} a_k(y0)·δ^k,      a_k(y0) = f^{(k)}(y0)/k!     (Taylor coefficients at the actual y0)
// Since δ starts at degree 1, δ^k starts at degree k, so terms k > P vanish after truncation at P; for a polynomial
// f of degree d the expansion is exact (all a_k with k > d are 0). Evaluated per element by Horner in δ:
//     r ← a_P;  r ← a_k + δ·r  (k = P−1…0),   each δ·r a Cauchy product truncated at P.

extension GradedSignal {
    /// Σ_k a_k δ^k with a_k given per element: `coefficients[k·count + i]` = a_k at element i (k = 0…order).
    /// The degree-0 part of `self` is the expansion point (it is ignored here; the coefficients were taken there).
    public func composed(coefficients a: [Double]) -> GradedSignal {
        let n = count, P = order
        var out = GradedSignal(order: P, count: n)
        if P == 0 {
            for i in 0..<n { out.data[i] = a[i] }
            return out
        }
        data.withUnsafeBufferPointer { yb in a.withUnsafeBufferPointer { ab in out.data.withUnsafeMutableBufferPointer { ob in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * (P + 1)) { scratch in
                let d = scratch.baseAddress!, r = d + (P + 1)
                for i in 0..<n {
                    for p in 1...P { d[p] = yb[p * n + i] }                  // δ^[p]
                    r[0] = ab[P * n + i]
                    for p in 1...P { r[p] = 0 }
                    for k in stride(from: P - 1, through: 0, by: -1) {
                        for p in stride(from: P, through: 1, by: -1) {        // (δ·r)^[p] = Σ_{q=1}^{p} δ^[q] r^[p−q]
                            var s = 0.0
                            for q in 1...p { s += d[q] * r[p - q] }
                            r[p] = s
                        }
                        r[0] = ab[k * n + i]                                 // + a_k (degree 0)
                    }
                    for p in 0...P { ob[p * n + i] = r[p] }
                }
            }
        } } }
        return out
    }
}
