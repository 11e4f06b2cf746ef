// The discrete Lyapunov (Stein) equation X = A X A* + Q — the stationary covariance / Gramian of x_k = A x_{k−1} + w_k,
// X = Σ_k A^k Q A*^k when A is stable — solved in O(n³) through the Schur form of A:
//   A = U T U*,  Y = U* X U,  C = U* Q U  ⇒  Y = T Y T* + C.
// Column j of T Y T* only involves columns l ≥ j of Y (T* is lower triangular): (T Y T*)_{:,j} = T Σ_{l≥j} y_l conj(t_jl).
// So, for j = n−1 down to 0, with z_j = Σ_{l>j} y_l conj(t_jl) already known,
//   (I − conj(t_jj) T) y_j = c_j + T z_j,
// an upper-triangular system whose diagonal is 1 − λ_i conj(λ_j). It is uniquely solvable iff no λ_i conj(λ_j) = 1.

extension ComplexMatrix {
    /// Solves X = A X A* + Q for square A and Q of the same size (Schur method, O(n³)). When Q is exactly Hermitian
    /// the returned X is exactly Hermitian.
    /// Throws `.steinNotSolvable` when some |1 − λ_i conj(λ_j)| ≤ 100·n·ε (no unique solution; the error says whether
    /// A is stable), and `.notSquare`, `.dimensionMismatch`, `.empty`, `.nonFinite`, `.lapack` otherwise.
    public static func stein(a: ComplexMatrix, q: ComplexMatrix) throws -> ComplexMatrix {
        try a.requireSquareNonEmpty("stein")
        guard q.rows == a.rows, q.columns == a.columns else {
            throw LinearAlgebraError.dimensionMismatch("stein: A is \(a.rows)×\(a.columns) but Q is \(q.rows)×\(q.columns)")
        }
        try a.requireFinite("stein A")
        try q.requireFinite("stein Q")
        let n = a.rows
        let schur = try a.schur()
        let lambda = schur.eigenvalues
        let rho = lambda.reduce(0.0) { max($0, $1.length) }
        let tolerance = 100 * Double(n) * Double.ulpOfOne
        for li in lambda {
            for lj in lambda where (Complex<Double>.one - li * lj.conjugate).length <= tolerance {
                throw LinearAlgebraError.steinNotSolvable(eigenvalueI: li, eigenvalueJ: lj, spectralRadius: rho)
            }
        }
        let t = schur.t
        let c = try schur.u.product(q, adjointSelf: true) * schur.u  // C = U* Q U
        var y = ComplexMatrix(rows: n, columns: n)
        var z = [Complex<Double>](repeating: .zero, count: n)
        var rhs = [Complex<Double>](repeating: .zero, count: n)
        for j in stride(from: n - 1, through: 0, by: -1) {
            // z = Σ_{l>j} y_l conj(t_jl)
            for i in 0..<n { z[i] = .zero }
            for l in (j + 1)..<n {
                let w = t[j, l].conjugate
                for i in 0..<n { z[i] += y[i, l] * w }
            }
            // rhs = c_j + T z (T upper triangular)
            for i in 0..<n {
                var s = c[i, j]
                for k in i..<n { s += t[i, k] * z[k] }
                rhs[i] = s
            }
            // Back substitution in (I − conj(t_jj) T) y_j = rhs.
            let tjj = t[j, j].conjugate
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = rhs[i]
                for k in (i + 1)..<n { s += tjj * t[i, k] * y[k, j] }  // −(−conj(t_jj) t_ik) y_kj
                y[i, j] = s / (Complex<Double>.one - tjj * t[i, i])
            }
        }
        var x = try schur.u * y.product(schur.u, adjointOther: true)  // X = U Y U*
        // Q = Q* ⇒ X = X* exactly (X* solves the same equation); remove the rounding-level anti-Hermitian part.
        if q == q.adjoint { x = 0.5 * (try x + x.adjoint) }
        try x.requireFinite("stein solution")
        return x
    }
}
