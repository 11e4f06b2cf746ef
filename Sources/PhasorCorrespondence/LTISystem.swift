// A linear time-invariant system (A, B, C, D) with complex matrices, continuous or discrete (DESIGN.md §3):
//   continuous: dx/dt = A x + B u,               y = C x + D u
//   discrete:   x_k = A x_{k−1} + B u_k (A = Ā),  y_k = C x_k + D u_k,  with the step Δ it was sampled at.
import PhasorNumerics

/// Whether a system evolves in continuous time or in steps of Δ.
public enum TimeDomain: Sendable, Equatable {
    case continuous
    /// Discrete with step Δ > 0 (the sampling interval the discrete matrices refer to).
    case discrete(step: Double)

    /// Δ for a discrete system, nil for a continuous one.
    public var step: Double? {
        if case .discrete(let step) = self { return step }
        return nil
    }
}

/// A state-space system: A (n×n), B (n×m), C (p×n), D (p×m).
public struct LTISystem: Sendable, Equatable {
    public let a: ComplexMatrix
    public let b: ComplexMatrix
    public let c: ComplexMatrix
    public let d: ComplexMatrix
    public let domain: TimeDomain

    /// Validates shapes (A square, B with A's rows, C with A's columns, D p×m), finiteness and Δ > 0.
    public init(a: ComplexMatrix, b: ComplexMatrix, c: ComplexMatrix, d: ComplexMatrix, domain: TimeDomain) throws {
        guard a.isSquare, a.rows > 0 else {
            throw CorrespondenceError.shapeMismatch("A must be square and non-empty, got \(a.rows)×\(a.columns)")
        }
        let n = a.rows
        guard b.rows == n, c.columns == n, d.rows == c.rows, d.columns == b.columns else {
            throw CorrespondenceError.shapeMismatch(
                "A \(n)×\(n), B \(b.rows)×\(b.columns), C \(c.rows)×\(c.columns), D \(d.rows)×\(d.columns); "
                + "need B n×m, C p×n, D p×m")
        }
        if let step = domain.step, !(step > 0 && step.isFinite) { throw CorrespondenceError.invalidStep(step) }
        for (name, m) in [("A", a), ("B", b), ("C", c), ("D", d)] {
            if let k = m.elements.firstIndex(where: { !$0.isFinite }) {
                throw NonFiniteError(quantity: "system matrix \(name)", index: k, value: "\(m.elements[k])")
            }
        }
        self.a = a
        self.b = b
        self.c = c
        self.d = d
        self.domain = domain
    }

    /// n, the state dimension.
    public var stateCount: Int { a.rows }
    /// m, the number of inputs.
    public var inputCount: Int { b.columns }
    /// p, the number of outputs.
    public var outputCount: Int { c.rows }
    /// Whether all four matrices are real (imaginary parts exactly zero).
    public var isReal: Bool {
        [a, b, c, d].allSatisfy { $0.elements.allSatisfy { $0.imaginary == 0 } }
    }
}
