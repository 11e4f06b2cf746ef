// Timescales of every mode of the S4D layers of a model (DESIGN.md §4, §8), and their distributions. Each mode's
// times are PhasorCorrespondence's `ModeTimescales` (the one definition: τ = 1/γ and Q = |ω|/2γ only for γ > 0, T =
// 2π/|ω|, the growth time 1/|γ| of a growing mode, τ/Δ and T/Δ in steps); here they carry where the mode sits.
// Distributions over many modes are summarised by quantiles (linear interpolation between order statistics,
// "type 7") and a histogram with equal bins in log10.
import PhasorCorrespondence
import PhasorNumerics

/// The timescales of one mode of one channel of one layer. Undefined values are nil, never ∞/NaN/negative.
public struct ModeTimescale: Codable, Sendable, Equatable {
    public let layer: Int, channel: Int, mode: Int
    public let timescales: ModeTimescales

    /// The timescales of rate λ sampled with step Δ > 0.
    public init(layer: Int = 0, channel: Int = 0, mode: Int = 0, rate: Complex<Double>, step: Double) throws {
        guard rate.isFinite else { throw AnalysisError.invalid("mode \(mode) of channel \(channel), layer \(layer): rate λ is not finite") }
        guard step > 0, step.isFinite else { throw AnalysisError.invalid("step Δ must be positive and finite, got \(step)") }
        self.layer = layer; self.channel = channel; self.mode = mode
        timescales = ModeTimescales(rate: rate, step: step)
    }

    /// Step Δ of the channel.
    public var step: Double { timescales.step ?? 1 }
    /// ω = Im λ.
    public var frequency: Double { timescales.frequency }
    /// γ = −Re λ; negative means the mode grows.
    public var damping: Double { timescales.damping }
    public var decayTime: Double? { timescales.decayTime }
    public var growthTime: Double? { timescales.growthTime }
    public var period: Double? { timescales.period }
    public var quality: Double? { timescales.quality }
    /// τ/Δ: decay time in steps.
    public var decaySteps: Double? { timescales.decaySteps }
    /// T/Δ: period in steps.
    public var periodSteps: Double? { timescales.periodSteps }
    /// True when the mode decays (γ > 0, i.e. |μ| < 1 under ZOH and bilinear).
    public var isStable: Bool { timescales.isStable }

    enum CodingKeys: String, CodingKey { case layer, channel, mode }

    /// The location and the timescales' keys side by side in one JSON object.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(layer, forKey: .layer)
        try c.encode(channel, forKey: .channel)
        try c.encode(mode, forKey: .mode)
        try timescales.encode(to: encoder)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        layer = try c.decode(Int.self, forKey: .layer)
        channel = try c.decode(Int.self, forKey: .channel)
        mode = try c.decode(Int.self, forKey: .mode)
        timescales = try ModeTimescales(from: decoder)
    }
}

/// Quantiles and a log10 histogram of a sample of positive values; `undefined` counts the values that were nil.
public struct TimescaleDistribution: Codable, Sendable, Equatable {
    public let count: Int
    public let undefined: Int
    /// Probabilities at which `quantiles` are given.
    public let probabilities: [Double]
    public let quantiles: [Double]
    /// Bin edges in log10 of the value (bins.count + 1 edges), equal widths from log10 min to log10 max.
    public let log10Edges: [Double]
    public let bins: [Int]

    public static let defaultProbabilities = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]

    /// Summarises `values` (nil = undefined, e.g. τ of an undamped mode). Non-positive or non-finite values are an error.
    public init(_ values: [Double?], binCount: Int = 20, probabilities: [Double] = defaultProbabilities) throws {
        guard binCount > 0 else { throw AnalysisError.invalid("histogram needs at least one bin, got \(binCount)") }
        let defined = values.compactMap { $0 }.sorted()
        if let bad = defined.first(where: { !($0 > 0) || !$0.isFinite }) {
            throw AnalysisError.invalid("timescales must be positive and finite for a log histogram, got \(bad)")
        }
        count = defined.count
        undefined = values.count - defined.count
        self.probabilities = probabilities
        quantiles = defined.isEmpty ? [] : probabilities.map { Self.quantile(sorted: defined, $0) }
        guard let first = defined.first, let last = defined.last else { log10Edges = []; bins = []; return }
        var lo = Double.log10(first), hi = Double.log10(last)
        if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }   // one distinct value: a unit-wide decade around it
        let width = (hi - lo) / Double(binCount)
        log10Edges = (0...binCount).map { lo + Double($0) * width }
        var counts = [Int](repeating: 0, count: binCount)
        for v in defined {
            let b = Int(((Double.log10(v) - lo) / width).rounded(.down))  // bin = ⌊(log10 v − lo)/w⌋, last edge inclusive
            counts[min(max(b, 0), binCount - 1)] += 1
        }
        bins = counts
    }

    /// Linear interpolation between order statistics: x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋)), h = p·(n − 1).
    static func quantile(sorted x: [Double], _ p: Double) -> Double {
        let h = min(max(p, 0), 1) * Double(x.count - 1)
        let i = Int(h.rounded(.down))
        guard i + 1 < x.count else { return x[x.count - 1] }
        return x[i] + (h - Double(i)) * (x[i + 1] - x[i])
    }
}

/// Per-mode timescales of a set of modes and their distributions (τ, T in steps and in time units, Q).
public struct TimescaleAnalysis: Codable, Sendable, Equatable {
    public let modes: [ModeTimescale]
    public let decaySteps: TimescaleDistribution
    public let periodSteps: TimescaleDistribution
    public let decayTime: TimescaleDistribution
    public let period: TimescaleDistribution
    public let quality: TimescaleDistribution
    public let warnings: [String]

    /// `folds`: whether frequencies beyond π/Δ alias (ZOH sampling); bilinear maps them without folding.
    public init(modes: [ModeTimescale], binCount: Int = 20, folds: Bool = true) throws {
        guard !modes.isEmpty else { throw AnalysisError.insufficientData("timescale analysis needs at least one mode") }
        self.modes = modes
        decaySteps = try TimescaleDistribution(modes.map(\.decaySteps), binCount: binCount)
        periodSteps = try TimescaleDistribution(modes.map(\.periodSteps), binCount: binCount)
        decayTime = try TimescaleDistribution(modes.map(\.decayTime), binCount: binCount)
        period = try TimescaleDistribution(modes.map(\.period), binCount: binCount)
        quality = try TimescaleDistribution(modes.map { $0.quality.flatMap { $0 > 0 ? $0 : nil } }, binCount: binCount)
        var warnings: [String] = []
        let unstable = modes.filter { !$0.isStable }
        if !unstable.isEmpty {
            let first = unstable[0]
            warnings.append("\(unstable.count) mode(s) do not decay (γ ≤ 0), e.g. layer \(first.layer) channel \(first.channel) "
                + "mode \(first.mode) with γ = \(first.damping): no decay time or Q; the system is not stable")
        }
        // Modes beyond Nyquist: ωΔ outside (−π, π] alias onto another frequency in discrete time.
        let aliased = folds ? modes.filter { abs($0.frequency * $0.step) > Double.pi } : []
        if !aliased.isEmpty {
            warnings.append("\(aliased.count) mode(s) have |ω|Δ > π (beyond Nyquist): their discrete period is aliased; "
                + "T/Δ < 2 steps is reported as defined by ω")
        }
        self.warnings = warnings
    }

    /// Timescales of every mode of a MIMO core (S5, LRU: `SequenceCore.diagonalSystems()`), with its own rates and
    /// steps; the channel index is 0 (the modes are shared by all channels).
    public static func modes(layer: Int, reading: ArchitectureReading) throws -> [ModeTimescale] {
        try reading.modes.enumerated().map { try ModeTimescale(layer: layer, channel: 0, mode: $0, rate: $1.rate, step: $1.step) }
    }

    /// Timescales of every mode of an S4D layer's channels (`S4DCore.diagonalSystems()`), with the model's own rates.
    public static func modes(layer: Int, channels: [S4DChannel]) throws -> [ModeTimescale] {
        var out: [ModeTimescale] = []
        for c in channels {
            for (n, l) in c.rates.enumerated() {
                out.append(try ModeTimescale(layer: layer, channel: c.channel, mode: n, rate: l, step: c.ssm.step))
            }
        }
        return out
    }
}
