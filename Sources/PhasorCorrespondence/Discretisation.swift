// The public entry points of discretisation (continuous → discrete) and its exact inverse (discrete → continuous);
// each method's formulas live in its own file (ZeroOrderHold, Bilinear, Euler). C and D are the same in both domains
// (y_k = C x_k + D u_k samples y(t) = C x(t) + D u(t)).
import PhasorNumerics

/// How a continuous system is sampled.
public enum DiscretisationMethod: String, Sendable, CaseIterable {
    /// Zero-order hold: exact for piecewise-constant input (S4D's default).
    case zeroOrderHold = "zoh"
    /// Bilinear (Tustin) transform.
    case bilinear
    /// Forward Euler.
    case euler
}

/// A converted system and what the user should know about the conversion (folding, Nyquist edge).
public struct Conversion: Sendable, Equatable {
    public let system: LTISystem
    public let warnings: [String]
}

extension LTISystem {
    /// The discrete system sampled with step Δ by `method` (c2d). Throws for Δ ≤ 0, a discrete input system, or when
    /// the method's matrix is singular.
    public func discretised(step: Double, method: DiscretisationMethod) throws -> Conversion {
        guard step > 0, step.isFinite else { throw CorrespondenceError.invalidStep(step) }
        guard domain == .continuous else {
            throw CorrespondenceError.invalid("the system is already discrete (Δ = \(domain.step ?? .nan)); "
                + "convert it to continuous time first")
        }
        switch method {
        case .zeroOrderHold: return try ZeroOrderHold.discretise(self, step: step)
        case .bilinear: return try Bilinear.discretise(self, step: step)
        case .euler: return try Euler.discretise(self, step: step)
        }
    }

    /// The continuous system that `method` maps to this discrete one (d2c, the exact inverse of `discretised`).
    /// ZOH uses the principal logarithm: frequencies fold into (−π/Δ, π/Δ], with a warning near the edge; Ā with an
    /// eigenvalue 0 or on the negative real axis throws `noPrincipalLogarithm`.
    public func continuised(method: DiscretisationMethod) throws -> Conversion {
        guard let step = domain.step else {
            throw CorrespondenceError.invalid("the system is already continuous; continuised() needs a discrete system")
        }
        switch method {
        case .zeroOrderHold: return try ZeroOrderHold.continuise(self, step: step)
        case .bilinear: return try Bilinear.continuise(self, step: step)
        case .euler: return try Euler.continuise(self, step: step)
        }
    }
}
