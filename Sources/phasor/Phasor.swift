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
            // the main job
            Demo.self,
            // models: train, evaluate, predict, time
            Train.self,
            Eval.self,
            Predict.self,
            Bench.self,
            Baseline.self,
            // correspondence: oscillator reading, rings, design
            Map.self,
            RingCommand.self,
            Design.self,
            // identification: measured series → oscillators → SSM
            Identify.self,
            Attractor.self,
            // the explicit operator and the analyses
            Operator.self,
            Analyze.self,
            Dynamics.self,
            // oscillators
            Oscillator.self,
            Network.self,
            Kuramoto.self,
            // files
            Inspect.self,
        ]
    )

    /// Errors end with one line on stderr and a non-zero status (Support/OneLineErrors.swift).
    static func main() { mainWithOneLineErrors() }
}
