// The one place where Swift buffers meet LAPACKE/CBLAS: `Complex<Double>` and `phasor_complex_double` are both two
// adjacent Doubles (real, imag), so a buffer of one is rebound to the other without copying. Every call's `info` is
// turned into a `LinearAlgebraError` here, with the meaning of each nonzero value for each routine.
import CLapack

/// LAPACK's integer (`lapack_int`, a C macro Swift cannot see): 32-bit in the LP64 builds of LAPACKE/OpenBLAS.
typealias LapackInt = Int32

/// Column-major layout flag for LAPACKE (LAPACK_COL_MAJOR = 102).
let lapackColumnMajor = Int32(LAPACK_COL_MAJOR)

/// Converts a dimension to LAPACK's integer type, throwing instead of trapping when it does not fit.
@inline(__always)
func lapackInt(_ n: Int) throws -> LapackInt {
    guard let v = LapackInt(exactly: n) else { throw LinearAlgebraError.tooLarge(dimension: n) }
    return v
}

/// An ASCII character as LAPACK's `char` argument.
@inline(__always)
func lapackChar(_ c: Unicode.Scalar) -> CChar { CChar(truncatingIfNeeded: c.value) }

extension Array where Element == Complex<Double> {
    /// Calls `body` with the array's storage seen as `phasor_complex_double` (same layout, no copy). The array must be
    /// non-empty; an empty array throws `.empty`.
    @inline(__always)
    mutating func withLapackBuffer<R>(
        _ operation: String, _ body: (UnsafeMutablePointer<phasor_complex_double>) throws -> R
    ) throws -> R {
        try withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { throw LinearAlgebraError.empty(operation: operation) }
            return try base.withMemoryRebound(to: phasor_complex_double.self, capacity: buffer.count) { try body($0) }
        }
    }
}

/// A copy of a column-major m×n buffer followed by max(m, n) + 64 zeros, for LAPACK drivers that reduce to bidiagonal
/// form (zgesdd, zgelsd). OpenBLAS 0.3.21's zgemv kernel (zgemv_n_HASWELL, called from zlarf in zgelq2/zgebrd) reads
/// up to one leading dimension past the end of the matrix: when the buffer ends at an unmapped page this is a SIGSEGV
/// (measured in a plain C program on this machine: zgesdd of a 100×1000 matrix crashed 6 of 6 runs, 0 of 6 with
/// m elements of padding; zgelsd 1000×100 likewise). The values read there are not used.
func paddedForLapack(_ elements: [Complex<Double>], rows: Int, columns: Int) -> [Complex<Double>] {
    var padded = elements
    padded.append(contentsOf: repeatElement(.zero, count: max(rows, columns) + 64))
    return padded
}

/// Throws `.lapack` with the meaning of `info` for `routine` unless `info == 0`.
func checkLapack(_ routine: String, _ info: LapackInt, n: Int = 0) throws {
    guard info != 0 else { return }
    throw LinearAlgebraError.lapack(routine: routine, info: Int(info), meaning: lapackMeaning(routine, Int(info), n: n))
}

/// What `info` means for `routine` (from the LAPACK reference documentation of each routine).
func lapackMeaning(_ routine: String, _ info: Int, n: Int) -> String {
    if info == -1010 { return "LAPACKE could not allocate its work space (out of memory)" }
    if info < 0 { return "argument \(-info) had an illegal value (a bug in Phasor's call: please report it)" }
    switch routine {
    case "zgesv", "zgetrf":
        return "U(\(info),\(info)) is exactly zero: the matrix is singular, so the system has no unique solution "
            + "(use leastSquares for a minimum-norm solution)"
    case "ztrtrs":
        return "diagonal element A(\(info),\(info)) of the triangular matrix is exactly zero: it is singular"
    case "zgeevx", "zgeev":
        return "the QR algorithm failed to compute all eigenvalues; eigenvalues \(info + 1)…\(n) converged but no "
            + "eigenvectors were computed (the matrix may be badly scaled)"
    case "zgees":
        if info <= n {
            return "the QR algorithm failed to compute all eigenvalues; eigenvalues \(info + 1)…\(n) converged"
        }
        return "the Schur form could not be reordered (eigenvalues too close together)"
    case "zgelsd":
        return "the SVD algorithm failed to converge: \(info) off-diagonal elements of an intermediate bidiagonal form "
            + "did not converge to zero"
    case "zgesdd":
        return "the divide-and-conquer SVD (zbdsdc) did not converge: the updating process failed"
    default:
        return "LAPACK reported failure code \(info)"
    }
}
