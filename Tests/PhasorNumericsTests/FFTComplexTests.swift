// The complex FFT against the direct O(n²) DFT: every length 1…512 in full, larger lengths (primes, powers, mixed)
// on sampled bins, the normalised inverse, Float at Float tolerance, errors and concurrent use of one plan.
import Testing
import PhasorNumerics

@Suite struct FFTComplexTests {
    @Test func everyLengthUpTo512MatchesDirectDFT() throws {
        var g = SeededGenerator(seed: 1)
        var worst = 0.0, worstN = 0
        for n in 1...512 {
            let xr = FFTReference.random(n, &g), xi = FFTReference.random(n, &g)
            let plan = try FFTPlan<Double>(count: n)
            var yr = xr, yi = xi
            try plan.forward(real: &yr, imag: &yi)
            let (rr, ri) = FFTReference.dft(xr, xi, bins: Array(0..<n))
            let e = FFTReference.relativeError(yr, yi, rr, ri)
            if e > worst { worst = e; worstN = n }
            // the normalised inverse returns the input
            try plan.inverse(real: &yr, imag: &yi)
            let back = FFTReference.relativeError(yr, yi, xr, xi)
            #expect(back <= 1e-13, "round trip n=\(n): \(back)")
        }
        #expect(worst <= 1e-13, "worst forward error \(worst) at n=\(worstN)")
    }

    @Test(arguments: [509, 1021, 2039, 4093, 4096, 4095, 3000, 2187, 3125, 1024 + 17, 2 * 1031, 13 * 11 * 7 * 4])
    func largeLengthsMatchDirectDFTOnSampledBins(n: Int) throws {
        var g = SeededGenerator(seed: UInt64(n) &* 7919)
        let xr = FFTReference.random(n, &g), xi = FFTReference.random(n, &g)
        let plan = try FFTPlan<Double>(count: n)
        var yr = xr, yi = xi
        try plan.forward(real: &yr, imag: &yi)
        let bins = FFTReference.sampleBins(n)
        let (rr, ri) = FFTReference.dft(xr, xi, bins: bins)
        let e = FFTReference.relativeError(bins.map { yr[$0] }, bins.map { yi[$0] }, rr, ri)
        #expect(e <= 1e-13, "n=\(n): \(e)")
        try plan.inverse(real: &yr, imag: &yi)
        let back = FFTReference.relativeError(yr, yi, xr, xi)
        #expect(back <= 1e-13, "round trip n=\(n): \(back)")
    }

    @Test func inverseMatchesDirectInverseDFT() throws {
        var g = SeededGenerator(seed: 5)
        for n in [1, 2, 3, 7, 16, 17, 60, 97, 128, 243, 250] {
            let xr = FFTReference.random(n, &g), xi = FFTReference.random(n, &g)
            var yr = xr, yi = xi
            try FFTPlan<Double>(count: n).inverse(real: &yr, imag: &yi)
            var (rr, ri) = FFTReference.dft(xr, xi, bins: Array(0..<n), sign: 1)
            rr = rr.map { $0 / Double(n) }; ri = ri.map { $0 / Double(n) }
            let e = FFTReference.relativeError(yr, yi, rr, ri)
            #expect(e <= 1e-13, "n=\(n): \(e)")
        }
    }

    @Test func floatMatchesDirectDFTAtFloatTolerance() throws {
        var g = SeededGenerator(seed: 9)
        for n in Array(1...64) + [100, 127, 128, 243, 509, 1000, 1021, 2048, 4093] {
            let xr = FFTReference.random(n, &g), xi = FFTReference.random(n, &g)
            let fr = xr.map { Float($0) }, fi = xi.map { Float($0) }
            var yr = fr, yi = fi
            let plan = try FFTPlan<Float>(count: n)
            try plan.forward(real: &yr, imag: &yi)
            let bins = n <= 128 ? Array(0..<n) : FFTReference.sampleBins(n)
            let (rr, ri) = FFTReference.dft(fr.map(Double.init), fi.map(Double.init), bins: bins)
            let e = FFTReference.relativeError(bins.map { Double(yr[$0]) }, bins.map { Double(yi[$0]) }, rr, ri)
            #expect(e <= 2e-6, "n=\(n): \(e)")
            try plan.inverse(real: &yr, imag: &yi)
            let back = FFTReference.relativeError(yr.map(Double.init), yi.map(Double.init),
                                                  fr.map(Double.init), fi.map(Double.init))
            #expect(back <= 2e-6, "round trip n=\(n): \(back)")
        }
    }

    @Test func unsafeVariantsAgreeWithArrayAPI() throws {
        var g = SeededGenerator(seed: 11)
        let n = 360
        let xr = FFTReference.random(n, &g), xi = FFTReference.random(n, &g)
        let plan = try FFTPlan<Double>(count: n)
        var ar = xr, ai = xi
        try plan.forward(real: &ar, imag: &ai)
        var br = xr, bi = xi
        br.withUnsafeMutableBufferPointer { r in bi.withUnsafeMutableBufferPointer { i in plan.forward(real: r, imag: i) } }
        #expect(ar == br && ai == bi)
        br.withUnsafeMutableBufferPointer { r in bi.withUnsafeMutableBufferPointer { i in plan.inverse(real: r, imag: i) } }
        #expect(FFTReference.relativeError(br, bi, xr, xi) <= 1e-13)
    }

    @Test func invalidLengthAndMismatchedArraysThrow() throws {
        #expect(throws: FFTError.invalidLength(0)) { try FFTPlan<Double>(count: 0) }
        #expect(throws: FFTError.invalidLength(-3)) { try FFTPlan<Float>(count: -3) }
        let plan = try FFTPlan<Double>(count: 8)
        var r = [Double](repeating: 0, count: 8), i = [Double](repeating: 0, count: 7)
        #expect(throws: FFTError.lengthMismatch(expected: 8, found: 7)) { try plan.forward(real: &r, imag: &i) }
        var r2 = [Double](repeating: 0, count: 9)
        #expect(throws: FFTError.lengthMismatch(expected: 8, found: 9)) { try plan.inverse(real: &r2, imag: &r) }
        #expect(FFTError.invalidLength(0).description.contains("at least 1"))
    }

    @Test func onePlanIsSafeFromConcurrentTasks() async throws {
        let n = 1021   // Bluestein: the path with the most scratch
        let plan = try FFTPlan<Double>(count: n)
        var g = SeededGenerator(seed: 3)
        let inputs = (0..<8).map { _ in (FFTReference.random(n, &g), FFTReference.random(n, &g)) }
        let serial = try inputs.map { x -> [Double] in
            var r = x.0, i = x.1
            try plan.forward(real: &r, imag: &i)
            return r + i
        }
        let parallel = try await withThrowingTaskGroup(of: (Int, [Double]).self) { group in
            for (t, x) in inputs.enumerated() {
                group.addTask {
                    var r = x.0, i = x.1
                    for _ in 0..<5 { r = x.0; i = x.1; try plan.forward(real: &r, imag: &i) }
                    return (t, r + i)
                }
            }
            var out = [[Double]](repeating: [], count: inputs.count)
            for try await (t, v) in group { out[t] = v }
            return out
        }
        #expect(parallel == serial)
    }
}
