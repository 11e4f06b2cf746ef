// The Dormand–Prince 5(4) pair (Dormand & Prince 1980; Hairer, Nørsett & Wanner, Solving ODEs I, Table II.5.2) with
// Shampine's (1986) 4th-order continuous extension in the form of Hairer's DOPRI5 code. Published constants.

extension RKTableau {
    static let dormandPrince5: RKTableau = {
        // Rows a_s· (lower triangle, exact rationals); row 6 is b (FSAL: stage 6 = f(t + h, y_new)).
        let b: [Double] = [35.0 / 384.0, 0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0]
        let rows: [[Double]] = [
            [],
            [1.0 / 5.0],
            [3.0 / 40.0, 9.0 / 40.0],
            [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0],
            [19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0],
            [9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0],
            b,
        ]
        let c: [Double] = [0, 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1, 1]
        // e = b − b̂ (b̂ the 4th-order weights 5179/57600, 0, 7571/16695, 393/640, −92097/339200, 187/2100, 1/40).
        let e: [Double] = [
            71.0 / 57600.0, 0, -71.0 / 16695.0, 71.0 / 1920.0, -17253.0 / 339200.0, 22.0 / 525.0, -1.0 / 40.0,
        ]
        // Shampine's dense output, Hairer's form: q_3 = h Σ d_j k_j.
        let d: [Double] = [
            -12715105075.0 / 11282082432.0, 0, 87487479700.0 / 32700410799.0, -10690763975.0 / 1880347072.0,
            701980252875.0 / 199316789632.0, -1453857185.0 / 822651844.0, 69997945.0 / 29380423.0,
        ]
        let beta = 0.04
        return RKTableau(
            method: .dopri5, c: c, a: rows.map(SparseRow.init), stepStages: 6, fsalStage: 6, errorUsesFSAL: true,
            error: SparseRow(e), error3: nil, denseRows: [SparseRow(d)], extraStages: 7..<7,
            errorExponent: 0.2 - 0.75 * beta, beta: beta, facMin: 0.2, facMax: 10.0)
    }()
}
