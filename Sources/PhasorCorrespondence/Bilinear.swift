// Bilinear (Tustin) discretisation, both directions (DESIGN.md §3):
//   c2d: Ā = (I − ΔA/2)⁻¹(I + ΔA/2),  B̄ = (I − ΔA/2)⁻¹ΔB           (needs no eigenvalue of A at 2/Δ)
//   d2c: A = (2/Δ)(Ā − I)(Ā + I)⁻¹ = (2/Δ)(Ā + I)⁻¹(Ā − I) (the factors commute),
//        B = (2/Δ)(Ā + I)⁻¹B̄  (from I − ΔA/2 = 2(Ā + I)⁻¹)           (needs no eigenvalue of Ā at −1)
// The map is a bijection of the open left half-plane onto the open unit disc: no folding, no Nyquist ambiguity.
import PhasorNumerics

enum Bilinear {
    static func discretise(_ s: LTISystem, step: Double) throws -> Conversion {
        let n = s.stateCount, identity = ComplexMatrix.identity(n)
        let half = (step / 2) * s.a
        let left = try identity - half, right = try identity + half
        do {
            let abar = try left.solve(right)        // Ā = (I − ΔA/2)⁻¹(I + ΔA/2)
            let bbar = try left.solve(step * s.b)   // B̄ = (I − ΔA/2)⁻¹ΔB
            return Conversion(system: try LTISystem(a: abar, b: bbar, c: s.c, d: s.d, domain: .discrete(step: step)),
                              warnings: [])
        } catch let error as LinearAlgebraError {
            throw CorrespondenceError.invalid(
                "bilinear discretisation needs I − ΔA/2 invertible (no eigenvalue of A equal to 2/Δ = \(2 / step)): \(error)")
        }
    }

    static func continuise(_ s: LTISystem, step: Double) throws -> Conversion {
        let n = s.stateCount, identity = ComplexMatrix.identity(n)
        let plus = try s.a + identity, minus = try s.a - identity
        do {
            let a = (2 / step) * (try plus.solve(minus))  // A = (2/Δ)(Ā + I)⁻¹(Ā − I)
            let b = (2 / step) * (try plus.solve(s.b))    // B = (2/Δ)(Ā + I)⁻¹B̄
            return Conversion(system: try LTISystem(a: a, b: b, c: s.c, d: s.d, domain: .continuous), warnings: [])
        } catch let error as LinearAlgebraError {
            throw CorrespondenceError.invalid(
                "inverse bilinear map needs Ā + I invertible (no eigenvalue of Ā equal to −1): \(error)")
        }
    }
}
