// FFT throughput: the complex transform at 4096 points and the real transform at 2048 points (the size of S4D's
// convolution for L = 1024), in Double and Float, through the unsafe-buffer entry points used in hot loops.
import Benchmark
import PhasorNumerics

func fftBenchmarks() {
    func complexCase<T: FFTScalar>(_ name: String, _ type: T.Type, _ n: Int) {
        Benchmark(name) { benchmark in
            let plan = try FFTPlan<T>(count: n)
            var re = (0..<n).map { T($0 % 7) - 3 }, im = (0..<n).map { T($0 % 5) - 2 }
            benchmark.startMeasurement()                 // planning is not part of the transform
            for _ in benchmark.scaledIterations {
                re.withUnsafeMutableBufferPointer { r in
                    im.withUnsafeMutableBufferPointer { i in plan.forward(real: r, imag: i) }
                }
                blackHole(re[1])
            }
        }
    }
    func realCase<T: FFTScalar>(_ name: String, _ type: T.Type, _ n: Int) {
        Benchmark(name) { benchmark in
            let plan = try RealFFTPlan<T>(count: n)
            let x = (0..<n).map { T($0 % 7) - 3 }
            var re = [T](repeating: 0, count: n / 2 + 1), im = re
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                x.withUnsafeBufferPointer { xs in
                    re.withUnsafeMutableBufferPointer { r in
                        im.withUnsafeMutableBufferPointer { i in plan.forward(xs, real: r, imag: i) }
                    }
                }
                blackHole(re[1])
            }
        }
    }
    complexCase("FFT complex 4096 f64", Double.self, 4096)
    complexCase("FFT complex 4096 f32", Float.self, 4096)
    realCase("FFT real 2048 f64", Double.self, 2048)
    realCase("FFT real 2048 f32", Float.self, 2048)
}
