// The matrix exponential e^A = Σ A^k/k! by scaling and squaring with diagonal Padé approximants, following
// N. J. Higham, "The scaling and squaring method for the matrix exponential revisited", SIAM J. Matrix Anal. Appl.
// 26(4), 2005 (Algorithm 2.3): pick the smallest degree m ∈ {3, 5, 7, 9} with ‖A‖₁ ≤ θ_m, else m = 13 and
// s = ⌈log₂(‖A‖₁/θ₁₃)⌉; then e^A = r_m(A/2^s)^{2^s}. θ_m is the largest norm for which the backward error of r_m is
// at most the unit roundoff 2^−53.

extension ComplexMatrix {
    /// θ_m of Higham (2005), Table 2.3: ‖A‖₁ ≤ θ_m ⇒ r_m(A) = e^{A+ΔA} with ‖ΔA‖ ≤ u‖A‖.
    static let expPadeThetas: [(degree: Int, theta: Double)] = [
        (3, 1.495585217958292e-2), (5, 2.539398330063230e-1), (7, 9.504178996162932e-1),
        (9, 2.097847961257068e0), (13, 5.371920351148152e0),
    ]

    /// Coefficients c_j of the numerator p_m(x) = Σ c_j x^j of the [m/m] Padé approximant of e^x (the denominator is
    /// p_m(−x)): c_j = (2m − j)! m! / ((2m)! j! (m − j)!), built by c_0 = 1, c_{j+1} = c_j (m − j)/((2m − j)(j + 1)).
    static func expPadeCoefficients(_ m: Int) -> [Double] {
        var c = [1.0]
        for j in 0..<m { c.append(c[j] * Double(m - j) / (Double(2 * m - j) * Double(j + 1))) }
        return c
    }

    /// e^A for square A (Higham 2005 scaling and squaring, Padé degree 3…13).
    /// Throws `.notSquare`, `.empty`, `.nonFinite` (NaN/Inf input, or a result that overflowed), or `.lapack` from the
    /// Padé denominator solve (which cannot be singular for the norms used).
    public func exponential() throws -> ComplexMatrix {
        try requireSquareNonEmpty("exponential")
        try requireFinite("exponential input")
        let n = rows
        let norm = oneNorm
        let identity = ComplexMatrix.identity(n)
        // Low degree without scaling when ‖A‖₁ is small enough.
        for (m, theta) in Self.expPadeThetas where m < 13 && norm <= theta {
            return try Self.expPade(self, degree: m, identity: identity)
        }
        let theta13 = Self.expPadeThetas[4].theta
        // s = max(0, ⌈log₂(‖A‖₁/θ₁₃)⌉)
        let s = norm <= theta13 ? 0 : Int((Double.log2(norm / theta13)).rounded(.up))
        let scaled = Double.pow(2, Double(-s)) * self  // A/2^s (exact: a power of two)
        var result = try Self.expPade(scaled, degree: 13, identity: identity)
        for _ in 0..<s { result = try result * result }  // e^A = (e^{A/2^s})^{2^s}
        try result.requireFinite("matrix exponential (it overflowed: ‖A‖₁ = \(norm))")
        return result
    }

    /// r_m(A) = q_m(A)⁻¹ p_m(A) with p_m(A) = V + U, q_m(A) = V − U, U the odd and V the even part of p_m.
    static func expPade(_ a: ComplexMatrix, degree m: Int, identity: ComplexMatrix) throws -> ComplexMatrix {
        let c = expPadeCoefficients(m)
        let a2 = try a * a
        var u: ComplexMatrix, v: ComplexMatrix
        if m == 13 {
            let a4 = try a2 * a2
            let a6 = try a4 * a2
            // U = A [A6 (c13 A6 + c11 A4 + c9 A2) + c7 A6 + c5 A4 + c3 A2 + c1 I]
            let uInner = try a6 * combine([(c[13], a6), (c[11], a4), (c[9], a2)])
            u = try a * (uInner + combine([(c[7], a6), (c[5], a4), (c[3], a2), (c[1], identity)]))
            // V = A6 (c12 A6 + c10 A4 + c8 A2) + c6 A6 + c4 A4 + c2 A2 + c0 I
            let vInner = try a6 * combine([(c[12], a6), (c[10], a4), (c[8], a2)])
            v = try vInner + combine([(c[6], a6), (c[4], a4), (c[2], a2), (c[0], identity)])
        } else {
            // Even powers A^0, A^2, …, A^{m−1}; U = A Σ_k c_{2k+1} A^{2k}, V = Σ_k c_{2k} A^{2k}.
            var powers = [identity, a2]
            while 2 * (powers.count - 1) < m - 1 { powers.append(try powers[powers.count - 1] * a2) }
            u = try a * combine(powers.indices.map { (c[2 * $0 + 1], powers[$0]) })
            v = combine(powers.indices.map { (c[2 * $0], powers[$0]) })
        }
        // (V − U) r = (V + U)
        return try (v - u).solve(v + u)
    }

    /// Σ_k w_k M_k for same-shape matrices (at least one term).
    static func combine(_ terms: [(Double, ComplexMatrix)]) -> ComplexMatrix {
        var out = ComplexMatrix(rows: terms[0].1.rows, columns: terms[0].1.columns)
        out.elements.withUnsafeMutableBufferPointer { o in
            for (w, m) in terms {
                m.elements.withUnsafeBufferPointer { p in
                    for k in 0..<o.count {
                        o[k] = Complex(o[k].real + w * p[k].real, o[k].imaginary + w * p[k].imaginary)
                    }
                }
            }
        }
        return out
    }
}
