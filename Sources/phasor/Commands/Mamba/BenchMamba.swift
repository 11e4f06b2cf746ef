import ArgumentParser
import Foundation
import PhasorModels

// `phasor bench mamba`: wall-clock timing of a Mamba language model's forward pass (logits of B × L tokens) — a
// checkpoint, or random weights of a given size (default: Mamba-130m's 24 layers, d_model 768, vocab 50280).
// Benchmarks/mamba_vs_transformers.py runs it against transformers on the same weights and tokens.

struct BenchMamba: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mamba",
        abstract: "Time a Mamba language model's forward pass (median after warm-up) and report tokens per second."
    )

    @Option(help: "Checkpoint (.safetensors, index .json or folder); default: random weights of the sizes below.") var model: String?
    @Option(help: "Token ids (.npy int64, (L) or (B, L)); default: --batch × --length random ids.") var tokens: String?
    @Option(help: "Layers of the random model.") var layers = 24
    @Option(help: "d_model of the random model (d_inner = 2·d_model, dt_rank = ⌈d_model/16⌉).") var dModel = 768
    @Option(help: "Vocabulary of the random model.") var vocabulary = 50280
    @Option(help: "d_state of the random model.") var state = 16
    @Option(help: "Batch size B of the random tokens.") var batch = 1
    @Option(help: "Sequence length L of the random tokens.") var length = 128
    @Option(help: "Timed repetitions (after one warm-up call).") var repeats = 5
    @Option(help: "f32 or f64.") var precision: ComputePrecision = .f32
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard layers > 0, dModel > 0, vocabulary > 0, state > 0, batch > 0, length > 0, repeats > 0 else {
            throw ValidationError("sizes, batch, length and repeats must be positive")
        }
    }

    func run() throws {
        let lm: MambaLanguageModel
        if let model { lm = try MambaLanguageModel(path: model) } else {
            let c = try MambaConfiguration(vocabulary: vocabulary, dModel: dModel, dInner: 2 * dModel, states: state,
                                           dtRank: (dModel + 15) / 16, convolutionWidth: 4, layers: layers)
            lm = try MambaLanguageModel(random: c, seed: 1)
        }
        let (ids, b, l): ([Int], Int, Int)
        if let tokens { (ids, b, l) = try MambaTokensFile.read(tokens) } else {
            (ids, b, l) = ((0..<(batch * length)).map { ($0 * 7919 + 13) % lm.configuration.vocabulary }, batch, length)
        }
        let runner = MambaRunner(lm, precision: precision)
        let time = try Timing.median(repeats: repeats) { _ = try runner.logits(tokens: ids, batch: b, length: l) }
        let perSecond = Double(b * l) / (time.wall / 1000)
        let c = lm.configuration
        if json {
            print("""
            {"benchmark":"mamba","precision":"\(precision.rawValue)","batch":\(b),"length":\(l),"layers":\(c.layers),\
            "d_model":\(c.dModel),"d_inner":\(c.dInner),"d_state":\(c.states),"vocabulary":\(c.vocabulary),\
            "parameters":\(c.parameterCount),"repeats":\(repeats),"forward_ms":\(time.wall),"forward_cpu_ms":\(time.cpu),\
            "tokens_per_second":\(perSecond),"threads":\(ProcessInfo.processInfo.activeProcessorCount)}
            """)
        } else {
            print(String(format: "mamba (%@) %d layers d_model %d vocab %d, B=%d L=%d: forward %.1f ms (CPU %.1f ms), %.0f tokens/s (median of %d)",
                         precision.rawValue, c.layers, c.dModel, c.vocabulary, b, l, time.wall, time.cpu, perSecond, repeats))
        }
    }
}
