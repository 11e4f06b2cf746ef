// Interpolation at the Chebyshev points of the first kind (the zeros of T_{d+1}):
//     t_j = cos(π(j + ½)/(d + 1)),  j = 0…d,
//     c_k = (2 − δ_{k0})/(d + 1) · Σ_j f(x(t_j)) · cos(πk(j + ½)/(d + 1))      (a DCT-II)
// By the discrete orthogonality of T_0…T_d on these points the interpolant reproduces every polynomial of degree
// ≤ d exactly, and its error is within a factor (2 + (2/π)·log(d + 1)) of the best uniform approximation.
// The angles πk(2j + 1)/(2(d + 1)) are formed from the integer k(2j + 1) mod 4(d + 1), so they are exact.
// O(d²) directly: the degrees used for nonlinearities are tens, not thousands.

import Foundation

extension ChebyshevSeries {
    /// The degree-d interpolant of f at the Chebyshev points of the first kind on [lower, upper].
    /// Throws `ChebyshevError` for an invalid degree or interval or a non-finite value of f, and rethrows f's errors.
    public static func interpolating(
        _ f: (Double) throws -> Double, degree d: Int, lower: Double, upper: Double
    ) throws -> ChebyshevSeries {
        guard d >= 0 else { throw ChebyshevError.invalidDegree(d) }
        try checkInterval(lower, upper)
        let n = d + 1
        let period = 4 * n                                  // angle π·u/(2n) with u mod 4n
        let cosTable = (0..<period).map { Foundation.cos(Double.pi * Double($0) / Double(2 * n)) }
        var values = [Double](repeating: 0, count: n)
        for j in 0..<n {
            let t = cosTable[(2 * j + 1) % period]          // t_j = cos(π(2j + 1)/(2n))
            let x = ((upper - lower) * t + lower + upper) / 2
            let v = try f(x)
            guard v.isFinite else { throw ChebyshevError.nonFinite("f(\(x))") }
            values[j] = v
        }
        var c = [Double](repeating: 0, count: n)
        for k in 0..<n {
            var sum = 0.0
            for j in 0..<n { sum += values[j] * cosTable[(k * (2 * j + 1)) % period] }
            c[k] = (k == 0 ? 1.0 : 2.0) / Double(n) * sum
        }
        return ChebyshevSeries(unchecked: c, lower: lower, upper: upper)
    }

    /// The Chebyshev points of the first kind for degree d, mapped to [lower, upper] (in increasing order).
    public static func points(degree d: Int, lower: Double, upper: Double) -> [Double] {
        guard d >= 0 else { return [] }
        let n = d + 1
        return (0..<n).reversed().map { j in
            let t = Foundation.cos(Double.pi * Double(2 * j + 1) / Double(2 * n))
            return ((upper - lower) * t + lower + upper) / 2
        }
    }
}
