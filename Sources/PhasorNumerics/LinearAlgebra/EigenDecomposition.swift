// Eigendecomposition A V = V Λ with left eigenvectors W* A = Λ W* and the condition numbers that say whether the
// eigen-reading of a model means anything (DESIGN.md §4), by LAPACK's expert driver zgeevx.
//
// Balancing is OFF (balanc = "N"): the condition numbers then refer to A itself, not to a diagonally rescaled copy.
import CLapack

/// A = V Λ V⁻¹ with Λ = diag(values).
public struct EigenDecomposition: Sendable, Equatable {
    /// Eigenvalues λ_i, in LAPACK's order.
    public let values: [Complex<Double>]
    /// Right eigenvectors V (column i is v_i with A v_i = λ_i v_i), each of unit 2-norm with its largest component real.
    public let right: ComplexMatrix
    /// Left eigenvectors W (column i is w_i with w_i* A = λ_i w_i*), normalised so that w_i* v_i = 1; when the
    /// eigenvalues are distinct this makes W* = V⁻¹. (Their lengths are then ‖w_i‖ = κ(λ_i).) Where ŵ_i* v_i is exactly
    /// zero (an exactly defective eigenvalue, κ(λ_i) = +∞) the column is left at unit length.
    public let left: ComplexMatrix
    /// κ(λ_i) = 1/|ŵ_i* v_i| with ŵ_i, v_i of unit length (LAPACK's 1/rconde): how much λ_i moves per unit
    /// perturbation of A. 1 for a normal matrix; +∞ when the computed ŵ_i* v_i is exactly zero.
    public let valueConditionNumbers: [Double]
    /// κ(V) = σ_max(V)/σ_min(V), the eigenvector condition number; ≥ 1, = 1 for a normal matrix, +∞ for a
    /// numerically defective one. When it is large the eigen-reading of A is meaningless (use `schur()`).
    public let vectorConditionNumber: Double
    /// LAPACK's reciprocal condition numbers of the right eigenvectors (rcondv): small means v_i is sensitive,
    /// usually because λ_i is close to another eigenvalue. Only computed when asked for
    /// (`eigen(vectorSensitivities: true)`): it costs O(n⁴) (one Sylvester solve per eigenvalue), nil otherwise.
    public let vectorReciprocalConditions: [Double]?
}

extension ComplexMatrix {
    /// The eigendecomposition of a square matrix (zgeevx, no balancing; sense = "E", or "B" when
    /// `vectorSensitivities` is true — that adds the O(n⁴) eigenvector condition numbers).
    /// Throws `.notSquare`, `.empty`, `.nonFinite` (never passes NaN/Inf to LAPACK), or `.lapack("zgeevx", …)`.
    public func eigen(vectorSensitivities: Bool = false) throws -> EigenDecomposition {
        try requireSquareNonEmpty("eigen")
        try requireFinite("eigen input")
        let n = rows
        let ni = try lapackInt(n)
        var a = elements
        var w = [Complex<Double>](repeating: .zero, count: n)
        var vl = ComplexMatrix(rows: n, columns: n)
        var vr = ComplexMatrix(rows: n, columns: n)
        var ilo: LapackInt = 0, ihi: LapackInt = 0
        var scale = [Double](repeating: 0, count: n)
        var abnrm = 0.0
        var rconde = [Double](repeating: 0, count: n)
        var rcondv = [Double](repeating: 0, count: n)
        let info = try a.withLapackBuffer("eigen") { pa in
            try w.withLapackBuffer("eigen") { pw in
                try vl.elements.withLapackBuffer("eigen") { pl in
                    try vr.elements.withLapackBuffer("eigen") { pr in
                        LAPACKE_zgeevx(lapackColumnMajor, lapackChar("N"), lapackChar("V"), lapackChar("V"),
                                       lapackChar(vectorSensitivities ? "B" : "E"), ni, pa, ni, pw, pl, ni, pr, ni, &ilo, &ihi, &scale, &abnrm,
                                       &rconde, &rcondv)
                    }
                }
            }
        }
        try checkLapack("zgeevx", info, n: n)
        // LAPACK returns unit-length ŵ_i; rescale to w_i = ŵ_i / conj(ŵ_i* v_i) so that w_i* v_i = 1. When ŵ_i* v_i is
        // exactly zero (an exactly defective eigenvalue) no such scaling exists: ŵ_i stays of unit length and
        // κ(λ_i) = +∞ says why.
        var left = vl
        for i in 0..<n {
            var d = Complex<Double>.zero  // d = ŵ_i* v_i
            for r in 0..<n { d += vl[r, i].conjugate * vr[r, i] }
            let c = Complex<Double>.one / d.conjugate
            guard c.isFinite else { continue }
            for r in 0..<n { left[r, i] = vl[r, i] * c }
        }
        let sv = try vr.singularValues()
        let kappaV = sv.last == 0 ? Double.infinity : sv[0] / sv[n - 1]
        return EigenDecomposition(
            values: w, right: vr, left: left,
            valueConditionNumbers: rconde.map { $0 == 0 ? .infinity : 1 / $0 },
            vectorConditionNumber: kappaV, vectorReciprocalConditions: vectorSensitivities ? rcondv : nil)
    }
}
