// HAVOK, the Hankel alternative view of Koopman (Brunton, Brunton, Proctor, Kaiser & Kutz, Nat. Commun. 8, 19, 2017).
// Delay-embed the series (DelayEmbedding), H = U Σ V* (thin SVD) truncated to rank r; the rows of V_r are the delay
// coordinates v_k = Σ_r⁻¹ U_r* h_k ∈ ℝ^r. The first r − 1 evolve linearly, the last one f_k = v_k[r] forces them:
// the paper's continuous model dv/dt = A_c v + B_c f(t), with f linear between samples (first-order hold), is exactly
//   v_{k+1}[1…r−1] = Ā v_k[1…r−1] + B₀ f_k + B₁ f_{k+1},
//   Ā = e^{ΔA_c},  B₀ = (M₀ − M₁)B_c,  B₁ = M₁B_c,  M₀ = ∫₀^Δ e^{sA_c} ds,  M₁ = ∫₀^Δ e^{(Δ−s)A_c} (s/Δ) ds,
// and (Ā, B₀, B₁) are fitted by least squares over all windows (LAPACK zgelsd), minimising ‖V_next − [Ā B₀ B₁] V‖_F —
// no numerical derivative needed. (Fitting a single B f_k instead, as a zero-order hold would, makes the driven
// reconstruction of Lorenz 2–10× worse at the same rank.) Since B₀ + B₁ = M₀ B_c, the discrete system (Ā, B₀ + B₁) is
// the zero-order-hold sampling of the continuous model: the correspondence's d2c returns (A_c, B_c) from it.
// The newest sample of window k is read back as x_{k+q−1} ≈ C v_k[1…r−1] with C the newest rows of U_r Σ_r (first
// r − 1 columns); the forcing's own direct share (column r) is left out of the linear model's output.
// For chaotic switching systems (Lorenz) the forcing is quiet most of the time and bursts where the trajectory
// switches lobes — measured by SwitchingAgreement.
import PhasorData
import PhasorNumerics

/// The HAVOK model of a series.
public struct HAVOK: Sendable {
    /// The training windows.
    public let embedding: DelayEmbedding
    /// Δ.
    public let step: Double
    /// r (≥ 2): r − 1 linear coordinates and one forcing.
    public let rank: Int
    /// All singular values of H, descending.
    public let singularValues: [Double]
    /// U_r (qd×r), the delay basis.
    public let basis: ComplexMatrix
    /// v_k[1…r], k = 0 … m − 1: m × r, row k = the delay coordinates of window k.
    public let coordinates: [[Double]]
    /// Ā ((r−1)×(r−1)).
    public let a: ComplexMatrix
    /// B₀ ((r−1)×1): how the forcing at the start of a step drives each linear coordinate.
    public let b0: ComplexMatrix
    /// B₁ ((r−1)×1): how the forcing at the end of a step drives each linear coordinate.
    public let b1: ComplexMatrix
    /// C (d×(r−1)): newest rows of U_r Σ_r.
    public let c: ComplexMatrix
    /// ‖V_next − [Ā B₀ B₁] V‖_F / ‖V_next‖_F over the training windows.
    public let regressionResidual: Double
    /// Notes (rank capped, …).
    public let warnings: [String]

    /// HAVOK of `series` with q `delays` and a rank rule (the rank must come out ≥ 2), sampled every `step`.
    public init(_ series: TimeSeries, delays: Int, rank rule: RankRule, step: Double) throws {
        guard step > 0, step.isFinite else { throw IdentificationError.invalid("step Δ = \(step) must be positive and finite") }
        let embedding = try DelayEmbedding(series, delays: delays, minimumWindows: 3)
        let h = embedding.hankel
        let svd = try h.svd()
        let (r, note) = try rule.rank(singularValues: svd.singularValues, rows: h.rows, columns: h.columns)
        guard r >= 2 else {
            throw IdentificationError.degenerate("HAVOK needs rank ≥ 2 (r − 1 linear coordinates and one forcing), "
                + "the rule gave \(r): give --rank r with r ≥ 2 or more delays")
        }
        let m = h.columns
        // v_k[j] = (V_r)_{kj} = conj(Vh_{jk}) — real for real data.
        var v = [[Double]](repeating: [Double](repeating: 0, count: r), count: m)
        for j in 0..<r { for k in 0..<m { v[k][j] = svd.vh[j, k].real } }
        // Regression: row k = 0 … m−2 of X is (v_k[1…r], f_{k+1}), of Y is v_{k+1}[1…r−1]; X Ξ ≈ Y, [Ā B₀ B₁] = Ξᵀ.
        var x = ComplexMatrix(rows: m - 1, columns: r + 1), y = ComplexMatrix(rows: m - 1, columns: r - 1)
        for k in 0..<(m - 1) {
            for j in 0..<r { x[k, j] = Complex(v[k][j]) }
            x[k, r] = Complex(v[k + 1][r - 1])
            for j in 0..<(r - 1) { y[k, j] = Complex(v[k + 1][j]) }
        }
        let xi = try x.leastSquares(y).solution  // (r+1) × (r−1)
        var a = ComplexMatrix(rows: r - 1, columns: r - 1)
        var b0 = ComplexMatrix(rows: r - 1, columns: 1), b1 = ComplexMatrix(rows: r - 1, columns: 1)
        for i in 0..<(r - 1) {
            for j in 0..<(r - 1) { a[i, j] = xi[j, i] }
            b0[i, 0] = xi[r - 1, i]
            b1[i, 0] = xi[r, i]
        }
        let residual = try (x * xi - y).frobeniusNorm / max(y.frobeniusNorm, Double.leastNormalMagnitude)
        var c = ComplexMatrix(rows: embedding.channels, columns: r - 1)
        for (row, i) in embedding.newestRows.enumerated() {
            for j in 0..<(r - 1) { c[row, j] = svd.u[i, j] * Complex(svd.singularValues[j]) }  // (U_r Σ_r)_{ij}
        }
        self.embedding = embedding
        self.step = step
        self.rank = r
        self.singularValues = svd.singularValues
        self.basis = svd.u.columns(0..<r)
        self.coordinates = v
        self.a = a
        self.b0 = b0
        self.b1 = b1
        self.c = c
        self.regressionResidual = residual
        self.warnings = note.map { [$0] } ?? []
    }

    /// The forcing v_k[r], k = 0 … m − 1.
    public var forcing: [Double] { coordinates.map { $0[rank - 1] } }

    /// The linear model driven by a forcing sequence f_0 … f_{n−1} from the coordinates v_0[1…r−1]:
    ///   v_{k+1} = Ā v_k + B₀ f_k + B₁ f_{k+1},   x̂_{k+q−1} = C v_k,   k = 0 … n − 1
    /// (n samples, d per step, time-major).
    public func driven(from v0: [Double], forcing f: [Double]) throws -> [Double] {
        guard v0.count == rank - 1 else {
            throw IdentificationError.invalid("the initial coordinates have \(v0.count) entries; HAVOK has r − 1 = \(rank - 1)")
        }
        let d = embedding.channels
        var state = v0.map { Complex($0) }
        var out = [Double](repeating: 0, count: f.count * d)
        for k in 0..<f.count {
            let y = try c * state
            for ch in 0..<d { out[k * d + ch] = y[ch].real }
            if k == f.count - 1 { break }
            let next = try a * state
            state = (0..<(rank - 1)).map { next[$0] + b0[$0, 0] * Complex(f[k]) + b1[$0, 0] * Complex(f[k + 1]) }
        }
        try requireFinite(out, "HAVOK response (the linear part is unstable over this horizon)")
        return out
    }

    /// The delay coordinates of any window h (qd entries, e.g. one past the training span): v = Σ_r⁻¹ U_r* h.
    public func coordinates(of window: [Complex<Double>]) throws -> [Double] {
        guard window.count == basis.rows else {
            throw IdentificationError.invalid("a window has \(window.count) entries; this embedding needs \(basis.rows)")
        }
        let projected = try basis.product(ComplexMatrix(rows: window.count, columns: 1, columnMajor: window), adjointSelf: true)
        return (0..<rank).map { projected[$0, 0].real / singularValues[$0] }
    }

    /// The driven reconstruction of the training windows: the model started from v_0 and forced by the measured v_r.
    public func reconstruction() throws -> [Double] {
        try driven(from: Array(coordinates[0].prefix(rank - 1)), forcing: forcing)
    }
}
