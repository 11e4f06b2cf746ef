// Linear systems: A X = B by LU with partial pivoting (zgesv), minimum-norm least squares min ‖A X − B‖_F by the
// SVD-based zgelsd, and upper-triangular solves (ztrtrs) used by expm/logm.
import CLapack

/// The minimum-norm least-squares solution of A X ≈ B.
public struct LeastSquaresSolution: Sendable, Equatable {
    /// n×nrhs: the X minimising ‖A X − B‖_F, of minimum norm among the minimisers.
    public let solution: ComplexMatrix
    /// The effective rank of A: the number of singular values above rcond·σ_1.
    public let rank: Int
    /// The singular values of A, descending.
    public let singularValues: [Double]
}

extension ComplexMatrix {
    /// X with A X = B for square A (LU with partial pivoting, zgesv).
    /// Throws `.notSquare`, `.empty`, `.dimensionMismatch`, `.nonFinite`, or `.lapack("zgesv", info > 0)` when A is
    /// exactly singular.
    public func solve(_ b: ComplexMatrix) throws -> ComplexMatrix {
        try requireSquareNonEmpty("solve")
        guard b.rows == rows else {
            throw LinearAlgebraError.dimensionMismatch("solve with a \(rows)×\(columns) matrix and a right-hand side with \(b.rows) rows")
        }
        try requireFinite("solve matrix")
        try b.requireFinite("solve right-hand side")
        if b.columns == 0 { return b }
        let n = try lapackInt(rows), nrhs = try lapackInt(b.columns)
        var a = elements
        var x = b
        var pivots = [LapackInt](repeating: 0, count: rows)
        let info = try a.withLapackBuffer("solve") { pa in
            try x.elements.withLapackBuffer("solve") { px in
                LAPACKE_zgesv(lapackColumnMajor, n, nrhs, pa, n, &pivots, px, n)
            }
        }
        try checkLapack("zgesv", info, n: rows)
        try x.requireFinite("solve result (the matrix is nearly singular)")
        return x
    }

    /// x with A x = b for a vector b.
    public func solve(_ b: [Complex<Double>]) throws -> [Complex<Double>] {
        try solve(ComplexMatrix(rows: b.count, columns: 1, columnMajor: b)).elements
    }

    /// The inverse A⁻¹ (solve with the identity); prefer `solve` when only A⁻¹B is needed.
    public func inverse() throws -> ComplexMatrix {
        try solve(.identity(rows))
    }

    /// The minimum-norm least-squares solution of A X ≈ B for any m×n A (zgelsd, divide-and-conquer SVD).
    /// Singular values below `rcond`·σ_1 count as zero; the default (−1) means machine precision.
    public func leastSquares(_ b: ComplexMatrix, rcond: Double = -1) throws -> LeastSquaresSolution {
        guard rows > 0, columns > 0 else { throw LinearAlgebraError.empty(operation: "leastSquares") }
        guard b.rows == rows else {
            throw LinearAlgebraError.dimensionMismatch("least squares with a \(rows)×\(columns) matrix and a right-hand side with \(b.rows) rows")
        }
        try requireFinite("leastSquares matrix")
        try b.requireFinite("leastSquares right-hand side")
        guard rcond.isFinite else { throw LinearAlgebraError.nonFinite("leastSquares rcond = \(rcond)") }
        if b.columns == 0 {
            return LeastSquaresSolution(solution: ComplexMatrix(rows: columns, columns: 0), rank: 0, singularValues: try singularValues())
        }
        let ldb = max(rows, columns)
        let m = try lapackInt(rows), n = try lapackInt(columns), nrhs = try lapackInt(b.columns), ldbi = try lapackInt(ldb)
        var a = paddedForLapack(elements, rows: rows, columns: columns)  // OpenBLAS over-reads: see LapackBridge
        // LAPACK overwrites B (ldb × nrhs, ldb = max(m, n)) with X in its first n rows.
        var work = [Complex<Double>](repeating: .zero, count: ldb * b.columns)
        for j in 0..<b.columns { for i in 0..<rows { work[i + j * ldb] = b[i, j] } }
        work = paddedForLapack(work, rows: ldb, columns: b.columns)
        var s = [Double](repeating: 0, count: min(rows, columns))
        var rank: LapackInt = 0
        let info = try a.withLapackBuffer("leastSquares") { pa in
            try work.withLapackBuffer("leastSquares") { pb in
                LAPACKE_zgelsd(lapackColumnMajor, m, n, nrhs, pa, m, pb, ldbi, &s, rcond, &rank)
            }
        }
        try checkLapack("zgelsd", info, n: min(rows, columns))
        var x = ComplexMatrix(rows: columns, columns: b.columns)
        for j in 0..<b.columns { for i in 0..<columns { x[i, j] = work[i + j * ldb] } }
        return LeastSquaresSolution(solution: x, rank: Int(rank), singularValues: s)
    }

    /// X with T X = B for upper-triangular T (only the upper triangle of `self` is read; ztrtrs).
    func solveUpperTriangular(_ b: ComplexMatrix) throws -> ComplexMatrix {
        try requireSquareNonEmpty("triangular solve")
        try b.requireWellFormed("triangular solve right-hand side")
        guard b.rows == rows else {
            throw LinearAlgebraError.dimensionMismatch("triangular solve with \(rows)×\(columns) and \(b.rows) rows")
        }
        if b.columns == 0 { return b }
        let n = try lapackInt(rows), nrhs = try lapackInt(b.columns)
        var t = elements
        var x = b
        let info = try t.withLapackBuffer("triangular solve") { pt in
            try x.elements.withLapackBuffer("triangular solve") { px in
                LAPACKE_ztrtrs(lapackColumnMajor, lapackChar("U"), lapackChar("N"), lapackChar("N"), n, nrhs, pt, n, px, n)
            }
        }
        try checkLapack("ztrtrs", info, n: rows)
        return x
    }
}
