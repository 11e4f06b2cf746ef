// The explicit operator of a selective (Mamba-1) layer on one token sequence — its "hidden attention" (Ali, Zimerman
// & Wolf, "The Hidden Attention of Mamba Models", 2024). Unrolling x_t = diag(μ_t) x_{t−1} + Δ_t B_t u_t from the state
// x_{−1} before token 0 gives, per channel h,
//     y_t[h] = Σ_{s≤t} K_{t,s}[h] u_s[h] + D[h] u_t[h] + Σ_n C_t[n] e^{A[h,n] Σ_{r=0}^{t} Δ_r[h]} x_{−1}[h,n]
//     K_{t,s}[h] = C_t · (Π_{r=s+1}^{t} diag μ_r) · B̄_s = Σ_n C_t[n] e^{A[h,n] Σ_{r=s+1}^{t} Δ_r[h]} Δ_s[h] B_s[n]
// — a data-dependent, causal (lower-triangular) L × L matrix per channel that plays the part of attention weights:
// K_{t,s} is how much of token s's input reaches token t's output. The exponent is accumulated as a running sum of Δ
// for each source token s (no products of per-token μ), so the sum over s is an independent evaluation of the scan;
// its agreement with the recurrence (~1e-15 relative) is the identity tested.
// Read-outs: attention maps per channel group (mean over the group's channels of |K_{t,s}|), and the effective range
// of influence of token t: per channel the smallest lag ℓ such that the tokens t−ℓ…t carry a fraction `mass` of
// Σ_{s≤t} |K_{t,s} u_s| (what actually reaches y_t), averaged over the channels.
import Dispatch
import PhasorModels
import PhasorNumerics

/// The hidden-attention matrices of one selective layer along one sequence, summarised per channel group.
public struct HiddenAttention: Sendable {
    public let length: Int
    public let channels: Int
    /// Channel ranges of the groups.
    public let groups: [Range<Int>]
    /// Per group, mean_{h∈group} |K_{t,s}[h]| as an L × L row-major matrix (row t = output token, column s = source;
    /// zero above the diagonal).
    public let maps: [[Double]]
    /// y (H, L) from the kernel sum (+ D u + the initial-state term).
    public let output: [Double]
    /// The fraction of Σ_s |K_{t,s} u_s| the influence range covers.
    public let mass: Double
    /// Per token t: mean over channels of the influence lag ℓ (tokens back; 0 = the token itself).
    public let influenceRange: [Double]

    /// `u` (H, L) is the scan's input, `tokens` its Δ, B, C; `initialState` (H, N) the state before token 0 (zero when nil).
    public init(layer: SelectiveLayer, input u: [Double], tokens: SelectiveTokens, initialState: [Double]? = nil,
                groups groupCount: Int = 8, mass: Double = 0.9) throws {
        let h = layer.channels, n = layer.states, l = tokens.length
        guard layer.aImag == nil else { throw OperatorError.invalid("hidden attention is written for real A (Mamba-1); the layer has A_imag") }
        guard u.count == h * l, tokens.delta.count == l * h, tokens.b.count == l * n, tokens.c.count == l * n,
              initialState.map({ $0.count == h * n }) ?? true else {
            throw OperatorError.invalid("input (\(u.count)), Δ (\(tokens.delta.count)), B, C or initial state do not match H = \(h), N = \(n), L = \(l)")
        }
        guard groupCount > 0, mass > 0, mass <= 1 else { throw OperatorError.invalid("need ≥ 1 group and 0 < mass ≤ 1 (got \(groupCount), \(mass))") }
        try requireFinite(u, "selective layer input")
        let g = min(groupCount, h)
        let ranges = (0..<g).map { ($0 * h / g)..<(($0 + 1) * h / g) }
        let a = layer.a, d = layer.d, x0 = initialState
        final class Results: @unchecked Sendable {
            var maps: [[Double]], output: [Double], lags: [[Double]]
            init(_ g: Int, _ h: Int, _ l: Int) {
                maps = [[Double]](repeating: [], count: g); output = [Double](repeating: 0, count: h * l)
                lags = [[Double]](repeating: [], count: g)
            }
        }
        let results = Results(g, h, l)
        let lock = DispatchQueue(label: "hidden-attention")
        DispatchQueue.concurrentPerform(iterations: g) { group in
            var map = [Double](repeating: 0, count: l * l), lagSum = [Double](repeating: 0, count: l)
            var y = [Double](repeating: 0, count: ranges[group].count * l)
            var k = [Double](repeating: 0, count: l * l)
            for q in ranges[group] {
                let local = q - ranges[group].lowerBound
                Self.fill(&k, a: a, tokens: tokens, channels: h, states: n, channel: q)
                for t in 0..<l {
                    for s in 0...t {
                        y[local * l + t] += k[t * l + s] * u[q * l + s]                     // Σ_{s≤t} K_{t,s} u_s
                        map[t * l + s] += abs(k[t * l + s]) / Double(ranges[group].count)
                    }
                }
                var exponent = 0.0
                for t in 0..<l {
                    exponent += tokens.delta[t * h + q]                                      // Σ_{r=0}^{t} Δ_r
                    var free = 0.0
                    if let x0 { for m in 0..<n { free += tokens.c[t * n + m] * Double.exp(a[q * n + m] * exponent) * x0[q * n + m] } }
                    y[local * l + t] += d[q] * u[q * l + t] + free                           // + D u_t + C_t Φ_{t,−1} x_{−1}
                    // influence lag: walk back from s = t until `mass` of Σ_s |K_{t,s} u_s| is covered
                    var total = 0.0
                    for s in 0...t { total += abs(k[t * l + s] * u[q * l + s]) }
                    var covered = 0.0, lag = 0
                    for s in stride(from: t, through: 0, by: -1) {
                        covered += abs(k[t * l + s] * u[q * l + s])
                        lag = t - s
                        if covered >= mass * total { break }
                    }
                    lagSum[t] += Double(lag)
                }
            }
            lock.sync {
                results.maps[group] = map
                results.lags[group] = lagSum
                for (i, q) in ranges[group].enumerated() { results.output.replaceSubrange((q * l)..<((q + 1) * l), with: y[(i * l)..<((i + 1) * l)]) }
            }
        }
        length = l; channels = h; groups = ranges; self.mass = mass
        maps = results.maps; output = results.output
        influenceRange = (0..<l).map { t in results.lags.map { $0[t] }.reduce(0, +) / Double(h) }
        try requireFinite(output, "hidden-attention output")
    }

    /// The full kernel K_{t,s} of channel h (L × L, row t, column s), from the same formula.
    public static func kernel(layer: SelectiveLayer, tokens: SelectiveTokens, channel q: Int) throws -> [Double] {
        guard (0..<layer.channels).contains(q) else { throw OperatorError.invalid("channel \(q) not in 0..<\(layer.channels)") }
        var k = [Double](repeating: 0, count: tokens.length * tokens.length)
        fill(&k, a: layer.a, tokens: tokens, channels: layer.channels, states: layer.states, channel: q)
        return k
    }

    /// K_{t,s} = Σ_n C_t[n] e^{A[q,n] Σ_{r=s+1}^{t} Δ_r[q]} Δ_s[q] B_s[n] into k (L × L; entries above the diagonal untouched).
    private static func fill(_ k: inout [Double], a: [Double], tokens: SelectiveTokens, channels h: Int, states n: Int, channel q: Int) {
        let l = tokens.length
        for s in 0..<l {
            var exponent = 0.0                                                               // Σ_{r=s+1}^{t} Δ_r
            for t in s..<l {
                if t > s { exponent += tokens.delta[t * h + q] }
                var sum = 0.0
                for m in 0..<n { sum += tokens.c[t * n + m] * Double.exp(a[q * n + m] * exponent) * tokens.b[s * n + m] }
                k[t * l + s] = sum * tokens.delta[s * h + q]                                  // K_{t,s} = C_t e^{AΣΔ} Δ_s B_s
            }
        }
    }

    /// max |y_kernel − y| / max |y| against an independently computed output y (H, L), e.g. the scan's.
    public func identityError(against y: [Double]) throws -> Double {
        guard y.count == output.count else { throw OperatorError.invalid("\(y.count) outputs to compare with \(output.count)") }
        let scale = y.map(abs).max() ?? 0
        let gap = zip(output, y).map { abs($0 - $1) }.max() ?? 0
        return scale > 0 ? gap / scale : gap
    }
}
