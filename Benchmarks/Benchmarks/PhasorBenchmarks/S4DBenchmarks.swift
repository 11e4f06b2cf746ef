// One S4D block at the state-spaces example shapes (B 16, H 128, N 64, L 1024): the kernel alone, the forward pass,
// and forward + backward — the numbers `phasor bench s4d` prints, here under the benchmark harness.
import Benchmark
import PhasorModels
import PhasorNumerics

func s4dBenchmarks() {
    let batch = 16, channels = 128, state = 64, length = 1024
    func makeLayer() throws -> (S4DLayer, [Double], [Double]) {
        var g = SeededGenerator(seed: 1)
        let k = try S4DKernelParameters(channels: channels, state: state, initialisation: .lin, generator: &g)
        let layer = try S4DLayer(kernel: k, D: (0..<channels).map { _ in g.normal() },
                                 outputWeight: (0..<(2 * channels * channels)).map { _ in g.normal() / Double(channels).squareRoot() },
                                 outputBias: (0..<(2 * channels)).map { _ in 0.1 * g.normal() })
        let u = (0..<(batch * channels * length)).map { _ in g.normal() }
        let dOut = (0..<(batch * channels * length)).map { _ in g.normal() }
        return (layer, u, dOut)
    }
    let config = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal], maxDuration: .seconds(5), maxIterations: 20)
    Benchmark("S4D kernel H128 N64 L1024 f64", configuration: config) { benchmark in
        let (layer, _, _) = try makeLayer()
        for _ in benchmark.scaledIterations { blackHole(try layer.kernel(length: length)) }
    }
    Benchmark("S4D block forward B16 H128 N64 L1024 f64", configuration: config) { benchmark in
        let (layer, u, _) = try makeLayer()
        for _ in benchmark.scaledIterations { blackHole(try layer.forward(input: u, batch: batch, length: length)) }
    }
    Benchmark("S4D block forward+backward B16 H128 N64 L1024 f64", configuration: config) { benchmark in
        let (layer, u, dOut) = try makeLayer()
        for _ in benchmark.scaledIterations {
            blackHole(try layer.forwardAndBackward(input: u, batch: batch, length: length, outputGradient: dOut))
        }
    }
}
