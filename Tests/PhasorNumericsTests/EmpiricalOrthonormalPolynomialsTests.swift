// Empirical orthonormal polynomials: orthonormality against a Gram matrix computed independently (nodes and weights
// rebuilt here, polynomials evaluated by the public recurrence), exact reproduction of polynomials of degree ≤ k,
// nesting, agreement with the Householder-QR weighted fit of ChebyshevSeries (a different algorithm for the same
// least-squares problem), the Chebyshev form, and bad input.
import Foundation
import Testing
import PhasorNumerics

@Suite struct EmpiricalOrthonormalPolynomialsTests {
    /// Concentrated data with outliers, as a trained model's pre-activations: N(0.3, 0.5²) plus a few values at ±20.
    static func channelLikeSamples(_ count: Int, seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed)
        var x = (0..<count).map { _ in 0.3 + 0.5 * g.normal() }
        x += [-20, -11.5, 14, 19.5]
        return x
    }

    /// The measure of the header, rebuilt independently: (x_m, ω_m) with Σ ω = 1.
    static func measure(_ x: [Double], floor: Double, degree: Int, lower: Double, upper: Double) -> [(x: Double, w: Double)] {
        let m = max(2 * (degree + 1), 32)
        var nodes = x.map { ($0, 1 / Double(x.count) / (1 + floor)) }
        for j in 0..<m {
            let tau = cos(Double.pi * Double(2 * j + 1) / Double(2 * m))
            nodes.append(((upper - lower) * tau / 2 + (upper + lower) / 2, floor / (1 + floor) / Double(m)))
        }
        return nodes
    }

    @Test func orthonormalAgainstAnIndependentGramMatrixUpToDegree15() throws {
        let x = Self.channelLikeSamples(3000, seed: 41)
        let (lo, hi) = (x.min()!, x.max()!)
        for floor in [0.02, 0.002] {
            let basis = try EmpiricalOrthonormalPolynomials(samples: x, floor: floor, degree: 15, lower: lo, upper: hi)
            var gram = [[Double]](repeating: [Double](repeating: 0, count: 16), count: 16)
            for (xm, w) in Self.measure(x, floor: floor, degree: 15, lower: lo, upper: hi) {
                let p = basis.values(at: xm)
                for i in 0..<16 { for j in 0..<16 { gram[i][j] += w * p[i] * p[j] } }
            }
            var worst = 0.0
            for i in 0..<16 { for j in 0..<16 { worst = max(worst, abs(gram[i][j] - (i == j ? 1 : 0))) } }
            #expect(worst <= 1e-12, "floor \(floor): max |G − I| = \(worst)")
        }
    }

    @Test func reproducesPolynomialsOfDegreeAtMostKExactly() throws {
        var g = SeededGenerator(seed: 42)
        let x = Self.channelLikeSamples(2000, seed: 43)
        let (lo, hi) = (x.min()!, x.max()!)
        for k in [0, 1, 3, 7, 12] {
            let c = (0...k).map { _ in 2 * g.uniform() - 1 }
            let p = try ChebyshevSeries(coefficients: c, lower: lo, upper: hi)
            let fit = try EmpiricalOrthonormalPolynomials.fit({ p($0) }, samples: x, floor: 0.02, degree: 15, lower: lo, upper: hi)
            for j in (k + 1)...15 { #expect(abs(fit.coefficients[j]) <= 1e-12, "degree \(k): c_\(j) = \(fit.coefficients[j])") }
            for _ in 0..<50 {
                let at = lo + (hi - lo) * g.uniform()
                #expect(abs(fit(at, order: k) - p(at)) <= 1e-12 * max(1, abs(p(at))), "degree \(k) at \(at)")
            }
        }
    }

    @Test func fitsAreNestedAndEqualTheQRWeightedFitOfEachDegree() throws {
        let x = Self.channelLikeSamples(2000, seed: 44)
        let (lo, hi) = (x.min()!, x.max()!)
        let f = { (y: Double) in GELU.value(y) }
        let high = try EmpiricalOrthonormalPolynomials.fit(f, samples: x, floor: 0.02, degree: 15, lower: lo, upper: hi)
        let low = try EmpiricalOrthonormalPolynomials.fit(f, samples: x, floor: 0.02, degree: 6, lower: lo, upper: hi)
        for j in 0...6 { #expect(abs(high.coefficients[j] - low.coefficients[j]) <= 1e-13 * max(1, abs(high.coefficients[j]))) }
        var g = SeededGenerator(seed: 45)
        let probes = (0..<40).map { _ in lo + (hi - lo) * g.uniform() } + (0..<40).map { _ in 0.3 + 0.5 * g.normal() }
        for k in [1, 4, 9, 15] {
            // the same objective, solved by Householder QR in the Chebyshev basis (M = 32 floor points for k ≤ 15)
            let qr = try ChebyshevSeries.weightedFit(f, samples: x, degree: k, lower: lo, upper: hi, floor: 0.02)
            let scale = probes.map { abs(qr($0)) }.max()!
            for at in probes { #expect(abs(high(at, order: k) - qr(at)) <= 1e-10 * scale, "order \(k) at \(at)") }
            let cheb = high.chebyshevSeries(order: k)
            #expect(cheb.degree == k)
            for at in probes { #expect(abs(cheb(at) - high(at, order: k)) <= 1e-12 * scale) }
            for at in probes.prefix(10) { #expect(abs(high.partialSums(at)[k] - high(at, order: k)) <= 1e-13 * scale) }
        }
        // the fit improves with the order in the μ-norm (it is the best polynomial of each degree)
        let nodes = Self.measure(x, floor: 0.02, degree: 15, lower: lo, upper: hi)
        let errors = (0...15).map { k in nodes.reduce(0.0) { $0 + $1.w * pow(f($1.x) - high($1.x, order: k), 2) } }
        for k in 1...15 { #expect(errors[k] <= errors[k - 1] * (1 + 1e-12)) }
        #expect(errors[15] < 1e-2 * errors[1])
    }

    @Test func badInputIsAnError() throws {
        #expect(throws: ChebyshevError.invalidParameter(name: "floor", value: -1)) {
            try EmpiricalOrthonormalPolynomials(samples: [0.5], floor: -1, degree: 2, lower: 0, upper: 1)
        }
        #expect(throws: ChebyshevError.sampleOutsideInterval(index: 1, value: 2, lower: 0, upper: 1)) {
            try EmpiricalOrthonormalPolynomials(samples: [0.5, 2], floor: 0.1, degree: 2, lower: 0, upper: 1)
        }
        // three distinct samples and no floor cannot carry degree 3
        #expect(throws: ChebyshevError.underdetermined(samples: 3, coefficients: 4)) {
            try EmpiricalOrthonormalPolynomials(samples: [0.1, 0.5, 0.9, 0.5], floor: 0, degree: 3, lower: 0, upper: 1)
        }
        #expect(throws: ChebyshevError.invalidInterval(lower: 1, upper: 1)) {
            try EmpiricalOrthonormalPolynomials(samples: [1], floor: 0.1, degree: 1, lower: 1, upper: 1)
        }
        // the floor alone determines every degree up to M − 1
        let floorOnly = try EmpiricalOrthonormalPolynomials(samples: [], floor: 0.1, degree: 20, lower: -2, upper: 3)
        #expect(floorOnly.degree == 20)
    }
}
