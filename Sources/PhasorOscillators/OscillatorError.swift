// Errors of the oscillator layer. Each says what was wrong and what to do.

public enum OscillatorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A parameter (named) is NaN or infinite.
    case nonFiniteParameter(String)
    /// Shapes that must agree do not.
    case shapeMismatch(String)
    /// Output times must be finite and non-decreasing.
    case timesNotIncreasing(index: Int)
    /// An output time lies before the initial time 0.
    case negativeTime(index: Int, value: Double)
    /// A state was asked for at or after the finite blow-up time t* of a Stuart–Landau oscillator with α < 0.
    case blowup(time: Double)
    /// A computed state overflowed (exponential growth beyond Double's range) at time t.
    case overflow(time: Double)
    /// A numerical route failed (integrator, decomposition); the text names it and what to try.
    case numerical(String)
    /// Anything else about the set-up.
    case invalid(String)

    public var description: String {
        switch self {
        case .nonFiniteParameter(let name): return "parameter \(name) is NaN or infinite"
        case .shapeMismatch(let text): return "shape mismatch: \(text)"
        case .timesNotIncreasing(let index): return "times must be finite and non-decreasing; element \(index) is not"
        case .negativeTime(let index, let value):
            return "times start at t = 0; element \(index) is \(value) (give times ≥ 0)"
        case .blowup(let time):
            return "the solution blows up (|z| → ∞) at t* = \(time); ask only for times before t*"
        case .overflow(let time):
            return "the solution overflows Double at t = \(time) (exponential growth); ask for earlier times"
        case .numerical(let text): return text
        case .invalid(let text): return text
        }
    }
}
