// Errors of the correspondence layer (SSM ⇄ oscillators, rings, design). Each says what was wrong and what to do.

public enum CorrespondenceError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Shapes of A, B, C, D (or of a layer and an input) disagree.
    case shapeMismatch(String)
    /// A step size Δ that is zero, negative or not finite.
    case invalidStep(Double)
    /// A discrete eigenvalue with |μ| ≥ 1 where a stable system is required, or μ = 0 (no continuous-time log).
    case unstable(String)
    /// A map that needs a diagonalisable system met a defective or nearly defective one.
    case defective(String)
    /// A discrete system matrix has an eigenvalue 0 or on the negative real axis: no principal logarithm, so no
    /// continuous-time system (d2c) and no rate λ = log μ / Δ.
    case noPrincipalLogarithm(String)
    /// Anything else about the request.
    case invalid(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let text): return "shape mismatch: \(text)"
        case .invalidStep(let dt): return "step size Δ = \(dt) is not positive and finite"
        case .unstable(let text): return "unstable system: \(text)"
        case .defective(let text): return "defective system: \(text)"
        case .noPrincipalLogarithm(let text): return "no principal logarithm: \(text)"
        case .invalid(let text): return text
        }
    }
}
