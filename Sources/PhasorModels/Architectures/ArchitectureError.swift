// Errors of the S5, LRU, LinOSS and selective (Mamba-style) layers: what was wrong and what to do.

/// A layer of another SSM architecture could not be built, loaded or run.
public enum ArchitectureError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Array sizes disagree with the layer's dimensions.
    case shapeMismatch(String)
    /// A parameter or input holds NaN or ±Inf.
    case nonFinite(String)
    /// A step size Δ that is zero, negative or not finite.
    case nonPositiveStep(String)
    /// The discrete dynamics do not decay (|λ| ≥ 1, or an explicit scheme past its stability limit).
    case unstable(String)
    /// A 2×2 oscillator block has a repeated eigenvalue, so it has no eigen (oscillator) reading.
    case defective(String)
    /// Any other invalid configuration.
    case invalid(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let s): return "shape mismatch: \(s)"
        case .nonFinite(let s): return "not finite: \(s) (check the checkpoint or input for NaN/Inf)"
        case .nonPositiveStep(let s): return "step size Δ must be positive and finite: \(s)"
        case .unstable(let s): return "unstable layer: \(s) (the recurrence would grow; re-initialise or clamp the parameter)"
        case .defective(let s): return "no eigen-reading: \(s) (a repeated eigenvalue; use the 2×2 recurrence itself)"
        case .invalid(let s): return "invalid layer: \(s)"
        }
    }
}

/// Shape and finiteness checks shared by the architecture layers.
enum ArchitectureCheck {
    static func count(_ values: [Double], _ expected: Int, _ name: String) throws {
        guard values.count == expected else {
            throw ArchitectureError.shapeMismatch("\(name) has \(values.count) values, expected \(expected)")
        }
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw ArchitectureError.nonFinite("\(name)[\(i)] = \(values[i])")
        }
    }

    static func positive(_ sizes: [(String, Int)]) throws {
        for (name, n) in sizes where n <= 0 { throw ArchitectureError.shapeMismatch("\(name) = \(n) must be positive") }
    }

    /// An input sequence of shape (H, L), row-major.
    static func input(_ u: [Double], channels: Int, length: Int) throws {
        guard length > 0, u.count == channels * length else {
            throw ArchitectureError.shapeMismatch("input has \(u.count) values; expected (H, L) = (\(channels), \(length))")
        }
        if let i = u.firstIndex(where: { !$0.isFinite }) { throw ArchitectureError.nonFinite("input[\(i)] = \(u[i])") }
    }

    static func output(_ y: [Double], _ name: String) throws {
        if let i = y.firstIndex(where: { !$0.isFinite }) {
            throw ArchitectureError.nonFinite("\(name)[\(i)] = \(y[i]) (the recurrence overflowed)")
        }
    }
}
