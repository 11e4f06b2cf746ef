// Linear memory capacity (Jaeger 2001) of one channel, in closed form. For x_k = Ā x_{k−1} + B̄ u_k (real state of
// dimension N, `RealDiagonalForm`) driven by i.i.d. unit-variance u, the stationary state covariance solves the Stein
// equation
//     P = Ā P Āᵀ + B̄ B̄ᵀ,
// the covariance between state and the input k steps ago is c_k = Cov(x_t, u_{t−k}) = Āᵏ B̄, and the optimal linear
// read-out of u_{t−k} from x_t explains the fraction
//     MC_k = c_kᵀ P⁻¹ c_k        (= R² of the least-squares fit, ∈ [0, 1]).
// Summed over all lags, Σ_{k≥0} MC_k = tr(P⁻¹ Σ_k c_k c_kᵀ) = tr(P⁻¹P) = rank P ≤ N. We report MC_k for k < K, their
// sum MC(K), and the exact tail MC_{≥K} = tr(P⁻¹ Āᴷ P Āᴷᵀ) (because Σ_{k≥K} c_k c_kᵀ = Āᴷ P Āᴷᵀ), so MC(K) + tail
// = rank is an identity we can check. P⁻¹ is the truncated pseudo-inverse of `SymmetricPseudoInverse`.
import PhasorCorrespondence
import PhasorNumerics

/// Closed-form memory capacity of one diagonal SSM channel.
public struct MemoryCapacity: Codable, Sendable, Equatable {
    /// N, the real state dimension (2 × stored complex modes).
    public let stateDimension: Int
    /// Directions of P kept by the regularised inverse (= Σ_{k≥0} MC_k).
    public let rank: Int
    /// σ_max/σ_min of P (nil when P is exactly singular).
    public let conditionNumber: Double?
    /// MC_k, k = 0..<K.
    public let perLag: [Double]
    /// MC(K) = Σ_{k<K} MC_k.
    public let total: Double
    /// MC_{≥K} = tr(P⁺ Āᴷ P Āᴷᵀ).
    public let tail: Double
    public let warnings: [String]

    /// Relative threshold below which directions of P are dropped.
    public static let defaultRcond = 1e-10

    /// MC_k for k < `lags`. Throws `.unstable` when some |μ| ≥ 1 (no stationary covariance).
    public init(_ ssm: DiagonalSSM, lags: Int, rcond: Double = defaultRcond) throws {
        guard lags >= 1 else { throw AnalysisError.invalid("memory capacity needs at least one lag, got \(lags)") }
        let form = RealDiagonalForm(ssm)
        let p = try Self.covariance(form)
        let inverse = try SymmetricPseudoInverse(p, rcond: rcond)
        guard inverse.rank > 0 else {
            throw AnalysisError.degenerate("the state covariance is zero (all input weights b = 0): no memory to measure")
        }
        stateDimension = form.dimension
        rank = inverse.rank
        conditionNumber = inverse.conditionNumber
        perLag = (0..<lags).map { inverse.quadratic(form.impulse(lag: $0)) }       // MC_k = c_kᵀP⁺c_k
        total = perLag.reduce(0, +)
        let ak = form.transition(power: lags)
        tail = inverse.trace(try ak * p * ak.adjoint)                              // tr(P⁺ Āᴷ P Āᴷᵀ)
        var warnings: [String] = []
        if rank < form.dimension {
            warnings.append("the state covariance P is near-singular (\(form.dimension - rank) of \(form.dimension) "
                + "directions have variance ≤ \(rcond) × the largest" + (conditionNumber.map { ", κ(P) = \($0)" } ?? ", κ(P) = ∞")
                + "); a regularised pseudo-inverse was used, so Σ MC_k = \(rank)")
        }
        self.warnings = warnings
        try requireFinite(perLag, "memory capacity per lag")
        try requireFinite(tail, "memory capacity tail")
    }

    /// P = Ā P Āᵀ + B̄B̄ᵀ by the Stein solver; `.unstable` when some |μ_n| ≥ 1.
    public static func covariance(_ form: RealDiagonalForm) throws -> ComplexMatrix {
        if let n = form.modes.firstIndex(where: { $0.length >= 1 }) {
            throw AnalysisError.unstable("mode \(n) has |μ| = \(form.modes[n].length) ≥ 1, so the state has no stationary "
                + "covariance and the memory capacity is undefined; stabilise the mode (Re λ < 0) or leave the channel out")
        }
        let b = form.inputVector
        var q = ComplexMatrix(rows: b.count, columns: b.count)
        for i in 0..<b.count { for j in 0..<b.count { q[i, j] = Complex(b[i] * b[j]) } }  // Q = B̄B̄ᵀ
        let p = try ComplexMatrix.stein(a: form.transition(power: 1), q: q)               // P = ĀPĀᵀ + Q
        try p.requireFinite("state covariance P")
        return p
    }
}

/// A Monte-Carlo estimate of MC_k: simulate the state under unit Gaussian white noise from a stationary start, fit
/// the least-squares read-out of u_{t−k} from x_t on each of R independent runs (R²_k = ĉ_kᵀĈ⁻¹ĉ_k / v̂_k with the
/// sample moments Ĉ = Σx_tx_tᵀ, ĉ_k = Σx_t u_{t−k}, v̂_k = Σu²_{t−k}), and report the mean over runs with the standard
/// error s/√R.
public struct MonteCarloMemoryCapacity: Codable, Sendable, Equatable {
    public let perLag: [Double]
    public let standardError: [Double]
    public let total: Double
    public let totalStandardError: Double
    public let samplesPerRun: Int
    public let runs: Int

    public init(_ ssm: DiagonalSSM, lags: Int, samples: Int, runs: Int, seed: UInt64,
                rcond: Double = MemoryCapacity.defaultRcond) throws {
        guard lags >= 1, runs >= 2, samples > 4 * (lags + 2 * ssm.modeCount) else {
            throw AnalysisError.insufficientData("Monte-Carlo memory capacity needs lags ≥ 1, runs ≥ 2 and samples ≫ "
                + "lags + N (got lags \(lags), runs \(runs), samples \(samples))")
        }
        let form = RealDiagonalForm(ssm)
        let n = form.dimension
        let p = try MemoryCapacity.covariance(form)
        let root = try p.svd()  // stationary start x_0 = U diag(√σ) z ~ N(0, P)
        var g = SeededGenerator(seed: seed)
        var estimates: [[Double]] = []
        for _ in 0..<runs {
            var x = [Double](repeating: 0, count: n)
            let z = (0..<n).map { _ in g.normal() }
            for r in 0..<n {
                var s = Complex<Double>.zero
                for i in 0..<n { s = s + root.u[r, i] * Complex(root.singularValues[i].squareRoot() * z[i]) }
                x[r] = s.real
            }
            var history = [Double](repeating: 0, count: lags)  // u_t, u_{t−1}, … (ring buffer)
            var cxx = [Double](repeating: 0, count: n * n)
            var cxu = [Double](repeating: 0, count: n * lags)
            var vu = [Double](repeating: 0, count: lags)
            for t in 0..<samples {
                let u = g.normal()
                for m in 0..<ssm.modeCount {                     // h_t = μ h_{t−1} + b u_t in real coordinates
                    let mu = ssm.modes[m], b = ssm.input[m]
                    let re = x[2 * m], im = x[2 * m + 1]
                    x[2 * m] = mu.real * re - mu.imaginary * im + b.real * u
                    x[2 * m + 1] = mu.imaginary * re + mu.real * im + b.imaginary * u
                }
                history[t % lags] = u
                guard t >= lags - 1 else { continue }
                for i in 0..<n { for j in 0..<n { cxx[i * n + j] += x[i] * x[j] } }       // Ĉ += x xᵀ
                for k in 0..<lags {
                    let past = history[(t - k) % lags]                                      // u_{t−k}
                    vu[k] += past * past
                    for i in 0..<n { cxu[k * n + i] += x[i] * past }                        // ĉ_k += x u_{t−k}
                }
            }
            var c = ComplexMatrix(rows: n, columns: n)
            for i in 0..<n { for j in 0..<n { c[i, j] = Complex(cxx[i * n + j]) } }
            let inverse = try SymmetricPseudoInverse(c, rcond: rcond)
            estimates.append((0..<lags).map { k in inverse.quadratic(Array(cxu[(k * n)..<((k + 1) * n)])) / vu[k] })
        }
        let r = Double(runs)
        func meanAndError(_ values: [Double]) -> (Double, Double) {
            let mean = values.reduce(0, +) / r
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (r - 1)   // s²
            return (mean, (variance / r).squareRoot())                                     // s/√R
        }
        let lagStats = (0..<lags).map { k in meanAndError(estimates.map { $0[k] }) }
        perLag = lagStats.map(\.0)
        standardError = lagStats.map(\.1)
        (total, totalStandardError) = meanAndError(estimates.map { $0.reduce(0, +) })
        samplesPerRun = samples
        self.runs = runs
        try requireFinite(perLag + standardError, "Monte-Carlo memory capacity")
    }
}
