// A Chebyshev series on an interval [a, b]: f(x) ≈ Σ_{k=0}^{d} c_k T_k(t), t = (2x − a − b)/(b − a) ∈ [−1, 1],
// T_k(cos θ) = cos kθ. The range formulation of the explicit operator (DESIGN.md §7) replaces each nonlinearity by
// such a polynomial on the range the data reaches. Fits live in ChebyshevInterpolation.swift (points of the first
// kind) and ChebyshevLeastSquares.swift (weighted, regularised); the monomial form in ChebyshevMonomial.swift.
//
// Evaluation by Clenshaw's recurrence (backward stable, O(d)):
//     b_{d+1} = b_{d+2} = 0,   b_k = c_k + 2t·b_{k+1} − b_{k+2}  (k = d…1),   f = c_0 + t·b_1 − b_2.
// Derivative: if f = Σ c_k T_k then df/dt = Σ c'_k T_k with c'_{k−1} = c'_{k+1} + 2k·c_k (c'_d = c'_{d+1} = 0)
// and c'_0 halved; df/dx = (2/(b − a))·df/dt.

/// What was wrong with a Chebyshev fit or series.
public enum ChebyshevError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidInterval(lower: Double, upper: Double)
    case invalidDegree(Int)
    case emptyCoefficients
    case lengthMismatch(what: String, expected: Int, found: Int)
    case negativeWeight(index: Int, value: Double)
    case invalidParameter(name: String, value: Double)
    case underdetermined(samples: Int, coefficients: Int)
    case nonFinite(String)
    case sampleOutsideInterval(index: Int, value: Double, lower: Double, upper: Double)

    public var description: String {
        switch self {
        case .invalidInterval(let a, let b):
            return "Chebyshev interval [\(a), \(b)] is invalid: it needs finite ends with lower < upper"
        case .invalidDegree(let d):
            return "Chebyshev degree \(d) is invalid: use a degree ≥ 0"
        case .emptyCoefficients:
            return "a Chebyshev series needs at least one coefficient"
        case .lengthMismatch(let what, let expected, let found):
            return "\(what) has \(found) elements but \(expected) were expected: pass one per sample"
        case .negativeWeight(let i, let w):
            return "weight \(i) is \(w): least-squares weights must be finite and ≥ 0"
        case .invalidParameter(let name, let v):
            return "\(name) = \(v) is invalid: it must be finite and ≥ 0"
        case .underdetermined(let m, let n):
            return "\(m) weighted samples cannot determine \(n) coefficients: lower the degree, add samples, "
                + "or set a weight floor or ridge"
        case .nonFinite(let what):
            return "\(what) is NaN or infinite: check the function and the interval"
        case .sampleOutsideInterval(let i, let x, let a, let b):
            return "sample \(i) at x = \(x) lies outside [\(a), \(b)]: widen the interval to the data's range"
        }
    }
}

/// f(x) ≈ Σ_k c_k T_k(t) on [lower, upper], t = (2x − lower − upper)/(upper − lower).
public struct ChebyshevSeries: Sendable, Equatable {
    /// The interval ends a < b.
    public let lower: Double
    public let upper: Double
    /// c_0…c_d.
    public let coefficients: [Double]

    /// The degree d (the number of coefficients minus one).
    public var degree: Int { coefficients.count - 1 }

    /// A series from its coefficients. Throws for an empty or non-finite coefficient list or an invalid interval.
    public init(coefficients: [Double], lower: Double, upper: Double) throws {
        try ChebyshevSeries.checkInterval(lower, upper)
        guard !coefficients.isEmpty else { throw ChebyshevError.emptyCoefficients }
        guard coefficients.allSatisfy(\.isFinite) else { throw ChebyshevError.nonFinite("Chebyshev coefficients") }
        self.lower = lower
        self.upper = upper
        self.coefficients = coefficients
    }

    /// Internal: no checks (the caller guarantees a valid interval and finite, non-empty coefficients).
    init(unchecked coefficients: [Double], lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
        self.coefficients = coefficients
    }

    static func checkInterval(_ a: Double, _ b: Double) throws {
        guard a.isFinite, b.isFinite, a < b, (b - a).isFinite else {
            throw ChebyshevError.invalidInterval(lower: a, upper: b)
        }
    }

    /// t = (2x − a − b)/(b − a): the interval mapped onto [−1, 1].
    @inlinable
    public func scaled(_ x: Double) -> Double {
        (2 * x - lower - upper) / (upper - lower)
    }

    /// x = ((b − a)·t + a + b)/2: the inverse of `scaled`.
    @inlinable
    public func unscaled(_ t: Double) -> Double {
        ((upper - lower) * t + lower + upper) / 2
    }

    /// Σ c_k T_k(t(x)) by Clenshaw's recurrence. Outside [a, b] this extrapolates the polynomial.
    public func callAsFunction(_ x: Double) -> Double {
        ChebyshevSeries.clenshaw(coefficients, scaled(x))
    }

    /// Σ c_k T_k(t) at a scaled point t by Clenshaw: b_k = c_k + 2t·b_{k+1} − b_{k+2}, f = c_0 + t·b_1 − b_2.
    public static func clenshaw(_ c: [Double], _ t: Double) -> Double {
        guard let c0 = c.first else { return 0 }
        var b1 = 0.0, b2 = 0.0
        let twoT = 2 * t
        var k = c.count - 1
        while k >= 1 {
            let b0 = c[k] + twoT * b1 - b2
            b2 = b1
            b1 = b0
            k -= 1
        }
        return c0 + t * b1 - b2
    }

    /// The series of df/dx, of degree d − 1 (degree 0 for a constant), on the same interval.
    public func derivative() -> ChebyshevSeries {
        let d = degree
        if d == 0 { return ChebyshevSeries(unchecked: [0], lower: lower, upper: upper) }
        var dc = [Double](repeating: 0, count: d + 1)    // dc[d] = 0 (and dc[d+1] = 0 implicitly)
        for k in stride(from: d, through: 1, by: -1) {
            let next = k + 1 <= d ? dc[k + 1] : 0
            dc[k - 1] = next + 2 * Double(k) * coefficients[k]   // c'_{k−1} = c'_{k+1} + 2k·c_k
        }
        dc[0] /= 2
        dc.removeLast()
        let scale = 2 / (upper - lower)                  // dt/dx
        return ChebyshevSeries(unchecked: dc.map { $0 * scale }, lower: lower, upper: upper)
    }

    /// max |f(x) − p(x)| over `gridPoints` equally spaced points of [a, b] (ends included), with the worst point.
    /// An estimate of the uniform error: it can miss a narrow peak between grid points, so use a grid several
    /// times denser than the degree (the default, 4001 points, suits degrees up to a few hundred). If f or the
    /// series gives NaN somewhere, the error is NaN at the first such point.
    public func maxError(against f: (Double) throws -> Double, gridPoints: Int = 4001) rethrows
        -> (error: Double, at: Double)
    {
        let m = Swift.max(gridPoints, 2)
        var worst = 0.0, at = lower
        for i in 0..<m {
            let x = i == m - 1 ? upper : lower + (upper - lower) * Double(i) / Double(m - 1)
            let e = Swift.abs(try f(x) - self(x))
            if e.isNaN { return (e, x) }                  // a NaN (f undefined, or overflow) is reported at once
            if e > worst { worst = e; at = x }
        }
        return (worst, at)
    }
}
