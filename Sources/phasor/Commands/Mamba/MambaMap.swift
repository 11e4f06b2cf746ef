import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorModels

// `phasor map --model M --tokens T.npy`: every selective layer of a Mamba language model along one token sequence,
// read as time-varying relaxators (SelectiveReading, SelectiveMemory), with the Lyapunov exponents of each layer and of
// the whole model's token dynamics (SelectiveLyapunov, MambaTokenDynamics).

enum MambaMap {
    static let note = "Mamba-1's A = −exp(A_log) is real and negative: every state is a pure relaxator, μ_t = exp(Δ_t A) ∈ (0, 1) "
        + "with no frequency; it keeps the fraction μ_t of its content per token, i.e. it has the timescale τ_t = 1/(Δ_t|A|) tokens"
    static let criterion = "Halloran, Gulati & Roysdon (arXiv 2406.00209): the token dynamics are Lyapunov stable when the maximal "
        + "Lyapunov exponent of the state map (inputs fixed) is ≤ 0; reported per layer (exact: max over channels and states of "
        + "mean_t Δ_t A) and for the whole model (two-trajectory renormalisation over all layers' states)"

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
        let c = model.configuration
        if let layer, !(0..<c.layers).contains(layer) {
            throw CLIError("layer \(layer) does not exist: the model has \(c.layers) layers (0..<\(c.layers))")
        }
        if let channel, !(0..<c.dInner).contains(channel) {
            throw CLIError("channel \(channel) does not exist: the layers have d_inner = \(c.dInner) channels (0..<\(c.dInner))")
        }
        let (_, traces) = try model.trace(tokens: ids)
        let chosen = layer.map { [$0] } ?? Array(0..<c.layers)
        let progress = ProgressBar(total: chosen.count + 1, label: "map")
        var layers: [LayerJSON] = []
        for (done, i) in chosen.enumerated() {
            layers.append(try LayerJSON(model: model, trace: traces[i], ids: ids, channel: channel, perChannel: layer != nil))
            progress.update(done: done + 1, detail: "layer \(i)")
        }
        let dynamics = try MambaTokenDynamics(model: model, tokens: ids)
        progress.finish("\(chosen.count) layer(s), \(ids.count) tokens")
        let result = MapJSON(source: path, tokens: ids.count, ids: ids, model: ModelJSON(c), relaxators: true, note: note,
                             layers: layers, tokenDynamics: DynamicsJSON(dynamics), criterion: criterion)
        if json { try JSONOutput.print(result); return }
        print("\(path): Mamba-1, \(c.layers) layers, d_model \(c.dModel), d_inner \(c.dInner), d_state \(c.states); \(ids.count) tokens")
        print("  every state is a pure relaxator (real A): μ_t = exp(Δ_t A) ∈ (0, 1), timescale τ_t = 1/(Δ_t|A|) tokens")
        for l in layers {
            let top = l.longMemoryChannels.first
            print(String(format: "  layer %d: Δ median %.3g [%.3g, %.3g]; τ median %.3g, 90%% %.3g tokens; longest memory: channel %d, %.3g tokens; λ_max %.4g per token (%@)",
                         l.index, l.delta.median, l.delta.min, l.delta.max, l.timescale.median, l.timescale.p90,
                         top?.channel ?? -1, top?.memory ?? .nan, l.lyapunov.largest, l.lyapunov.stable ? "stable" : "NOT stable"))
        }
        print(String(format: "  whole model: largest Lyapunov exponent %.4g per token after %d token(s) of transient (%@; criterion λ_max ≤ 0); %.4g with the transient",
                     dynamics.largestExponent, dynamics.transientIntervals * dynamics.interval,
                     dynamics.stable ? "stable" : "NOT stable", dynamics.exponentWithTransient))
    }

    struct ModelJSON: Encodable {
        let vocabulary: Int, dModel: Int, dInner: Int, dState: Int, dtRank: Int, dConv: Int, layers: Int
        let epsilon: Double, tiedHead: Bool, parameters: Int
        init(_ c: MambaConfiguration) {
            vocabulary = c.vocabulary; dModel = c.dModel; dInner = c.dInner; dState = c.states; dtRank = c.dtRank
            dConv = c.convolutionWidth; layers = c.layers; epsilon = c.epsilon; tiedHead = c.tiedHead; parameters = c.parameterCount
        }
        enum CodingKeys: String, CodingKey {
            case vocabulary, dModel = "d_model", dInner = "d_inner", dState = "d_state", dtRank = "dt_rank", dConv = "d_conv"
            case layers, epsilon, tiedHead = "tied_head", parameters
        }
    }

    struct SpreadJSON: Encodable {
        let min: Double, p10: Double, median: Double, p90: Double, max: Double
        init(_ values: [Double]) { let s = ValueSpread(values); min = s.min; p10 = s.p10; median = s.median; p90 = s.p90; max = s.max }
    }

    struct LyapunovJSON: Encodable {
        let largest: Double, channel: Int, state: Int, qrSpectrum: [Double], renormalised: Double
        let largestStepMultiplier: Double, stable: Bool
        init(_ l: SelectiveLyapunov) {
            largest = l.largest; channel = l.channel; state = l.state; qrSpectrum = l.qrSpectrum; renormalised = l.renormalised
            largestStepMultiplier = l.largestStepMultiplier; stable = l.stable
        }
        enum CodingKeys: String, CodingKey {
            case largest, channel, state, qrSpectrum = "qr_spectrum_of_channel", renormalised = "renormalised_of_channel"
            case largestStepMultiplier = "largest_step_multiplier", stable
        }
    }

    struct TokenJSON: Encodable {
        let position: Int, token: Int, stepRatio: Double, medianSlowestTimescale: Double, meanSlowestRetention: Double
        enum CodingKeys: String, CodingKey {
            case position, token, stepRatio = "step_ratio", medianSlowestTimescale = "median_slowest_timescale"
            case meanSlowestRetention = "mean_slowest_retention"
        }
    }

    struct EffectJSON: Encodable {
        let token: Int, count: Int, stepRatio: Double
        enum CodingKeys: String, CodingKey { case token, count, stepRatio = "step_ratio" }
    }

    struct MemoryJSON: Encodable {
        let channel: Int, memory: Double, exponent: Double, slowestRate: Double, meanStep: Double, selectivity: Double
        init(_ m: SelectiveChannelMemory) {
            channel = m.channel; memory = m.memory; exponent = m.exponent; slowestRate = m.slowestRate; meanStep = m.meanStep
            selectivity = m.selectivity
        }
        enum CodingKeys: String, CodingKey {
            case channel, memory, exponent, slowestRate = "slowest_rate", meanStep = "mean_step", selectivity
        }
    }

    struct ChannelJSON: Encodable {
        let index: Int, a: [Double], steps: [Double], mu: [[Double]], timescale: [[Double]]
        enum CodingKeys: String, CodingKey { case index, a = "A", steps, mu, timescale }
    }

    struct LayerJSON: Encodable {
        let index: Int
        let delta: SpreadJSON, mu: SpreadJSON, timescale: SpreadJSON, channelMemory: SpreadJSON, selectivity: SpreadJSON
        /// Per token and channel (only when one layer is read: L × d_inner per layer is large).
        let steps: [[Double]]?, slowestMu: [[Double]]?
        let tokens: [TokenJSON], tokenEffects: [EffectJSON], longMemoryChannels: [MemoryJSON]
        let lyapunov: LyapunovJSON
        let channel: ChannelJSON?

        init(model: MambaLanguageModel, trace: MambaLayerTrace, ids: [Int], channel: Int?, perChannel: Bool) throws {
            let layer = model.layers[trace.layer].mixer.selective
            let r = try SelectiveReading(layer, input: trace.input, length: trace.length)
            let e = r.channels, n = r.states, l = r.length
            let mu = r.eigenvalueModuli, tau = r.timescales, memory = r.channelMemory
            index = trace.layer
            delta = SpreadJSON(r.steps); self.mu = SpreadJSON(mu); timescale = SpreadJSON(tau)
            channelMemory = SpreadJSON(memory.map(\.memory)); selectivity = SpreadJSON(memory.map(\.selectivity))
            steps = perChannel ? (0..<l).map { t in Array(r.steps[(t * e)..<((t + 1) * e)]) } : nil
            slowestMu = perChannel ? (0..<l).map { t in (0..<e).map { h in (0..<n).map { mu[(t * e + h) * n + $0] }.max()! } } : nil
            tokens = r.tokenSteps.map { TokenJSON(position: $0.position, token: ids[$0.position], stepRatio: $0.stepRatio,
                                                 medianSlowestTimescale: $0.medianSlowestTimescale,
                                                 meanSlowestRetention: $0.meanSlowestRetention) }
            tokenEffects = try r.tokenEffects(ids: ids).map { EffectJSON(token: $0.token, count: $0.count, stepRatio: $0.stepRatio) }
            longMemoryChannels = memory.sorted { $0.memory > $1.memory }.prefix(10).map(MemoryJSON.init)
            lyapunov = LyapunovJSON(try SelectiveLyapunov(r))
            self.channel = channel.map { h in
                ChannelJSON(index: h, a: Array(r.rates[(h * n)..<((h + 1) * n)]), steps: (0..<l).map { r.steps[$0 * e + h] },
                            mu: (0..<l).map { t in Array(mu[((t * e + h) * n)..<((t * e + h + 1) * n)]) },
                            timescale: (0..<l).map { t in Array(tau[((t * e + h) * n)..<((t * e + h + 1) * n)]) })
            }
        }
        enum CodingKeys: String, CodingKey {
            case index, delta, mu, timescale, channelMemory = "channel_memory", selectivity, steps, slowestMu = "slowest_mu"
            case tokens, tokenEffects = "token_effects", longMemoryChannels = "long_memory_channels", lyapunov, channel
        }
    }

    struct DynamicsJSON: Encodable {
        let largestExponent: Double, exponentWithTransient: Double, transientIntervals: Int, intervalExponents: [Double]
        let epsilon: Double, interval: Int, stable: Bool
        init(_ d: MambaTokenDynamics) {
            largestExponent = d.largestExponent; exponentWithTransient = d.exponentWithTransient
            transientIntervals = d.transientIntervals; intervalExponents = d.intervalExponents; epsilon = d.epsilon
            interval = d.interval; stable = d.stable
        }
        enum CodingKeys: String, CodingKey {
            case largestExponent = "largest_exponent", exponentWithTransient = "exponent_with_transient"
            case transientIntervals = "transient_intervals", intervalExponents = "interval_exponents", epsilon, interval, stable
        }
    }

    struct MapJSON: Encodable {
        let source: String, tokens: Int, ids: [Int], model: ModelJSON, relaxators: Bool, note: String
        let layers: [LayerJSON], tokenDynamics: DynamicsJSON, criterion: String
        enum CodingKeys: String, CodingKey {
            case source, tokens, ids, model, relaxators, note, layers, tokenDynamics = "token_dynamics"
            case criterion = "lyapunov_criterion"
        }
    }
}
