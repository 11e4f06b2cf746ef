// `phasor map`: the oscillator reading (DESIGN.md §4) of every S4D channel of a checkpoint, or of an LTI system file.
// Thin: load (the library's door) → ModelMap / SystemMap (PhasorCorrespondence) → print.
import ArgumentParser
import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorFigures

struct Map: ParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        abstract: "Read an SSM as oscillators: frequency, damping, decay time, period, quality, drive, read-out per mode.",
        discussion: """
        --model reads the layers of a checkpoint — S4D (state-spaces), S5 or LRU — or of a designed layer file from \
        `phasor design`, with the layer's own discretisation (metadata "discretization": zoh or bilinear). An S4D \
        channel's stored modes stand for themselves and their implied conjugates; an S5 or LRU layer's modes are \
        shared by all its channels (each mode's step, and a drive and read-out weight per channel; --channel keeps \
        that channel's). --system reads tensors A, B, C, D (real, or complex with a trailing axis of \
        2) with __metadata__ {"dt": "…"} for a discrete system; a large κ(V) (> 1e8) flags the eigen-reading as \
        meaningless and adds the Schur reading. Undefined times are null. --model with --tokens (int64 ids, (L)) \
        reads a Mamba language model's selective layers along that sequence: per token and channel Δ_t, \
        μ_t = exp(Δ_t A) and τ_t = 1/(Δ_t|A|) (the full per-channel arrays with --layer), channel memory, token effects, \
        Lyapunov exponents per layer and of the whole model (docs/mamba.md).
        """
    )

    @Option(help: "A checkpoint (.safetensors): S4D, S5 or LRU layers.") var model: String?
    @OptionGroup var loading: LoadingOptions
    @Option(help: "A system file (.safetensors) with tensors A, B, C, D.") var system: String?
    @Option(help: "Only this layer (default: all).") var layer: Int?
    @Option(help: "Only this channel (default: all).") var channel: Int?
    @Flag(help: "Print the reading as JSON.") var json = false
    @Option(help: "Write the spectrum (λ in the complex plane) as an SVG.") var plot: String?
    @Option(help: "Token ids (.npy int64, (L)) for a Mamba language model --model.") var tokens: String?

    func validate() throws {
        guard (model == nil) != (system == nil) else { throw ValidationError("give exactly one of --model or --system") }
        if system != nil, layer != nil || channel != nil {
            throw ValidationError("--layer and --channel apply to --model only")
        }
        if tokens != nil, system != nil || plot != nil { throw ValidationError("--tokens reads a Mamba --model; it has no --plot") }
    }

    var outputs: [OutputFile] { [.file("--plot", plot)] }

    func run() throws {
        if let model, let tokens {
            try loading.requireNoneForLanguageModel()
            return try MambaMap.run(model: model, tokens: tokens, layer: layer, channel: channel, json: json)
        }
        if let model { try runModel(model) } else if let system { try runSystem(system) }
    }

    private func runModel(_ path: String) throws {
        let result = try ModelMap(source: path, cores: try loading.cores(path).cores, layer: layer, channel: channel)
        if let plot { try AtomicFile.write(try Charts.spectrum(result.allModes.map(\.lambda)), to: plot) }
        if json { try JSONOutput.print(result); return }
        let kinds = Set(result.layers.map(\.core.rawValue)).sorted().joined(separator: ", ")
        let conjugates = result.layers.allSatisfy { $0.core == .s4d || $0.outputFactor == 2 }
        print("\(path): \(result.layers.count) \(kinds) layer(s), \(result.allModes.count) modes"
              + (conjugates ? " (each with its implied conjugate)" : ""))
        print("  " + result.summary.text)
        if result.summary.nonDecaying > 0 { print("  \(result.summary.nonDecaying) mode(s) do not decay") }
        for w in result.warnings.prefix(10) { print("  warning: \(w)") }
        if result.warnings.count > 10 { print("  … \(result.warnings.count - 10) more warning(s); see --json") }
    }

    private func runSystem(_ path: String) throws {
        let system = try LTISystem(safeTensors: try SafeTensorsFile(contentsOf: path))
        let result = try SystemMap(source: path, system: system)
        if let plot { try AtomicFile.write(try Charts.spectrum(result.allModes.map(\.lambda)), to: plot) }
        if json { try JSONOutput.print(result); return }
        print("\(path): \(system.stateCount) states, \(system.inputCount) input(s), \(system.outputCount) output(s), "
              + (system.domain.step.map { "discrete Δ = \($0)" } ?? "continuous"))
        print("  κ(V) = \(result.kappa)\(result.eigenReadingMeaningful ? "" : "  (> \(result.kappaThreshold): eigen-reading meaningless, Schur reading in --json)")")
        print("  " + result.summary.text)
        for w in result.warnings { print("  warning: \(w)") }
    }
}

/// Parses "10,100,1000" (also "inf").
func parseNumberList(_ text: String, option: String) throws -> [Double] {
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap(Double.init)
    guard !parts.isEmpty, values.count == parts.count, values.allSatisfy({ !$0.isNaN }) else {
        throw CLIError("\(option) \"\(text)\" is not a comma-separated list of numbers (e.g. 10,100,1000)")
    }
    return values
}
