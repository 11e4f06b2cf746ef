// Eigendecomposition and Schur form: residuals, biorthogonality, and condition numbers against independent
// computations (V⁻¹ by LU, closed-form 2×2 singular values).
import PhasorNumerics
import Testing

@Suite struct LinearAlgebraEigenTests {
    @Test func eigenResidualsAndLeftVectors() throws {
        for (n, seed) in [(1, 5), (6, 7), (40, 11)] {
            let a = LinearAlgebraFixtures.random(n, n, seed: UInt64(seed))
            let e = try a.eigen()
            let lam = ComplexMatrix.diagonal(e.values)
            let av = LinearAlgebraFixtures.naiveProduct(a, e.right)
            let vl = LinearAlgebraFixtures.naiveProduct(e.right, lam)
            #expect(try (av - vl).frobeniusNorm / a.frobeniusNorm <= 1e-12)
            let wa = LinearAlgebraFixtures.naiveProduct(e.left.adjoint, a)
            let lw = LinearAlgebraFixtures.naiveProduct(lam, e.left.adjoint)
            #expect(try (wa - lw).frobeniusNorm / (a.frobeniusNorm * e.left.frobeniusNorm) <= 1e-12)
            // W* V = I (biorthonormal), and unit right vectors.
            let wv = LinearAlgebraFixtures.naiveProduct(e.left.adjoint, e.right)
            #expect(LinearAlgebraFixtures.maxDifference(wv, .identity(n)) < 1e-10)
            for j in 0..<n {
                let len = e.right.column(j).reduce(0.0) { $0 + $1.lengthSquared }.squareRoot()
                #expect(abs(len - 1) < 1e-13)
            }
            // κ(λ_i) = ‖e_iᵀ V⁻¹‖·‖v_i‖ with V⁻¹ from LU (independent of zgeevx's rconde).
            let vinv = try e.right.inverse()
            for i in 0..<n {
                var row = 0.0
                for j in 0..<n { row += vinv[i, j].lengthSquared }
                let kappa = row.squareRoot()
                #expect(abs(e.valueConditionNumbers[i] - kappa) <= 1e-8 * kappa)
            }
        }
    }

    @Test func normalMatrixIsPerfectlyConditioned() throws {
        let q = try LinearAlgebraFixtures.unitary(8, seed: 3)
        let d = (0..<8).map { Complex(Double($0) - 3.5, 0.3 * Double($0)) }
        let e = try LinearAlgebraFixtures.normal(q, d).eigen(vectorSensitivities: true)
        for k in e.valueConditionNumbers { #expect(abs(k - 1) < 1e-12) }
        // Well-separated eigenvalues of a normal matrix: rcondv_i = min_{j≠i} |λ_i − λ_j| (the separation).
        let rcondv = try #require(e.vectorReciprocalConditions)
        for i in 0..<8 {
            let gap = e.values.indices.filter { $0 != i }.map { (e.values[$0] - e.values[i]).length }.min() ?? 0
            #expect(abs(rcondv[i] - gap) <= 1e-10 * gap)
        }
        #expect(abs(e.vectorConditionNumber - 1) < 1e-12)
    }

    @Test func nearlyDefectiveMatrixIsIllConditioned() throws {
        // A = [[1, 1], [0, 1 + δ]]: eigenvalues 1, 1 + δ; v_1 = e_1, v_2 ∝ (1, δ); w_1 ∝ (δ, −1), w_2 = e_2.
        // κ(λ) = 1/|ŵ* v| = √(1 + δ²)/δ for both; V = [[1, 1/√(1+δ²)], [0, δ/√(1+δ²)]].
        let delta = 1e-9
        let a = try ComplexMatrix(real: [[1, 1], [0, 1 + delta]])
        let e = try a.eigen()
        let expected = (1 + delta * delta).squareRoot() / delta
        for k in e.valueConditionNumbers { #expect(abs(k - expected) <= 1e-6 * expected) }
        // κ(V) from the closed-form singular values of a 2×2: σ² are the eigenvalues of V*V.
        let v = e.right
        let g00 = v.column(0).reduce(0.0) { $0 + $1.lengthSquared }
        let g11 = v.column(1).reduce(0.0) { $0 + $1.lengthSquared }
        // σ_max²σ_min² = det(V*V) = |det V|², σ_max² + σ_min² = tr; κ = σ_max/σ_min = (tr + √(tr² − 4det))/(2√det)
        let det = (v[0, 0] * v[1, 1] - v[0, 1] * v[1, 0]).lengthSquared
        let tr = g00 + g11
        let kappaV = (tr + (tr * tr - 4 * det).squareRoot()) / (2 * det.squareRoot())
        #expect(e.vectorConditionNumber > 1e8)
        #expect(abs(e.vectorConditionNumber - kappaV) <= 1e-6 * kappaV)
    }

    @Test func exactJordanBlockReportsInfiniteOrHugeConditioning() throws {
        // [[1, 1], [0, 1]] is defective: V is (numerically) singular and ŵ* v = 0, so both κ's blow up.
        let e = try ComplexMatrix(real: [[1, 1], [0, 1]]).eigen()
        #expect(e.vectorConditionNumber > 1e12)
        for k in e.valueConditionNumbers { #expect(k > 1e12) }
        for v in e.values { #expect((v - .one).length < 1e-7) }
    }

    @Test func schurFactorisation() throws {
        for (n, seed) in [(1, 2), (5, 3), (30, 4)] {
            let a = LinearAlgebraFixtures.random(n, n, seed: UInt64(seed))
            let s = try a.schur()
            let back = LinearAlgebraFixtures.naiveProduct(LinearAlgebraFixtures.naiveProduct(s.u, s.t), s.u.adjoint)
            #expect(try (a - back).frobeniusNorm / a.frobeniusNorm <= 1e-12)
            let uu = LinearAlgebraFixtures.naiveProduct(s.u.adjoint, s.u)
            #expect(try (uu - .identity(n)).frobeniusNorm <= 1e-12)
            for j in 0..<n { for i in (j + 1)..<n { #expect(s.t[i, j] == .zero) } }
            #expect(s.t.diagonalElements == s.eigenvalues)
        }
    }

    @Test func rejectsBadInput() throws {
        var a = LinearAlgebraFixtures.random(3, 3, seed: 1)
        a[2, 1] = Complex(.infinity, 0)
        #expect(throws: LinearAlgebraError.self) { try a.eigen() }
        #expect(throws: LinearAlgebraError.self) { try a.schur() }
        #expect(throws: LinearAlgebraError.notSquare(rows: 2, columns: 3, operation: "eigen")) {
            try LinearAlgebraFixtures.random(2, 3, seed: 1).eigen()
        }
        #expect(throws: LinearAlgebraError.empty(operation: "eigen")) { try ComplexMatrix(rows: 0, columns: 0).eigen() }
    }
}
