// Hankel (delay-embedded) DMD: exact DMD of the windows of a series (DelayEmbedding), X = (h_0 … h_{m−2}),
// Y = (h_1 … h_{m−1}). A scalar series with K damped oscillations needs q ≥ 2K delays to show its 2K modes; with
// q = 1 it is plain exact DMD of the snapshots x_k. The series' own prediction is the newest block of each window:
//   x̂_{k+q−1} = (Φ Λ^k b)_{newest},  b = Φ⁺ h_0            (reconstruction over the training windows k < m),
//   x̂_{t+j}   = (Φ Λ^j b_t)_{newest}, b_t = Φ⁺ h_{t−q+1}   (forecast j steps past the window ending at time t).
import PhasorData
import PhasorNumerics

/// Exact DMD on a delay embedding of a series.
public struct HankelDMD: Sendable {
    /// The training windows.
    public let embedding: DelayEmbedding
    /// The DMD of consecutive windows.
    public let dmd: ExactDMD

    /// Hankel DMD of `series` (all of it is training data) with q `delays`, sampled every `step`.
    public init(_ series: TimeSeries, delays: Int, rank: RankRule, step: Double) throws {
        let embedding = try DelayEmbedding(series, delays: delays, minimumWindows: 3)
        let m = embedding.windows
        self.embedding = embedding
        self.dmd = try ExactDMD(x: embedding.columns(0..<(m - 1)), y: embedding.columns(1..<m), step: step, rank: rank)
    }

    public var delays: Int { embedding.delays }
    public var channels: Int { embedding.channels }

    /// The newest sample of Φ Λ^j b for j = 0 … count − 1, b = Φ⁺ `window` (qd entries): count × d real values,
    /// time-major. (The imaginary parts cancel in conjugate pairs for real data; they are dropped.)
    public func freeRun(from window: [Complex<Double>], count: Int) throws -> [Double] {
        guard window.count == embedding.hankel.rows else {
            throw IdentificationError.invalid("a window has \(window.count) entries; this embedding needs \(embedding.hankel.rows)")
        }
        return try freeRun(amplitudes: try dmd.amplitudes(of: window), count: count)
    }

    /// The newest sample of Φ Λ^j b for given amplitudes b, j = 0 … count − 1 (count × d, time-major).
    public func freeRun(amplitudes b: [Complex<Double>], count: Int) throws -> [Double] {
        let newest = try dmd.evolve(amplitudes: b, count: count, rows: embedding.newestRows)  // d × count
        var out = [Double](repeating: 0, count: count * channels)
        for k in 0..<count { for c in 0..<channels { out[k * channels + c] = newest[c, k].real } }
        return out
    }

    /// The reconstruction of the training windows from the first one (b = Φ⁺ h_0): x̂_{q−1} … x̂_{q−1+m−1}.
    public func reconstruction() throws -> [Double] {
        try freeRun(amplitudes: dmd.amplitudes, count: embedding.windows)
    }

    /// The forecast of `count` samples after the last training window (b = Φ⁺ h_{m−1}): x̂_L … x̂_{L+count−1}.
    public func forecast(count: Int) throws -> [Double] {
        Array(try freeRun(from: embedding.window(embedding.windows - 1), count: count + 1).dropFirst(channels))
    }
}
