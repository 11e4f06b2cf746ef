import Foundation
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
        self.mean = mean
        self.std = std
    }

    /// Statistics of time-major sequences (each `values[i]` is length_i × channels). A channel that is constant
    /// gets σ = 1 (it is only centred), so the map stays invertible.
    public init(sequences: [[Double]], lengths: [Int], channels: Int) throws {
        guard channels > 0 else { throw ModelError.invalidConfiguration("a dataset needs at least one channel") }
        var sum = [Double](repeating: 0, count: channels)
        var count = 0
        for (s, length) in zip(sequences, lengths) {
            for t in 0..<length { for c in 0..<channels { sum[c] += s[t * channels + c] } }
            count += length
        }
        guard count > 0 else { throw ModelError.invalidConfiguration("no time steps to compute input statistics from") }
        let mean = sum.map { $0 / Double(count) }                       // μ_c = Σ u_c / T
        var squares = [Double](repeating: 0, count: channels)
        for (s, length) in zip(sequences, lengths) {
            for t in 0..<length {
                for c in 0..<channels { let d = s[t * channels + c] - mean[c]; squares[c] += d * d }
            }
        }
        let std = squares.map { v -> Double in                          // σ_c = √(Σ (u_c − μ_c)² / T)
            let s = (v / Double(count)).squareRoot()
            return s > 1e-12 ? s : 1
        }
        try self.init(mean: mean, std: std)
    }

    public var channels: Int { mean.count }

    /// Standardises `values` (any number of time steps × `channels`, time-major) in place.
    public func apply(to values: inout [Double]) throws {
        guard values.count % channels == 0 else { throw ModelError.inputWidth(expected: channels, found: values.count) }
        values.withUnsafeMutableBufferPointer { v in
            var i = 0
            while i < v.count {
                for c in 0..<channels { v[i + c] = (v[i + c] - mean[c]) / std[c] }
                i += channels
            }
        }
    }

    /// The metadata entries ("input_mean", "input_std" → JSON arrays of full-precision numbers).
    public var metadata: [String: String] {
        [Self.meanKey: Self.json(mean), Self.stdKey: Self.json(std)]
    }

    /// Reads the statistics from checkpoint metadata: nil when neither key is present; an error when only one is,
    /// or when they are not JSON arrays of numbers.
    public static func fromMetadata(_ metadata: [String: String]) throws -> InputStandardisation? {
        let m = metadata[meanKey], s = metadata[stdKey]
        if m == nil && s == nil { return nil }
        guard let m, let s else {
            throw ModelError.invalidConfiguration("checkpoint metadata has only one of input_mean / input_std; give both or neither")
        }
        return try InputStandardisation(mean: parse(m, key: meanKey), std: parse(s, key: stdKey))
    }

    private static func json(_ values: [Double]) -> String {
        // "\(Double)" is the shortest representation that round-trips exactly.
        "[" + values.map { "\($0)" }.joined(separator: ",") + "]"
    }

    private static func parse(_ text: String, key: String) throws -> [Double] {
        guard let values = try? JSONDecoder().decode([Double].self, from: Data(text.utf8)) else {
            throw ModelError.invalidConfiguration("metadata '\(key)' is not a JSON array of numbers: \(text.prefix(60))")
        }
        return values
    }
}
