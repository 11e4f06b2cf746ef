// How many singular values of a snapshot (or Hankel) matrix to keep — the truncation rank r of DMD and HAVOK.
//   fixed r        r as given;
//   energy e       the smallest r with Σ_{i≤r} σ_i² ≥ e · Σ_i σ_i²  (0 < e ≤ 1);
//   optimal hard threshold (Gavish & Donoho, IEEE Trans. Inf. Theory 60(8), 2014), noise level unknown:
//                  keep σ_i > τ = ω(β) · σ_med,  β = min(m, n)/max(m, n),  σ_med the median singular value,
//                  ω(β) = λ*(β)/√μ_β,  λ*(β) = √(2(β + 1) + 8β/((β + 1) + √(β² + 14β + 1))),
//                  μ_β the median of the Marchenko–Pastur distribution of ratio β, density on [a, b] = [(1 − √β)², (1 + √β)²]
//                  f(t) = √((b − t)(t − a)) / (2πβt).  (ω(1) ≈ 2.858; Gavish–Donoho's fit 0.56β³ − 0.95β² + 1.82β + 1.43.)
// Every rule is then capped at the numerical rank: singular values ≤ max(m, n)·ε·σ_1 are rounding noise (LAPACK's
// default rank rule) and are never kept — dividing by them would amplify noise by 1/ε. A cap is reported.

/// A truncation rule for the rank of a snapshot matrix.
public enum RankRule: Sendable, Equatable, CustomStringConvertible {
    case fixed(Int)
    case energy(Double)
    case optimalHardThreshold

    public var description: String {
        switch self {
        case .fixed(let r): return "fixed rank \(r)"
        case .energy(let e): return "energy ≥ \(e)"
        case .optimalHardThreshold: return "optimal hard threshold (Gavish–Donoho, unknown noise)"
        }
    }

    /// The chosen rank and a note when the numerical rank capped it. `singularValues` descending, of an m×n matrix.
    public func rank(singularValues s: [Double], rows m: Int, columns n: Int) throws -> (rank: Int, note: String?) {
        guard let first = s.first, first > 0 else {
            throw IdentificationError.degenerate("every singular value is zero (a constant-zero series)")
        }
        let numerical = s.filter { $0 > Double(max(m, n)) * Double.ulpOfOne * first }.count
        let wanted: Int
        switch self {
        case .fixed(let r):
            guard r >= 1, r <= s.count else {
                throw IdentificationError.invalid("rank \(r) must be between 1 and min(rows, columns) = \(s.count) of the snapshot matrix")
            }
            wanted = r
        case .energy(let e):
            guard e > 0, e <= 1 else { throw IdentificationError.invalid("energy \(e) must lie in (0, 1]") }
            let total = s.reduce(0) { $0 + ($1 / first) * ($1 / first) }
            var acc = 0.0
            wanted = (s.firstIndex { v in acc += (v / first) * (v / first); return acc >= e * total } ?? (s.count - 1)) + 1
        case .optimalHardThreshold:
            let beta = Double(min(m, n)) / Double(max(m, n))
            let sorted = s.sorted()
            let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
                : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            let tau = Self.omega(beta: beta) * median  // τ = ω(β)·σ_med
            wanted = max(s.filter { $0 > tau }.count, 1)
        }
        if wanted > numerical {
            return (numerical, "\(description) asked for rank \(wanted), but only \(numerical) singular value(s) exceed "
                + "the rounding level max(m, n)·ε·σ₁; using rank \(numerical)")
        }
        return (wanted, nil)
    }

    /// λ*(β) = √(2(β + 1) + 8β/((β + 1) + √(β² + 14β + 1))), the optimal threshold for known noise level (σ = 1/√n).
    public static func lambdaStar(beta: Double) -> Double {
        (2 * (beta + 1) + 8 * beta / ((beta + 1) + (beta * beta + 14 * beta + 1).squareRoot())).squareRoot()
    }

    /// ω(β) = λ*(β)/√μ_β, the threshold coefficient on the median singular value (0 < β ≤ 1).
    public static func omega(beta: Double) -> Double {
        lambdaStar(beta: beta) / marchenkoPasturMedian(beta: beta).squareRoot()
    }

    /// The median μ_β of the Marchenko–Pastur law of ratio β ∈ (0, 1]: F(μ) = 1/2, found by bisection on the CDF.
    public static func marchenkoPasturMedian(beta: Double) -> Double {
        let a = (1 - beta.squareRoot()) * (1 - beta.squareRoot()), b = (1 + beta.squareRoot()) * (1 + beta.squareRoot())
        var lo = a, hi = b
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if marchenkoPasturCDF(mid, beta: beta) < 0.5 { lo = mid } else { hi = mid }
            if hi - lo <= 4 * Double.ulpOfOne * b { break }
        }
        return (lo + hi) / 2
    }

    /// F(x) = ∫_a^x f(t) dt for the Marchenko–Pastur density. With t = a + (b − a)(1 − cos θ)/2 the square roots become
    /// ((b − a)/2) sin θ and F(x) = ∫_0^{θ(x)} ((b − a)²/4) sin²θ / (2πβ t(θ)) dθ — a smooth integrand, summed by the
    /// midpoint rule on 4000 panels (error far below the bisection tolerance).
    static func marchenkoPasturCDF(_ x: Double, beta: Double) -> Double {
        let a = (1 - beta.squareRoot()) * (1 - beta.squareRoot()), b = (1 + beta.squareRoot()) * (1 + beta.squareRoot())
        if x <= a { return 0 }
        if x >= b { return 1 }
        let theta = Double.acos(1 - 2 * (x - a) / (b - a))
        let panels = 4000
        let h = theta / Double(panels)
        var sum = 0.0
        for k in 0..<panels {
            let th = (Double(k) + 0.5) * h
            let s = Double.sin(th)
            let t = a + (b - a) * (1 - Double.cos(th)) / 2
            sum += (b - a) * (b - a) / 4 * s * s / (2 * Double.pi * beta * t)
        }
        return sum * h
    }
}
