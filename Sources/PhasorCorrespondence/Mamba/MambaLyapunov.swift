// Token dynamics of a Mamba language model and the Lyapunov-stability criterion of Halloran, Gulati & Roysdon,
// "Mamba State-Space Models Are Lyapunov-Stable Learners" (arXiv 2406.00209, TMLR 2025). As we read it: with the
// input sequence fixed, the selective SSM's state map x_t = Ā_t x_{t−1} + B̄_t u_t is Lyapunov stable when its
// maximal Lyapunov exponent
//     λ_max = lim_{T→∞} (1/T) log(‖δx_T‖ / ‖δx_0‖)   (δx a small perturbation of the state)
// is ≤ 0, and this holds for every Mamba layer because Ā_t = diag e^{Δ_t A} with Δ_t = softplus(·) > 0 and
// A = −exp(A_log) < 0, so every diagonal entry of every Ā_t lies in (0, 1): perturbations (e.g. the rounding of mixed
// precision) cannot grow exponentially along the tokens. What Phasor computes on a given token sequence:
//   per layer (exact, the state map is diagonal):  λ[h,n] = (1/L) Σ_t Δ_t[h] A[h,n],  λ_max = max λ[h,n]
//       checked by the two estimators of `LyapunovSpectrum` on the channel holding λ_max: QR (Benettin) on its
//       N × N transitions, and renormalisation of one vector;
//       and the worst single token: max_{t,h,n} μ_t[h,n] (< 1 means every token contracts every state);
//   whole model (`modelExponent`): the largest exponent of the full token-to-token map — all layers' SSM states and
//       convolution histories, coupled through the residual stream (a perturbed layer changes the inputs, hence the
//       Δ, B, C, of the layers above it) — by Benettin's two-trajectory renormalisation: run the model from the state
//       s and from s + ε v on the same tokens, every `interval` tokens add log(‖δ‖/ε) and rescale δ back to ε.
//       With one layer and only SSM states perturbed the map is linear in δ, and the estimate equals the
//       renormalisation estimator on the diagonal transitions exactly (up to rounding; tested).
//       The Jacobian of the full map is block lower-triangular in layer order (a layer's new state depends on its own
//       old state through diag μ_t, on its convolution history through a shift, and on the layers below through the
//       current token — never on the layers above), so the asymptotic exponent is that of the diagonal blocks, i.e.
//       ≤ the largest layer exponent < 0. Over a finite sequence the off-diagonal coupling can still make a random
//       perturbation grow for a while (non-normal transient growth up the stack; measured on a random 24-layer model:
//       +1.08 per token over the first 8 tokens, then −0.03 on average): the estimate discards the first `transient`
//       tokens' intervals (default one interval) and all interval exponents are reported.
// Criterion reported: λ_max ≤ 0 (Lyapunov stable), per layer and for the model estimate.
import PhasorModels
import PhasorNumerics

/// The Lyapunov exponents of one selective layer's token dynamics along a sequence.
public struct SelectiveLyapunov: Sendable, Equatable {
    /// λ_max = max_{h,n} (1/L) Σ_t Δ_t[h] A[h,n] (per token).
    public let largest: Double
    /// Where λ_max sits.
    public let channel: Int, state: Int
    /// QR (Benettin) exponents of that channel's N × N transitions, largest first.
    public let qrSpectrum: [Double]
    /// Renormalisation estimate of that channel's largest exponent (start vector (1, …, 1)/√N).
    public let renormalised: Double
    /// max_{t,h,n} μ_t[h,n]: the largest fraction of a state kept across one token.
    public let largestStepMultiplier: Double
    /// Halloran et al.'s criterion: λ_max ≤ 0.
    public var stable: Bool { largest <= 0 }

    public init(_ reading: SelectiveReading) throws {
        let n = reading.states
        guard let top = reading.lyapunovExponents.indices.max(by: { reading.lyapunovExponents[$0] < reading.lyapunovExponents[$1] }) else {
            throw CorrespondenceError.invalid("the reading has no states")
        }
        largest = reading.lyapunovExponents[top]
        channel = top / n; state = top % n
        let transitions = try reading.transitions(channel: channel)
        let dimension = reading.relaxational ? n : 2 * n
        qrSpectrum = try LyapunovSpectrum.spectrum(transitions: transitions, dimension: dimension).sorted(by: >)
        renormalised = try LyapunovSpectrum.largest(transitions: transitions, dimension: dimension,
                                                    initial: [Double](repeating: 1, count: dimension))
        largestStepMultiplier = Double.exp(-(reading.stepDamping.min() ?? .infinity))
    }
}

/// The largest Lyapunov exponent of a whole Mamba model's token-to-token state map.
public struct MambaTokenDynamics: Sendable, Equatable {
    /// Σ log(‖δ_end‖/‖δ_start‖) / (tokens) over the renormalisation intervals after the transient (per token).
    public let largestExponent: Double
    /// The same over all intervals, transient included.
    public let exponentWithTransient: Double
    /// Intervals left out of `largestExponent` (0 when the sequence is no longer than the transient).
    public let transientIntervals: Int
    /// The finite-time exponent of each interval, (1/k) log(‖δ_end‖/ε).
    public let intervalExponents: [Double]
    public let epsilon: Double
    public let interval: Int
    /// Halloran et al.'s criterion applied to the estimate: ≤ 0.
    public var stable: Bool { largestExponent <= 0 }

    /// Benettin's two-trajectory estimate on `tokens` (one sequence) from the zero state, in Double. The perturbation
    /// direction is random (seeded) over all SSM states and, with `convolutionHistories`, the convolution histories.
    /// The first `transient` tokens (rounded up to whole intervals; default one interval) are left out of the average.
    public init(model: MambaLanguageModel, tokens: [Int], epsilon: Double = 1e-6, interval: Int = 8, transient: Int? = nil,
                convolutionHistories: Bool = true, seed: UInt64 = 1) throws {
        guard epsilon > 0, epsilon.isFinite, interval > 0, !tokens.isEmpty, (transient ?? 0) >= 0 else {
            throw CorrespondenceError.invalid("need ε > 0 (got \(epsilon)), interval ≥ 1 (got \(interval)), transient ≥ 0 and at least one token")
        }
        let runner = MambaRunner(model, precision: .f64)
        var reference = MambaState(for: model.configuration, batch: 1)
        var perturbed = reference
        var g = SeededGenerator(seed: seed)
        var direction = Self.flatten(reference, convolution: convolutionHistories).map { _ in g.normal() }
        let norm = direction.map { $0 * $0 }.reduce(0, +).squareRoot()
        direction = direction.map { epsilon * $0 / norm }                                  // ‖δ₀‖ = ε
        Self.add(direction, to: &perturbed, convolution: convolutionHistories)
        var logs: [Double] = [], counts: [Int] = [], exponents: [Double] = []
        for start in stride(from: 0, to: tokens.count, by: interval) {
            let piece = Array(tokens[start..<min(tokens.count, start + interval)])
            try runner.advance(tokens: piece, batch: 1, length: piece.count, state: &reference)
            try runner.advance(tokens: piece, batch: 1, length: piece.count, state: &perturbed)
            let a = Self.flatten(reference, convolution: true), b = Self.flatten(perturbed, convolution: true)
            let delta = zip(b, a).map { $0 - $1 }
            let size = delta.map { $0 * $0 }.reduce(0, +).squareRoot()
            guard size > 0, size.isFinite else {
                throw CorrespondenceError.invalid("the perturbation collapsed to \(size) after token \(start + piece.count) (increase ε)")
            }
            logs.append(Double.log(size / epsilon)); counts.append(piece.count)            // s += log(‖δ‖/ε)
            exponents.append(Double.log(size / epsilon) / Double(piece.count))
            perturbed = reference                                                           // δ ← ε δ/‖δ‖
            Self.add(delta.map { epsilon * $0 / size }, to: &perturbed, convolution: true)
        }
        let skip = (transient ?? interval) + interval - 1 < tokens.count ? ((transient ?? interval) + interval - 1) / interval : 0
        largestExponent = logs[skip...].reduce(0, +) / Double(counts[skip...].reduce(0, +))
        exponentWithTransient = logs.reduce(0, +) / Double(tokens.count)
        transientIntervals = skip
        intervalExponents = exponents
        self.epsilon = epsilon
        self.interval = interval
    }

    /// All SSM states (and convolution histories) of all layers as one vector.
    static func flatten(_ s: MambaState, convolution: Bool) -> [Double] {
        (0..<s.ssm.count).flatMap { s.ssm[$0] + (convolution ? s.convolution[$0] : []) }
    }

    /// Adds `v` (laid out as `flatten`) to the state.
    static func add(_ v: [Double], to s: inout MambaState, convolution: Bool) {
        var o = 0
        for l in 0..<s.ssm.count {
            for i in s.ssm[l].indices { s.ssm[l][i] += v[o + i] }
            o += s.ssm[l].count
            if convolution {
                for i in s.convolution[l].indices { s.convolution[l][i] += v[o + i] }
                o += s.convolution[l].count
            }
        }
    }
}
