import ArgumentParser
import Foundation

// Every failure ends the process with a non-zero status and ONE line on stderr saying what was wrong (DESIGN.md §9),
// with any notes about how the inputs were read appended; after a success those notes get a line each.
// ArgumentParser adds usage text to parse errors; here only the first line of its message is kept. Help and
// --version still print in full and exit 0.

extension ParsableCommand {
    static func mainWithOneLineErrors(_ arguments: [String]? = nil) {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            for note in Notes.take() { Terminal.error("note: \(note)") }
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let full = fullMessage(for: error)
            if full.isEmpty { Foundation.exit(code.rawValue) }   // e.g. ExitCode thrown after printing its own line
            var message = full
                .split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? "\(error)"
            let notes = Notes.take()
            if !notes.isEmpty { message += " (note: " + notes.joined(separator: "; ") + ")" }
            Terminal.error(message.hasPrefix("Error:") ? message : "Error: \(message)")
            Foundation.exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}
