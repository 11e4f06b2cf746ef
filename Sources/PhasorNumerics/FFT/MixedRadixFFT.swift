// The mixed-radix transform of a length whose prime factors are all ≤ 13: a chain of Stockham passes, each from one
// buffer pair into another (a Stockham pass cannot run in place).
// Forward: X[k] = Σ_j x[j] e^{−2πi jk/n} (unnormalised).

struct MixedRadixFFT<T: FFTScalar>: Sendable {
    let count: Int
    let passes: [StockhamPass<T>]

    /// nil if `count` has a prime factor the direct passes do not handle.
    init?(count n: Int) {
        guard let radices = FFTFactorization.radices(of: n) else { return nil }
        count = n
        var built: [StockhamPass<T>] = []
        var s = 1
        for r in radices {
            built.append(StockhamPass<T>(radix: r, stride: s, length: n / s))
            s *= r
        }
        passes = built
    }

    /// The number of `FFTScratch` buffers `forward` needs.
    static var scratchBuffers: Int { 4 }

    /// In-place forward transform of (re, im). `scratch` holds `scratchBuffers` buffers laid out by `FFTScratch`.
    /// The first pass reads the caller's buffers and the last writes them; the passes in between ping-pong between
    /// two aligned scratch pairs, so only two passes touch the caller's (possibly unaligned) memory.
    func forward(_ re: UnsafeMutablePointer<T>, _ im: UnsafeMutablePointer<T>, scratch: UnsafeMutablePointer<T>) {
        let st = FFTScratch.stride(count)
        let ar = scratch, ai = scratch + st, br = scratch + 2 * st, bi = scratch + 3 * st
        let last = passes.count - 1
        if last < 0 { return }
        passes[0].run(re, im, ar, ai)
        if last == 0 {
            re.update(from: ar, count: count)
            im.update(from: ai, count: count)
            return
        }
        var inA = true      // where the current sequence lives: pair A or pair B
        for k in 1..<last {
            if inA { passes[k].run(ar, ai, br, bi) } else { passes[k].run(br, bi, ar, ai) }
            inA.toggle()
        }
        if inA { passes[last].run(ar, ai, re, im) } else { passes[last].run(br, bi, re, im) }
    }
}
