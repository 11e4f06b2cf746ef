// Forward Euler, both directions (DESIGN.md §3): c2d Ā = I + ΔA, B̄ = ΔB;  d2c A = (Ā − I)/Δ, B = B̄/Δ.
import PhasorNumerics

enum Euler {
    static func discretise(_ s: LTISystem, step: Double) throws -> Conversion {
        let abar = try ComplexMatrix.identity(s.stateCount) + step * s.a  // Ā = I + ΔA
        let bbar = step * s.b                                              // B̄ = ΔB
        return Conversion(system: try LTISystem(a: abar, b: bbar, c: s.c, d: s.d, domain: .discrete(step: step)),
                          warnings: [])
    }

    static func continuise(_ s: LTISystem, step: Double) throws -> Conversion {
        let a = (1 / step) * (try s.a - ComplexMatrix.identity(s.stateCount))  // A = (Ā − I)/Δ
        let b = (1 / step) * s.b                                                // B = B̄/Δ
        return Conversion(system: try LTISystem(a: a, b: b, c: s.c, d: s.d, domain: .continuous), warnings: [])
    }
}
