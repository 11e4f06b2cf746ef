// Lyapunov exponents of a linear time-varying recurrence x_t = M_t x_{t−1} (DESIGN.md §8, selective SSMs):
//     λ_i = lim_{T→∞} (1/T) log σ_i-growth of M_T ⋯ M_1,   λ_max = lim (1/T) log ‖M_T ⋯ M_1 v‖ (generic v).
// Estimators over a finite sequence (Benettin et al. 1980; Shimada & Nagashima 1979):
//   • renormalisation: v ← M_t v; s += log‖v‖; v ← v/‖v‖;  λ_max ≈ s/T;
//   • QR: Q ← M_t Q = Q' R (modified Gram–Schmidt), s_i += log|R_ii|, Q ← Q';  λ_i ≈ s_i/T.
// Exact facts used by the tests: Σ_i s_i = Σ_t log|det M_t| (any orthogonal Q₀); for diagonal M_t and Q₀ = I,
// s_i = Σ_t log|M_t,ii|; for diagonal M_t and unit v, λ_max + log|v_n*|/T ≤ s/T ≤ λ_max with λ_max = max_n mean_t
// log|M_t,nn| (n* its argmax).
import PhasorNumerics

public enum LyapunovSpectrum {
    /// All n exponents by the QR method; `transitions` are real n × n row-major matrices, `initial` an orthonormal
    /// n × n (row-major, columns are the vectors), the identity when nil. Exponents per column, not sorted.
    public static func spectrum(transitions: [[Double]], dimension n: Int, initial: [Double]? = nil) throws -> [Double] {
        try check(transitions, n)
        var q = initial ?? (0..<(n * n)).map { $0 / n == $0 % n ? 1 : 0 }
        guard q.count == n * n else { throw CorrespondenceError.shapeMismatch("initial frame has \(q.count) entries, need \(n * n)") }
        var sums = [Double](repeating: 0, count: n)
        for m in transitions {
            var w = [Double](repeating: 0, count: n * n)                    // W = M Q
            for i in 0..<n { for j in 0..<n { var s = 0.0; for k in 0..<n { s += m[i * n + k] * q[k * n + j] }; w[i * n + j] = s } }
            for j in 0..<n {                                                 // modified Gram–Schmidt on the columns of W
                for prev in 0..<j {
                    var dot = 0.0
                    for i in 0..<n { dot += w[i * n + prev] * w[i * n + j] }
                    for i in 0..<n { w[i * n + j] -= dot * w[i * n + prev] }
                }
                var norm = 0.0
                for i in 0..<n { norm += w[i * n + j] * w[i * n + j] }
                norm = norm.squareRoot()                                     // R_jj
                guard norm > 0, norm.isFinite else {
                    throw CorrespondenceError.invalid("the tangent frame collapsed (R_\(j)\(j) = \(norm)): a transition is singular")
                }
                sums[j] += Double.log(norm)                                  // s_j += log R_jj
                for i in 0..<n { w[i * n + j] /= norm }
            }
            q = w
        }
        return sums.map { $0 / Double(transitions.count) }
    }

    /// λ_max by renormalising one vector v (unit after the first normalisation).
    public static func largest(transitions: [[Double]], dimension n: Int, initial v0: [Double]) throws -> Double {
        try check(transitions, n)
        guard v0.count == n, v0.contains(where: { $0 != 0 }) else {
            throw CorrespondenceError.shapeMismatch("initial vector needs \(n) entries, not all zero")
        }
        let norm0 = v0.map { $0 * $0 }.reduce(0, +).squareRoot()
        var v = v0.map { $0 / norm0 }, sum = 0.0
        for m in transitions {
            var next = [Double](repeating: 0, count: n)
            for i in 0..<n { var s = 0.0; for k in 0..<n { s += m[i * n + k] * v[k] }; next[i] = s }  // v ← M v
            let norm = next.map { $0 * $0 }.reduce(0, +).squareRoot()
            guard norm > 0, norm.isFinite else { throw CorrespondenceError.invalid("the vector collapsed to \(norm)") }
            sum += Double.log(norm)                                          // s += log‖v‖
            v = next.map { $0 / norm }
        }
        return sum / Double(transitions.count)
    }

    private static func check(_ transitions: [[Double]], _ n: Int) throws {
        guard n > 0, !transitions.isEmpty, transitions.allSatisfy({ $0.count == n * n }) else {
            throw CorrespondenceError.shapeMismatch("need at least one \(n)×\(n) transition (row-major, n > 0)")
        }
        for (t, m) in transitions.enumerated() { try requireFinite(m, "transition matrix \(t)") }
    }
}
