// Random stable LTI systems for the discretisation and oscillator-reading tests.
import PhasorCorrespondence
import PhasorNumerics

func randomMatrix(_ rows: Int, _ columns: Int, complex: Bool, _ g: inout SeededGenerator) -> ComplexMatrix {
    var m = ComplexMatrix(rows: rows, columns: columns)
    for j in 0..<columns { for i in 0..<rows { m[i, j] = Complex(g.normal(), complex ? g.normal() : 0) } }
    return m
}

/// A = G/√n − 1.5 I (eigenvalues near the disc |λ + 1.5| ≲ 1, so stable), B n×m, C p×n, D p×m.
func randomStableSystem(n: Int, m: Int, p: Int, complex: Bool, seed: UInt64) throws -> LTISystem {
    var g = SeededGenerator(seed: seed)
    let a = try (1 / Double(n).squareRoot()) * randomMatrix(n, n, complex: complex, &g) - 1.5 * ComplexMatrix.identity(n)
    return try LTISystem(a: a, b: randomMatrix(n, m, complex: complex, &g), c: randomMatrix(p, n, complex: complex, &g),
                         d: randomMatrix(p, m, complex: complex, &g), domain: .continuous)
}

func relativeDifference(_ x: ComplexMatrix, _ y: ComplexMatrix) throws -> Double {
    try (x - y).frobeniusNorm / max(y.frobeniusNorm, Double.leastNormalMagnitude)
}
