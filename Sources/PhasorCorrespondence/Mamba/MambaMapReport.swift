// `phasor map --tokens` as data: every selective layer of a Mamba language model along one token sequence, read as
// time-varying relaxators (SelectiveReading, SelectiveMemory.swift), with the Lyapunov exponents of each layer and of
// the whole model's token dynamics (MambaLyapunov.swift). docs/mamba.md has the formulas.
import PhasorModels
import PhasorNumerics

public struct MambaMapReport: Encodable, Sendable {
    public static let note = "Mamba-1's A = −exp(A_log) is real and negative: every state is a pure relaxator, μ_t = exp(Δ_t A) ∈ (0, 1) "
        + "with no frequency; it keeps the fraction μ_t of its content per token, i.e. it has the timescale τ_t = 1/(Δ_t|A|) tokens"
    public static let criterion = "Halloran, Gulati & Roysdon (arXiv 2406.00209): the token dynamics are Lyapunov stable when the maximal "
        + "Lyapunov exponent of the state map (inputs fixed) is ≤ 0; reported per layer (exact: max over channels and states of "
        + "mean_t Δ_t A) and for the whole model (two-trajectory renormalisation over all layers' states)"

    public let source: String, tokens: Int, ids: [Int], model: Model, relaxators: Bool, note: String
    public let layers: [Layer], tokenDynamics: Dynamics, criterion: String
    enum CodingKeys: String, CodingKey {
        case source, tokens, ids, model, relaxators, note, layers, tokenDynamics = "token_dynamics"
        case criterion = "lyapunov_criterion"
    }

    /// Reads `layer` (all when nil) of `model` along the token ids; `channel` adds that channel's A, μ_t, τ_t, and a
    /// single layer adds Δ_t and the slowest μ_t for every token and channel. `progress(done, total)` is called per layer.
    public init(source: String, model: MambaLanguageModel, ids: [Int], layer: Int?, channel: Int?,
                progress: (Int, Int) -> Void = { _, _ in }) throws {
        let c = model.configuration
        if let layer, !(0..<c.layers).contains(layer) {
            throw CorrespondenceError.invalid("layer \(layer) does not exist: the model has \(c.layers) layers (0..<\(c.layers))")
        }
        if let channel, !(0..<c.dInner).contains(channel) {
            throw CorrespondenceError.invalid("channel \(channel) does not exist: the layers have d_inner = \(c.dInner) channels (0..<\(c.dInner))")
        }
        let (_, traces) = try model.trace(tokens: ids)
        let chosen = layer.map { [$0] } ?? Array(0..<c.layers)
        var layers: [Layer] = []
        for (done, i) in chosen.enumerated() {
            layers.append(try Layer(model: model, trace: traces[i], ids: ids, channel: channel, perChannel: layer != nil))
            progress(done + 1, chosen.count + 1)
        }
        let dynamics = try MambaTokenDynamics(model: model, tokens: ids)
        self.source = source; tokens = ids.count; self.ids = ids; self.model = Model(c); relaxators = true
        note = Self.note; self.layers = layers; tokenDynamics = Dynamics(dynamics); criterion = Self.criterion
    }

    public struct Model: Encodable, Sendable {
        public let vocabulary: Int, dModel: Int, dInner: Int, dState: Int, dtRank: Int, dConv: Int, layers: Int
        public let epsilon: Double, tiedHead: Bool, parameters: Int
        init(_ c: MambaConfiguration) {
            vocabulary = c.vocabulary; dModel = c.dModel; dInner = c.dInner; dState = c.states; dtRank = c.dtRank
            dConv = c.convolutionWidth; layers = c.layers; epsilon = c.epsilon; tiedHead = c.tiedHead; parameters = c.parameterCount
        }
        enum CodingKeys: String, CodingKey {
            case vocabulary, dModel = "d_model", dInner = "d_inner", dState = "d_state", dtRank = "dt_rank", dConv = "d_conv"
            case layers, epsilon, tiedHead = "tied_head", parameters
        }
    }

    public struct Spread: Encodable, Sendable {
        public let min: Double, p10: Double, median: Double, p90: Double, max: Double
        init(_ values: [Double]) { let s = ValueSpread(values); min = s.min; p10 = s.p10; median = s.median; p90 = s.p90; max = s.max }
    }

    public struct Lyapunov: Encodable, Sendable {
        public let largest: Double, channel: Int, state: Int, qrSpectrum: [Double], renormalised: Double
        public let largestStepMultiplier: Double, stable: Bool
        init(_ l: SelectiveLyapunov) {
            largest = l.largest; channel = l.channel; state = l.state; qrSpectrum = l.qrSpectrum; renormalised = l.renormalised
            largestStepMultiplier = l.largestStepMultiplier; stable = l.stable
        }
        enum CodingKeys: String, CodingKey {
            case largest, channel, state, qrSpectrum = "qr_spectrum_of_channel", renormalised = "renormalised_of_channel"
            case largestStepMultiplier = "largest_step_multiplier", stable
        }
    }

    public struct Token: Encodable, Sendable {
        public let position: Int, token: Int, stepRatio: Double, medianSlowestTimescale: Double, meanSlowestRetention: Double
        enum CodingKeys: String, CodingKey {
            case position, token, stepRatio = "step_ratio", medianSlowestTimescale = "median_slowest_timescale"
            case meanSlowestRetention = "mean_slowest_retention"
        }
    }

    public struct Effect: Encodable, Sendable {
        public let token: Int, count: Int, stepRatio: Double
        enum CodingKeys: String, CodingKey { case token, count, stepRatio = "step_ratio" }
    }

    public struct Memory: Encodable, Sendable {
        public let channel: Int, memory: Double, exponent: Double, slowestRate: Double, meanStep: Double, selectivity: Double
        init(_ m: SelectiveChannelMemory) {
            channel = m.channel; memory = m.memory; exponent = m.exponent; slowestRate = m.slowestRate; meanStep = m.meanStep
            selectivity = m.selectivity
        }
        enum CodingKeys: String, CodingKey {
            case channel, memory, exponent, slowestRate = "slowest_rate", meanStep = "mean_step", selectivity
        }
    }

    public struct Channel: Encodable, Sendable {
        public let index: Int, a: [Double], steps: [Double], mu: [[Double]], timescale: [[Double]]
        enum CodingKeys: String, CodingKey { case index, a = "A", steps, mu, timescale }
    }

    public struct Layer: Encodable, Sendable {
        public let index: Int
        public let delta: Spread, mu: Spread, timescale: Spread, channelMemory: Spread, selectivity: Spread
        /// Per token and channel (only when one layer is read: L × d_inner per layer is large).
        public let steps: [[Double]]?, slowestMu: [[Double]]?
        public let tokens: [Token], tokenEffects: [Effect], longMemoryChannels: [Memory]
        public let lyapunov: Lyapunov
        public let channel: Channel?

        init(model: MambaLanguageModel, trace: MambaLayerTrace, ids: [Int], channel: Int?, perChannel: Bool) throws {
            let layer = model.layers[trace.layer].mixer.selective
            let r = try SelectiveReading(layer, input: trace.input, length: trace.length)
            let e = r.channels, n = r.states, l = r.length
            let mu = r.eigenvalueModuli, tau = r.timescales, memory = r.channelMemory
            index = trace.layer
            delta = Spread(r.steps); self.mu = Spread(mu); timescale = Spread(tau)
            channelMemory = Spread(memory.map(\.memory)); selectivity = Spread(memory.map(\.selectivity))
            steps = perChannel ? (0..<l).map { t in Array(r.steps[(t * e)..<((t + 1) * e)]) } : nil
            slowestMu = perChannel ? (0..<l).map { t in (0..<e).map { h in (0..<n).map { mu[(t * e + h) * n + $0] }.max()! } } : nil
            tokens = r.tokenSteps.map { Token(position: $0.position, token: ids[$0.position], stepRatio: $0.stepRatio,
                                                 medianSlowestTimescale: $0.medianSlowestTimescale,
                                                 meanSlowestRetention: $0.meanSlowestRetention) }
            tokenEffects = try r.tokenEffects(ids: ids).map { Effect(token: $0.token, count: $0.count, stepRatio: $0.stepRatio) }
            longMemoryChannels = memory.sorted { $0.memory > $1.memory }.prefix(10).map(Memory.init)
            lyapunov = Lyapunov(try SelectiveLyapunov(r))
            self.channel = channel.map { h in
                Channel(index: h, a: Array(r.rates[(h * n)..<((h + 1) * n)]), steps: (0..<l).map { r.steps[$0 * e + h] },
                            mu: (0..<l).map { t in Array(mu[((t * e + h) * n)..<((t * e + h + 1) * n)]) },
                            timescale: (0..<l).map { t in Array(tau[((t * e + h) * n)..<((t * e + h + 1) * n)]) })
            }
        }
        enum CodingKeys: String, CodingKey {
            case index, delta, mu, timescale, channelMemory = "channel_memory", selectivity, steps, slowestMu = "slowest_mu"
            case tokens, tokenEffects = "token_effects", longMemoryChannels = "long_memory_channels", lyapunov, channel
        }
    }

    public struct Dynamics: Encodable, Sendable {
        public let largestExponent: Double, exponentWithTransient: Double, transientIntervals: Int, intervalExponents: [Double]
        public let epsilon: Double, interval: Int, stable: Bool
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
}
