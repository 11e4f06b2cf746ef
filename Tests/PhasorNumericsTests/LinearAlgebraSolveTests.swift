// Linear solves, least squares and SVD against independent computations: known solutions, normal equations,
// minimum-norm formulas, and singular values as square roots of the eigenvalues of A*A.
import PhasorNumerics
import Testing

@Suite struct LinearAlgebraSolveTests {
    @Test func solveRecoversKnownSolution() throws {
        for (n, k) in [(1, 1), (7, 3), (50, 2)] {
            let a = LinearAlgebraFixtures.random(n, n, seed: UInt64(n))
            let x0 = LinearAlgebraFixtures.random(n, k, seed: 99)
            let b = LinearAlgebraFixtures.naiveProduct(a, x0)
            let x = try a.solve(b)
            let residual = try (LinearAlgebraFixtures.naiveProduct(a, x) - b).frobeniusNorm
            #expect(residual <= 1e-13 * a.frobeniusNorm * x.frobeniusNorm)
            #expect(try (x - x0).frobeniusNorm <= 1e-10 * x0.frobeniusNorm)
        }
    }

    @Test func singularMatrixIsATypedError() throws {
        let a = try ComplexMatrix(real: [[1, 2], [2, 4]])
        do {
            _ = try a.solve(.identity(2))
            Issue.record("expected a singular-matrix error")
        } catch let LinearAlgebraError.lapack(routine, info, meaning) {
            #expect(routine == "zgesv")
            #expect(info == 2)
            #expect(meaning.contains("singular"))
        }
        #expect(throws: LinearAlgebraError.self) { try a.solve(.identity(3)) }
        var bad = ComplexMatrix.identity(2)
        bad[0, 0] = Complex(.nan, 0)
        #expect(throws: LinearAlgebraError.self) { try a.solve(bad) }
    }

    @Test func leastSquaresOverdeterminedMatchesNormalEquations() throws {
        let a = LinearAlgebraFixtures.random(20, 5, seed: 3)
        let b = LinearAlgebraFixtures.random(20, 2, seed: 4)
        let ls = try a.leastSquares(b)
        #expect(ls.rank == 5)
        // (A*A) x = A* b, solved by LU.
        let normal = try LinearAlgebraFixtures.naiveProduct(a.adjoint, a).solve(LinearAlgebraFixtures.naiveProduct(a.adjoint, b))
        #expect(try (ls.solution - normal).frobeniusNorm <= 1e-12 * normal.frobeniusNorm)
    }

    @Test func leastSquaresUnderdeterminedIsMinimumNorm() throws {
        let a = LinearAlgebraFixtures.random(3, 6, seed: 5)
        let b = LinearAlgebraFixtures.random(3, 1, seed: 6)
        let ls = try a.leastSquares(b)
        // x = A* (A A*)⁻¹ b
        let y = try LinearAlgebraFixtures.naiveProduct(a, a.adjoint).solve(b)
        let minNorm = LinearAlgebraFixtures.naiveProduct(a.adjoint, y)
        #expect(try (ls.solution - minNorm).frobeniusNorm <= 1e-12 * minNorm.frobeniusNorm)
    }

    @Test func leastSquaresRankDeficient() throws {
        // A = B C has rank 2; the minimum-norm solution is A⁺ b with A⁺ = V Σ⁺ U* from the SVD (a different routine).
        let a = LinearAlgebraFixtures.naiveProduct(LinearAlgebraFixtures.random(6, 2, seed: 7), LinearAlgebraFixtures.random(2, 4, seed: 8))
        let b = LinearAlgebraFixtures.random(6, 1, seed: 9)
        let ls = try a.leastSquares(b, rcond: 1e-10)
        #expect(ls.rank == 2)
        let svd = try a.svd()
        var pinvB = ComplexMatrix(rows: 4, columns: 1)
        for k in 0..<2 {
            var coeff = Complex<Double>.zero  // (u_k* b)/σ_k
            for i in 0..<6 { coeff += svd.u[i, k].conjugate * b[i, 0] }
            coeff = coeff / Complex(svd.singularValues[k])
            for r in 0..<4 { pinvB[r, 0] += svd.vh[k, r].conjugate * coeff }
        }
        #expect(try (ls.solution - pinvB).frobeniusNorm <= 1e-10 * pinvB.frobeniusNorm)
    }

    @Test func svdReconstructsAndMatchesEigenvaluesOfGram() throws {
        for (m, n) in [(8, 5), (4, 9), (1, 1)] {
            let a = LinearAlgebraFixtures.random(m, n, seed: UInt64(m * 10 + n))
            let svd = try a.svd()
            let k = min(m, n)
            #expect(svd.u.rows == m && svd.u.columns == k && svd.vh.rows == k && svd.vh.columns == n)
            let sigma = ComplexMatrix.diagonal(svd.singularValues)
            let back = LinearAlgebraFixtures.naiveProduct(LinearAlgebraFixtures.naiveProduct(svd.u, sigma), svd.vh)
            #expect(try (back - a).frobeniusNorm <= 1e-13 * a.frobeniusNorm)
            #expect(try (LinearAlgebraFixtures.naiveProduct(svd.u.adjoint, svd.u) - .identity(k)).frobeniusNorm <= 1e-13)
            #expect(try (LinearAlgebraFixtures.naiveProduct(svd.vh, svd.vh.adjoint) - .identity(k)).frobeniusNorm <= 1e-13)
            // σ_i² are the k largest eigenvalues of the Hermitian Gram matrix A*A or A A*.
            let gram = m <= n ? LinearAlgebraFixtures.naiveProduct(a, a.adjoint) : LinearAlgebraFixtures.naiveProduct(a.adjoint, a)
            let ev = try gram.eigen().values.map(\.real).sorted(by: >)
            for i in 0..<k {
                #expect(abs(svd.singularValues[i] * svd.singularValues[i] - ev[i]) <= 1e-12 * ev[0])
            }
            #expect(try a.singularValues() == svd.singularValues || zip(try a.singularValues(), svd.singularValues).allSatisfy { abs($0 - $1) <= 1e-14 * svd.singularValues[0] })
        }
    }

    /// Shapes on which OpenBLAS 0.3.21's zgemv read past the end of the matrix inside zgesdd / zgelsd and crashed
    /// (SIGSEGV in most runs before the input was padded, LapackBridge.paddedForLapack). Checked: both SVD drivers
    /// agree, and the least-squares solution satisfies the normal equations A*(A x − b) = 0 (BLAS-free products).
    @Test func wideAndTallDecompositionsDoNotReadPastTheMatrix() throws {
        for (m, n) in [(100, 1000), (1000, 100), (150, 600)] {
            let a = LinearAlgebraFixtures.random(m, n, seed: UInt64(m + n))
            let values = try a.singularValues()
            let svd = try a.svd()
            #expect(zip(values, svd.singularValues).allSatisfy { abs($0 - $1) <= 1e-12 * values[0] })
            let b = LinearAlgebraFixtures.random(m, 1, seed: 1)
            let x = try a.leastSquares(b).solution
            let residual = try LinearAlgebraFixtures.naiveProduct(a, x) - b
            let normal = LinearAlgebraFixtures.naiveProduct(a.adjoint, residual)  // A*(A x − b)
            #expect(normal.frobeniusNorm <= 1e-10 * values[0] * values[0] * x.frobeniusNorm + 1e-10 * values[0] * b.frobeniusNorm)
        }
    }
}
