import ArgumentParser
import Foundation
import PhasorData

// Every failure ends the process with a non-zero status and ONE line on stderr saying what was wrong (DESIGN.md §9),
// with any notes about how the inputs were read appended; after a success those notes get a line each.
// ArgumentParser adds usage text to parse errors; here only the first line of its message is kept. Help and
// --version still print in full and exit 0.
//
// The run of one command, in order (docs/reliability.md §2, "mechanisms"):
//   1. a negative number after an option is joined to it (`--epochs -5` → `--epochs=-5`; ParsedOptions);
//   2. parse; every floating-point option must be finite and every integer option ≥ 0 (ParsedOptions);
//   3. a FileTransaction opens; the command's outputs are checked and its inputs protected (CommandFiles);
//   4. run. Status lines ("train: …") wait until the first progress line (Terminal.status), so a refusal before the
//      work starts is still the only line;
//   5. success: the transaction commits, waiting status lines and the notes are printed. Failure: the transaction
//      rolls back (every file the command wrote is removed or restored), and the error is one line — a Foundation
//      error included (OneLineErrors.sentence).

extension ParsableCommand {
    static func mainWithOneLineErrors(_ arguments: [String]? = nil) {
        let transaction = FileTransaction.begin()
        do {
            ParsedOptions.arguments = ParsedOptions.joiningNegativeNumbers(arguments ?? Array(CommandLine.arguments.dropFirst()))
            var command = try parseAsRoot(ParsedOptions.arguments)
            try ParsedOptions.requireValidNumbers(command)
            try CommandFiles.check(command, in: transaction)
            try command.run()
            transaction.commit()
            Terminal.flushStatus()
            for note in Notes.take() { Terminal.error("note: \(note)") }
        } catch {
            transaction.rollBack()
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let full = OneLineErrors.sentence(for: error) ?? fullMessage(for: error)
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

enum OneLineErrors {
    /// A sentence for errors whose own description is Foundation's (`NSCocoaErrorDomain Code=…`, an EncodingError
    /// dump); nil for Phasor's own errors, which already say what is wrong and what to do.
    static func sentence(for error: Error) -> String? {
        if let json = JSONCodingErrors.sentence(error) {
            return error is EncodingError
                ? "a result could not be written as JSON, \(json): this is a bug in Phasor; please report it with the command line"
                : "a JSON document could not be read, \(json)"
        }
        if let error = error as? CocoaError {
            let file = (error.userInfo[NSFilePathErrorKey] as? String).map { "\($0): " } ?? ""
            return "\(file)\(error.localizedDescription)"
        }
        return nil
    }
}
