import Foundation

// Progress on stderr, so stdout stays clean for results and --json. On a terminal one line is redrawn in place
// (carriage return) with a bar, the running loss/accuracy and the ETA; when stderr is a file or a pipe only finished
// lines are written (one per epoch), so logs stay readable.

struct ProgressBar {
    let total: Int
    let label: String
    let width = 28
    let isTerminal: Bool
    private let start = Date()

    init(total: Int, label: String) {
        self.total = max(1, total)
        self.label = label
        self.isTerminal = isatty(2) == 1
    }

    /// Redraws the in-place line (terminal only).
    func update(done: Int, detail: String) {
        guard isTerminal else { return }
        let fraction = min(1, Double(done) / Double(total))
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let elapsed = Date().timeIntervalSince(start)
        let eta = done > 0 ? elapsed * Double(total - done) / Double(done) : 0
        Terminal.progress("\r\u{1B}[2K\(label) [\(bar)] \(done)/\(total) \(detail) ETA \(Self.duration(eta))", newline: false)
    }

    /// Ends the line with a final summary (on a terminal it replaces the bar).
    func finish(_ summary: String) {
        Terminal.progress((isTerminal ? "\r\u{1B}[2K" : "") + "\(label) \(summary) (\(Self.duration(Date().timeIntervalSince(start))))")
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

enum Terminal {
    nonisolated(unsafe) private static var waiting: [String] = []

    /// A status line ("train: 80 training samples, …"): printed just before the first progress line, or when the
    /// command succeeds; dropped when the command fails before any progress, so a refusal stays the only line.
    static func status(_ text: String) { waiting.append(text) }

    /// Prints the waiting status lines.
    static func flushStatus() {
        let lines = waiting
        waiting = []
        for line in lines { error(line) }
    }

    /// A progress line (the waiting status lines first).
    static func progress(_ text: String, newline: Bool = true) {
        flushStatus()
        error(text, newline: newline)
    }

    /// Writes to stderr (unbuffered, so progress appears at once).
    static func error(_ text: String, newline: Bool = true) {
        FileHandle.standardError.write(Data((text + (newline ? "\n" : "")).utf8))
    }
}
