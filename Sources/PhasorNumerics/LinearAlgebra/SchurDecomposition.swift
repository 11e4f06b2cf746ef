// Complex Schur form A = U T U* (T upper triangular, U unitary) by LAPACK's zgees. It always exists and is computed
// stably, so it is the fallback when the eigenvectors are ill-conditioned (DESIGN.md §4), and the first step of the
// matrix logarithm and the Stein solver.
import CLapack

/// A = U T U* with U unitary and T upper triangular; the eigenvalues are the diagonal of T.
public struct SchurDecomposition: Sendable, Equatable {
    /// Upper triangular Schur factor (its strictly lower part is exactly zero).
    public let t: ComplexMatrix
    /// Unitary Schur vectors.
    public let u: ComplexMatrix
    /// diag(T), the eigenvalues, in the order they appear on the diagonal.
    public let eigenvalues: [Complex<Double>]
}

extension ComplexMatrix {
    /// The complex Schur decomposition (zgees, no reordering).
    /// Throws `.notSquare`, `.empty`, `.nonFinite`, or `.lapack("zgees", …)`.
    public func schur() throws -> SchurDecomposition {
        try requireSquareNonEmpty("schur")
        try requireFinite("schur input")
        let n = rows
        let ni = try lapackInt(n)
        var t = self
        var w = [Complex<Double>](repeating: .zero, count: n)
        var u = ComplexMatrix(rows: n, columns: n)
        var sdim: LapackInt = 0
        let info = try t.elements.withLapackBuffer("schur") { pt in
            try w.withLapackBuffer("schur") { pw in
                try u.elements.withLapackBuffer("schur") { pu in
                    LAPACKE_zgees(lapackColumnMajor, lapackChar("V"), lapackChar("N"), nil, ni, pt, ni, &sdim, pw,
                                  pu, ni)
                }
            }
        }
        try checkLapack("zgees", info, n: n)
        // zgees leaves T exactly upper triangular; make the zero pattern explicit for callers that rely on it.
        for j in 0..<n { for i in (j + 1)..<n { t[i, j] = .zero } }
        return SchurDecomposition(t: t, u: u, eigenvalues: w)
    }
}
