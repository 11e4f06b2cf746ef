// Empirical Rademacher complexity of the linear read-outs over fixed features φ_1…φ_n ∈ ℝ^d (the pooled features the
// decoder reads), for the class F_B = {φ ↦ wᵀφ : ‖w‖₂ ≤ B}:
//     R̂ = E_σ sup_{‖w‖≤B} (1/n) Σ_i σ_i wᵀφ_i = (B/n) · E_σ ‖Σ_i σ_i φ_i‖₂        (Cauchy–Schwarz, attained),
// σ_i independent uniform ±1. The expectation is estimated by Monte Carlo over S draws: mean ± s/√S. Two closed-form
// brackets check it: Jensen gives R̂ ≤ (B/n)√(Σ‖φ_i‖²), and the Khintchine–Kahane inequality with the optimal
// constant 1/√2 (Latała–Oleszkiewicz) gives R̂ ≥ (B/n)√(Σ‖φ_i‖²)/√2.
import PhasorNumerics

public struct EmpiricalRademacher: Codable, Sendable, Equatable {
    public let samples: Int
    public let dimension: Int
    /// B, the bound on ‖w‖₂.
    public let weightBound: Double
    public let draws: Int
    /// Monte-Carlo estimate of R̂.
    public let value: Double
    public let standardError: Double
    /// (B/n)√(Σ‖φ_i‖²) ≥ R̂.
    public let upperBound: Double
    /// (B/n)√(Σ‖φ_i‖²)/√2 ≤ R̂.
    public let lowerBound: Double
    public let warnings: [String]

    /// `features[i]` = φ_i. Throws for no samples, ragged rows, non-finite values, B ≤ 0 or fewer than 2 draws.
    public init(features: [[Double]], weightBound: Double, draws: Int = 200, seed: UInt64) throws {
        guard let d = features.first?.count, d > 0 else {
            throw AnalysisError.insufficientData("empirical Rademacher complexity needs at least one sample with features")
        }
        guard features.allSatisfy({ $0.count == d }) else { throw AnalysisError.invalid("feature rows have different lengths") }
        guard weightBound > 0, weightBound.isFinite, draws >= 2 else {
            throw AnalysisError.invalid("need B > 0 and at least 2 Monte-Carlo draws (got B = \(weightBound), \(draws) draws)")
        }
        for (i, row) in features.enumerated() { try requireFinite(row, "features of sample \(i)") }
        let n = features.count
        samples = n; dimension = d; self.weightBound = weightBound; self.draws = draws
        let scale = weightBound / Double(n)
        var g = SeededGenerator(seed: seed)
        var values: [Double] = []
        var sum = [Double](repeating: 0, count: d)
        for _ in 0..<draws {
            for j in 0..<d { sum[j] = 0 }
            for row in features {
                let s = g.next() & 1 == 0 ? 1.0 : -1.0                           // σ_i = ±1
                for j in 0..<d { sum[j] += s * row[j] }                          // Σ σ_i φ_i
            }
            values.append(scale * sum.reduce(0) { $0 + $1 * $1 }.squareRoot())  // (B/n)‖Σσφ‖
        }
        let mean = values.reduce(0, +) / Double(draws)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws - 1)
        value = mean
        standardError = (variance / Double(draws)).squareRoot()
        let energy = features.reduce(0) { $0 + $1.reduce(0) { $0 + $1 * $1 } }
        upperBound = scale * energy.squareRoot()                                  // Jensen
        lowerBound = upperBound / 2.0.squareRoot()                                // Khintchine–Kahane
        var warnings: [String] = []
        if energy == 0 { warnings.append("every feature is zero: the read-out class is constant and R̂ = 0") }
        else {
            var constant = 0
            for j in 0..<d {
                let m = features.reduce(0) { $0 + $1[j] } / Double(n)
                if features.allSatisfy({ $0[j] == m }) { constant += 1 }
            }
            if constant > 0 {
                warnings.append("\(constant) of \(d) feature(s) have zero variance across the \(n) samples: they only add "
                    + "a constant to the read-out (still counted in R̂)")
            }
        }
        if n < d {
            warnings.append("fewer samples (\(n)) than feature dimensions (\(d)): linear read-outs can fit any labelling "
                + "of this sample, so R̂ is close to its upper bound and says little about generalisation")
        }
        self.warnings = warnings
        try requireFinite([value, standardError, upperBound], "empirical Rademacher complexity")
    }
}
