import PhasorData
import PhasorModels

// `phasor predict --tokens`: next-token logits (B, L, vocab) of a Mamba language model on token ids (B, L) or (L).
// With --chunk the sequence is fed in pieces of that many tokens, the convolution and SSM state carried from one
// piece to the next (the streaming mode; the logits equal those of one call).

enum MambaPredict {
    static func run(model: String, tokens: String, output: String, precision: ComputePrecision, chunk: Int?) throws {
        try OutputPaths.requireWritable([output])  // before any work, so a bad --output costs nothing
        if let chunk, chunk <= 0 { throw CLIError("--chunk \(chunk) must be a positive number of tokens") }
        let lm = try MambaLanguageModel(path: model)
        let (ids, b, l) = try MambaTokensFile.read(tokens)
        let runner = MambaRunner(lm, precision: precision)
        let v = lm.configuration.vocabulary
        var logits: [Double]
        if let chunk, chunk < l {
            var state = MambaState(for: lm.configuration, batch: b)
            logits = [Double](repeating: 0, count: b * l * v)
            let progress = ProgressBar(total: l, label: "predict")
            for start in stride(from: 0, to: l, by: chunk) {
                let n = min(chunk, l - start)
                let piece = (0..<b).flatMap { s in ids[(s * l + start)..<(s * l + start + n)] }
                let out = try runner.logits(tokens: piece, batch: b, length: n, state: &state)
                for s in 0..<b {
                    logits.replaceSubrange(((s * l + start) * v)..<((s * l + start + n) * v), with: out[(s * n * v)..<((s + 1) * n * v)])
                }
                progress.update(done: start + n, detail: "tokens")
            }
            progress.finish("\(l) tokens in chunks of \(chunk)")
        } else {
            logits = try runner.logits(tokens: ids, batch: b, length: l)
        }
        try NpyArray(shape: [b, l, v], float64: logits).write(to: output)
    }
}
