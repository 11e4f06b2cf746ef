// ComplexMatrix construction, arithmetic and norms against loops and hand-computed values.
import PhasorNumerics
import Testing

@Suite struct LinearAlgebraMatrixTests {
    @Test func rowMajorConstructionAndSubscript() throws {
        let a = try ComplexMatrix(rows: 2, columns: 3, rowMajor: [1, 2, 3, 4, 5, 6].map { Complex($0) })
        #expect(a.elements.map(\.real) == [1, 4, 2, 5, 3, 6])  // column-major storage
        #expect(a[1, 2] == Complex(6))
        let b = try ComplexMatrix(real: [[1, 2, 3], [4, 5, 6]])
        #expect(a == b)
        #expect(throws: LinearAlgebraError.self) { try ComplexMatrix(real: [[1, 2], [3]]) }
        #expect(throws: LinearAlgebraError.self) { try ComplexMatrix(rows: 2, columns: 2, rowMajor: [.one]) }
    }

    @Test func productMatchesTripleLoop() throws {
        for (m, k, n) in [(1, 1, 1), (3, 5, 2), (17, 9, 13)] {
            let a = LinearAlgebraFixtures.random(m, k, seed: 1), b = LinearAlgebraFixtures.random(k, n, seed: 2)
            let c = try a * b
            #expect(LinearAlgebraFixtures.maxDifference(c, LinearAlgebraFixtures.naiveProduct(a, b)) < 1e-13)
            let ah = try a.adjoint.product(b.adjoint, adjointSelf: true, adjointOther: true)
            #expect(LinearAlgebraFixtures.maxDifference(ah, c) < 1e-13)
            let x = LinearAlgebraFixtures.random(k, 1, seed: 3)
            let y = try a * x.elements
            let yRef = LinearAlgebraFixtures.naiveProduct(a, x)
            for i in 0..<m { #expect((y[i] - yRef.elements[i]).length < 1e-13) }
        }
        #expect(throws: LinearAlgebraError.self) {
            try LinearAlgebraFixtures.random(2, 3, seed: 1) * LinearAlgebraFixtures.random(2, 3, seed: 1)
        }
    }

    @Test func sumsAdjointTransposeNorms() throws {
        let a = try ComplexMatrix([[Complex(1, 2), Complex(-3, 0)], [Complex(0, -4), Complex(2, 2)]])
        let b = ComplexMatrix.identity(2)
        #expect(try (a + b)[0, 0] == Complex(2, 2))
        #expect(try (a - b)[1, 1] == Complex(1, 2))
        #expect((Complex(0, 1) * a)[0, 1] == Complex(0, -3))
        #expect(a.adjoint[0, 1] == Complex(0, 4))
        #expect(a.transpose[0, 1] == Complex(0, -4))
        // one-norm: columns |1+2i| + |−4i| = √5 + 4, |−3| + |2+2i| = 3 + 2√2
        #expect(abs(a.oneNorm - max(5.0.squareRoot() + 4, 3 + 2 * 2.0.squareRoot())) < 1e-15)
        // Frobenius: √(5 + 9 + 16 + 8)
        #expect(abs(a.frobeniusNorm - 38.0.squareRoot()) < 1e-14)
        #expect(abs(a.maxAbs - 4) < 1e-15)
        #expect(a.isFinite)
        var bad = a
        bad[1, 0] = Complex(.nan, 0)
        #expect(!bad.isFinite)
        #expect(ComplexMatrix.diagonal([1.0, 2.0])[1, 1] == Complex(2))
        #expect(a.maxImaginaryMagnitude == 4)
        #expect(try ComplexMatrix(real: [[1, 2], [3, 4]]).realRows == [[1, 2], [3, 4]])
    }

    @Test func resizedElementsAreAnErrorNotAnOutOfBoundsRead() {
        var a = ComplexMatrix.identity(3)
        a.elements.removeLast()
        #expect(throws: LinearAlgebraError.self) { try a * ComplexMatrix.identity(3) }
        #expect(throws: LinearAlgebraError.self) { try a * [Complex<Double>](repeating: .one, count: 3) }
        #expect(throws: LinearAlgebraError.self) { try a + a }
        #expect(throws: LinearAlgebraError.self) { try a.eigen() }
        #expect(throws: LinearAlgebraError.self) { try a.svd() }
        #expect(throws: LinearAlgebraError.self) { try ComplexMatrix.identity(3).solve(a) }
        #expect(throws: LinearAlgebraError.self) { try a.exponential() }
    }

    @Test func blasThreadCountIsReadable() {
        // Only read (setting it is process-wide and would affect tests running in parallel).
        #expect(BLASThreads.count >= 1)
    }
}
