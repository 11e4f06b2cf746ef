// Errors of the report layer (the HTML report, the demo pipeline; figures throw PhasorFigures' FigureError). Each says what was wrong and what to do.

public enum ReportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A stage of the demo failed; the stage is named.
    case stageFailed(stage: String, reason: String)
    /// The bundled data set was not found; the searched paths are listed.
    case dataMissing(searched: [String])
    /// A demo setting is out of range.
    case invalidSetting(String)

    public var description: String {
        switch self {
        case .stageFailed(let stage, let reason): return "demo stage '\(stage)' failed: \(reason)"
        case .dataMissing(let searched):
            return "the bundled digits data (Data/digits/digits.csv) was not found; looked in: "
                + searched.joined(separator: ", ") + ". Run from the Phasor checkout or pass --data PATH/digits.csv"
        case .invalidSetting(let text): return "invalid demo setting: \(text)"
        }
    }
}
