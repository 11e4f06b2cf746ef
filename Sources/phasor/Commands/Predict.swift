import ArgumentParser
import PhasorData
import PhasorModels
import PhasorNumerics

// `phasor predict`: logits of a checkpoint on an .npy batch. Thin: read → Checkpoint.logits → write.

struct Predict: ParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        abstract: "Logits of a checkpoint: (B, classes) on inputs X (B, L, d_input), or (B, L, vocab) of a Mamba LM on --tokens.",
        discussion: """
        The input is standardised with the checkpoint's input_mean/input_std metadata when present (as written by \
        `phasor train`); a checkpoint without them (e.g. saved from PyTorch) sees the input as given. The output is a \
        float64 .npy written atomically: on any error no output file is created. --tokens (int64 ids, (B, L) or (L)) \
        runs a Mamba language model (transformers or mamba_ssm checkpoint: .safetensors, index .json or folder) and \
        writes next-token logits (B, L, vocab); --chunk feeds the tokens in pieces with the state carried across.
        """
    )

    @Option(help: "Checkpoint (.safetensors).")
    var model: String

    @OptionGroup var loading: LoadingOptions

    @Option(help: "Input array (.npy, float32/float64/int64) of shape (B, L, d_input).")
    var input: String?

    @Option(help: "Token ids (.npy int64, (B, L) or (L)) for a Mamba language model; writes (B, L, vocab) logits.")
    var tokens: String?

    @Option(help: "With --tokens: feed this many tokens per call, carrying the state (streaming).")
    var chunk: Int?

    @Option(help: "Where to write the logits (.npy, float64, shape (B, classes)).")
    var output: String

    @Option(help: "Arithmetic of the S4D blocks: f64 (Double throughout) or f32 (faster; logits agree to ~1e-5 relative).")
    var precision: ComputePrecision = .f64

    var outputs: [OutputFile] { [.file("--output", output)] }

    func validate() throws {
        guard (input == nil) != (tokens == nil) else { throw ValidationError("give exactly one of --input or --tokens") }
        if chunk != nil, tokens == nil { throw ValidationError("--chunk applies to --tokens only") }
    }

    func run() throws {
        if let tokens {
            try loading.requireNoneForLanguageModel()
            return try MambaPredict.run(model: model, tokens: tokens, output: output, precision: precision, chunk: chunk)
        }
        guard let input else { return }
        let checkpoint = try loading.checkpoint(model)
        let x = try NpyArray(contentsOf: input)
        guard x.shape.count == 3 else {
            throw CLIError("input \(input) has shape \(x.shape); expected (B, L, d_input)")
        }
        let (b, l, c) = (x.shape[0], x.shape[1], x.shape[2])
        guard b > 0, l > 0 else { throw CLIError("input \(input) has shape \(x.shape); B and L must be positive") }
        try ResourceLimits.require(checkpoint.model.configuration.jobEstimate(samples: b, batch: b, length: l, work: .inference,
                                                                              blockPrecision: precision),
                                   job: "predict", limitWork: false, fix: "split the input into smaller batches")
        let values = try x.asDoubles()
        var applied = checkpoint
        applied.model.blockPrecision = precision
        let logits = try applied.logits(inputs: values, batch: b, length: l, channels: c)
        try NpyArray(shape: [b, checkpoint.model.configuration.classes], float64: logits).write(to: output)
    }
}
