// GELU (erf form), sigmoid and softplus: values against independent references (erf by its Taylor series, known
// values, Φ's symmetry, the naive formulas where they are safe), derivatives against central differences, and
// stability far out in the tails, in Double and Float.
import Foundation
import Testing
import PhasorNumerics

@Suite struct SpecialFunctionTests {
    /// erf(x) = (2/√π) Σ_n (−1)^n x^{2n+1}/(n!(2n+1)), summed until the terms vanish (accurate for |x| ≤ 2).
    static func erfSeries(_ x: Double) -> Double {
        var term = x, sum = 0.0, n = 0
        while true {
            let add = term / Double(2 * n + 1)
            sum += add
            if abs(add) < 1e-18 * abs(sum) || n > 200 { break }
            n += 1
            term *= -x * x / Double(n)                 // (−1)^n x^{2n+1}/n!
        }
        return 2 / Double.pi.squareRoot() * sum
    }

    static let grid: [Double] = stride(from: -6.0, through: 6.0, by: 0.173).map { $0 }

    @Test func normalCDFMatchesErfSeriesAndKnownValues() {
        for x in stride(from: -2.8, through: 2.8, by: 0.05) {
            let reference = 0.5 * (1 + Self.erfSeries(x / 2.0.squareRoot()))
            #expect(abs(StandardNormal.cdf(x) - reference) <= 1e-14, "x=\(x)")
        }
        #expect(abs(StandardNormal.cdf(1.959963984540054) - 0.975) <= 1e-15)
        #expect(abs(2 * StandardNormal.cdf(1.0 * 2.0.squareRoot()) - 1 - 0.8427007929497148693) <= 1e-15) // erf(1)
        // tail: Φ(−10) = 7.619853024160526e-24 — relative accuracy, not absolute
        #expect(abs(StandardNormal.cdf(-10.0) / 7.619853024160526e-24 - 1) <= 1e-13)
        for x in Self.grid {   // symmetry Φ(−x) = 1 − Φ(x)
            #expect(abs(StandardNormal.cdf(-x) - (1 - StandardNormal.cdf(x))) <= 1e-15)
        }
        #expect(abs(StandardNormal.density(0.0) - 1 / (2 * Double.pi).squareRoot()) <= 1e-16)
    }

    @Test func geluValueAndDerivative() {
        for x in Self.grid {
            let reference = 0.5 * x * (1 + erf(x / 2.0.squareRoot()))     // Glibc erf, independent of erfc
            #expect(abs(GELU.value(x) - reference) <= 1e-14 * max(1, abs(x)), "x=\(x)")
            let h = 1e-5
            let fd = (GELU.value(x + h) - GELU.value(x - h)) / (2 * h)
            #expect(abs(GELU.derivative(x) - fd) <= 1e-9, "x=\(x)")
        }
        #expect(GELU.value(0.0) == 0)
        #expect(GELU.derivative(0.0) == 0.5)
        // tails: g(x) → x for x → ∞, → 0⁻ for x → −∞; never NaN
        #expect(GELU.value(40.0) == 40)
        #expect(GELU.value(-40.0) <= 0 && GELU.value(-40.0) > -1e-300)
        #expect(GELU.derivative(1e6) == 1 && GELU.derivative(-1e6) == 0)
        #expect(GELU.value(-Double.infinity) == 0 && GELU.value(Double.infinity) == .infinity)
        #expect(GELU.derivative(-Double.infinity) == 0 && GELU.derivative(Float.infinity) == 1)
        #expect(GELU.value(Double.nan).isNaN)
        #expect(abs(GELU.value(Float(1.5)) - Float(GELU.value(1.5))) <= 1e-6)
        #expect(abs(GELU.derivative(Float(-0.7)) - Float(GELU.derivative(-0.7))) <= 1e-6)
    }

    @Test func sigmoidValueAndDerivativeAreStable() {
        for x in Self.grid {
            let reference = 1 / (1 + exp(-x))                               // safe for |x| ≤ 6
            #expect(abs(Sigmoid.value(x) - reference) <= 2e-16)
            let h = 1e-5
            let fd = (Sigmoid.value(x + h) - Sigmoid.value(x - h)) / (2 * h)
            #expect(abs(Sigmoid.derivative(x) - fd) <= 1e-10, "x=\(x)")
            #expect(abs(Sigmoid.derivative(x) - reference * (1 - reference)) <= 3e-16)
        }
        #expect(Sigmoid.value(1000.0) == 1 && Sigmoid.value(-1000.0) == 0)
        #expect(Sigmoid.derivative(1000.0) == 0 && Sigmoid.derivative(-1000.0) == 0)
        // σ(−40) = e^{−40}/(1 + e^{−40}) keeps relative accuracy; σ'(40) = σ(40)σ(−40) too (1 − σ(40) would be 0)
        #expect(abs(Sigmoid.value(-40.0) / exp(-40.0) - 1) <= 1e-14)
        #expect(abs(Sigmoid.derivative(40.0) / exp(-40.0) - 1) <= 1e-14)
        #expect(Sigmoid.value(Float(-200)) == 0 && Sigmoid.value(Float(200)) == 1)
        #expect(Sigmoid.value(Double.nan).isNaN)
    }

    @Test func softplusValueAndDerivativeAreStable() {
        for x in Self.grid {
            let reference = log(1 + exp(x))                                // safe for |x| ≤ 6
            #expect(abs(Softplus.value(x) - reference) <= 1e-15 * max(1, reference) + 1e-16)
            let h = 1e-5
            let fd = (Softplus.value(x + h) - Softplus.value(x - h)) / (2 * h)
            #expect(abs(Softplus.derivative(x) - fd) <= 1e-10, "x=\(x)")
        }
        #expect(Softplus.value(1000.0) == 1000)
        #expect(abs(Softplus.value(-40.0) / exp(-40.0) - 1) <= 1e-14)       // log1p(e^{−40}) ≈ e^{−40}
        #expect(Softplus.value(-1000.0) == 0)
        #expect(abs(Softplus.value(0.0) - log(2.0)) <= 1e-16)
        #expect(Softplus.value(Float(100)) == 100)
    }
}
