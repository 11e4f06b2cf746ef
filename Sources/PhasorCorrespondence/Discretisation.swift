// The public entry points of discretisation (continuous → discrete) and its exact inverse (discrete → continuous) of
// LTI systems with matrices; the method is PhasorModels' `Discretization` (one enum, whose scalar formulas the
// diagonal layers use) and each method's matrix formulas live in their own file (ZeroOrderHold, Bilinear, Euler). C and D are the same in both domains
// (y_k = C x_k + D u_k samples y(t) = C x(t) + D u(t)).
import PhasorModels
import PhasorNumerics

/// A converted system and what the user should know about the conversion (folding, Nyquist edge).
public struct Conversion: Sendable, Equatable {
    public let system: LTISystem
    public let warnings: [String]
}

extension LTISystem {
    /// The discrete system sampled with step Δ by `method` (c2d). Throws for Δ ≤ 0, a discrete input system, or when
    /// the method's matrix is singular.
    public func discretised(step: Double, method: Discretization) throws -> Conversion {
        guard step > 0, step.isFinite else { throw CorrespondenceError.invalidStep(step) }
        guard domain == .continuous else {
            throw CorrespondenceError.invalid("the system is already discrete (Δ = \(domain.step ?? .nan)); "
                + "convert it to continuous time first")
        }
        switch method {
        case .zoh: return try ZeroOrderHold.discretise(self, step: step)
        case .bilinear: return try Bilinear.discretise(self, step: step)
        case .euler: return try Euler.discretise(self, step: step)
        }
    }

    /// The continuous system that `method` maps to this discrete one (d2c, the exact inverse of `discretised`).
    /// ZOH uses the principal logarithm: frequencies fold into (−π/Δ, π/Δ], with a warning near the edge; Ā with an
    /// eigenvalue 0 or on the negative real axis throws `noPrincipalLogarithm`.
    public func continuised(method: Discretization) throws -> Conversion {
        guard let step = domain.step else {
            throw CorrespondenceError.invalid("the system is already continuous; continuised() needs a discrete system")
        }
        switch method {
        case .zoh: return try ZeroOrderHold.continuise(self, step: step)
        case .bilinear: return try Bilinear.continuise(self, step: step)
        case .euler: return try Euler.continuise(self, step: step)
        }
    }
}
