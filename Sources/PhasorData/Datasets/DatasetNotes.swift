// What a reader decided about a file beyond parsing its numbers: a skipped header row, missing values filled or
// taken as the end of a shorter sequence. Each is a choice the user should hear about (the CLI prints `messages` on
// stderr, `phasor inspect` lists them), never something done silently.

/// The reading decisions for one dataset file.
public struct DatasetNotes: Sendable, Equatable {
    /// The file the notes are about.
    public var file: String
    /// A CSV header row that was recognised and skipped (1-based line), with the reason.
    public var headerLine: Int?
    public var headerReason: String?
    /// Missing values inside a sequence, filled by the documented rule (last value carried forward; a leading gap
    /// takes the first present value).
    public var filledValues: Int
    /// Missing values after a case's last present value: padding, dropped so the case is a shorter sequence.
    public var trailingValues: Int
    /// Cases made shorter by trailing missing values.
    public var shortenedCases: Int

    public init(file: String, headerLine: Int? = nil, headerReason: String? = nil, filledValues: Int = 0,
                trailingValues: Int = 0, shortenedCases: Int = 0) {
        self.file = file
        self.headerLine = headerLine
        self.headerReason = headerReason
        self.filledValues = filledValues
        self.trailingValues = trailingValues
        self.shortenedCases = shortenedCases
    }

    init(file: String, missing: MissingValues, headerLine: Int? = nil, headerReason: String? = nil) {
        self.init(file: file, headerLine: headerLine, headerReason: headerReason, filledValues: missing.filled,
                  trailingValues: missing.trailing, shortenedCases: missing.shortenedCases)
    }

    /// One sentence per decision, without the file (empty when the file was read exactly as written).
    public var decisions: [String] {
        var lines: [String] = []
        if let headerLine {
            lines.append("line \(headerLine) skipped as a header row (\(headerReason ?? "column names"))")
        }
        if filledValues > 0 {
            lines.append("\(filledValues) missing value\(filledValues == 1 ? "" : "s") inside sequences filled "
                         + "with the last value before each (the first value after it for a leading gap)")
        }
        if trailingValues > 0 {
            lines.append("\(trailingValues) trailing missing value\(trailingValues == 1 ? "" : "s") taken as the end of "
                         + "\(shortenedCases) shorter sequence\(shortenedCases == 1 ? "" : "s")")
        }
        return lines
    }

    /// One line per decision, naming the file: "FILE: DECISION".
    public var messages: [String] { decisions.map { "\(file): \($0)" } }
}
