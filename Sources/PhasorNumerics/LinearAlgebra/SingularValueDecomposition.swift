// Singular value decomposition A = U Σ V* by LAPACK's divide-and-conquer zgesdd (thin form: U is m×k, Vh = V* is
// k×n, k = min(m, n)), and the singular values alone for condition numbers. The input copy is padded
// (paddedForLapack: OpenBLAS reads past the end of the matrix inside zgesdd).
import CLapack

/// A = U · diag(singularValues) · Vh, with U*U = I, Vh Vh* = I and singular values non-negative, descending.
public struct SingularValueDecomposition: Sendable, Equatable {
    /// m×k with orthonormal columns (left singular vectors), k = min(m, n).
    public let u: ComplexMatrix
    /// σ_1 ≥ σ_2 ≥ … ≥ σ_k ≥ 0.
    public let singularValues: [Double]
    /// k×n with orthonormal rows: V* (the adjoint of the right singular vectors).
    public let vh: ComplexMatrix

    /// The 2-norm condition number σ_1/σ_k (+∞ when σ_k = 0).
    public var conditionNumber: Double {
        guard let first = singularValues.first, let last = singularValues.last else { return 0 }
        return last == 0 ? .infinity : first / last
    }
}

extension ComplexMatrix {
    /// The thin SVD A = U Σ V* (zgesdd, jobz = "S"). Throws `.empty`, `.nonFinite`, or `.lapack("zgesdd", …)`.
    public func svd() throws -> SingularValueDecomposition {
        guard rows > 0, columns > 0 else { throw LinearAlgebraError.empty(operation: "svd") }
        try requireFinite("svd input")
        let k = min(rows, columns)
        let m = try lapackInt(rows), n = try lapackInt(columns), kk = try lapackInt(k)
        var a = paddedForLapack(elements, rows: rows, columns: columns)
        var s = [Double](repeating: 0, count: k)
        var u = ComplexMatrix(rows: rows, columns: k)
        var vh = ComplexMatrix(rows: k, columns: columns)
        let info = try a.withLapackBuffer("svd") { pa in
            try u.elements.withLapackBuffer("svd") { pu in
                try vh.elements.withLapackBuffer("svd") { pv in
                    LAPACKE_zgesdd(lapackColumnMajor, lapackChar("S"), m, n, pa, m, &s, pu, m, pv, kk)
                }
            }
        }
        try checkLapack("zgesdd", info, n: k)
        return SingularValueDecomposition(u: u, singularValues: s, vh: vh)
    }

    /// The singular values alone, descending (zgesdd, jobz = "N").
    public func singularValues() throws -> [Double] {
        guard rows > 0, columns > 0 else { throw LinearAlgebraError.empty(operation: "singularValues") }
        try requireFinite("singularValues input")
        let k = min(rows, columns)
        let m = try lapackInt(rows), n = try lapackInt(columns)
        var a = paddedForLapack(elements, rows: rows, columns: columns)
        var s = [Double](repeating: 0, count: k)
        var dummy = [Complex<Double>.zero]
        let info = try a.withLapackBuffer("singularValues") { pa in
            try dummy.withLapackBuffer("singularValues") { pd in
                LAPACKE_zgesdd(lapackColumnMajor, lapackChar("N"), m, n, pa, m, &s, pd, 1, pd, 1)
            }
        }
        try checkLapack("zgesdd", info, n: k)
        return s
    }
}
