// Orthonormal polynomials of a data set's own distribution (issue 13, DESIGN.md §7): the basis in which a per-channel
// surrogate Σ_{j≤k} c_j P_j(x) of a nonlinearity f is the data-weighted least-squares fit of degree k, for every k at
// once (c_j does not depend on k: the fits are nested).
//
// The measure, on t = (2x − a − b)/(b − a) ∈ [−1, 1] (the same objective as ChebyshevSeries.weightedFit):
//     μ = (1/(1 + φ))·[ Σ_i (w_i/W) δ_{t_i}  +  (φ/M) Σ_{j<M} δ_{τ_j} ],   τ_j = cos(π(2j + 1)/(2M)),  M = max(2(K+1), 32)
// — the samples weighted as given (W = Σ w_i) plus a floor φ on Chebyshev points over the whole interval, which
// keeps every P_j bounded on [a, b] however concentrated the data are (φ·(1/M)Σ_j P_j(τ_j)² ≤ (1 + φ)).
// The polynomials (Stieltjes procedure = Lanczos on diag(t) in the μ-inner product ⟨u, v⟩ = Σ_m ω_m u_m v_m):
//     q_0 = 1,   v = t ⊙ q_j,   α_j = ⟨v, q_j⟩,   v ← v − α_j q_j − β_j q_{j−1},
//     v ← v − Σ_{i≤j} ⟨v, q_i⟩ q_i   (full re-orthogonalisation, repeated once if ‖v‖ fell below 0.7 of its value:
//                                      Kahan–Parlett; keeps ⟨q_i, q_j⟩ = δ_ij to rounding up to high degree)
//     β_{j+1} = ‖v‖,   q_{j+1} = v/β_{j+1}.
// At any point: P_0 = 1, β_{j+1} P_{j+1}(t) = (t − α_j) P_j(t) − β_j P_{j−1}(t)  (three-term recurrence, β_0 P_{−1} = 0).
// Coefficients: c_j = ⟨f, P_j⟩_μ = Σ_m ω_m f(x_m) q_j[m]; Σ_{j≤k} c_j P_j minimises ‖f − p‖_μ over degree ≤ k.
// Chebyshev form (to differentiate and compose): t·T_0 = T_1, t·T_m = (T_{m+1} + T_{m−1})/2 applied to the recurrence;
// the Chebyshev coefficients of each P_j are bounded by 2·max_{[−1,1]}|P_j|, which the floor keeps moderate.
import Foundation

/// Orthonormal polynomials P_0…P_K of a weighted sample plus a floor on Chebyshev points (see the header).
public struct EmpiricalOrthonormalPolynomials: Sendable, Equatable {
    /// The interval [lower, upper] mapped onto t ∈ [−1, 1].
    public let lower: Double
    public let upper: Double
    /// The floor fraction φ of the measure.
    public let floor: Double
    /// α_0…α_{K−1}.
    public let alpha: [Double]
    /// β_1…β_K (beta[j] = β_{j+1}).
    public let beta: [Double]

    /// The highest degree K.
    public var degree: Int { alpha.count }

    /// The polynomials of degree ≤ `degree` orthonormal for the measure of `samples` (optionally weighted) plus the
    /// floor φ on Chebyshev points of [lower, upper]. Samples must lie in [lower, upper]. Throws `ChebyshevError`
    /// for bad arguments and `.underdetermined` when the measure has fewer than degree + 1 support points.
    public init(samples: [Double], weights: [Double]? = nil, floor: Double, degree: Int, lower: Double, upper: Double) throws {
        self = try Self.build(samples: samples, weights: weights, floor: floor, degree: degree, lower: lower, upper: upper,
                              project: nil).basis
    }

    init(unchecked lower: Double, _ upper: Double, floor: Double, alpha: [Double], beta: [Double]) {
        self.lower = lower; self.upper = upper; self.floor = floor; self.alpha = alpha; self.beta = beta
    }

    /// t = (2x − a − b)/(b − a).
    @inlinable public func scaled(_ x: Double) -> Double { (2 * x - lower - upper) / (upper - lower) }

    /// P_0(x)…P_K(x) by the three-term recurrence (outside [lower, upper] this extrapolates).
    public func values(at x: Double) -> [Double] {
        let t = scaled(x), K = degree
        var p = [Double](repeating: 0, count: K + 1)
        p[0] = 1
        for j in 0..<K {                                                 // β_{j+1} P_{j+1} = (t − α_j) P_j − β_j P_{j−1}
            p[j + 1] = ((t - alpha[j]) * p[j] - (j > 0 ? beta[j - 1] * p[j - 1] : 0)) / beta[j]
        }
        return p
    }

    /// Chebyshev coefficients (on [lower, upper]) of P_0…P_K: row j has j + 1 entries.
    public func chebyshevCoefficients() -> [[Double]] {
        var rows: [[Double]] = [[1]]
        for j in 0..<degree {
            let p = rows[j]
            var next = [Double](repeating: 0, count: j + 2)
            for (m, a) in p.enumerated() {                               // t·T_0 = T_1, t·T_m = (T_{m+1} + T_{m−1})/2
                if m == 0 { next[1] += a } else { next[m + 1] += a / 2; next[m - 1] += a / 2 }
            }
            for m in 0...j { next[m] -= alpha[j] * p[m] }               // − α_j P_j
            if j > 0 { for (m, a) in rows[j - 1].enumerated() { next[m] -= beta[j - 1] * a } }   // − β_j P_{j−1}
            rows.append(next.map { $0 / beta[j] })
        }
        return rows
    }

    /// The fit Σ_{j≤K} c_j P_j of f (evaluated at the samples and the floor points): the data-weighted least-squares
    /// polynomial of every degree k ≤ K at once.
    public static func fit(_ f: (Double) throws -> Double, samples: [Double], weights: [Double]? = nil, floor: Double,
                           degree: Int, lower: Double, upper: Double) throws -> OrthonormalExpansion {
        let built = try withoutActuallyEscaping(f) { g in
            try build(samples: samples, weights: weights, floor: floor, degree: degree, lower: lower, upper: upper, project: g)
        }
        return OrthonormalExpansion(basis: built.basis, coefficients: built.coefficients)
    }

    /// Builds the measure, runs the Lanczos/Stieltjes procedure and, if f is given, projects f on the basis.
    static func build(samples x: [Double], weights: [Double]?, floor: Double, degree K: Int, lower: Double, upper: Double,
                      project f: ((Double) throws -> Double)?) throws -> (basis: EmpiricalOrthonormalPolynomials, coefficients: [Double]) {
        guard K >= 0 else { throw ChebyshevError.invalidDegree(K) }
        try ChebyshevSeries.checkInterval(lower, upper)
        guard floor.isFinite, floor >= 0 else { throw ChebyshevError.invalidParameter(name: "floor", value: floor) }
        let w = weights ?? [Double](repeating: 1, count: x.count)
        guard w.count == x.count else { throw ChebyshevError.lengthMismatch(what: "weights", expected: x.count, found: w.count) }
        var total = 0.0
        for i in x.indices {
            guard w[i].isFinite, w[i] >= 0 else { throw ChebyshevError.negativeWeight(index: i, value: w[i]) }
            guard x[i].isFinite else { throw ChebyshevError.nonFinite("sample x[\(i)]") }
            guard x[i] >= lower, x[i] <= upper else {
                throw ChebyshevError.sampleOutsideInterval(index: i, value: x[i], lower: lower, upper: upper)
            }
            total += w[i]
        }
        // nodes t_m and weights ω_m (Σ ω = 1)
        let m = floor > 0 ? ChebyshevSeries.floorPointCount(degree: K) : 0
        let dataShare = total > 0 ? 1 / (1 + floor) : 0
        let floorShare = total > 0 ? floor / (1 + floor) : 1
        var t: [Double] = [], omega: [Double] = [], fx: [Double] = []
        t.reserveCapacity(x.count + m); omega.reserveCapacity(x.count + m)
        let width = upper - lower
        for i in x.indices where w[i] > 0 {
            t.append(Swift.min(1, Swift.max(-1, (2 * x[i] - lower - upper) / width)))
            omega.append(dataShare * w[i] / total)
            if let f { fx.append(try f(x[i])) }
        }
        for j in 0..<m {
            let tau = ChebyshevSeries.floorPoint(j, m)
            t.append(tau)
            omega.append(floorShare / Double(m))
            if let f { fx.append(try f((width * tau + lower + upper) / 2)) }
        }
        guard !t.isEmpty else { throw ChebyshevError.underdetermined(samples: 0, coefficients: K + 1) }
        if let bad = fx.firstIndex(where: { !$0.isFinite }) { throw ChebyshevError.nonFinite("f at node \(bad)") }
        let n = t.count
        func dot(_ u: [Double], _ v: [Double]) -> Double {              // ⟨u, v⟩ = Σ ω u v
            var s = 0.0
            for i in 0..<n { s += omega[i] * u[i] * v[i] }
            return s
        }
        var q: [[Double]] = [[Double](repeating: 1, count: n)]           // ‖1‖² = Σ ω = 1
        var alpha: [Double] = [], beta: [Double] = []
        for j in 0..<K {
            var v = [Double](repeating: 0, count: n)
            for i in 0..<n { v[i] = t[i] * q[j][i] }                      // t·q_j
            let a = dot(v, q[j])
            for i in 0..<n { v[i] -= a * q[j][i] }
            if j > 0 { let b = beta[j - 1]; for i in 0..<n { v[i] -= b * q[j - 1][i] } }
            var norm = dot(v, v).squareRoot()
            for _ in 0..<2 {                                              // re-orthogonalise (twice at most)
                for qi in q {
                    let c = dot(v, qi)
                    for i in 0..<n { v[i] -= c * qi[i] }
                }
                let after = dot(v, v).squareRoot()
                let again = after < 0.7 * norm
                norm = after
                if !again { break }
            }
            // the measure has only j + 1 support points if v vanishes (relative to ‖t·q_j‖ ≤ 1)
            guard norm > 1e-12 else { throw ChebyshevError.underdetermined(samples: j + 1, coefficients: K + 1) }
            alpha.append(a); beta.append(norm)
            q.append(v.map { $0 / norm })
        }
        let basis = EmpiricalOrthonormalPolynomials(unchecked: lower, upper, floor: floor, alpha: alpha, beta: beta)
        let coefficients = f == nil ? [] : q.map { dot(fx, $0) }         // c_j = ⟨f, q_j⟩
        return (basis, coefficients)
    }
}

/// f ≈ Σ_{j≤k} c_j P_j(x) for any order k ≤ K: the nested least-squares fits in an empirical orthonormal basis.
public struct OrthonormalExpansion: Sendable, Equatable {
    public let basis: EmpiricalOrthonormalPolynomials
    /// c_0…c_K.
    public let coefficients: [Double]

    public var degree: Int { basis.degree }

    public init(basis: EmpiricalOrthonormalPolynomials, coefficients: [Double]) {
        self.basis = basis
        self.coefficients = coefficients
    }

    /// Σ_{j≤k} c_j P_j(x) (k = min(order, K)); extrapolates outside [lower, upper].
    public func callAsFunction(_ x: Double, order k: Int) -> Double {
        let K = Swift.min(k, basis.degree)
        let t = basis.scaled(x), a = basis.alpha, b = basis.beta
        var pPrev = 0.0, p = 1.0, sum = coefficients[0]
        if K == 0 { return sum }
        for j in 0..<K {                                                 // β_{j+1} P_{j+1} = (t − α_j) P_j − β_j P_{j−1}
            let next = ((t - a[j]) * p - (j > 0 ? b[j - 1] * pPrev : 0)) / b[j]
            pPrev = p; p = next
            sum += coefficients[j + 1] * p
        }
        return sum
    }

    /// All partial sums Σ_{j≤k} c_j P_j(x) for k = 0…K.
    public func partialSums(_ x: Double) -> [Double] {
        let p = basis.values(at: x)
        var out = [Double](repeating: 0, count: p.count), s = 0.0
        for j in p.indices { s += coefficients[j] * p[j]; out[j] = s }
        return out
    }

    /// The order-k polynomial as a Chebyshev series on [lower, upper] (degree k).
    public func chebyshevSeries(order k: Int) -> ChebyshevSeries {
        let K = Swift.min(Swift.max(k, 0), basis.degree)
        let rows = basis.chebyshevCoefficients()
        var c = [Double](repeating: 0, count: K + 1)
        for j in 0...K { for (m, a) in rows[j].enumerated() { c[m] += coefficients[j] * a } }
        return ChebyshevSeries(unchecked: c, lower: basis.lower, upper: basis.upper)
    }
}
