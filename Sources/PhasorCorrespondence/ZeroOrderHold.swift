// Zero-order hold (input constant over each step), both directions (DESIGN.md §3).
//   c2d: Ā = e^{ΔA},  B̄ = A⁻¹(e^{ΔA} − I)B = ∫₀^Δ e^{sA} ds · B, computed WITHOUT A⁻¹ by Van Loan's block exponential
//        exp(Δ·[[A, B], [0, 0]]) = [[Ā, B̄], [0, I]]   (valid for singular A).
//   d2c: A = log(Ā)/Δ (principal logarithm), and B from B̄ = Φ B with Φ = ∫₀^Δ e^{sA} ds, the top-right block of
//        exp(Δ·[[A, I], [0, 0]]); Φ is invertible because the eigenvalues Δλ of log Ā have |Im| ≤ π (Φ's eigenvalues
//        (e^{Δλ} − 1)/λ vanish only at Δλ = 2πik, k ≠ 0).
// Folding: the principal log puts every frequency in (−π/Δ, π/Δ]; a continuous mode with |ω|Δ ≥ π cannot be
// recovered (it aliases) and a discrete mode near the negative real axis sits at the Nyquist edge — both are reported.
import PhasorNumerics

enum ZeroOrderHold {
    /// |arg μ| beyond this fraction of π counts as "at the Nyquist edge".
    static let nyquistFraction = 0.99

    static func discretise(_ s: LTISystem, step: Double) throws -> Conversion {
        let n = s.stateCount, m = s.inputCount
        // Van Loan: exp(Δ·[[A, B], [0, 0]]) = [[Ā, B̄], [0, I]]
        var block = ComplexMatrix(rows: n + m, columns: n + m)
        for j in 0..<n { for i in 0..<n { block[i, j] = s.a[i, j] * Complex(step) } }
        for j in 0..<m { for i in 0..<n { block[i, n + j] = s.b[i, j] * Complex(step) } }
        let e = try block.exponential()
        var abar = ComplexMatrix(rows: n, columns: n), bbar = ComplexMatrix(rows: n, columns: m)
        for j in 0..<n { for i in 0..<n { abar[i, j] = e[i, j] } }
        for j in 0..<m { for i in 0..<n { bbar[i, j] = e[i, n + j] } }
        var warnings: [String] = []
        for (k, lambda) in try s.a.eigen().values.enumerated() where abs(lambda.imaginary) * step >= Double.pi * nyquistFraction {
            warnings.append("mode \(k): frequency |ω| = \(abs(lambda.imaginary)) is at or beyond the Nyquist frequency "
                + "π/Δ = \(Double.pi / step): after ZOH it folds and log(Ā)/Δ will not return it; use a smaller Δ")
        }
        let system = try LTISystem(a: abar, b: bbar, c: s.c, d: s.d, domain: .discrete(step: step))
        return Conversion(system: system, warnings: warnings)
    }

    static func continuise(_ s: LTISystem, step: Double) throws -> Conversion {
        let n = s.stateCount
        var warnings: [String] = []
        for (k, mu) in try s.a.eigen().values.enumerated() {
            let scale = max(mu.length, Double.leastNormalMagnitude)
            if mu.length == 0 || (mu.real <= 0 && abs(mu.imaginary) <= 64 * Double.ulpOfOne * scale) {
                throw CorrespondenceError.noPrincipalLogarithm(
                    "eigenvalue μ_\(k) = \(mu) of Ā is zero or on the negative real axis: log(Ā)/Δ does not exist "
                    + "(a mode at exactly the Nyquist frequency π/Δ, or a dead mode); resample with a smaller Δ")
            }
            if abs(mu.phase) >= Double.pi * nyquistFraction {
                warnings.append("mode \(k): arg μ = \(mu.phase) is within \(Int(((1 - nyquistFraction) * 100).rounded()))% "
                    + "of the Nyquist edge π: its frequency \(mu.phase / step) is folded into (−π/Δ, π/Δ] and may alias a higher one")
            }
        }
        let logA: ComplexMatrix
        do { logA = try s.a.logarithm() } catch let error as LinearAlgebraError {
            throw CorrespondenceError.noPrincipalLogarithm("\(error)")
        }
        let a = (1 / step) * logA  // A = log(Ā)/Δ
        // Φ = top-right block of exp(Δ·[[A, I], [0, 0]]) = ∫₀^Δ e^{sA} ds
        var block = ComplexMatrix(rows: 2 * n, columns: 2 * n)
        for j in 0..<n { for i in 0..<n { block[i, j] = logA[i, j] } }
        for i in 0..<n { block[i, n + i] = Complex(step) }
        let e = try block.exponential()
        var phi = ComplexMatrix(rows: n, columns: n)
        for j in 0..<n { for i in 0..<n { phi[i, j] = e[i, n + j] } }
        let b = try phi.solve(s.b)  // B = Φ⁻¹ B̄
        let system = try LTISystem(a: a, b: b, c: s.c, d: s.d, domain: .continuous)
        return Conversion(system: system, warnings: warnings)
    }
}
