// The real-input FFT against the direct DFT (bins 0…n/2, as numpy.fft.rfft) and its inverse (as numpy.fft.irfft),
// for even (packed half-length) and odd (full complex) lengths, Double and Float.
import Testing
import PhasorNumerics

@Suite struct FFTRealTests {
    static let lengths = Array(1...200) + [255, 256, 509, 1000, 2047, 2048, 4093, 4096]

    @Test func forwardMatchesDirectDFT() throws {
        var g = SeededGenerator(seed: 21)
        for n in Self.lengths {
            let x = FFTReference.random(n, &g)
            let plan = try RealFFTPlan<Double>(count: n)
            var yr: [Double] = [], yi: [Double] = []
            try plan.forward(x, real: &yr, imag: &yi)
            #expect(yr.count == n / 2 + 1 && yi.count == n / 2 + 1)
            let bins = n <= 256 ? Array(0...(n / 2)) : FFTReference.sampleBins(n / 2 + 1) + [n / 2]
            let (rr, ri) = FFTReference.dft(x, [Double](repeating: 0, count: n), bins: bins)
            let e = FFTReference.relativeError(bins.map { yr[$0] }, bins.map { yi[$0] }, rr, ri)
            #expect(e <= 1e-13, "n=\(n): \(e)")
        }
    }

    @Test func inverseReturnsTheSignalAndMatchesDirectInverse() throws {
        var g = SeededGenerator(seed: 22)
        for n in Self.lengths {
            let x = FFTReference.random(n, &g)
            let plan = try RealFFTPlan<Double>(count: n)
            var yr: [Double] = [], yi: [Double] = []
            try plan.forward(x, real: &yr, imag: &yi)
            var back: [Double] = []
            try plan.inverse(real: yr, imag: yi, output: &back)
            let zeros = [Double](repeating: 0, count: n)
            #expect(FFTReference.relativeError(back, zeros, x, zeros) <= 1e-13, "n=\(n)")
        }
        // An arbitrary half spectrum: irfft = (1/n)·Re Σ over the Hermitian extension, Im X_0 (and Im X_{n/2}) ignored.
        for n in [1, 2, 5, 8, 9, 30, 31, 64] {
            let b = n / 2 + 1
            let sr = FFTReference.random(b, &g), si = FFTReference.random(b, &g)
            var fr = [Double](repeating: 0, count: n), fi = fr
            for k in 0..<n {
                let kk = k < b ? k : n - k
                fr[k] = sr[kk]
                fi[k] = k == 0 || (n % 2 == 0 && k == n / 2) ? 0 : (k < b ? si[kk] : -si[kk])
            }
            let (rr, _) = FFTReference.dft(fr, fi, bins: Array(0..<n), sign: 1)
            var out: [Double] = []
            try RealFFTPlan<Double>(count: n).inverse(real: sr, imag: si, output: &out)
            let zeros = [Double](repeating: 0, count: n)
            let e = FFTReference.relativeError(out, zeros, rr.map { $0 / Double(n) }, zeros)
            #expect(e <= 1e-13, "n=\(n): \(e)")
        }
    }

    @Test func floatAtFloatTolerance() throws {
        var g = SeededGenerator(seed: 23)
        for n in [1, 2, 3, 4, 7, 10, 33, 64, 100, 101, 2048, 2047] {
            let x = FFTReference.random(n, &g).map { Float($0) }
            let plan = try RealFFTPlan<Float>(count: n)
            var yr: [Float] = [], yi: [Float] = []
            try plan.forward(x, real: &yr, imag: &yi)
            let bins = n <= 128 ? Array(0...(n / 2)) : FFTReference.sampleBins(n / 2 + 1)
            let (rr, ri) = FFTReference.dft(x.map(Double.init), [Double](repeating: 0, count: n), bins: bins)
            let e = FFTReference.relativeError(bins.map { Double(yr[$0]) }, bins.map { Double(yi[$0]) }, rr, ri)
            #expect(e <= 2e-6, "n=\(n): \(e)")
            var back: [Float] = []
            try plan.inverse(real: yr, imag: yi, output: &back)
            let zeros = [Double](repeating: 0, count: n)
            #expect(FFTReference.relativeError(back.map(Double.init), zeros, x.map(Double.init), zeros) <= 2e-6)
        }
    }

    @Test func lengthErrorsThrow() throws {
        #expect(throws: FFTError.invalidLength(0)) { try RealFFTPlan<Double>(count: 0) }
        let plan = try RealFFTPlan<Double>(count: 10)
        var r: [Double] = [], i: [Double] = []
        #expect(throws: FFTError.lengthMismatch(expected: 10, found: 9)) {
            try plan.forward([Double](repeating: 0, count: 9), real: &r, imag: &i)
        }
        var out: [Double] = []
        #expect(throws: FFTError.lengthMismatch(expected: 6, found: 5)) {
            try plan.inverse(real: [Double](repeating: 0, count: 5), imag: [Double](repeating: 0, count: 6), output: &out)
        }
    }
}
