// The mixed-radix transform of a length whose prime factors are all ≤ 13: a chain of Stockham passes that
// ping-pong between the caller's buffers and one scratch buffer of the same length.
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

    /// In-place forward transform of (re, im), using (wr, wi) (each `count` long) as scratch.
    func forward(_ re: UnsafeMutablePointer<T>, _ im: UnsafeMutablePointer<T>,
                 scratch wr: UnsafeMutablePointer<T>, _ wi: UnsafeMutablePointer<T>) {
        var inData = true   // where the current sequence lives: (re, im) or the scratch
        for pass in passes {
            if inData { pass.run(re, im, wr, wi) } else { pass.run(wr, wi, re, im) }
            inData.toggle()
        }
        if !inData {
            re.update(from: wr, count: count)
            im.update(from: wi, count: count)
        }
    }
}
