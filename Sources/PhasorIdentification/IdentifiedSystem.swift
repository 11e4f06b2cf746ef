// Identified models as LTISystems (DESIGN.md §3 convention x_k = A x_{k−1} + B u_k, y_k = C x_k + D u_k, step Δ), so
// that everything downstream — the oscillator reading with κ(V) and the Schur form, d2c, the exact network solution,
// design — works on them unchanged.
//   Hankel DMD:  A = Ã,  B = W b,  C = L_newest (the newest d rows of the lift L = Y V_r Σ_r⁻¹),  D = 0.
//                Its impulse response is C Ã^k W b = L_newest W Λ^k b = (Φ Λ^k b)_newest — the DMD reconstruction
//                (Ã W = W Λ, L W = Φ). Its eigen-reading has V = W, drive V⁻¹B = b (the amplitudes) and read-out
//                C V = Φ_newest (the modes): the reading of the system IS the DMD.
//                In continuous time (ZOH d2c, J = log(Ã)/Δ) the free network dz/dt = J z, z(0) = W b, gives
//                C z(kΔ) = (Φ Λ^k b)_newest: `phasor network` solves the DMD exactly.
//   HAVOK:       A = Ā, B = B₀ + B₁, C = (U_r Σ_r)_newest (first r − 1 columns), D = 0: the zero-order-hold sampling
//                of the continuous model dv/dt = A_c v + B_c f (so `continuised(method: .zeroOrderHold)` returns
//                A_c = log(Ā)/Δ and B_c), driven by the forcing averaged over each step, u_k ≈ (f_{k−1} + f_k)/2.
import PhasorCorrespondence
import PhasorNumerics

extension HankelDMD {
    /// The DMD as a discrete LTISystem whose impulse response is the reconstruction from amplitudes `b`
    /// (default: Φ⁺ h_0, the first training window).
    public func system(amplitudes b: [Complex<Double>]? = nil) throws -> LTISystem {
        let b = b ?? dmd.amplitudes
        let r = dmd.rank, d = channels
        let initial = try dmd.eigenvectors * b  // B = W b
        var c = ComplexMatrix(rows: d, columns: r)
        for (row, i) in embedding.newestRows.enumerated() { for j in 0..<r { c[row, j] = dmd.lift[i, j] } }
        return try LTISystem(a: dmd.reducedOperator,
                             b: try ComplexMatrix(rows: r, columns: 1, columnMajor: initial), c: c,
                             d: ComplexMatrix(rows: d, columns: 1), domain: .discrete(step: dmd.step))
    }
}

extension HAVOK {
    /// The linear part driven by the forcing as a discrete LTISystem in zero-order-hold form (Ā, B₀ + B₁, C, 0).
    public func system() throws -> LTISystem {
        try LTISystem(a: a, b: try b0 + b1, c: c, d: ComplexMatrix(rows: c.rows, columns: 1), domain: .discrete(step: step))
    }
}
