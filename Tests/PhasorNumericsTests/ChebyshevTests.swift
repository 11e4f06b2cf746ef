// Chebyshev series: exact reproduction of polynomials, Clenshaw against cos(k·arccos t), the derivative series,
// geometric convergence for exp, GELU and sigmoid on [−8, 8], the monomial form, and weighted least squares that
// stays bounded on outliers when a weight floor is set.
import Foundation
import Testing
import PhasorNumerics

@Suite struct ChebyshevTests {
    @Test func clenshawMatchesDirectCosineEvaluation() throws {
        var g = SeededGenerator(seed: 31)
        let c = (0..<25).map { _ in 2 * g.uniform() - 1 }
        let series = try ChebyshevSeries(coefficients: c, lower: -3, upper: 5)
        for _ in 0..<200 {
            let x = -3 + 8 * g.uniform()
            let t = (2 * x - 2) / 8
            var direct = 0.0
            for k in 0..<c.count { direct += c[k] * cos(Double(k) * acos(t)) }
            #expect(abs(series(x) - direct) <= 1e-13)
        }
    }

    @Test func interpolationReproducesPolynomialsOfDegreeAtMostD() throws {
        var g = SeededGenerator(seed: 32)
        for degree in [0, 1, 2, 5, 12] {
            let m = (0...degree).map { _ in 2 * g.uniform() - 1 }               // p(x) = Σ m_j x^j
            let p = { (x: Double) in m.reversed().reduce(0) { $0 * x + $1 } }
            let scale = (0...100).map { abs(p(-1.5 + 3.5 * Double($0) / 100)) }.max()! + 1
            for d in [degree, degree + 3] {
                let series = try ChebyshevSeries.interpolating(p, degree: d, lower: -1.5, upper: 2)
                #expect(series.maxError(against: p).error <= 1e-14 * scale, "degree \(degree) fitted at \(d)")
                for k in (degree + 1)..<(d + 1) { #expect(abs(series.coefficients[k]) <= 1e-15 * scale) }
            }
        }
        // a known expansion: x³ on [−1, 1] = (3T_1 + T_3)/4
        let cube = try ChebyshevSeries.interpolating({ $0 * $0 * $0 }, degree: 3, lower: -1, upper: 1)
        let expected = [0, 0.75, 0, 0.25]
        for k in 0..<4 { #expect(abs(cube.coefficients[k] - expected[k]) <= 1e-15) }
    }

    @Test func derivativeSeriesMatchesAnalyticDerivative() throws {
        let series = try ChebyshevSeries.interpolating({ sin(3 * $0) + $0 * $0 }, degree: 40, lower: -2, upper: 1)
        let d = series.derivative()
        #expect(d.degree == 39)
        #expect(d.maxError(against: { 3 * cos(3 * $0) + 2 * $0 }).error <= 1e-11)
        // differentiation amplifies the interpolation error by up to ~d²: 1e-14 at degree 80 → ~1e-11
        let gelu = try ChebyshevSeries.interpolating({ GELU.value($0) }, degree: 80, lower: -8, upper: 8)
        #expect(gelu.derivative().maxError(against: { GELU.derivative($0) }).error <= 2e-11)
        let constant = try ChebyshevSeries(coefficients: [2], lower: 0, upper: 1)
        #expect(constant.derivative().coefficients == [0])
        let nanAt = constant.maxError(against: { $0 > 0.5 ? .nan : 2 }, gridPoints: 11)
        #expect(nanAt.error.isNaN && nanAt.at > 0.5)
    }

    @Test func geometricConvergenceOnMinus8To8() throws {
        // sigmoid: poles at ±iπ → in t = x/8 at ±iπ/8; Bernstein ellipse ρ = π/8 + √(1 + π²/64) ≈ 1.467
        let rho = Double.pi / 8 + (1 + Double.pi * Double.pi / 64).squareRoot()
        func err(_ f: @escaping (Double) -> Double, _ d: Int) throws -> Double {
            try ChebyshevSeries.interpolating(f, degree: d, lower: -8, upper: 8).maxError(against: f).error
        }
        let s20 = try err({ Sigmoid.value($0) }, 21), s40 = try err({ Sigmoid.value($0) }, 41)
        let observed = s20 / s40, predicted = pow(rho, 20)
        #expect(observed > predicted / 4 && observed < predicted * 4, "ratio \(observed) vs ρ^20 = \(predicted)")
        #expect(try err({ Sigmoid.value($0) }, 90) <= 1e-14)
        // entire functions converge faster than any geometric rate
        let e = [10, 20, 30, 40].map { try! err({ exp($0) }, $0) / exp(8.0) }
        for i in 1..<e.count { #expect(e[i] < e[i - 1] / 100 || e[i] <= 1e-14) }
        #expect(e[3] <= 1e-14)
        // GELU is entire but erf grows like e^{y²} off the real axis: slower at first, then faster than geometric
        let g = try [10, 20, 40, 60, 80].map { try err({ GELU.value($0) }, $0) }
        for i in 1..<g.count { #expect(g[i] < g[i - 1] / 10 || g[i] <= 1e-13) }
        #expect(g[4] <= 1e-13)
    }

    @Test func monomialFormMatchesClenshaw() throws {
        let t3 = try ChebyshevSeries(coefficients: [0, 0, 0, 1], lower: -1, upper: 1)
        #expect(t3.monomialCoefficients() == [0, -3, 0, 4])                   // T_3 = 4t³ − 3t
        var g = SeededGenerator(seed: 33)
        let c = (0..<14).map { _ in 2 * g.uniform() - 1 }
        let series = try ChebyshevSeries(coefficients: c, lower: 2, upper: 7)
        let m = series.monomialCoefficients()
        let amplification = series.monomialAmplification()
        #expect(amplification > 1)
        for _ in 0..<100 {
            let x = 2 + 5 * g.uniform()
            let t = series.scaled(x)
            let monomial = m.reversed().reduce(0) { $0 * t + $1 }
            #expect(abs(monomial - series(x)) <= 1e-15 * amplification * c.reduce(0) { $0 + abs($1) } * 10)
            #expect(abs(series.unscaled(t) - x) <= 1e-14)
        }
    }

    @Test func leastSquaresRecoversPolynomialsAndMatchesInterpolationOnChebyshevPoints() throws {
        var g = SeededGenerator(seed: 34)
        let x = (0..<300).map { _ in -4 + 8 * g.uniform() }
        let p = { (x: Double) in 0.3 - x + 0.2 * x * x * x }
        let w = (0..<300).map { _ in 0.1 + g.uniform() }
        let fit = try ChebyshevSeries.leastSquares(x: x, y: x.map(p), weights: w, degree: 5, lower: -4, upper: 4)
        #expect(fit.maxError(against: p).error <= 1e-12)
        // on d + 1 Chebyshev points with equal weights, least squares is the interpolant
        let pts = ChebyshevSeries.points(degree: 7, lower: -4, upper: 4)
        let ls = try ChebyshevSeries.leastSquares(x: pts, y: pts.map { exp($0 / 3) }, degree: 7, lower: -4, upper: 4)
        let ip = try ChebyshevSeries.interpolating({ exp($0 / 3) }, degree: 7, lower: -4, upper: 4)
        for k in 0...7 { #expect(abs(ls.coefficients[k] - ip.coefficients[k]) <= 1e-13) }
    }

    @Test func weightFloorKeepsDataWeightedFitsBoundedOnOutliers() throws {
        // pre-activations concentrated near 0 (sd ~1.5) with three rare outliers near the ends of [−25, 25]
        var g = SeededGenerator(seed: 35)
        var x = (0..<2000).map { _ in 1.5 * g.normal() }
        x += [-24.5, 23.0, 24.9]
        let f = { (x: Double) in Sigmoid.value(x) }
        let lower = -25.0, upper = 25.0
        let unconstrained = try ChebyshevSeries.leastSquares(x: x, y: x.map(f), degree: 14, lower: lower, upper: upper)
        let floored = try ChebyshevSeries.weightedFit(f, samples: x, degree: 14, lower: lower, upper: upper,
                                                      floor: 0.01)
        let uBound = unconstrained.maxError(against: f).error
        let fBound = floored.maxError(against: f).error
        // the floor bound: RMS error on the floor points ≤ √((1 + φ)/φ)·‖f − q‖∞ for the interpolant q
        let q = try ChebyshevSeries.interpolating(f, degree: 14, lower: lower, upper: upper)
        let qErr = q.maxError(against: f).error
        #expect(fBound <= 10 * (1.01 / 0.01).squareRoot() * qErr + 1e-12, "floored \(fBound), interpolant \(qErr)")
        #expect(fBound < uBound, "floor \(fBound) vs unconstrained \(uBound)")
        // and on the data (where the mass is) the floored fit stays accurate
        func rms(_ s: ChebyshevSeries) -> Double {
            (x.reduce(0) { $0 + (s($1) - f($1)) * (s($1) - f($1)) } / Double(x.count)).squareRoot()
        }
        // data weighting is the point: on the data the floored fit beats the uniform interpolant by far
        #expect(rms(floored) <= 0.05 && rms(floored) < rms(q) / 2, "floored \(rms(floored)), interpolant \(rms(q))")
        // without the floor the fit is excellent on the data and explodes between the outliers
        #expect(rms(unconstrained) < rms(floored) && uBound > 1e3)
        // ridge keeps a sample-only fit finite when the samples alone cannot determine the degree
        let few = [0.0, 0.5, 1.0]
        #expect(throws: ChebyshevError.self) {
            try ChebyshevSeries.leastSquares(x: few, y: few, degree: 6, lower: -1, upper: 1)
        }
        let ridged = try ChebyshevSeries.leastSquares(x: few, y: few, degree: 6, lower: -1, upper: 1, ridge: 1e-6)
        #expect(ridged.coefficients.allSatisfy { abs($0) < 10 })
    }

    @Test func invalidInputsThrow() throws {
        #expect(throws: ChebyshevError.invalidInterval(lower: 1, upper: 1)) {
            try ChebyshevSeries.interpolating({ $0 }, degree: 3, lower: 1, upper: 1)
        }
        #expect(throws: ChebyshevError.invalidDegree(-1)) {
            try ChebyshevSeries.interpolating({ $0 }, degree: -1, lower: 0, upper: 1)
        }
        #expect(throws: ChebyshevError.self) {
            try ChebyshevSeries.interpolating({ 1 / $0 }, degree: 2, lower: -1, upper: 1)   // fine: no node at 0
            _ = try ChebyshevSeries.interpolating({ _ in .nan }, degree: 2, lower: -1, upper: 1)
        }
        #expect(throws: ChebyshevError.sampleOutsideInterval(index: 1, value: 3, lower: 0, upper: 2)) {
            try ChebyshevSeries.leastSquares(x: [1, 3], y: [0, 0], degree: 0, lower: 0, upper: 2)
        }
        #expect(throws: ChebyshevError.negativeWeight(index: 0, value: -1)) {
            try ChebyshevSeries.leastSquares(x: [1, 1.5], y: [0, 0], weights: [-1, 1], degree: 0, lower: 0, upper: 2)
        }
        #expect(throws: ChebyshevError.lengthMismatch(what: "values y", expected: 2, found: 1)) {
            try ChebyshevSeries.leastSquares(x: [1, 1.5], y: [0], degree: 0, lower: 0, upper: 2)
        }
        #expect(throws: ChebyshevError.emptyCoefficients) { try ChebyshevSeries(coefficients: [], lower: 0, upper: 1) }
        #expect(ChebyshevError.invalidDegree(-1).description.contains("degree"))
    }
}
