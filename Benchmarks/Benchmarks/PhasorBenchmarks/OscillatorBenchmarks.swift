import Benchmark
import PhasorNumerics
import PhasorOscillators

// Exact network solution (eigen route) vs adaptive DOP853 at equal accuracy (rtol 1e-10) for n = 8, 64, 256:
// dz/dt = J z, J = diag(iω − γ) + K, ω spread over [0.5, 3], γ in [0.1, 0.3], |K_ij| ≈ 0.3/√n, 21 output times on [0, T].

/// A seeded test network and initial state of size n.
private func oscillatorBenchmarkNetwork(_ n: Int) -> (OscillatorNetwork, [Complex<Double>])? {
    var g = SeededGenerator(seed: UInt64(n))
    let omega = (0..<n).map { 0.5 + 2.5 * Double($0) / Double(max(n - 1, 1)) }
    let gamma = (0..<n).map { _ in 0.1 + 0.2 * g.uniform() }
    var k = ComplexMatrix(rows: n, columns: n)
    let scale = 0.3 / Double(n).squareRoot()
    for j in 0..<n { for i in 0..<n where i != j { k[i, j] = Complex(g.normal(), g.normal()).multiplied(by: scale) } }
    let z0 = (0..<n).map { _ in Complex(g.normal(), g.normal()).multiplied(by: 1 / Double(n).squareRoot()) }
    guard let network = try? OscillatorNetwork(omega: omega, gamma: gamma, coupling: k) else { return nil }
    return (network, z0)
}

func oscillatorBenchmarks() {
    for n in [8, 64, 256] {
        for horizon in [20.0, 200.0] {
            let times = (0...20).map { horizon * Double($0) / 20 }
            Benchmark("network exact n=\(n) T=\(Int(horizon))") { benchmark in
                guard let (network, z0) = oscillatorBenchmarkNetwork(n) else { return }
                for _ in benchmark.scaledIterations {
                    blackHole(try? network.exactSolution(from: z0, times: times))
                }
            }
            Benchmark("network DOP853 rtol 1e-10 n=\(n) T=\(Int(horizon))") { benchmark in
                guard let (network, z0) = oscillatorBenchmarkNetwork(n) else { return }
                let tolerance = NumericTolerance(relative: 1e-10, absolute: 1e-12)
                for _ in benchmark.scaledIterations {
                    blackHole(try? network.numericSolution(from: z0, times: times, tolerance: tolerance))
                }
            }
        }
    }
}
