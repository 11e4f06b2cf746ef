// A Mamba-130m-sized language model (24 layers, d_model 768, d_inner 1536, d_state 16, vocab 50280, random weights):
// logits of 128 tokens in Float and Double — the numbers `phasor bench mamba` prints, here under the benchmark
// harness. The comparison with transformers on the same weights is Benchmarks/mamba_vs_transformers.py.
import Benchmark
import PhasorModels

/// Built on first use (a global is initialised lazily), so registering the benchmarks costs nothing.
let mamba130m = try! MambaLanguageModel(random: MambaConfiguration.mamba130m(), seed: 1)

func mambaBenchmarks() {
    let config = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal], maxDuration: .seconds(30), maxIterations: 10)
    let tokens = (0..<128).map { ($0 * 7919 + 13) % 50280 }
    for precision in [ComputePrecision.f32, .f64] {
        Benchmark("Mamba-130m-size forward L128 \(precision.rawValue)", configuration: config) { benchmark in
            let runner = MambaRunner(mamba130m, precision: precision)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try runner.logits(tokens: tokens, batch: 1, length: 128)) }
        }
    }
}
