// A command-line problem that is not a library error (wrong array rank, inconsistent options): one line, no usage.

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
