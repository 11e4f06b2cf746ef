// Principal matrix logarithm: round trips with the exponential, closed forms (rotation, Jordan block), and the
// typed error for eigenvalues on the closed negative real axis.
import PhasorNumerics
import Testing

@Suite struct LinearAlgebraLogarithmTests {
    @Test func logOfExpIsIdentityInsideTheStrip() throws {
        // Random A with spectral radius ≈ 1.2 (eigenvalue imaginary parts well inside (−π, π)).
        let a = LinearAlgebraFixtures.random(8, 8, seed: 31, scale: 0.3)
        let back = try a.exponential().logarithm()
        #expect(try (back - a).frobeniusNorm / a.frobeniusNorm <= 1e-12)
        // Normal matrix with imaginary parts up to 3 (close to π) and sizeable real parts.
        let q = try LinearAlgebraFixtures.unitary(6, seed: 32)
        let d = [Complex(0.5, 3.0), Complex(-2, -2.9), Complex(1.5, 0), Complex(0, 1), Complex(-0.1, -0.2), Complex(3, 2)]
        let b = LinearAlgebraFixtures.normal(q, d)
        let backB = try b.exponential().logarithm()
        #expect(try (backB - b).frobeniusNorm / b.frobeniusNorm <= 1e-12)
    }

    @Test func expOfLogIsIdentity() throws {
        for (n, seed) in [(1, 1), (5, 2), (30, 3)] {
            let b = LinearAlgebraFixtures.random(n, n, seed: UInt64(seed))
            let back = try b.logarithm().exponential()
            #expect(try (back - b).frobeniusNorm / b.frobeniusNorm <= 1e-12)
        }
    }

    @Test func logOfRotation() throws {
        for theta in [0.1, 1.0, 3.0] {
            let r = try ComplexMatrix(real: [[Double.cos(theta), -Double.sin(theta)], [Double.sin(theta), Double.cos(theta)]])
            let expected = try ComplexMatrix(real: [[0, -theta], [theta, 0]])
            #expect(LinearAlgebraFixtures.maxDifference(try r.logarithm(), expected) <= 1e-13)
        }
    }

    @Test func logOfJordanBlock() throws {
        // log(λI + N) = log(λ) I + Σ_{k≥1} (−1)^{k+1} (N/λ)^k / k; (N^k)_{i,i+k} = 1.
        let n = 5
        let lambda = Complex(0.7, -0.4)
        var a = ComplexMatrix.diagonal([Complex<Double>](repeating: lambda, count: n))
        for i in 0..<(n - 1) { a[i, i + 1] = .one }
        let l = try a.logarithm()
        for k in 0..<n {
            let exact = k == 0 ? Complex.log(lambda) : Complex(k % 2 == 1 ? 1.0 / Double(k) : -1.0 / Double(k)) / Complex.pow(lambda, k)
            for i in 0..<(n - k) { #expect((l[i, i + k] - exact).length <= 1e-12 * max(1, exact.length)) }
        }
    }

    @Test func negativeOrZeroEigenvalueIsATypedError() throws {
        do {
            _ = try ComplexMatrix.diagonal([-1.0, 2.0]).logarithm()
            Issue.record("expected noPrincipalLogarithm")
        } catch let LinearAlgebraError.noPrincipalLogarithm(eigenvalue) {
            #expect(abs(eigenvalue.real + 1) < 1e-15)
        }
        #expect(throws: LinearAlgebraError.self) { try ComplexMatrix(real: [[1, 2], [2, 4]]).logarithm() }
        // A rotation by exactly π has eigenvalues −1 (twice).
        #expect(throws: LinearAlgebraError.self) { try ComplexMatrix(real: [[-1, 0], [0, -1]]).logarithm() }
    }
}
