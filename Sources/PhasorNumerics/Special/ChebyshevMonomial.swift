// Chebyshev → monomial form in the scaled variable t = (2x − a − b)/(b − a):
//     Σ_k c_k T_k(t) = Σ_j m_j t^j,   T_0 = 1, T_1 = t, T_{k+1} = 2t·T_k − T_{k−1}.
// Needed where a polynomial must be expanded into powers (the graded, per-degree evaluation of DESIGN.md §7).
// Conditioning: the monomial coefficients of T_k grow like (1 + √2)^k / 2, so while |Σ c_k T_k(t)| ≤ Σ|c_k| on
// [−1, 1], the monomial sum Σ|m_j| can be ~(1 + √2)^d times larger; evaluating Σ m_j t^j then loses about
// log10(Σ_j |m_j| / max_t |p(t)|) digits (`monomialAmplification`). Fine for d ≲ 20 in Double (≤ ~8 digits lost
// in the worst case); keep the Chebyshev form for anything that only needs values.

extension ChebyshevSeries {
    /// m_0…m_d with Σ_k c_k T_k(t) = Σ_j m_j t^j, in the scaled variable t = (2x − lower − upper)/(upper − lower).
    public func monomialCoefficients() -> [Double] {
        let n = coefficients.count
        var result = [Double](repeating: 0, count: n)
        var previous = [Double](repeating: 0, count: n)   // T_{k−1}
        var current = [Double](repeating: 0, count: n)    // T_k
        previous[0] = 1                                   // T_0 = 1
        result[0] = coefficients[0]
        if n == 1 { return result }
        current[1] = 1                                    // T_1 = t
        result[1] += coefficients[1]
        for k in 1..<(n - 1) {
            var next = [Double](repeating: 0, count: n)   // T_{k+1} = 2t·T_k − T_{k−1}
            for j in 0...k { next[j + 1] += 2 * current[j] }
            for j in 0...k { next[j] -= previous[j] }
            for j in 0...(k + 1) { result[j] += coefficients[k + 1] * next[j] }
            previous = current
            current = next
        }
        return result
    }

    /// Σ_j |m_j| / Σ_k |c_k|: how much larger the monomial coefficients are than the Chebyshev ones — the factor by
    /// which rounding errors grow when the monomial form is evaluated instead of the Chebyshev form (1 for d ≤ 1).
    public func monomialAmplification() -> Double {
        let chebyshev = coefficients.reduce(0) { $0 + Swift.abs($1) }
        guard chebyshev > 0 else { return 1 }
        return monomialCoefficients().reduce(0) { $0 + Swift.abs($1) } / chebyshev
    }
}
