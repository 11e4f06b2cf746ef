// Matrix exponential against closed forms (diagonal, rotation generator, Jordan block), the group property
// e^A e^{−A} = I, and the eigen route Q e^D Q* for normal matrices at every Padé degree and with scaling.
import PhasorNumerics
import Testing

@Suite struct LinearAlgebraExponentialTests {
    @Test func diagonalIsExact() throws {
        let d: [Complex<Double>] = [Complex(0.5, 1), Complex(-2, 0), Complex(3, -7), Complex(0, 0.001)]
        let e = try ComplexMatrix.diagonal(d).exponential()
        for i in 0..<4 {
            let exact = Complex.exp(d[i])
            #expect((e[i, i] - exact).length <= 1e-14 * exact.length)
            for j in 0..<4 where j != i { #expect(e[i, j].length <= 1e-15 * exact.length) }
        }
    }

    @Test func rotationGenerator() throws {
        for theta in [0.01, 0.7, 2.5, 40.0] {
            let a = try ComplexMatrix(real: [[0, -theta], [theta, 0]])
            let e = try a.exponential()
            let r = try ComplexMatrix(real: [[Double.cos(theta), -Double.sin(theta)], [Double.sin(theta), Double.cos(theta)]])
            #expect(LinearAlgebraFixtures.maxDifference(e, r) < 1e-13 * max(1, theta))
        }
    }

    @Test func jordanBlock() throws {
        // A = λI + N (N the shift): e^A = e^λ Σ_k N^k/k!, i.e. (e^A)_{i,i+k} = e^λ/k!.
        let n = 6
        let lambda = Complex(-0.3, 1.2)
        for scale in [1.0, 5.0] {
            var a = ComplexMatrix.diagonal([Complex<Double>](repeating: Complex(scale) * lambda, count: n))
            for i in 0..<(n - 1) { a[i, i + 1] = Complex(scale) }
            let e = try a.exponential()
            let el = Complex.exp(Complex(scale) * lambda)
            var factorial = 1.0
            for k in 0..<n {
                if k > 0 { factorial *= Double(k) }
                for i in 0..<(n - k) {
                    let exact = el * Complex(Double.pow(scale, Double(k)) / factorial)
                    #expect((e[i, i + k] - exact).length <= 1e-13 * max(exact.length, el.length))
                }
                for i in (n - k)..<n where k > 0 { #expect(e[i, i - n + k].length < 1e-14) }
            }
        }
    }

    @Test func inverseIsExpOfNegative() throws {
        let a = LinearAlgebraFixtures.random(12, 12, seed: 9, scale: 0.4)
        let p = try a.exponential() * (-a).exponential()
        #expect(try (p - .identity(12)).frobeniusNorm < 1e-12)
    }

    @Test func agreesWithEigenRouteForNormalMatrices() throws {
        let n = 10
        let q = try LinearAlgebraFixtures.unitary(n, seed: 21)
        var g = SeededGenerator(seed: 4)
        let base = (0..<n).map { _ in Complex(g.normal(), g.normal()) }
        // Scales reach every Padé degree (3, 5, 7, 9) and degree 13 with and without squaring.
        for scale in [1e-3, 0.03, 0.2, 0.5, 1.0, 2.0, 6.0] {
            let d = base.map { $0 * Complex(scale) }
            let a = LinearAlgebraFixtures.normal(q, d)
            let e = try a.exponential()
            let ref = LinearAlgebraFixtures.normal(q, d.map { Complex.exp($0) })
            #expect(try (e - ref).frobeniusNorm / ref.frobeniusNorm < 1e-12)
        }
    }

    @Test func rejectsNonFinite() {
        var a = ComplexMatrix.identity(3)
        a[0, 2] = Complex(.nan, 0)
        #expect(throws: LinearAlgebraError.self) { try a.exponential() }
    }
}
