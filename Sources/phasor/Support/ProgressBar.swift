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
        Terminal.error("\r\u{1B}[2K\(label) [\(bar)] \(done)/\(total) \(detail) ETA \(Self.duration(eta))", newline: false)
    }

    /// Ends the line with a final summary (on a terminal it replaces the bar).
    func finish(_ summary: String) {
        Terminal.error((isTerminal ? "\r\u{1B}[2K" : "") + "\(label) \(summary) (\(Self.duration(Date().timeIntervalSince(start))))")
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

enum Terminal {
    /// Writes to stderr (unbuffered, so progress appears at once), after any pending notes.
    static func error(_ text: String, newline: Bool = true) {
        let notes = Notes.shared.take()
        FileHandle.standardError.write(Data((notes.map { $0 + "\n" }.joined() + text + (newline ? "\n" : "")).utf8))
    }

    /// A note about the input ("line 1 skipped as a header row"): printed on stderr before the command's next
    /// stderr line, or when it succeeds — and dropped when it fails, so a refusal stays ONE line. Repeats are printed
    /// once.
    static func note(_ text: String) { Notes.shared.add("note: " + text) }

    /// Prints the pending notes (at a successful end) or drops them (before the one error line).
    static func flushNotes() { let notes = Notes.shared.take(); if !notes.isEmpty { error(notes.joined(separator: "\n")) } }
    static func dropNotes() { _ = Notes.shared.take() }

    private final class Notes: @unchecked Sendable {
        static let shared = Notes()
        private let lock = NSLock()
        private var pending: [String] = []
        private var printed = Set<String>()
        func add(_ note: String) {
            lock.lock(); defer { lock.unlock() }
            if printed.insert(note).inserted { pending.append(note) }
        }
        func take() -> [String] {
            lock.lock(); defer { lock.unlock() }
            defer { pending = [] }
            return pending
        }
    }
}
