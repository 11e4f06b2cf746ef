// Errors of the analysis layer. Each says what was wrong and what to do.

public enum AnalysisError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An estimator that needs a stable system met an unstable mode.
    case unstable(String)
    /// Too little data for the estimator (named), e.g. fewer samples than parameters.
    case insufficientData(String)
    /// Features or states with zero variance where a normalisation needs some.
    case degenerate(String)
    /// Anything else about the request.
    case invalid(String)

    public var description: String {
        switch self {
        case .unstable(let text): return "unstable system: \(text)"
        case .insufficientData(let text): return "not enough data: \(text)"
        case .degenerate(let text): return "degenerate input: \(text)"
        case .invalid(let text): return text
        }
    }
}
