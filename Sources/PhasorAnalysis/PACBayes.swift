// A PAC-Bayes bound for the stochastic classifier Q = N(θ, σ²I) around the trained parameters θ, with the
// data-independent prior P = N(θ₀, σ²I) at the initialisation θ₀ (GeneralizationAnalysis.pac_bayes_bound, made
// precise). With n training samples, 0–1 loss, e(Q) the true and ê(Q) the empirical risk of Q:
//     KL(Q‖P) = ‖θ − θ₀‖² / (2σ²)
//     Maurer (2004):  kl(ê(Q) ‖ e(Q)) ≤ (KL + ln(2√n/δ₁)) / n          ⇒ e(Q) ≤ kl⁻¹₊(ê(Q), (KL + ln(2√n/δ₁))/n)
//     McAllester form (Maurer + Pinsker kl(p‖q) ≥ 2(p − q)²):  e(Q) ≤ ê(Q) + √((KL + ln(2√n/δ₁)) / (2n))
// kl(p‖q) = p ln(p/q) + (1−p) ln((1−p)/(1−q)); kl⁻¹₊(p, c) = sup{q ∈ [p, 1] : kl(p‖q) ≤ c} by bisection.
// ê(Q) is not computable exactly: it is estimated by m draws θ_j ~ Q, ê_m = (1/m) Σ_j ê(θ_j), and bounded by the
// Chernoff–kl inequality for [0,1]-valued means (Langford & Caruana 2001): ê(Q) ≤ kl⁻¹₊(ê_m, ln(1/δ₂)/m).
// σ is chosen from a grid fixed in advance, σ_1…σ_J; a union bound spends δ/(2J) on each σ's PAC-Bayes statement
// and δ/(2J) on each σ's sampling statement, so the minimum over the grid holds with probability ≥ 1 − δ.
import Foundation
import PhasorModels
import PhasorNumerics

/// kl(p‖q) between Bernoulli(p) and Bernoulli(q), with 0·ln 0 = 0 (∞ when q ∈ {0,1} and p ≠ q).
public func binaryKL(_ p: Double, _ q: Double) -> Double {
    func term(_ a: Double, _ b: Double) -> Double { a == 0 ? 0 : (b == 0 ? .infinity : a * Double.log(a / b)) }
    return term(p, q) + term(1 - p, 1 - q)
}

/// kl⁻¹₊(p, c) = the largest q ∈ [p, 1] with kl(p‖q) ≤ c (bisection to 1e-12; 1 when c = ∞).
public func inverseBinaryKL(_ p: Double, _ c: Double) -> Double {
    guard c > 0 else { return p }
    guard c.isFinite else { return 1 }
    var lo = min(max(p, 0), 1), hi = 1.0
    if binaryKL(lo, hi) <= c { return 1 }
    while hi - lo > 1e-12 {
        let mid = (lo + hi) / 2
        if binaryKL(p, mid) > c { hi = mid } else { lo = mid }
    }
    return hi  // the upper end keeps the bound conservative
}

/// One σ of the grid.
public struct PACBayesPoint: Codable, Sendable, Equatable {
    public let sigma: Double
    public let kl: Double
    /// ê_m, the sampled empirical risk of Q.
    public let sampledRisk: Double
    /// kl⁻¹₊(ê_m, ln(1/δ₂)/m) ≥ ê(Q).
    public let riskUpperConfidence: Double
    /// Maurer's kl bound on e(Q), in [0, 1].
    public let maurer: Double
    /// McAllester/Pinsker bound on e(Q), clipped to [0, 1].
    public let mcAllester: Double
}

public struct PACBayesBound: Codable, Sendable, Equatable {
    public let delta: Double
    public let samples: Int
    public let parameters: Int
    public let draws: Int
    /// ‖θ − θ₀‖₂.
    public let distanceFromInit: Double
    /// Error rate of the deterministic trained model on the training set (for comparison; not part of the bound).
    public let deterministicTrainingError: Double
    public let grid: [PACBayesPoint]
    /// The σ attaining the smallest Maurer bound.
    public let bestSigma: Double
    /// min over the grid of Maurer's bound: holds for Q(bestSigma) with probability ≥ 1 − δ.
    public let bound: Double
    public let warnings: [String]

    public static let defaultSigmas = [1e-3, 3e-3, 1e-2, 3e-2, 1e-1]

    /// Bound for `model` (θ) against the prior at `initial` (θ₀, same configuration) on the training set `data`.
    public init(model: S4Model, initial: ParameterStore, data: BatchSource, sigmas: [Double] = defaultSigmas,
                draws: Int = 20, delta: Double = 0.05, seed: UInt64) throws {
        guard data.count > 0 else { throw AnalysisError.insufficientData("PAC-Bayes needs training samples (got none)") }
        guard !sigmas.isEmpty, sigmas.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw AnalysisError.invalid("the σ grid must be non-empty and positive, got \(sigmas)")
        }
        guard draws >= 1, delta > 0, delta < 1 else {
            throw AnalysisError.invalid("need at least one draw and δ in (0, 1) (got \(draws), \(delta))")
        }
        guard initial.names == model.parameters.names,
              zip(initial.parameters, model.parameters.parameters).allSatisfy({ $0.values.count == $1.values.count }) else {
            throw AnalysisError.invalid("the initial parameters do not have the trained model's keys and shapes")
        }
        // running statistics (a BatchNorm's buffers) are not parameters: neither perturbed nor counted
        let trained = model.parameters.parameters.indices.filter { !S4ModelConfiguration.isBuffer(model.parameters[$0].name) }
        let n = data.count, count = trained.reduce(0) { $0 + model.parameters[$1].values.count }
        var distance2 = 0.0
        for i in trained {
            for (x, y) in zip(model.parameters[i].values, initial[i].values) { distance2 += (x - y) * (x - y) }     // ‖θ − θ₀‖²
        }
        let j = Double(sigmas.count)
        let delta1 = delta / (2 * j), delta2 = delta / (2 * j)                            // union bound over the grid
        let base = SeededGenerator(seed: seed)
        var grid: [PACBayesPoint] = []
        var failedDraws = 0
        for (si, sigma) in sigmas.enumerated() {
            // Draws are independent: run them in parallel, draw j of σ_i with its own forked generator (so the result
            // depends on the seed only, not on the number of threads).
            let slots = DrawSlots(count: draws)
            DispatchQueue.concurrentPerform(iterations: draws) { j in
                var g = base.fork(UInt64(si * draws + j))
                var store = model.parameters
                for i in trained {
                    var p = store[i]
                    for k in 0..<p.values.count { p.values[k] += sigma * g.normal() }      // θ_j = θ + σ ε
                    store[i] = p
                }
                slots.set(j, Result {
                    try ModelEvaluation.errorRate(model: S4Model(configuration: model.configuration, parameters: store), data: data)
                })
            }
            var risks = 0.0
            for slot in slots.values {
                switch slot {
                case .success(let r): risks += r
                case .failure(let e) where e is NonFiniteError: risks += 1; failedDraws += 1  // overflowed: all wrong
                case .failure(let e): throw e
                case .none: throw AnalysisError.invalid("a PAC-Bayes draw produced no result")
                }
            }
            let sampled = risks / Double(draws)                                            // ê_m
            let upper = inverseBinaryKL(sampled, Double.log(1 / delta2) / Double(draws))  // ≥ ê(Q) w.p. 1 − δ₂
            let kl = distance2 / (2 * sigma * sigma)                                       // KL = ‖θ−θ₀‖²/(2σ²)
            let c = (kl + Double.log(2 * Double(n).squareRoot() / delta1)) / Double(n)
            grid.append(PACBayesPoint(sigma: sigma, kl: kl, sampledRisk: sampled, riskUpperConfidence: upper,
                                      maurer: inverseBinaryKL(upper, c),
                                      mcAllester: min(1, upper + (c / 2).squareRoot())))
        }
        guard let best = grid.min(by: { $0.maurer < $1.maurer }) else { throw AnalysisError.invalid("empty σ grid") }
        self.delta = delta; samples = n; parameters = count; self.draws = draws
        distanceFromInit = distance2.squareRoot()
        deterministicTrainingError = try ModelEvaluation.errorRate(model: model, data: data)
        self.grid = grid
        bestSigma = best.sigma
        bound = best.maurer
        var warnings: [String] = []
        if n < count {
            warnings.append("fewer training samples (\(n)) than parameters (\(count)): the bound is valid but likely close "
                + "to vacuous (1) unless ‖θ − θ₀‖ is small compared with σ√n")
        }
        if failedDraws > 0 { warnings.append("\(failedDraws) perturbed model(s) overflowed and were counted as all wrong") }
        self.warnings = warnings
    }
}

/// One result slot per parallel draw (each written by exactly one iteration, read after all have finished).
final class DrawSlots: @unchecked Sendable {
    private(set) var values: [Result<Double, Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Result<Double, Error>) { values[i] = value }
}
