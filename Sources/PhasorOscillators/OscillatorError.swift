// Errors of the oscillator layer. Each says what was wrong and what to do.

public enum OscillatorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A parameter (named) is NaN or infinite.
    case nonFiniteParameter(String)
    /// Shapes that must agree do not.
    case shapeMismatch(String)
    /// Output times must be finite and non-decreasing.
    case timesNotIncreasing(index: Int)
    /// Anything else about the set-up.
    case invalid(String)

    public var description: String {
        switch self {
        case .nonFiniteParameter(let name): return "parameter \(name) is NaN or infinite"
        case .shapeMismatch(let text): return "shape mismatch: \(text)"
        case .timesNotIncreasing(let index): return "times must be finite and non-decreasing; element \(index) is not"
        case .invalid(let text): return text
        }
    }
}
