import PhasorCorrespondence
import PhasorModels

// `phasor map --model M --tokens T.npy`: thin — load → MambaMapReport (PhasorCorrespondence) → print.

enum MambaMap {
    /// One sequence (L) of ids from a (L) or (1, L) array.
    static func sequence(_ path: String) throws -> [Int] {
        let (ids, b, _) = try MambaTokensFile.read(path)
        guard b == 1 else {
            throw CLIError("tokens \(path) hold \(b) sequences; this command reads one — give an (L) array (or (1, L))")
        }
        return ids
    }

    static func run(model path: String, tokens: String, layer: Int?, channel: Int?, json: Bool) throws {
        let model = try MambaLanguageModel(path: path)
        let ids = try sequence(tokens)
        let progress = ProgressBar(total: (layer == nil ? model.configuration.layers : 1) + 1, label: "map")
        let report = try MambaMapReport(source: path, model: model, ids: ids, layer: layer, channel: channel) { done, _ in
            progress.update(done: done, detail: "layers")
        }
        progress.finish("\(report.layers.count) layer(s), \(ids.count) tokens")
        if json { try JSONOutput.print(report); return }
        let c = model.configuration, d = report.tokenDynamics
        print("\(path): Mamba-1, \(c.layers) layers, d_model \(c.dModel), d_inner \(c.dInner), d_state \(c.states); \(ids.count) tokens")
        print("  every state is a pure relaxator (real A): μ_t = exp(Δ_t A) ∈ (0, 1), timescale τ_t = 1/(Δ_t|A|) tokens")
        for l in report.layers {
            let top = l.longMemoryChannels.first
            print(String(format: "  layer %d: Δ median %.3g [%.3g, %.3g]; τ median %.3g, 90%% %.3g tokens; longest memory: channel %d, %.3g tokens; λ_max %.4g per token (%@)",
                         l.index, l.delta.median, l.delta.min, l.delta.max, l.timescale.median, l.timescale.p90,
                         top?.channel ?? -1, top?.memory ?? .nan, l.lyapunov.largest, l.lyapunov.stable ? "stable" : "NOT stable"))
        }
        print(String(format: "  whole model: largest Lyapunov exponent %.4g per token after %d token(s) of transient (%@; criterion λ_max ≤ 0); %.4g with the transient",
                     d.largestExponent, d.transientIntervals * d.interval, d.stable ? "stable" : "NOT stable", d.exponentWithTransient))
    }
}
