// Errors of the report layer (figures, the HTML report, the demo pipeline). Each says what was wrong and what to do.

public enum ReportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A figure was asked to draw data it cannot (empty, non-finite, mismatched series).
    case invalidFigure(String)
    /// A stage of the demo failed; the stage is named.
    case stageFailed(stage: String, reason: String)

    public var description: String {
        switch self {
        case .invalidFigure(let text): return "cannot draw figure: \(text)"
        case .stageFailed(let stage, let reason): return "demo stage '\(stage)' failed: \(reason)"
        }
    }
}
