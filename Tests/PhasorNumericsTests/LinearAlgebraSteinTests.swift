// Stein equation X = A X A* + Q: residual, the Kronecker formulation solved by LU, the series Σ A^k Q A*^k, and the
// not-uniquely-solvable error.
import PhasorNumerics
import Testing

@Suite struct LinearAlgebraSteinTests {
    /// A random matrix scaled to Frobenius norm `target` (so its 2-norm and spectral radius are at most `target`).
    static func contractive(_ n: Int, seed: UInt64, target: Double) -> ComplexMatrix {
        let a = LinearAlgebraFixtures.random(n, n, seed: seed)
        return (target / a.frobeniusNorm) * a
    }

    @Test func residualIsSmall() throws {
        for (n, seed) in [(1, 1), (7, 2), (40, 3)] {
            // Spectral radius ≈ 0.95 but 2-norm > 1: a stable, non-normal A.
            var a = LinearAlgebraFixtures.random(n, n, seed: UInt64(seed))
            let rho = try a.eigen().values.reduce(0.0) { max($0, $1.length) }
            a = (0.95 / rho) * a
            let q = LinearAlgebraFixtures.random(n, n, seed: UInt64(seed + 100))
            let x = try ComplexMatrix.stein(a: a, q: q)
            let axa = LinearAlgebraFixtures.naiveProduct(LinearAlgebraFixtures.naiveProduct(a, x), a.adjoint)
            let residual = try (x - axa - q).frobeniusNorm
            let scale = q.frobeniusNorm + a.frobeniusNorm * a.frobeniusNorm * x.frobeniusNorm
            #expect(residual <= 1e-12 * scale)
        }
    }

    @Test func agreesWithKroneckerFormulation() throws {
        for n in 4...6 {
            let a = try ComplexMatrix(rows: n, columns: n, columnMajor: LinearAlgebraFixtures.random(n, n, seed: UInt64(n)).elements.map { $0 * Complex(0.25) })
            let q = LinearAlgebraFixtures.random(n, n, seed: UInt64(n + 50))
            // vec(A X A*) = (conj(A) ⊗ A) vec(X) (column-major vec), so (I − conj(A) ⊗ A) vec(X) = vec(Q).
            var k = ComplexMatrix.identity(n * n)
            for j in 0..<n { for l in 0..<n { for i in 0..<n { for r in 0..<n {
                k[i + j * n, r + l * n] -= a[j, l].conjugate * a[i, r]
            } } } }
            let vecX = try k.solve(q.elements)
            let x = try ComplexMatrix.stein(a: a, q: q)
            let ref = try ComplexMatrix(rows: n, columns: n, columnMajor: vecX)
            #expect(try (x - ref).frobeniusNorm <= 1e-12 * ref.frobeniusNorm)
        }
    }

    @Test func agreesWithSeriesForContractiveA() throws {
        let n = 6
        let a = Self.contractive(n, seed: 11, target: 0.5)
        let q = LinearAlgebraFixtures.random(n, n, seed: 12)
        // Σ_{k<60} A^k Q A*^k; the tail is below ‖Q‖·0.25^60.
        var sum = q, term = q
        for _ in 1..<60 {
            term = LinearAlgebraFixtures.naiveProduct(LinearAlgebraFixtures.naiveProduct(a, term), a.adjoint)
            sum = try sum + term
        }
        let x = try ComplexMatrix.stein(a: a, q: q)
        #expect(try (x - sum).frobeniusNorm <= 1e-13 * sum.frobeniusNorm)
    }

    @Test func hermitianPositiveQGivesHermitianPositiveX() throws {
        // Q = B B* + I > 0 ⇒ X = Σ A^k Q A*^k ≥ Q: Hermitian, with every eigenvalue ≥ λ_min(Q) ≥ 1.
        let n = 9
        let a = Self.contractive(n, seed: 41, target: 0.9)
        let b = LinearAlgebraFixtures.random(n, n, seed: 42)
        let q = try LinearAlgebraFixtures.naiveProduct(b, b.adjoint) + .identity(n)
        let x = try ComplexMatrix.stein(a: a, q: q)
        #expect(x == x.adjoint)
        for lambda in try x.eigen().values { #expect(lambda.real >= 1 - 1e-10) }
    }

    @Test func notUniquelySolvableIsATypedError() throws {
        // λ = 1 on the unit circle: λ conj(λ) = 1.
        do {
            _ = try ComplexMatrix.stein(a: .diagonal([1.0, 0.5]), q: .identity(2))
            Issue.record("expected steinNotSolvable")
        } catch let LinearAlgebraError.steinNotSolvable(li, lj, rho) {
            #expect((li * lj.conjugate - .one).length < 1e-14)
            #expect(rho == 1)
        }
        // λ = 2 and 0.5: 2·0.5 = 1, and A is not stable — the message says so.
        do {
            _ = try ComplexMatrix.stein(a: .diagonal([2.0, 0.5]), q: .identity(2))
            Issue.record("expected steinNotSolvable")
        } catch let error as LinearAlgebraError {
            #expect(error.description.contains("not stable"))
        }
        #expect(throws: LinearAlgebraError.self) { try ComplexMatrix.stein(a: .identity(2), q: .identity(3)) }
    }
}
