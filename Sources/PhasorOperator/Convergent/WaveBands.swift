// Frequency bands of a layer's waves — the players of the exact wave-interaction decomposition (issue 13).
// Layer i's SSM output is a sum of waves (DESIGN.md §7):
//     y_h[l] = Σ_n w_hn[l] + D_h z_h[l],   w_hn[l] = 2·Re(C̃_hn x_hn[l]),  x_hn[l] = μ_hn x_hn[l−1] + z_h[l]
// (μ_hn, C̃_hn from PhasorCorrespondence's one S4D → diagonal conversion, so ZOH and bilinear layers alike).
// Mode n of channel h oscillates with angular frequency θ_hn = |arg μ_hn| ∈ [0, π] per sample (period 2π/θ_hn
// samples; ∞ for a real pole). The band rule groups the modes by frequency into at most 8 bands, band 0 the slowest:
//   • `.channel` (default): each channel's own modes, sorted by θ (ties by index), cut into B = min(8, M) runs of
//     consecutive modes of equal count (the first M mod B runs one longer) — equal-count quantiles of the channel's
//     spectrum. Every channel has exactly B non-empty bands; with M ≤ 8 modes each mode is its own band.
//   • `.layer`: the quantiles q_b = b/8 of θ over all the layer's modes (all channels) are the band edges, so band b
//     covers the same frequencies (periods) in every channel; a channel may then have empty bands.
// The players of channel h are its B band waves Σ_{n∈band b} w_hn plus the skip D_h z_h (B + 1 ≤ 9 players); they
// sum to the SSM output exactly (up to rounding: the recurrence here, the model's FFT convolution there).
import Foundation
import PhasorCorrespondence
import PhasorModels
import PhasorNumerics

/// How modes are grouped into frequency bands (see the header).
public enum BandRule: String, Sendable, CaseIterable, Codable {
    case channel
    case layer
}

/// One layer's band assignment.
public struct WaveBands: Sendable {
    public let rule: BandRule
    /// Number of bands B (the players are B bands + the skip).
    public let bands: Int
    public let channels: Int
    public let modes: Int
    /// Band of mode (h, n) at index h·M + n.
    public let assignment: [Int]
    /// θ_hn = |arg μ_hn| ∈ [0, π] (radians per sample).
    public let frequencies: [Double]

    public var players: Int { bands + 1 }

    /// The layer's channels as diagonal systems (μ_hn, C̃_hn, D_h).
    public let systems: [S4DChannel]

    /// The bands of a block's core (S4D: one diagonal system per channel; other cores throw).
    public init(_ core: SequenceCore, rule: BandRule, maxBands: Int = 8) throws {
        self.init(systems: try core.requireS4D(for: "the band decomposition").diagonalSystems(), rule: rule, maxBands: maxBands)
    }

    /// The bands of a layer given as its diagonal systems (`S4DCore.diagonalSystems()`, one per channel).
    public init(systems: [S4DChannel], rule: BandRule, maxBands: Int = 8) {
        self.systems = systems
        self.rule = rule
        channels = systems.count
        modes = systems.first?.ssm.modes.count ?? 0
        let M = modes, H = channels
        let theta = systems.flatMap { $0.ssm.modes.map { abs($0.phase) } }   // θ = |arg μ| ∈ [0, π]
        frequencies = theta
        var band = [Int](repeating: 0, count: H * M)
        switch rule {
        case .channel:
            let B = max(1, min(maxBands, M))
            bands = B
            for h in 0..<H {
                let order = (0..<M).sorted { (theta[h * M + $0], $0) < (theta[h * M + $1], $1) }
                let base = M / B, extra = M % B
                var r = 0
                for b in 0..<B {
                    for _ in 0..<(base + (b < extra ? 1 : 0)) { band[h * M + order[r]] = b; r += 1 }
                }
            }
        case .layer:
            let B = max(1, min(maxBands, H * M))
            bands = B
            let sorted = theta.sorted()
            let edges = (1..<B).map { sorted[$0 * sorted.count / B] }          // q_b = b/B quantiles
            for i in 0..<(H * M) { band[i] = edges.filter { theta[i] >= $0 }.count }
        }
        assignment = band
    }

    /// Periods 2π/θ (samples) of the modes of band b in channel h (all channels when nil), slowest first.
    public func periods(band b: Int, channel: Int? = nil) -> [Double] {
        let hs = channel.map { [$0] } ?? Array(0..<channels)
        var out: [Double] = []
        for h in hs { for n in 0..<modes where assignment[h * modes + n] == b {
            let th = frequencies[h * modes + n]
            out.append(th > 0 ? 2 * Double.pi / th : .infinity)
        } }
        return out.sorted(by: >)
    }

    /// The players' waves for the SSM input z (B, H, L): `bands` band waves then the skip D·z, each (B, H, L).
    public func players(input z: [Double], batch: Int, length L: Int) -> [[Double]] {
        let H = channels, M = modes
        var out = [[Double]](repeating: [Double](repeating: 0, count: batch * H * L), count: bands + 1)
        for s in 0..<batch { for h in 0..<H {
            let o = (s * H + h) * L, ssm = systems[h].ssm
            for n in 0..<M {
                Self.addModeWave(pole: ssm.modes[n], readout: ssm.output[n], input: z, inputOffset: o, into: &out[assignment[h * M + n]],
                                 offset: o, length: L)
            }
            for l in 0..<L { out[bands][o + l] = ssm.direct * z[o + l] }               // skip D_h z_h
        } }
        return out
    }

    /// out[o + l] += 2·Re(C̃ x_l) with x_l = μ x_{l−1} + z[zo + l], x_{−1} = 0, for l < L: one mode's wave.
    static func addModeWave(pole mu: Complex<Double>, readout c: Complex<Double>, input z: [Double], inputOffset zo: Int,
                            into out: inout [Double], offset o: Int, length L: Int) {
        let mr = mu.real, mi = mu.imaginary, cr = 2 * c.real, ci = 2 * c.imaginary
        var xr = 0.0, xi = 0.0
        for l in 0..<L {                                                  // x_l = μ x_{l−1} + z_l
            let nr = mr * xr - mi * xi + z[zo + l]
            xi = mr * xi + mi * xr; xr = nr
            out[o + l] += cr * xr - ci * xi                               // 2·Re(C̃ x)
        }
    }
}
