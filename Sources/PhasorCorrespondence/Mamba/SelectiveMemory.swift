// The memory of a selective (Mamba-1) layer along one token sequence, read from its time-varying oscillators
// (`SelectiveReading`). Mamba-1's A is real and negative, so every state is a pure relaxator: per token its discrete
// eigenvalue is
//     μ_t[h,n] = e^{Δ_t[h] A[h,n]} ∈ (0, 1)        (no frequency: arg μ = 0; nothing oscillates)
// and it keeps a fraction μ_t of what it held, i.e. it has the timescale (e-folding length, in tokens)
//     τ_t[h,n] = 1/γ_t[h,n] = 1/(Δ_t[h] |A[h,n]|)   (τ = ∞ only for Δ → 0).
// The token decides Δ_t, so the token decides how fast every clock runs: a large Δ_t (τ short) overwrites the state
// with the current input (x_t ≈ B̄_t u_t), a small Δ_t (τ long) lets the token pass and keeps the memory.
// Read-outs, for one sequence of L tokens:
//   channel memory    τ̄[h] = −1/max_n λ[h,n],  λ[h,n] = (1/L) Σ_t Δ_t[h] A[h,n] (the Lyapunov exponent): the e-folding
//                     length of the channel's slowest state over the whole sequence (which channels hold long memory);
//   selectivity       s[h] = std_t log Δ_t[h]: how much the token content moves channel h's clock;
//   step ratio        ρ_t = exp(mean_h (log Δ_t[h] − mean_t' log Δ_t'[h])): > 1 the token speeds the clocks up
//                     (forgets, writes), < 1 it slows them down (kept memory) — relative to each channel's typical Δ;
//   token effect      per token id, the geometric mean of ρ_t over its occurrences.
import PhasorModels
import PhasorNumerics

/// min, 10%, 50%, 90% quantiles and max of a set of values (linear interpolation between order statistics).
public struct ValueSpread: Sendable, Equatable, Codable {
    public let min: Double, p10: Double, median: Double, p90: Double, max: Double

    public init(_ values: [Double]) {
        let s = values.filter(\.isFinite).sorted()
        func q(_ p: Double) -> Double {
            guard !s.isEmpty else { return .nan }
            let h = p * Double(s.count - 1), i = Int(h.rounded(.down))
            return i + 1 < s.count ? s[i] + (h - Double(i)) * (s[i + 1] - s[i]) : s[s.count - 1]
        }
        min = q(0); p10 = q(0.1); median = q(0.5); p90 = q(0.9); max = q(1)
    }
}

/// What one token does to the layer's clocks.
public struct SelectiveTokenStep: Sendable, Equatable {
    public let position: Int
    /// ρ_t (geometric-mean step relative to each channel's typical step).
    public let stepRatio: Double
    /// median over channels of the slowest state's τ_t[h] (tokens).
    public let medianSlowestTimescale: Double
    /// mean over channels of the slowest state's μ_t[h] (the fraction of the longest memory kept across this token).
    public let meanSlowestRetention: Double
}

/// The mean effect of one token id over its occurrences.
public struct SelectiveTokenEffect: Sendable, Equatable {
    public let token: Int
    public let count: Int
    /// Geometric mean of ρ_t over the positions holding this token.
    public let stepRatio: Double
}

/// One channel's memory over the sequence.
public struct SelectiveChannelMemory: Sendable, Equatable {
    public let channel: Int
    /// τ̄[h] = −1/max_n λ[h,n] (tokens).
    public let memory: Double
    /// max_n λ[h,n] (per token).
    public let exponent: Double
    /// |A| of the slowest state, min_n |A[h,n]|.
    public let slowestRate: Double
    /// mean_t Δ_t[h].
    public let meanStep: Double
    /// std_t log Δ_t[h].
    public let selectivity: Double
}

extension SelectiveReading {
    /// True when every state is a pure relaxator (real A: no state turns, μ real in (0, 1)).
    public var relaxational: Bool { stepFrequency.allSatisfy { $0 == 0 } }

    /// |μ_t[h,n]| = e^{−γ_t[h,n]}, L × H × N (for real A this is μ itself).
    public var eigenvalueModuli: [Double] { stepDamping.map { Double.exp(-$0) } }

    /// τ_t[h,n] = 1/γ_t[h,n] (tokens), L × H × N.
    public var timescales: [Double] { stepDamping.map { 1 / $0 } }

    /// Index of the slowest state (smallest |A|) of channel h.
    func slowestState(_ h: Int) -> Int {
        (0..<states).min { abs(rates[h * states + $0]) < abs(rates[h * states + $1]) } ?? 0
    }

    /// Each channel's memory over the sequence, ordered by channel.
    public var channelMemory: [SelectiveChannelMemory] {
        (0..<channels).map { h in
            let n = slowestState(h)
            let exponent = (0..<states).map { lyapunovExponents[h * states + $0] }.max() ?? -.infinity
            let logs = (0..<length).map { Double.log(steps[$0 * channels + h]) }
            let mean = logs.reduce(0, +) / Double(length)
            let spread = (logs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(length)).squareRoot()
            return SelectiveChannelMemory(channel: h, memory: -1 / exponent, exponent: exponent,
                                          slowestRate: abs(rates[h * states + n]),
                                          meanStep: (0..<length).map { steps[$0 * channels + h] }.reduce(0, +) / Double(length),
                                          selectivity: spread)
        }
    }

    /// Per token: step ratio ρ_t, median slowest timescale, mean slowest retention.
    public var tokenSteps: [SelectiveTokenStep] {
        var typical = [Double](repeating: 0, count: channels)                     // mean_t log Δ_t[h]
        for t in 0..<length { for h in 0..<channels { typical[h] += Double.log(steps[t * channels + h]) / Double(length) } }
        let slowest = (0..<channels).map(slowestState)
        return (0..<length).map { t in
            var shift = 0.0, retention = 0.0
            var tau = [Double](repeating: 0, count: channels)
            for h in 0..<channels {
                shift += (Double.log(steps[t * channels + h]) - typical[h]) / Double(channels)
                let gamma = stepDamping[(t * channels + h) * states + slowest[h]]
                tau[h] = 1 / gamma                                                  // τ = 1/(Δ|A|)
                retention += Double.exp(-gamma) / Double(channels)                  // μ = e^{ΔA}
            }
            return SelectiveTokenStep(position: t, stepRatio: Double.exp(shift), medianSlowestTimescale: ValueSpread(tau).median,
                                      meanSlowestRetention: retention)
        }
    }

    /// The geometric-mean step ratio of each token id (`ids` gives the id at each position), most clock-speeding first.
    public func tokenEffects(ids: [Int]) throws -> [SelectiveTokenEffect] {
        guard ids.count == length else {
            throw CorrespondenceError.shapeMismatch("\(ids.count) token ids for a reading of \(length) tokens")
        }
        var sums: [Int: (Double, Int)] = [:]
        for step in tokenSteps { let s = sums[ids[step.position], default: (0, 0)]; sums[ids[step.position]] = (s.0 + Double.log(step.stepRatio), s.1 + 1) }
        return sums.map { SelectiveTokenEffect(token: $0.key, count: $0.value.1, stepRatio: Double.exp($0.value.0 / Double($0.value.1))) }
            .sorted { ($0.stepRatio, $1.token) > ($1.stepRatio, $0.token) }
    }
}
