// Power series of GELU and sigmoid about 0 against the functions themselves inside the radius, known
// coefficients, and the divergence of sigmoid's series beyond its radius π.
import Foundation
import Testing
import PhasorNumerics

@Suite struct SpecialTaylorTests {
    static func horner(_ c: [Double], _ y: Double) -> Double { c.reversed().reduce(0) { $0 * y + $1 } }

    @Test func geluSeriesMatchesTheFunctionForSmallArguments() {
        let c = GELU.taylorCoefficients(through: 40)
        #expect(c.count == 41)
        let s = 1 / (2 * Double.pi).squareRoot()
        #expect(c[0] == 0 && c[1] == 0.5 && c[3] == 0)
        #expect(abs(c[2] - s) <= 1e-17)
        #expect(abs(c[4] - (-s / 6)) <= 1e-17)          // k = 1: −1/(√(2π)·2·1·3)
        #expect(abs(c[6] - s / 40) <= 1e-17)            // k = 2: 1/(√(2π)·4·2·5)
        // alternating terms of size up to ~e^{y²/2}/√(2π) cancel: a few ulps times that at |y| = 2
        for y in stride(from: -2.0, through: 2.0, by: 0.1) {
            #expect(abs(Self.horner(c, y) - GELU.value(y)) <= 5e-14, "y=\(y)")
        }
        #expect(GELU.taylorCoefficients(through: -1).isEmpty)
        #expect(GELU.taylorCoefficients(through: 0) == [0])
    }

    @Test func sigmoidSeriesMatchesInsideRadiusAndDivergesOutside() {
        let c = Sigmoid.taylorCoefficients(through: 60)
        #expect(c[0] == 0.5 && c[1] == 0.25 && c[2] == 0)
        #expect(abs(c[3] + 1.0 / 48) <= 1e-17)
        #expect(abs(c[5] - 1.0 / 480) <= 1e-17)
        #expect(abs(c[7] + 17.0 / 80640) <= 1e-18)       // ½·(−17/315)·(1/2)^7
        for k in stride(from: 2, through: 60, by: 2) { #expect(abs(c[k]) <= 1e-18) }
        for y in stride(from: -1.5, through: 1.5, by: 0.1) {
            #expect(abs(Self.horner(c, y) - Sigmoid.value(y)) <= 1e-13, "y=\(y)")
        }
        // |c_n|^{1/n} → 1/π (radius π): the root test on odd n
        let root = pow(abs(c[59]), 1.0 / 59)
        #expect(abs(root * Sigmoid.radiusOfConvergence - 1) <= 0.05)
        // outside the radius the partial sums blow up
        let y = 4.0
        #expect(abs(Self.horner(c, y) - Sigmoid.value(y)) > 1)
    }
}
