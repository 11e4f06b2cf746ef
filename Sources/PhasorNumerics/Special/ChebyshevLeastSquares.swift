// Weighted least-squares Chebyshev fits, regularised so they cannot explode (DESIGN.md §7).
//
// Fitting a nonlinearity by least squares on the pre-activations a model actually produces (weights = the data's
// distribution) gives far better accuracy at low degree than a uniform fit — but where the data are sparse
// (rare outliers at the edge of the range) nothing pins the polynomial down, and it can reach 1e58 there.
// Two controls, both optional:
//   • a weight floor φ: a fraction φ of the total weight spread over M ≥ d + 1 Chebyshev points τ_j of the first
//     kind on the whole interval, where the fit must also match f. By discrete orthogonality the floor term's Gram
//     matrix is (φ/2)·diag(2, 1, …, 1), so every coefficient is controlled whatever the data; the fit's RMS error on
//     the τ_j is at most √((1 + φ)/φ)·‖f − q‖_∞ for any polynomial q of degree d (take q the interpolant).
//   • a ridge λ: adds λ·Σ_k c_k², shrinking the coefficients (for sample-only fits, where f is not available).
// The objective, with W = Σ w_i and t = (2x − a − b)/(b − a):
//     Σ_i (w_i/W)·(y_i − Σ_k c_k T_k(t_i))²  +  (φ/M)·Σ_j (f(τ_j) − Σ_k c_k T_k(τ_j))²  +  λ·Σ_k c_k²
// is minimised by Householder QR of the stacked, row-scaled design matrix (never the normal equations, whose
// condition number is the square of the design's).

import Foundation

extension ChebyshevSeries {
    /// The degree-d series minimising Σ_i (w_i/W)(y_i − p(x_i))² + ridge·Σ_k c_k² over samples in [lower, upper].
    /// `weights` defaults to all ones. Throws `ChebyshevError` for mismatched lengths, negative or non-finite
    /// weights, samples outside the interval, a negative ridge, or too few weighted samples for the degree
    /// (unless ridge > 0).
    public static func leastSquares(
        x: [Double], y: [Double], weights: [Double]? = nil, degree d: Int, lower: Double, upper: Double,
        ridge: Double = 0
    ) throws -> ChebyshevSeries {
        guard y.count == x.count else {
            throw ChebyshevError.lengthMismatch(what: "values y", expected: x.count, found: y.count)
        }
        return try fit(x: x, y: y, weights: weights, degree: d, lower: lower, upper: upper,
                       floor: 0, floorValues: [], ridge: ridge)
    }

    /// The degree-d series fitting f at the samples x_i with weights w_i (the data's distribution), plus a weight
    /// floor: a fraction `floor` of the total weight spread over Chebyshev points on the whole interval. With
    /// floor > 0 the fit is bounded on [lower, upper] whatever the samples; floor → ∞ tends to the Chebyshev
    /// interpolant, floor → 0 to the pure data-weighted fit.
    public static func weightedFit(
        _ f: (Double) throws -> Double, samples x: [Double], weights: [Double]? = nil, degree d: Int,
        lower: Double, upper: Double, floor: Double, ridge: Double = 0
    ) throws -> ChebyshevSeries {
        guard d >= 0 else { throw ChebyshevError.invalidDegree(d) }
        try checkInterval(lower, upper)
        let y = try x.map { try f($0) }
        // f at the floor points τ_j = cos(π(2j + 1)/(2M)), mapped to [lower, upper].
        let m = floor > 0 ? floorPointCount(degree: d) : 0
        let floorValues = try (0..<m).map { j in
            try f(((upper - lower) * floorPoint(j, m) + lower + upper) / 2)
        }
        return try fit(x: x, y: y, weights: weights, degree: d, lower: lower, upper: upper,
                       floor: floor, floorValues: floorValues, ridge: ridge)
    }

    private static func fit(
        x: [Double], y: [Double], weights: [Double]?, degree d: Int, lower: Double, upper: Double,
        floor: Double, floorValues: [Double], ridge: Double
    ) throws -> ChebyshevSeries {
        guard d >= 0 else { throw ChebyshevError.invalidDegree(d) }
        try checkInterval(lower, upper)
        guard ridge.isFinite, ridge >= 0 else { throw ChebyshevError.invalidParameter(name: "ridge", value: ridge) }
        guard floor.isFinite, floor >= 0 else { throw ChebyshevError.invalidParameter(name: "floor", value: floor) }
        let w = weights ?? [Double](repeating: 1, count: x.count)
        guard w.count == x.count else {
            throw ChebyshevError.lengthMismatch(what: "weights", expected: x.count, found: w.count)
        }
        var total = 0.0
        for i in 0..<x.count {
            guard w[i].isFinite, w[i] >= 0 else { throw ChebyshevError.negativeWeight(index: i, value: w[i]) }
            guard x[i].isFinite else { throw ChebyshevError.nonFinite("sample x[\(i)]") }
            guard y[i].isFinite else { throw ChebyshevError.nonFinite("value y[\(i)] at x = \(x[i])") }
            guard x[i] >= lower, x[i] <= upper else {
                throw ChebyshevError.sampleOutsideInterval(index: i, value: x[i], lower: lower, upper: upper)
            }
            total += w[i]
        }
        let n = d + 1
        let dataRows = w.filter { $0 > 0 }.count
        let floorPoints = floorValues.count
        let ridgeRows = ridge > 0 ? n : 0
        guard dataRows + floorPoints + ridgeRows >= n, total > 0 || floorPoints + ridgeRows > 0 else {
            throw ChebyshevError.underdetermined(samples: dataRows, coefficients: n)
        }

        // Stacked system, column-major: columns[k][row] = √(row weight)·T_k(t_row); rhs[row] = √(row weight)·y_row.
        let rows = dataRows + floorPoints + ridgeRows
        var columns = [[Double]](repeating: [Double](repeating: 0, count: rows), count: n)
        var rhs = [Double](repeating: 0, count: rows)
        var r = 0
        func addRow(_ t: Double, _ value: Double, _ scale: Double) {
            var tkm1 = 1.0, tk = t                              // T_{k+1} = 2t·T_k − T_{k−1}
            columns[0][r] = scale
            if n > 1 { columns[1][r] = scale * t }
            if n > 2 {
                for k in 2..<n {
                    let next = 2 * t * tk - tkm1
                    tkm1 = tk; tk = next
                    columns[k][r] = scale * next
                }
            }
            rhs[r] = scale * value
            r += 1
        }
        let width = upper - lower
        for i in 0..<x.count where w[i] > 0 {
            addRow(Swift.min(1, Swift.max(-1, (2 * x[i] - lower - upper) / width)), y[i], (w[i] / total).squareRoot())
        }
        if floorPoints > 0 {
            let scale = (floor / Double(floorPoints)).squareRoot()
            for j in 0..<floorPoints {
                let v = floorValues[j]
                guard v.isFinite else { throw ChebyshevError.nonFinite("f at a weight-floor point") }
                addRow(floorPoint(j, floorPoints), v, scale)
            }
        }
        if ridgeRows > 0 {
            let s = ridge.squareRoot()
            for k in 0..<n { columns[k][r] = s; rhs[r] = 0; r += 1 }
        }
        guard let c = householderLeastSquares(&columns, &rhs, rows: r) else {
            throw ChebyshevError.underdetermined(samples: dataRows, coefficients: n)
        }
        guard c.allSatisfy(\.isFinite) else { throw ChebyshevError.nonFinite("least-squares coefficients") }
        return ChebyshevSeries(unchecked: c, lower: lower, upper: upper)
    }
}

extension ChebyshevSeries {
    /// M = max(2(d + 1), 32) floor points: more than d + 1, so the floor alone determines every coefficient.
    static func floorPointCount(degree d: Int) -> Int { Swift.max(2 * (d + 1), 32) }

    /// τ_j = cos(π(2j + 1)/(2M)), the j-th of M Chebyshev points of the first kind on [−1, 1].
    static func floorPoint(_ j: Int, _ m: Int) -> Double {
        Foundation.cos(Double.pi * Double(2 * j + 1) / Double(2 * m))
    }
}

/// min ‖A c − b‖₂ by Householder QR (A given as columns, overwritten; b overwritten by Qᵀb).
/// Returns nil if A is numerically rank deficient (|R_kk| ≤ 1e-13·max column norm).
func householderLeastSquares(_ a: inout [[Double]], _ b: inout [Double], rows m: Int) -> [Double]? {
    let n = a.count
    guard m >= n else { return nil }
    var maxNorm = 0.0
    for k in 0..<n { maxNorm = max(maxNorm, a[k][0..<m].reduce(0) { $0 + $1 * $1 }.squareRoot()) }
    guard maxNorm > 0 else { return nil }
    var diag = [Double](repeating: 0, count: n)
    for k in 0..<n {
        // v = x − α e₁ with α = −sign(x₀)‖x‖ (no cancellation); H = I − 2vvᵀ/(vᵀv).
        var norm = 0.0
        for i in k..<m { norm += a[k][i] * a[k][i] }
        norm = norm.squareRoot()
        let alpha = a[k][k] > 0 ? -norm : norm
        diag[k] = alpha
        if norm == 0 { return nil }
        a[k][k] -= alpha
        var vv = 0.0
        for i in k..<m { vv += a[k][i] * a[k][i] }
        if vv == 0 { continue }
        let beta = 2 / vv
        for j in (k + 1)..<n {
            var dot = 0.0
            for i in k..<m { dot += a[k][i] * a[j][i] }
            let s = beta * dot
            for i in k..<m { a[j][i] -= s * a[k][i] }
        }
        var dot = 0.0
        for i in k..<m { dot += a[k][i] * b[i] }
        let s = beta * dot
        for i in k..<m { b[i] -= s * a[k][i] }
    }
    // Back substitution R c = (Qᵀb)[0..<n]; R's off-diagonal entries sit in a[j][k] (k < j), its diagonal in diag.
    var c = [Double](repeating: 0, count: n)
    for k in stride(from: n - 1, through: 0, by: -1) {
        if Swift.abs(diag[k]) <= 1e-13 * maxNorm { return nil }
        var s = b[k]
        for j in (k + 1)..<n { s -= a[j][k] * c[j] }
        c[k] = s / diag[k]
    }
    return c
}
