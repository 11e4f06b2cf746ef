import ArgumentParser

// The command-line layer is thin: each subcommand parses its options, calls the library and prints. Subcommands live
// one per file in Commands/.

@main
struct Phasor: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "phasor",
        abstract: "State space models, exactly solvable oscillator networks, and the explicit operator between them.",
        version: version,
        subcommands: [
            Demo.self,
            Train.self,
            Eval.self,
            Predict.self,
            Bench.self,
            Inspect.self,
            Map.self,
            Design.self,
            RingCommand.self,
            Oscillator.self,
            Network.self,
            Kuramoto.self,
        ]
    )

    /// Errors end with one line on stderr and a non-zero status (Support/OneLineErrors.swift).
    static func main() { mainWithOneLineErrors() }
}
