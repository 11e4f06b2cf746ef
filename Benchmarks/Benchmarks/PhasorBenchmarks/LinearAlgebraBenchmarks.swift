// Dense complex linear algebra: the eigendecomposition (zgeevx with condition numbers) and the matrix exponential
// (Higham 2005 scaling and squaring) at sizes typical of a dense SSM state matrix; also the logarithm and the Stein
// solver, whose O(n³) triangular recurrences run in Swift rather than in LAPACK.
import Benchmark
import PhasorNumerics

/// A reproducible n×n matrix with standard complex normal entries scaled by `scale`.
private func benchmarkMatrix(_ n: Int, seed: UInt64, scale: Double) -> ComplexMatrix {
    var g = SeededGenerator(seed: seed)
    var a = ComplexMatrix(rows: n, columns: n)
    for k in a.elements.indices { a.elements[k] = Complex(scale * g.normal(), scale * g.normal()) }
    return a
}

func linearAlgebraBenchmarks() {
    Benchmark("eigen 256x256") { benchmark in
        let a = benchmarkMatrix(256, seed: 1, scale: 1)
        for _ in benchmark.scaledIterations { blackHole(try a.eigen()) }
    }
    Benchmark("expm 128x128") { benchmark in
        // ‖A‖₁ ≈ 128·0.1·1.25 ≈ 16: degree 13 with a few squarings, the common case.
        let a = benchmarkMatrix(128, seed: 2, scale: 0.1)
        for _ in benchmark.scaledIterations { blackHole(try a.exponential()) }
    }
    Benchmark("logm 128x128") { benchmark in
        let a = try benchmarkMatrix(128, seed: 3, scale: 0.05).exponential()
        for _ in benchmark.scaledIterations { blackHole(try a.logarithm()) }
    }
    Benchmark("stein 128x128") { benchmark in
        // Spectral radius ≈ 0.05·√(2·128) ≈ 0.8: stable.
        let a = benchmarkMatrix(128, seed: 4, scale: 0.05)
        let q = ComplexMatrix.identity(128)
        for _ in benchmark.scaledIterations { blackHole(try ComplexMatrix.stein(a: a, q: q)) }
    }
}
