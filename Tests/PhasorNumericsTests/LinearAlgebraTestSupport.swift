// Shared helpers for the linear-algebra tests: seeded random matrices and naive reference products that do not use
// BLAS, so that identities are checked against an independent computation.
import PhasorNumerics

enum LinearAlgebraFixtures {
    /// An m×n matrix with independent standard complex normal entries.
    static func random(_ m: Int, _ n: Int, seed: UInt64, scale: Double = 1) -> ComplexMatrix {
        var g = SeededGenerator(seed: seed)
        var a = ComplexMatrix(rows: m, columns: n)
        for k in a.elements.indices { a.elements[k] = Complex(scale * g.normal(), scale * g.normal()) }
        return a
    }

    /// A random unitary matrix: the Schur vectors of a random matrix.
    static func unitary(_ n: Int, seed: UInt64) throws -> ComplexMatrix {
        try random(n, n, seed: seed).schur().u
    }

    /// C = A B by the textbook triple loop (no BLAS).
    static func naiveProduct(_ a: ComplexMatrix, _ b: ComplexMatrix) -> ComplexMatrix {
        var c = ComplexMatrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows {
            for j in 0..<b.columns {
                var s = Complex<Double>.zero
                for k in 0..<a.columns { s += a[i, k] * b[k, j] }
                c[i, j] = s
            }
        }
        return c
    }

    /// max |a_ij − b_ij| by loops.
    static func maxDifference(_ a: ComplexMatrix, _ b: ComplexMatrix) -> Double {
        var d = 0.0
        for k in a.elements.indices { d = max(d, (a.elements[k] - b.elements[k]).length) }
        return d
    }

    /// Q diag(d) Q* for unitary Q (a normal matrix with eigenvalues d), by loops.
    static func normal(_ q: ComplexMatrix, _ d: [Complex<Double>]) -> ComplexMatrix {
        naiveProduct(naiveProduct(q, .diagonal(d)), q.adjoint)
    }
}
