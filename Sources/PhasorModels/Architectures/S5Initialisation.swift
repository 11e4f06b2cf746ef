// S5's HiPPO-N initialisation (Smith et al. 2023, §4.3 and lindermanlab/S5 `ssm_init.py`), P = state size:
//   HiPPO-LegS  A_nk = −√(2n+1)√(2k+1) (n > k),  A_nn = −(n+1),  0 above the diagonal;  low-rank p_n = √(n + ½)
//   normal part S = A + p pᵀ = −½ I + (skew-symmetric)   ("HiPPO-N")
//   Λ = eigenvalues of S (real parts −½), V its (unitary) eigenvectors;  B̃ = V* B,  C̃ = C V
// with B (P × H) and C (H × P, complex) drawn at random. With conjugate symmetry only the P/2 eigenvalues with the
// most negative imaginary parts are kept (their conjugates are implied by the 2·Re output), as the reference does.
// Δ: log_step_p ~ U[log dt_min, log dt_max]. Random draws here are plain normals with std 1/√P (the reference uses
// LeCun / truncated normals of the same scale).
import PhasorNumerics

extension S5Layer {
    /// An S5 layer initialised from HiPPO-N. `stateSize` is P before conjugate-symmetric halving (must be even then).
    public init(channels h: Int, stateSize p: Int, conjugateSymmetric: Bool = true, dtMin: Double = 1e-3,
                dtMax: Double = 1e-1, discretization: Discretization = .zoh, generator: inout SeededGenerator) throws {
        try ArchitectureCheck.positive([("H (channels)", h), ("P (state size)", p)])
        guard !conjugateSymmetric || p % 2 == 0 else {
            throw ArchitectureError.invalid("with conjugate symmetry the state size P = \(p) must be even")
        }
        guard 0 < dtMin, dtMin <= dtMax, dtMax.isFinite else {
            throw ArchitectureError.invalid("need 0 < dtMin ≤ dtMax < ∞, got \(dtMin), \(dtMax)")
        }
        var s = ComplexMatrix(rows: p, columns: p)
        for n in 0..<p {
            for k in 0..<p {
                let a: Double = n > k ? -(Double(2 * n + 1) * Double(2 * k + 1)).squareRoot() : (n == k ? -Double(n + 1) : 0)
                s[n, k] = Complex(a + (Double(n) + 0.5).squareRoot() * (Double(k) + 0.5).squareRoot())  // S = A + p pᵀ
            }
        }
        let eigen = try s.eigen()
        let order = (0..<p).sorted { eigen.values[$0].imaginary < eigen.values[$1].imaginary }
        let kept = conjugateSymmetric ? Array(order.prefix(p / 2)) : order
        let m = kept.count
        let scale = 1 / Double(p).squareRoot()
        let bRandom = (0..<(p * h)).map { _ in generator.normal() * scale }                        // B, P × H real
        let cRandom = (0..<(h * p)).map { _ in Complex(generator.normal() * scale, generator.normal() * scale) }  // C, H × P
        var bTilde = [Complex<Double>](repeating: .zero, count: m * h), cTilde = [Complex<Double>](repeating: .zero, count: h * m)
        for (row, q) in kept.enumerated() {
            for j in 0..<h {
                var sum = Complex<Double>.zero
                for n in 0..<p { sum += eigen.right[n, q].conjugate * Complex(bRandom[n * h + j]) }  // (V* B)_qj
                bTilde[row * h + j] = sum
            }
            for i in 0..<h {
                var sum = Complex<Double>.zero
                for n in 0..<p { sum += cRandom[i * p + n] * eigen.right[n, q] }                   // (C V)_iq
                cTilde[i * m + row] = sum
            }
        }
        let logMin = Double.log(dtMin), logMax = Double.log(dtMax)
        try self.init(lambdaRe: kept.map { _ in -0.5 }, lambdaIm: kept.map { eigen.values[$0].imaginary },
                      b: bTilde, c: cTilde, d: (0..<h).map { _ in generator.normal() },
                      logStep: (0..<m).map { _ in logMin + generator.uniform() * (logMax - logMin) },
                      discretization: discretization, conjugateSymmetric: conjugateSymmetric)
    }
}
