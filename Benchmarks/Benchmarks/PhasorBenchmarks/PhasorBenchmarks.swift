import Benchmark
import PhasorNumerics

// Each capability adds its benchmarks to this registry in its own file (FFTBenchmarks.swift, LinearAlgebra…).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(2))
    Benchmark("requireFinite 1e5") { benchmark in
        let values = [Double](repeating: 1.5, count: 100_000)
        for _ in benchmark.scaledIterations { try? requireFinite(values, "values") }
    }
    fftBenchmarks()
    linearAlgebraBenchmarks()
    oscillatorBenchmarks()
    s4dBenchmarks()
    mambaBenchmarks()
}
