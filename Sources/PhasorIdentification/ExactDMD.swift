// Exact dynamic mode decomposition (Tu, Rowley, Luchtenburg, Brunton & Kutz, J. Comput. Dyn. 1(2), 2014).
// Snapshot pairs X = (x_0 … x_{m−1}), Y = (x_1 … x_m) ∈ ℂ^{n×m}, sampled every Δ; the best-fit linear map Y ≈ A X is
// sought in the leading r-dimensional subspace of X:
//   X = U Σ V*  (thin SVD), truncated to r by a RankRule: U_r (n×r), Σ_r, V_r (m×r);
//   Ã = U_r* Y V_r Σ_r⁻¹                    (r×r, the map in POD coordinates);
//   Ã W = W Λ,  Λ = diag(μ_1 … μ_r)          (eigen-decomposition, LAPACK zgeevx);
//   Φ = Y V_r Σ_r⁻¹ W                        (exact DMD modes: A_r Φ = Φ Λ for A_r = Y V_r Σ_r⁻¹ U_r*);
//   b = Φ⁺ x_0                               (amplitudes: least squares, LAPACK zgelsd);
//   x̂_k = Φ Λ^k b                            (reconstruction / forecast);   λ = log μ / Δ (continuous rates).
// Identity: A_r X = Y V_r V_r* — the exact-DMD operator maps each training snapshot to the next one projected onto
// the row space of X that the truncation keeps (equal to Y when r = rank X and Y's rows lie in X's row space).
// The lift L = Y V_r Σ_r⁻¹ (n×r) satisfies L W = Φ and L Ã = A_r L, so (Ã, W b, L) is a linear system whose free
// response L Ã^k W b equals Φ Λ^k b exactly (IdentifiedSystem.swift turns it into an LTISystem).
import PhasorNumerics

/// The exact DMD of snapshot pairs (X, Y).
public struct ExactDMD: Sendable {
    /// Δ, the time between x_k and x_{k+1}.
    public let step: Double
    /// The rule that chose r.
    public let rule: RankRule
    /// r.
    public let rank: Int
    /// All singular values of X, descending.
    public let singularValues: [Double]
    /// U_r (n×r), the POD basis.
    public let basis: ComplexMatrix
    /// Ã = U_r* Y V_r Σ_r⁻¹ (r×r).
    public let reducedOperator: ComplexMatrix
    /// L = Y V_r Σ_r⁻¹ (n×r).
    public let lift: ComplexMatrix
    /// μ_1 … μ_r, the eigenvalues of Ã (discrete).
    public let eigenvalues: [Complex<Double>]
    /// W (r×r), the eigenvectors of Ã (unit columns).
    public let eigenvectors: ComplexMatrix
    /// κ(W) = σ_max(W)/σ_min(W).
    public let eigenvectorCondition: Double
    /// Φ = L W (n×r), the exact modes.
    public let modes: ComplexMatrix
    /// b = Φ⁺ x_0.
    public let amplitudes: [Complex<Double>]
    /// Notes (rank capped at the rounding level, …).
    public let warnings: [String]

    /// Exact DMD of `x` → `y` (same shape n×m, m ≥ 1) sampled every `step`.
    public init(x: ComplexMatrix, y: ComplexMatrix, step: Double, rank rule: RankRule) throws {
        guard step > 0, step.isFinite else { throw IdentificationError.invalid("step Δ = \(step) must be positive and finite") }
        guard x.rows == y.rows, x.columns == y.columns, x.columns >= 1, x.rows >= 1 else {
            throw IdentificationError.invalid("snapshot matrices X \(x.rows)×\(x.columns) and Y \(y.rows)×\(y.columns) must have one shape")
        }
        let svd = try x.svd()
        let (r, note) = try rule.rank(singularValues: svd.singularValues, rows: x.rows, columns: x.columns)
        let u = svd.u.columns(0..<r)
        // V_r Σ_r⁻¹ (m×r): row j of Vh is v_j*, so (V_r)_{kj} = conj(Vh_{jk}).
        var vSigmaInverse = ComplexMatrix(rows: x.columns, columns: r)
        for j in 0..<r {
            let inverse = 1 / svd.singularValues[j]
            for k in 0..<x.columns { vSigmaInverse[k, j] = svd.vh[j, k].conjugate * Complex(inverse) }
        }
        let lift = try y * vSigmaInverse                            // L = Y V_r Σ_r⁻¹
        let reduced = try u.product(lift, adjointSelf: true)        // Ã = U_r* L
        let eigen = try reduced.eigen()                             // Ã W = W Λ
        let modes = try lift * eigen.right                          // Φ = L W
        let x0 = try ComplexMatrix(rows: x.rows, columns: 1, columnMajor: x.column(0))
        let amplitudes = try modes.leastSquares(x0).solution.elements  // b = Φ⁺ x_0
        var warnings: [String] = []
        if let note { warnings.append(note) }
        if !(eigen.vectorConditionNumber <= 1e8) {
            warnings.append("κ(W) = \(eigen.vectorConditionNumber): the DMD eigenvectors are nearly dependent, so modes "
                + "and amplitudes are ill-determined (the eigenvalues may still be fine); try a smaller rank")
        }
        self.step = step
        self.rule = rule
        self.rank = r
        self.singularValues = svd.singularValues
        self.basis = u
        self.reducedOperator = reduced
        self.lift = lift
        self.eigenvalues = eigen.values
        self.eigenvectors = eigen.right
        self.eigenvectorCondition = eigen.vectorConditionNumber
        self.modes = modes
        self.amplitudes = amplitudes
        self.warnings = warnings
    }

    /// Amplitudes of a snapshot: Φ⁺ x (least squares).
    public func amplitudes(of snapshot: [Complex<Double>]) throws -> [Complex<Double>] {
        try modes.leastSquares(ComplexMatrix(rows: snapshot.count, columns: 1, columnMajor: snapshot)).solution.elements
    }

    /// Φ Λ^k b for k = 0 … count − 1 (rows `rows` of each snapshot, default all), as a |rows| × count matrix.
    public func evolve(amplitudes b: [Complex<Double>], count: Int, rows: Range<Int>? = nil) throws -> ComplexMatrix {
        let rows = rows ?? 0..<modes.rows
        var sub = ComplexMatrix(rows: rows.count, columns: rank)
        for j in 0..<rank { for i in rows { sub[i - rows.lowerBound, j] = modes[i, j] } }
        var powers = ComplexMatrix(rows: rank, columns: count)  // column k = Λ^k b
        for j in 0..<rank {
            var p = b[j]
            for k in 0..<count {
                powers[j, k] = p
                p = p * eigenvalues[j]  // μ_j^{k+1} b_j
            }
        }
        let out = try sub * powers
        try out.requireFinite("DMD evolution over \(count) steps (a mode with |μ| > 1 overflowed; use fewer steps or a smaller rank)")
        return out
    }

    /// A_r X for snapshots X (columns): the exact-DMD operator A_r = L U_r* applied without forming it.
    public func apply(to snapshots: ComplexMatrix) throws -> ComplexMatrix {
        try lift * basis.product(snapshots, adjointSelf: true)
    }
}
