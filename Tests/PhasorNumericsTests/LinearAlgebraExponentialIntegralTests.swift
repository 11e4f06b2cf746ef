// e^{tA} and ∫₀^t e^{sA} ds B by the block exponential, against A⁻¹(e^{tA} − I)B for invertible A and closed forms for
// singular A (zero matrix, undamped oscillator).
import PhasorNumerics
import Testing

@Suite struct LinearAlgebraExponentialIntegralTests {
    @Test func matchesInverseFormulaForInvertibleA() throws {
        let a = LinearAlgebraFixtures.random(7, 7, seed: 61, scale: 0.5)
        let b = LinearAlgebraFixtures.random(7, 3, seed: 62)
        let t = 0.3
        let (e, integral) = try a.exponentialWithIntegral(of: b, t: t)
        let eDirect = try (t * a).exponential()
        #expect(try (e - eDirect).frobeniusNorm <= 1e-13 * eDirect.frobeniusNorm)
        // A⁻¹(e^{tA} − I)B
        let ref = try a.solve(LinearAlgebraFixtures.naiveProduct(try eDirect - .identity(7), b))
        #expect(try (integral - ref).frobeniusNorm <= 1e-11 * ref.frobeniusNorm)
    }

    @Test func singularA() throws {
        // A = 0: e^{tA} = I, integral = t B.
        let b = LinearAlgebraFixtures.random(3, 2, seed: 63)
        let (e0, i0) = try ComplexMatrix(rows: 3, columns: 3).exponentialWithIntegral(of: b, t: 2.5)
        #expect(LinearAlgebraFixtures.maxDifference(e0, .identity(3)) < 1e-15)
        #expect(LinearAlgebraFixtures.maxDifference(i0, 2.5 * b) < 1e-14)
        // A = diag(iω, 0), B = (1, 1)ᵀ: integral = ((e^{iωt} − 1)/(iω), t).
        let omega = 3.0, t = 0.7
        let (_, i1) = try ComplexMatrix.diagonal([Complex(0, omega), .zero])
            .exponentialWithIntegral(of: ComplexMatrix(rows: 2, columns: 1, columnMajor: [.one, .one]), t: t)
        let exact = (Complex.exp(Complex(0, omega * t)) - .one) / Complex(0, omega)
        #expect((i1[0, 0] - exact).length < 1e-14)
        #expect((i1[1, 0] - Complex(t)).length < 1e-14)
        #expect(throws: LinearAlgebraError.self) { try ComplexMatrix.identity(2).exponentialWithIntegral(of: b, t: 1) }
        #expect(throws: LinearAlgebraError.self) { try ComplexMatrix.identity(3).exponentialWithIntegral(of: b, t: .nan) }
    }
}
