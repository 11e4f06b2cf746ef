// The discrete Lyapunov (Stein) equation X = A X A* + Q — the stationary covariance / Gramian of x_k = A x_{k−1} + w_k,
// X = Σ_k A^k Q A*^k when A is stable — solved in O(n³) through the Schur form of A:
//   A = U T U*,  Y = U* X U,  C = U* Q U  ⇒  Y = T Y T* + C.
// Column j of T Y T* only involves columns l ≥ j of Y (T* is lower triangular): (T Y T*)_{:,j} = T Σ_{l≥j} y_l conj(t_jl).
// So, for j = n−1 down to 0, with z_j = Σ_{l>j} y_l conj(t_jl) already known,
//   (I − conj(t_jj) T) y_j = c_j + T z_j,
// an upper-triangular system whose diagonal is 1 − λ_i conj(λ_j). It is uniquely solvable iff no λ_i conj(λ_j) = 1.
// Each column costs O(n²) in BLAS-2 (zgemv, ztrmv, ztrsv on T − I/conj(t_jj), i.e. T with a shifted diagonal).
import CLapack

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
        var shifted = t  // T − σ_j I, its diagonal rewritten for each column
        var w = [Complex<Double>](repeating: .zero, count: n)
        var z = [Complex<Double>](repeating: .zero, count: n)
        let ni = try lapackInt(n)
        var one = Complex<Double>.one, zero = Complex<Double>.zero
        y.elements.withUnsafeMutableBufferPointer { py in
            t.elements.withUnsafeBufferPointer { pt in
                shifted.elements.withUnsafeMutableBufferPointer { ps in
                    guard let yBase = py.baseAddress, let tBase = pt.baseAddress, let sBase = ps.baseAddress else { return }
                    for j in stride(from: n - 1, through: 0, by: -1) {
                        let later = n - 1 - j
                        if later > 0 {
                            // z = Σ_{l>j} y_l conj(t_jl) = Y[:, j+1..<n] · w with w_l = conj(t_jl)   (BLAS zgemv)
                            for l in 0..<later { w[l] = pt[j + (j + 1 + l) * n].conjugate }
                            cblas_zgemv(CblasColMajor, CblasNoTrans, ni, LapackInt(later), &one, yBase + (j + 1) * n, ni,
                                        w, 1, &zero, &z, 1)
                            // z ← T z   (BLAS ztrmv, T upper triangular)
                            cblas_ztrmv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, ni, tBase, ni, &z, 1)
                        } else {
                            for i in 0..<n { z[i] = .zero }
                        }
                        // y_j ← c_j + T z  (the right-hand side)
                        for i in 0..<n { py[i + j * n] = c[i, j] + z[i] }
                        let cj = pt[j + j * n].conjugate  // conj(t_jj)
                        if cj == .zero { continue }  // (I − 0·T) y_j = rhs
                        // (I − conj(t_jj) T) y_j = rhs  ⇔  (T − σ I) y_j = −σ rhs with σ = 1/conj(t_jj)   (BLAS ztrsv)
                        let sigma = Complex<Double>.one / cj
                        for i in 0..<n { ps[i + i * n] = pt[i + i * n] - sigma }
                        for i in 0..<n { py[i + j * n] = -sigma * py[i + j * n] }
                        cblas_ztrsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, ni, sBase, ni, yBase + j * n, 1)
                    }
                }
            }
        }
        var x = try schur.u * y.product(schur.u, adjointOther: true)  // X = U Y U*
        // Q = Q* ⇒ X = X* exactly (X* solves the same equation); remove the rounding-level anti-Hermitian part.
        if q == q.adjoint { x = 0.5 * (try x + x.adjoint) }
        try x.requireFinite("stein solution")
        return x
    }
}
