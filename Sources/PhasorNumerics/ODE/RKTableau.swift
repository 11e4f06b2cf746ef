// One explicit embedded Runge–Kutta pair with its continuous extension, as data: the Butcher coefficients of every
// stage (propagating, FSAL, and the extra dense-output stages), the error-estimator weights, the dense-output rows and
// the step-size controller constants. ODEStepper.swift runs any tableau of this shape; the two instances are in
// DormandPrince5Tableau.swift and DOP853Tableau.swift.

/// A sparse row Σ_j w_j k_j: only the non-zero (stage, weight) pairs.
struct SparseRow: Sendable {
    let stages: [Int]
    let weights: [Double]

    /// Keeps the non-zero entries of a dense row (index = stage).
    init(_ dense: [Double]) {
        var s: [Int] = []
        var w: [Double] = []
        for (j, v) in dense.enumerated() where v != 0 {
            s.append(j)
            w.append(v)
        }
        stages = s
        weights = w
    }

    /// Σ_j w_j (exact sum of the dense row), used by the consistency tests (Σ_j a_sj = c_s).
    var sum: Double { weights.reduce(0, +) }
}

/// Coefficients of an explicit embedded pair. Stages are numbered 0…(stageCount − 1):
/// `0` is f(t, y) (reused from the previous step: FSAL), `1..<stepStages` build y_new, `fsalStage` is f(t + h, y_new)
/// (its row equals b), stages after it exist only for the dense output.
struct RKTableau: Sendable {
    let method: ODEMethod
    /// Nodes c_s of all stages.
    let c: [Double]
    /// Rows a_s· of all stages (row 0 empty; row `fsalStage` = b).
    let a: [SparseRow]
    /// Stages 0..<stepStages enter y_new = y + h Σ b_j k_j.
    let stepStages: Int
    /// Index of the stage f(t + h, y_new).
    let fsalStage: Int
    /// True when the error estimate uses the FSAL stage (DOPRI5), so it is evaluated for every trial step;
    /// otherwise (DOP853) it is evaluated only after acceptance.
    let errorUsesFSAL: Bool
    /// Main error weights: err_i = h Σ_j e_j k_j,i (DOPRI5: b − b̂ of order 4; DOP853: the 5th-order estimator).
    let error: SparseRow
    /// DOP853 only: the 3rd-order estimator weights (b − b̂₃), combined as in Hairer's code.
    let error3: SparseRow?
    /// Dense-output rows beyond the three Hermite terms: q_{3+r} = h Σ_j d_rj k_j (DOPRI5: 1 row, DOP853: 4 rows).
    let denseRows: [SparseRow]
    /// Stages evaluated only for dense output (DOP853: 13, 14, 15).
    let extraStages: Range<Int>
    /// Controller: exponent of the error (Hairer's expo1 = 1/q − 0.75·β (DOPRI5), 1/8 − 0.2·β (DOP853)).
    let errorExponent: Double
    /// Controller: PI memory exponent β (Hairer: 0.04 for DOPRI5, 0 for DOP853).
    let beta: Double
    /// Smallest and largest step-size ratio h_new / h (Hairer's fac1, fac2).
    let facMin: Double
    let facMax: Double

    var stageCount: Int { c.count }
    /// Number of polynomial coefficient vectors q_0 … of the dense output.
    var denseTerms: Int { 3 + denseRows.count }

    static func of(_ method: ODEMethod) -> RKTableau {
        switch method {
        case .dopri5: dormandPrince5
        case .dop853: dop853
        }
    }
}

/// The rows of a tableau flattened into raw memory for the stepper's inner loops (no array retain/release or bounds
/// checks per stage): row r holds entries start[r] ..< start[r + 1] of (stage, weight).
final class FlatRows {
    let start: UnsafeMutablePointer<Int>
    let stage: UnsafeMutablePointer<Int>
    let weight: UnsafeMutablePointer<Double>
    let rowCount: Int

    init(_ rows: [SparseRow]) {
        rowCount = rows.count
        let total = rows.reduce(0) { $0 + $1.stages.count }
        start = .allocate(capacity: rows.count + 1)
        stage = .allocate(capacity: max(total, 1))
        weight = .allocate(capacity: max(total, 1))
        var p = 0
        for (r, row) in rows.enumerated() {
            start[r] = p
            for (j, w) in zip(row.stages, row.weights) {
                stage[p] = j
                weight[p] = w
                p += 1
            }
        }
        start[rows.count] = p
    }

    deinit {
        start.deallocate()
        stage.deallocate()
        weight.deallocate()
    }
}
