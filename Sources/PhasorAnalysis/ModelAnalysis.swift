// All analyses of DESIGN.md §8 for one trained S4Model in one Codable report (the JSON of `phasor analyze`):
// timescales of every mode; per layer the impulse-response correlation and coherence, the closed-form memory capacity
// of every channel (and its layer mean per lag), and the state entropy; with data: the seed's Rademacher heuristic
// (labelled), the empirical Rademacher complexity of the read-out over the pooled features, and — given the
// initialisation — the PAC-Bayes bound. Failures of one estimator on one channel (e.g. an unstable mode) become
// warnings in the report; nothing non-finite is ever written.
import PhasorCorrespondence
import PhasorModels
import PhasorNumerics

/// Settings of `ModelAnalysis`.
public struct ModelAnalysisOptions: Sendable {
    /// Kernel length L for the correlations (e.g. the data's sequence length).
    public var kernelLength = 256
    /// Largest lag ℓ of ρ(ℓ) and r(ℓ).
    public var maxLag = 128
    /// Lags K of the memory curve MC_k.
    public var memoryLags = 64
    public var histogramBins = 20
    public var rademacherDraws = 200
    public var pacBayesSigmas = PACBayesBound.defaultSigmas
    public var pacBayesDraws = 20
    public var delta = 0.05
    public var seed: UInt64 = 0
    public init() {}
}

extension ModelAnalysisOptions {
    /// Memory and work of `ModelAnalysis.run` for a model of `configuration` with `samples` data sequences of up to
    /// `length` steps (0 samples: no --data) and, with `pacBayes`, the bound's draws — the figures `phasor analyze`
    /// checks against ResourceLimits before it starts. Per layer and channel (H channels, M = N/2 modes, kernel length
    /// L_k, Λ = min(maxLag, L_k − 1) + 1 lags, K memory lags):
    ///   correlation   kernel L_k·M·8 + autocorrelation L_k·Λ·2 + coherence Λ·M·40 operations; the kernel 24·L_k bytes
    ///   memory        K·(2N² + 20N) + 40N³ operations (MC_k = c_kᵀP⁺c_k per lag, P by the Stein solver)
    ///   report        every curve is kept (8 bytes a number) and, with `json`, encoded (~80 bytes a number while
    ///                 JSONEncoder builds the text)
    ///   data          one forward pass over the data (S4ModelConfiguration.jobEstimate) for the pooled features;
    ///                 the Rademacher estimate, `rademacherDraws` × (samples·(2H + 4)) operations and 8 bytes a draw;
    ///                 PAC-Bayes, draws × |σ grid| forward passes, each on a perturbed copy of the P parameters.
    public func jobEstimate(configuration c: S4ModelConfiguration, samples: Int, length: Int, pacBayes: Bool,
                            json: Bool) -> JobEstimate {
        let channels = Double(c.layers) * Double(c.dModel), m = Double(c.dState / 2), n = Double(c.dState)
        let lk = Double(max(kernelLength, 1)), lags = min(Double(max(maxLag, 0)), lk - 1) + 1, k = Double(max(memoryLags, 1))
        let intrinsicWork = channels * (lk * m * 8 + lk * lags * 2 + lags * m * 40 + k * (2 * n * n + 20 * n) + 40 * n * n * n)
        let curves = (channels + Double(c.layers)) * (k + 2 * lags)
        var estimate = JobEstimate(parts: [("impulse responses", 24 * lk), ("analysis curves", curves * 8),
                                           ("JSON encoding", json ? curves * 80 : 0)], operations: intrinsicWork)
        if samples > 0 {
            let forward = c.jobEstimate(samples: samples, batch: 64, length: length, work: .inference)
            let h = Double(c.dModel), draws = Double(max(rademacherDraws, 0))
            estimate = estimate + forward
                + JobEstimate(parts: [("features", Double(samples) * h * 8), ("Rademacher draws", draws * 8)],
                              operations: draws * (Double(samples) * (2 * h + 4) + 2 * h + 8))
            if pacBayes {
                let passes = Double(max(pacBayesDraws, 0)) * Double(pacBayesSigmas.count)
                estimate = estimate + JobEstimate(parts: [("PAC-Bayes draws", forward.bytes + c.parameterCount * 8 * 4)],
                                                  operations: passes * (forward.operations + c.parameterCount * 20))
            }
        }
        return estimate
    }
}

/// Memory capacity of a layer: per channel, and the mean curve over the channels it was defined for.
public struct LayerMemory: Codable, Sendable, Equatable {
    public let channels: [MemoryCapacity?]
    /// Mean over defined channels of MC_k.
    public let meanPerLag: [Double]
    /// Mean over defined channels of MC(K).
    public let meanTotal: Double
    /// Mean of MC(K) + tail = the mean numerical rank (≤ N).
    public let meanRank: Double
    public let stateDimension: Int
}

public struct LayerAnalysis: Codable, Sendable, Equatable {
    public let layer: Int
    public let correlation: LayerCorrelation?
    public let memory: LayerMemory?
    /// Entropy of the layer's block-diagonal state covariance (channels independent under white noise).
    public let entropy: StateEntropy?
    /// Per-channel entropies S_h (nil where undefined).
    public let channelEntropies: [Double?]
}

public struct ModelAnalysisReport: Codable, Sendable, Equatable {
    public let configuration: S4ModelConfiguration
    public let timescales: TimescaleAnalysis
    public let layers: [LayerAnalysis]
    public let samples: Int?
    public let heuristic: RademacherHeuristic?
    public let rademacher: EmpiricalRademacher?
    public let pacBayes: PACBayesBound?
    public let warnings: [String]
}

public enum ModelAnalysis {
    /// Analyses `model`; `data` (already standardised as the model expects) enables the data-dependent estimators,
    /// and `initial` (θ₀, the parameters before training) the PAC-Bayes bound.
    public static func run(model: S4Model, data: BatchSource? = nil, initial: ParameterStore? = nil,
                           options: ModelAnalysisOptions = ModelAnalysisOptions()) throws -> ModelAnalysisReport {
        let c = model.configuration
        guard options.kernelLength > 0, options.maxLag >= 0, options.memoryLags >= 1 else {
            throw AnalysisError.invalid("kernel length must be > 0, max lag ≥ 0 and memory lags ≥ 1")
        }
        var warnings: [String] = []
        var modes: [ModeTimescale] = []
        var layers: [LayerAnalysis] = []
        var oscillators = 0                                                  // real state dimension of all layers
        for i in 0..<c.layers {
            let channels: [DiagonalSSM], shared: Bool
            if case .s6(let s6) = model.block(i).core {                      // not LTI: its rates at the resting step
                modes += try SelectiveRestReading(s6).modes.enumerated().map { e, m in
                    try ModeTimescale(layer: i, channel: e / c.dState, mode: e % c.dState, rate: m.lambda, step: m.timescales.step ?? 1)
                }
                oscillators += c.dModel * c.dState
                warnings.append("layer \(i): S6 is not LTI — its timescales are read at the resting step Δ₀ = softplus(b_dt) "
                    + "(the steps of real inputs differ); correlation, memory capacity and entropy need a fixed linear map")
                layers.append(LayerAnalysis(layer: i, correlation: nil, memory: nil, entropy: nil, channelEntropies: []))
                continue
            }
            switch try model.block(i).core.diagonalSystems() {              // the one conversion per core
            case .channels(let systems):
                modes += try TimescaleAnalysis.modes(layer: i, channels: systems)
                channels = systems.map(\.ssm); shared = false
                oscillators += c.dModel * c.dState
            case .mimo(let causal, let anticausal):
                // One state shared by all channels: channel h is the path input h → output h through it.
                modes += try TimescaleAnalysis.modes(layer: i, reading: causal)
                channels = try (0..<c.dModel).map { try causal.channelPath($0) }; shared = true
                oscillators += 2 * causal.modes.count * (anticausal == nil ? 1 : 2)
                if anticausal != nil {
                    warnings.append("layer \(i): bidirectional S5 — correlation, memory capacity and entropy describe its causal half only")
                }
            case .oscillators(let reading, let systems):
                oscillators += 4 * c.dState                                   // P oscillators: (z, y) complex each
                if !systems.integratorOscillators.isEmpty {
                    warnings.append("layer \(i): LinOSS oscillator(s) \(systems.integratorOscillators.map(String.init).joined(separator: ", ")) "
                        + "have no eigen-reading (relu(A_diag) = 0: double integrators, whose memory does not fade); "
                        + "timescales, correlation, memory capacity and entropy describe the other oscillators' modes")
                }
                guard let reading else {
                    layers.append(LayerAnalysis(layer: i, correlation: nil, memory: nil, entropy: nil, channelEntropies: []))
                    continue
                }
                modes += try TimescaleAnalysis.modes(layer: i, reading: reading)
                channels = try (0..<c.dModel).map { try reading.channelPath($0) }; shared = true
            }
            var correlation: LayerCorrelation?
            do {
                correlation = try LayerCorrelation(layer: i, channels: channels, length: options.kernelLength, maxLag: options.maxLag)
                warnings += correlation?.warnings ?? []
            } catch { warnings.append("layer \(i): impulse-response correlation not computed: \(error)") }
            var perChannel: [MemoryCapacity?] = [], entropies: [Double?] = [], stable: [DiagonalSSM] = []
            for (h, ssm) in channels.enumerated() {
                do {
                    let mc = try MemoryCapacity(ssm, lags: options.memoryLags)
                    perChannel.append(mc)
                    stable.append(ssm)
                    entropies.append(try StateEntropy(ssm).entropy)
                } catch {
                    perChannel.append(nil); entropies.append(nil)
                    warnings.append("layer \(i) channel \(h): memory capacity and entropy not computed: \(error)")
                }
            }
            let defined = perChannel.compactMap { $0 }
            let nearSingular = defined.filter { !$0.warnings.isEmpty }.count
            if nearSingular > 0 {
                warnings.append("layer \(i): \(nearSingular) of \(defined.count) channels have a near-singular state covariance; "
                    + "their memory capacity uses a regularised inverse (see each channel's warning)")
            }
            var memory: LayerMemory?
            if !defined.isEmpty {
                let k = Double(defined.count)
                memory = LayerMemory(channels: perChannel,
                                     meanPerLag: (0..<options.memoryLags).map { l in defined.reduce(0) { $0 + $1.perLag[l] } / k },
                                     meanTotal: defined.reduce(0) { $0 + $1.total } / k,
                                     meanRank: defined.reduce(0) { $0 + $1.total + $1.tail } / k,
                                     stateDimension: defined[0].stateDimension)
            }
            var entropy: StateEntropy?
            if !stable.isEmpty {
                do { entropy = shared ? try StateEntropy(sharedState: stable) : try StateEntropy(channels: stable) } catch {
                    warnings.append("layer \(i): entropy not computed: \(error)")
                }
            }
            layers.append(LayerAnalysis(layer: i, correlation: correlation, memory: memory, entropy: entropy,
                                        channelEntropies: entropies))
        }
        let timescales = try TimescaleAnalysis(modes: modes, binCount: options.histogramBins, folds: c.discretization == .zoh)
        warnings += timescales.warnings
        var heuristic: RademacherHeuristic?, rademacher: EmpiricalRademacher?, pacBayes: PACBayesBound?
        if let data {
            guard data.count > 0 else { throw AnalysisError.insufficientData("the data set for the analyses is empty") }
            // n_osc = real state dimension of all layers (S4D H·N each, S5/LRU 2P); no core couples its modes (diagonal A).
            heuristic = try RademacherHeuristic(oscillators: max(oscillators, 1), offDiagonalNorm: 0,
                                                samples: data.count)
            let features = try ModelEvaluation.pooledFeatures(model: model, data: data)
            let readout = model.decoder, w = readout.weight
            var bound = 0.0                                                              // B = max_k ‖W_k‖
            for k in 0..<c.classes {
                var norm2 = 0.0
                for j in 0..<c.dModel { norm2 += w[k * c.dModel + j] * w[k * c.dModel + j] }
                bound = max(bound, norm2.squareRoot())
            }
            if bound > 0 {
                rademacher = try EmpiricalRademacher(features: features, weightBound: bound, draws: options.rademacherDraws,
                                                     seed: options.seed)
                warnings += rademacher?.warnings ?? []
            } else { warnings.append("the decoder weights are zero: the read-out class is {0}; no Rademacher complexity") }
            if let initial {
                pacBayes = try PACBayesBound(model: model, initial: initial, data: data, sigmas: options.pacBayesSigmas,
                                             draws: options.pacBayesDraws, delta: options.delta, seed: options.seed &+ 1)
                warnings += pacBayes?.warnings ?? []
            } else {
                warnings.append("no initialisation given: the PAC-Bayes bound (prior at θ₀) was not computed")
            }
        }
        return ModelAnalysisReport(configuration: c, timescales: timescales, layers: layers, samples: data?.count,
                                   heuristic: heuristic, rademacher: rademacher, pacBayes: pacBayes, warnings: warnings)
    }
}
