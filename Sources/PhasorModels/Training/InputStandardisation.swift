import PhasorData
import PhasorNumerics

// Per-channel input standardisation (DESIGN.md §9): u'_c = (u_c − μ_c) / σ_c with μ, σ the mean and (population)
// standard deviation of channel c over every valid time step of the training split (padding excluded). The numbers
// travel in a checkpoint's `__metadata__` as JSON arrays under "input_mean" / "input_std", so `predict` and `eval`
// apply exactly what training applied. A checkpoint without them is applied to the raw input.

/// Per-channel mean and standard deviation applied to model inputs before the encoder.
public struct InputStandardisation: Sendable, Equatable {
    public let mean: [Double]
    public let std: [Double]

    /// Metadata keys under which the statistics are stored.
    public static let meanKey = "input_mean"
    public static let stdKey = "input_std"

    public init(mean: [Double], std: [Double]) throws {
        guard mean.count == std.count, !mean.isEmpty else {
            throw ModelError.invalidConfiguration("input_mean has \(mean.count) entries but input_std has \(std.count)")
        }
        try requireFinite(mean, "input_mean")
        try requireFinite(std, "input_std")
        guard std.allSatisfy({ $0 > 0 }) else {
            throw ModelError.invalidConfiguration("input_std must be positive; found \(std)")
        }
        // A subnormal σ (< 2.2e-308) makes 1/σ overflow: every standardised value would be ±∞. Training never writes
        // σ below 1e-12 (a constant channel gets 1), so such a value is a corrupt statistic, not a property of the input.
        if let c = std.firstIndex(where: { !$0.isNormal }) {
            throw ModelError.invalidConfiguration("input_std[\(c)] = \(std[c]) is subnormal: standardising by it overflows "
                + "to infinity; the statistics are corrupt (Phasor writes σ ≥ 1e-12) — fix or remove input_mean/input_std")
        }
        self.mean = mean
        self.std = std
    }

    /// Statistics of time-major sequences (each `values[i]` is length_i × channels), computed by
    /// `SequenceDataset.channelStatistics()` over the valid steps. A channel that is constant gets σ = 1 (it is only
    /// centred), so the map stays invertible.
    public init(sequences: [[Double]], lengths: [Int], channels: Int) throws {
        guard channels > 0 else { throw ModelError.invalidConfiguration("a dataset needs at least one channel") }
        guard lengths.reduce(0, +) > 0 else { throw ModelError.invalidConfiguration("no time steps to compute input statistics from") }
        let samples = zip(sequences, lengths).map { LabelledSequence(values: $0, length: $1, label: 0) }
        let (mean, std) = SequenceDataset(name: "training split", channels: channels, classNames: ["all"], samples: samples)
            .channelStatistics()
        try self.init(mean: mean, std: std.map { $0 > 1e-12 ? $0 : 1 })
    }

    public var channels: Int { mean.count }

    /// Standardises `values` (any number of time steps × `channels`, time-major) in place. A finite input whose
    /// standardised value overflows (|u − μ|/σ > 1.8e308) is named with the statistics that overflowed it.
    public func apply(to values: inout [Double]) throws {
        guard values.count % channels == 0 else { throw ModelError.inputWidth(expected: channels, found: values.count) }
        var overflow: (index: Int, value: Double)?
        values.withUnsafeMutableBufferPointer { v in
            var i = 0
            while i < v.count {
                for c in 0..<channels {
                    let u = v[i + c]
                    v[i + c] = (u - mean[c]) / std[c]
                    if !v[i + c].isFinite, u.isFinite, overflow == nil { overflow = (i + c, u) }
                }
                i += channels
            }
        }
        if let (i, u) = overflow {
            let c = i % channels
            throw ModelError.invalidConfiguration("standardising the input value \(u) (step \(i / channels), channel \(c)) "
                + "with input_mean \(mean[c]) and input_std \(std[c]) overflows to \(values[i]); the input is far outside "
                + "the range these statistics were computed on")
        }
    }

    /// Stores the statistics in checkpoint metadata ("input_mean", "input_std" → JSON arrays, exact round trip).
    public func store(in file: inout SafeTensorsFile) throws {
        try file.setMetadataNumbers(Self.meanKey, mean)
        try file.setMetadataNumbers(Self.stdKey, std)
    }

    /// Reads the statistics from checkpoint metadata: nil when neither key is present; an error when only one is,
    /// or when they are not JSON arrays of finite numbers.
    public static func load(from file: SafeTensorsFile) throws -> InputStandardisation? {
        let m = try file.metadataNumbers(meanKey), s = try file.metadataNumbers(stdKey)
        if m == nil && s == nil { return nil }
        guard let m, let s else {
            throw ModelError.invalidConfiguration("checkpoint metadata has only one of input_mean / input_std; give both or neither")
        }
        return try InputStandardisation(mean: m, std: s)
    }
}
