import ArgumentParser
import Foundation

// Every failure ends the process with a non-zero status and ONE line on stderr saying what was wrong (DESIGN.md §9).
// ArgumentParser adds usage text to parse errors; here only the first line of its message is kept. Help and
// --version still print in full and exit 0.

extension ParsableCommand {
    static func mainWithOneLineErrors(_ arguments: [String]? = nil) {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Terminal.flushNotes()
        } catch {
            Terminal.dropNotes()   // notes about the input would make a refusal two lines
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let full = fullMessage(for: error)
            if full.isEmpty { Foundation.exit(code.rawValue) }   // e.g. ExitCode thrown after printing its own line
            let message = full
                .split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? "\(error)"
            Terminal.error(message.hasPrefix("Error:") ? message : "Error: \(message)")
            Foundation.exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}
