// `phasor identify` as data and as text: the run's settings, the oscillators found, the reconstruction / forecast
// errors, HAVOK's switching agreement, and what was designed. Every key is snake_case; null means ∞ (periods, decay
// times) or "no rate" (lambda).
import Foundation
import PhasorCorrespondence
import PhasorNumerics

/// One identified oscillator in the report.
public struct IdentifiedOscillatorJSON: Encodable, Sendable {
    public let o: IdentifiedOscillator
    public init(_ o: IdentifiedOscillator) { self.o = o }
    enum CodingKeys: String, CodingKey {
        case mu, lambda, pair, frequency, damping, decayTime = "decay_time", period, amplitude
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(realImaginary(o.mu), forKey: .mu)
        try c.encode(o.lambda.map { realImaginary($0) }, forKey: .lambda)  // null: no principal logarithm
        try c.encode(o.isPair, forKey: .pair)
        try c.encode(o.frequency, forKey: .frequency)
        try c.encode(o.damping, forKey: .damping)
        try c.encode(o.decayTime, forKey: .decayTime)    // null = ∞ (or no rate)
        try c.encode(o.period, forKey: .period)          // null = ∞ (real mode)
        try c.encode(o.amplitude, forKey: .amplitude)
    }
}

public struct FitJSON: Encodable, Sendable {
    public let start: Int
    public let samples: Int
    public let nrmse: Double
    public init(_ fit: SegmentFit, channels: Int) {
        start = fit.start
        samples = fit.truth.count / channels
        nrmse = fit.error
    }
}

public struct SwitchingJSON: Encodable, Sendable {
    public let thresholdSigmas: Double, windowBefore: Int, windowAfter: Int, switches: Int, activeFraction: Double
    public let precision: Double, baseRate: Double, recall: Double, chanceRecall: Double
    public init(_ s: SwitchingAgreement) {
        thresholdSigmas = s.thresholdSigmas; windowBefore = s.before; windowAfter = s.after; switches = s.switches
        activeFraction = s.activeFraction; precision = s.precision; baseRate = s.baseRate; recall = s.recall
        chanceRecall = s.chanceRecall
    }
    enum CodingKeys: String, CodingKey {
        case thresholdSigmas = "threshold_sigmas", windowBefore = "window_before", windowAfter = "window_after", switches
        case activeFraction = "active_fraction", precision, baseRate = "base_rate", recall, chanceRecall = "chance_recall"
    }
}

/// One designed mode of the layer written with --out (period null = ∞).
public struct DesignTargetJSON: Encodable, Sendable {
    public let period: Double?
    public let memory: Double
    enum CodingKeys: String, CodingKey { case period, memory }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(period, forKey: .period)
        try c.encode(memory, forKey: .memory)
    }
}

public struct IdentificationReport: Encodable, Sendable {
    public let data: String, name: String, samples: Int, channels: Int, dt: Double
    public let method: String, delays: Int, rankRule: String, rank: Int, singularValues: [Double]
    public let trainingSamples: Int, holdoutSamples: Int, kappa: Double
    public let oscillators: [IdentifiedOscillatorJSON]
    public let reconstruction: FitJSON, forecast: FitJSON?, forecastKind: String?, persistenceNrmse: Double?
    public let switching: SwitchingJSON?
    public let out: String?, designedModes: Int?, designTargets: [DesignTargetJSON]?, designNotes: [String]
    public let warnings: [String]
    /// The report as the command prints it without --json.
    public let text: String

    enum CodingKeys: String, CodingKey {
        case data, name, samples, channels, dt, method, delays, rankRule = "rank_rule", rank
        case singularValues = "singular_values", trainingSamples = "training_samples", holdoutSamples = "holdout_samples"
        case kappa, oscillators, reconstruction, forecast, forecastKind = "forecast_kind"
        case persistenceNrmse = "persistence_nrmse", switching, out, designedModes = "designed_modes"
        case designTargets = "design_targets"
        case designNotes = "design_notes", warnings
    }

    public init(_ r: Identification, data: String, out: String?, designedModes: Int, designTargets: [OscillatorTarget],
         designNotes: [String]) {
        let d = r.series.channels, s = r.settings
        self.data = data
        name = r.series.name
        samples = r.series.length
        channels = d
        dt = s.step
        method = s.method.rawValue
        delays = s.delays
        rankRule = s.rank.description
        rank = r.rank
        singularValues = Array(r.singularValues.prefix(64))
        trainingSamples = r.trainingLength
        holdoutSamples = r.holdoutLength
        kappa = r.oscillators.kappa
        oscillators = r.oscillators.oscillators.map(IdentifiedOscillatorJSON.init)
        reconstruction = FitJSON(r.reconstruction, channels: d)
        forecast = r.forecast.map { FitJSON($0, channels: d) }
        forecastKind = r.forecast == nil ? nil
            : s.method == .dmd ? "free run from the last training window" : "driven by the forcing measured on the tail"
        persistenceNrmse = r.persistenceError
        switching = r.switching.map(SwitchingJSON.init)
        self.out = out
        self.designedModes = out == nil ? nil : designedModes
        self.designTargets = out == nil ? nil : designTargets.map { DesignTargetJSON(period: $0.period, memory: $0.memory) }
        self.designNotes = designNotes
        warnings = r.warnings

        func g(_ v: Double?) -> String { v.map { String(format: "%.4g", $0) } ?? "∞" }
        var lines = ["\(name): \(samples) samples × \(d) channel(s), Δ = \(g(dt)); training \(trainingSamples), held out \(holdoutSamples)",
                     "\(s.method == .dmd ? "Hankel DMD" : "HAVOK"), \(delays) delay(s), rank \(rank) (\(rankRule)); κ(V) = \(g(kappa))",
                     "oscillators (largest amplitude first; times in the unit of Δ):",
                     "  " + ["period", "decay time", "frequency", "damping", "amplitude"].map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined()]
        for o in r.oscillators.oscillators.prefix(20) {
            lines.append("  " + [g(o.period), g(o.decayTime), g(o.frequency), g(o.damping), g(o.amplitude)]
                .map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined())
        }
        if r.oscillators.oscillators.count > 20 { lines.append("  … \(r.oscillators.oscillators.count - 20) more (see --json)") }
        var errors = "reconstruction NRMSE \(g(reconstruction.nrmse)) over \(reconstruction.samples) samples"
        if let f = forecast, let p = persistenceNrmse {
            errors += "; \(s.method == .dmd ? "forecast" : "tail (driven)") NRMSE \(g(f.nrmse)) over \(f.samples) (persistence \(g(p)))"
        }
        lines.append(errors)
        if let sw = r.switching {
            lines.append(String(format: "forcing |v_r| > %.3g std on %.1f%% of the time: %.0f%% of it near a sign change of channel 0 (base rate %.0f%%); %d of %d changes found (%.0f%%, chance %.0f%%)",
                                sw.thresholdSigmas, 100 * sw.activeFraction, 100 * sw.precision, 100 * sw.baseRate,
                                Int((sw.recall * Double(sw.switches)).rounded()), sw.switches, 100 * sw.recall, 100 * sw.chanceRecall))
        }
        if let out {
            lines.append("wrote \(out): S4D layer with \(designedModes) mode(s) per channel (train with --d-state \(2 * designedModes) --init-from \(out))")
        }
        lines += (designNotes + warnings).map { "  note: \($0)" }
        text = lines.joined(separator: "\n")
    }
}
