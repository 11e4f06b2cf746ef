// Every way a dense linear-algebra routine can fail, as one typed error. LAPACK reports failures as an integer `info`;
// `LinearAlgebraError.lapack` keeps the routine and the integer and says in words what that integer means for that
// routine, so the user never has to look it up.

/// A failure of a dense linear-algebra routine.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A LAPACK routine returned `info ≠ 0`; `meaning` says what that value means for `routine`.
    case lapack(routine: String, info: Int, meaning: String)
    /// The operation needs a square matrix.
    case notSquare(rows: Int, columns: Int, operation: String)
    /// Shapes do not fit together; the text names both.
    case dimensionMismatch(String)
    /// An input (or a result) has NaN or ±Inf; the text names it and the entry.
    case nonFinite(String)
    /// The principal logarithm does not exist: an eigenvalue is zero or on the closed negative real axis.
    case noPrincipalLogarithm(eigenvalue: Complex<Double>)
    /// X = A X A* + Q has no unique solution because λ_i·conj(λ_j) = 1 for a pair of eigenvalues of A.
    case steinNotSolvable(eigenvalueI: Complex<Double>, eigenvalueJ: Complex<Double>, spectralRadius: Double)
    /// The operation needs a non-empty matrix.
    case empty(operation: String)
    /// A dimension exceeds what the LAPACK integer type can hold.
    case tooLarge(dimension: Int)

    public var description: String {
        switch self {
        case let .lapack(routine, info, meaning):
            return "LAPACK \(routine) failed (info = \(info)): \(meaning)"
        case let .notSquare(rows, columns, operation):
            return "\(operation) needs a square matrix, got \(rows)×\(columns)"
        case let .dimensionMismatch(text):
            return "dimension mismatch: \(text)"
        case let .nonFinite(text):
            return "\(text) (check the input for NaN/Inf, or lower the scale that overflowed)"
        case let .noPrincipalLogarithm(eigenvalue):
            return "the matrix has no principal logarithm: eigenvalue \(eigenvalue) is zero or on the closed negative "
                + "real axis (a real logarithm needs no eigenvalue in (−∞, 0]; for a discretised system, Δ may be too "
                + "large so that a mode sits at the Nyquist edge)"
        case let .steinNotSolvable(li, lj, rho):
            let stability = rho >= 1
                ? "A is not stable (spectral radius \(rho) ≥ 1), so the series Σ A^k Q A*^k diverges"
                : "A has spectral radius \(rho)"
            return "X = A X A* + Q has no unique solution: eigenvalues λ_i = \(li), λ_j = \(lj) give λ_i·conj(λ_j) = 1; "
                + stability + "; scale A so that every |λ| < 1"
        case let .empty(operation):
            return "\(operation) needs a non-empty matrix, got 0 rows or 0 columns"
        case let .tooLarge(dimension):
            return "dimension \(dimension) is too large for LAPACK's 32-bit integers"
        }
    }
}
