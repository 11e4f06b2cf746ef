// Errors of system identification (data → DMD / HAVOK → LTISystem). Each says what was wrong and what to do.

public enum IdentificationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Too few samples for the requested delays, rank or hold-out.
    case tooShort(String)
    /// A rank rule or an option out of range.
    case invalid(String)
    /// The data carry no dynamics the method can use (all zero, rank 0 after truncation, no usable mode).
    case degenerate(String)

    public var description: String {
        switch self {
        case .tooShort(let text): return "series too short: \(text)"
        case .invalid(let text): return text
        case .degenerate(let text): return "nothing to identify: \(text)"
        }
    }
}
