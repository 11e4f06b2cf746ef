// Causal convolution of (B, H, L) signals with per-channel kernels (H, L), and its two adjoints. Every use in the
// models goes through this one type, so the algorithm is chosen in one place: real FFTs of size n ≥ 2L − 1
// (zero-padded, so the circular convolution has no wrap-around in the first L outputs); the direct O(L²) sums stay
// as the test reference.
//
//   y[b,h,l]  = Σ_{j=0}^{l} K[h,j]·u[b,h,l−j]                 ŷ = û·K̂
//   ∂L/∂u[b,h,m] = Σ_{l=m}^{L−1} g[b,h,l]·K[h,l−m]          (correlation of g with K:  ĝ·conj K̂)
//   ∂L/∂K[h,j]   = Σ_b Σ_{l=j}^{L−1} g[b,h,l]·u[b,h,l−j]    (correlation of g with u:  Σ_b ĝ_b·conj û_b)
// Work is split over channels h; each channel sums over the batch in order, so results do not depend on threads.
import PhasorNumerics

enum CausalConvolution {
    /// y = K * u (causal), shape (B, H, L).
    static func forward<T: BlockScalar>(kernel: [T], input: [T], batch: Int, channels: Int, length: Int) -> [T] {
        if length < 32 { return direct(kernel: kernel, input: input, batch: batch, channels: channels, length: length) }
        return SpectralConvolution<T>(length: length).forward(kernel: kernel, input: input, batch: batch, channels: channels)
    }

    /// ∂L/∂u given g = ∂L/∂y.
    static func inputGradient(kernel: [Double], outputGradient: [Double], batch: Int, channels: Int, length: Int) -> [Double] {
        if length < 32 { return directInputGradient(kernel: kernel, outputGradient: outputGradient, batch: batch, channels: channels, length: length) }
        return SpectralConvolution<Double>(length: length).backward(kernel: kernel, input: nil, outputGradient: outputGradient,
                                                            batch: batch, channels: channels).input
    }

    /// ∂L/∂K given g = ∂L/∂y and the input u, summed over the batch; shape (H, L).
    static func kernelGradient(input: [Double], outputGradient: [Double], batch: Int, channels: Int, length: Int) -> [Double] {
        if length < 32 { return directKernelGradient(input: input, outputGradient: outputGradient, batch: batch, channels: channels, length: length) }
        let zero = [Double](repeating: 0, count: channels * length)
        return SpectralConvolution<Double>(length: length).backward(kernel: zero, input: input, outputGradient: outputGradient,
                                                            batch: batch, channels: channels).kernel
    }

    /// Both adjoints in one pass (the FFT of g is shared).
    static func backward<T: BlockScalar>(kernel: [T], input: [T], outputGradient: [T], batch: Int, channels: Int, length: Int)
        -> (input: [T], kernel: [T]) {
        if length < 32 {
            return (directInputGradient(kernel: kernel, outputGradient: outputGradient, batch: batch, channels: channels, length: length),
                    directKernelGradient(input: input, outputGradient: outputGradient, batch: batch, channels: channels, length: length))
        }
        return SpectralConvolution<T>(length: length).backward(kernel: kernel, input: input, outputGradient: outputGradient,
                                                               batch: batch, channels: channels)
    }

    /// The FFT size for length L: the smallest 2^a·3^b·5^c ≥ 2L − 1 that is even.
    static func fftSize(length: Int) -> Int {
        var n = max(2 * length - 1, 2)
        while true {
            var m = n
            for p in [2, 3, 5] { while m % p == 0 { m /= p } }
            if m == 1 && n % 2 == 0 { return n }
            n += 1
        }
    }

    // MARK: direct O(L²) sums (reference)

    static func direct<T: BlockScalar>(kernel: [T], input: [T], batch: Int, channels: Int, length: Int) -> [T] {
        var y = [T](repeating: 0, count: batch * channels * length)
        let L = length, H = channels
        kernel.withUnsafeBufferPointer { kb in input.withUnsafeBufferPointer { ub in y.withUnsafeMutableBufferPointer { yb in
            let k = SharedReadPointer(kb.baseAddress!), u = SharedReadPointer(ub.baseAddress!), out = SharedPointer(yb.baseAddress!)
            parallelFor(batch * H) { row in
                let kr = k.base + (row % H) * L, ur = u.base + row * L, yr = out.base + row * L
                for j in 0..<L {                       // y[l] += K[j]·u[l−j] for l ≥ j
                    let kj = kr[j]
                    for l in j..<L { yr[l] += kj * ur[l - j] }
                }
            }
        } } }
        return y
    }

    static func directInputGradient<T: BlockScalar>(kernel: [T], outputGradient: [T], batch: Int, channels: Int, length: Int) -> [T] {
        var du = [T](repeating: 0, count: batch * channels * length)
        let L = length, H = channels
        kernel.withUnsafeBufferPointer { kb in outputGradient.withUnsafeBufferPointer { gb in du.withUnsafeMutableBufferPointer { db in
            let k = SharedReadPointer(kb.baseAddress!), g = SharedReadPointer(gb.baseAddress!), out = SharedPointer(db.baseAddress!)
            parallelFor(batch * H) { row in
                let kr = k.base + (row % H) * L, gr = g.base + row * L, dr = out.base + row * L
                for j in 0..<L {                       // du[m] += K[j]·g[m+j] for m + j < L
                    let kj = kr[j]
                    for m in 0..<(L - j) { dr[m] += kj * gr[m + j] }
                }
            }
        } } }
        return du
    }

    static func directKernelGradient<T: BlockScalar>(input: [T], outputGradient: [T], batch: Int, channels: Int, length: Int) -> [T] {
        var dk = [T](repeating: 0, count: channels * length)
        let L = length, H = channels
        input.withUnsafeBufferPointer { ub in outputGradient.withUnsafeBufferPointer { gb in dk.withUnsafeMutableBufferPointer { db in
            let u = SharedReadPointer(ub.baseAddress!), g = SharedReadPointer(gb.baseAddress!), out = SharedPointer(db.baseAddress!)
            parallelFor(H) { h in
                let dr = out.base + h * L
                for b in 0..<batch {
                    let ur = u.base + (b * H + h) * L, gr = g.base + (b * H + h) * L
                    for j in 0..<L {                   // dK[j] += Σ_l g[l]·u[l−j]
                        var s: T = 0
                        for l in j..<L { s += gr[l] * ur[l - j] }
                        dr[j] += s
                    }
                }
            }
        } } }
        return dk
    }
}

/// Heap scratch for one worker (large FFT work areas do not belong on a worker thread's stack).
@inline(__always)
func withScratch<T>(_ count: Int, _ type: T.Type, _ body: (UnsafeMutablePointer<T>) -> Void) {
    let p = UnsafeMutablePointer<T>.allocate(capacity: count)
    defer { p.deallocate() }
    body(p)
}

/// The FFT path of `CausalConvolution` for one length L.
struct SpectralConvolution<T: BlockScalar> {
    let length: Int
    let size: Int
    let plan: RealFFTPlan<T>

    init(length: Int) {
        self.length = length
        size = CausalConvolution.fftSize(length: length)
        plan = try! RealFFTPlan<T>(count: size)        // size ≥ 2 is always a valid length
    }

    /// Zero-padded real FFT of `count` values at `src` into (re, im) using `pad` (size n) as scratch.
    @inline(__always)
    func transform(_ src: UnsafePointer<T>, _ pad: UnsafeMutablePointer<T>, _ re: UnsafeMutablePointer<T>, _ im: UnsafeMutablePointer<T>) {
        pad.update(from: src, count: length)
        (pad + length).update(repeating: 0, count: size - length)
        let bins = size / 2 + 1
        plan.forward(UnsafeBufferPointer(start: pad, count: size), real: UnsafeMutableBufferPointer(start: re, count: bins),
                     imag: UnsafeMutableBufferPointer(start: im, count: bins))
    }

    @inline(__always)
    func inverse(_ re: UnsafeMutablePointer<T>, _ im: UnsafeMutablePointer<T>, _ pad: UnsafeMutablePointer<T>) {
        let bins = size / 2 + 1
        plan.inverse(real: UnsafeBufferPointer(start: re, count: bins), imag: UnsafeBufferPointer(start: im, count: bins),
                     output: UnsafeMutableBufferPointer(start: pad, count: size))
    }

    func forward(kernel: [T], input: [T], batch: Int, channels H: Int) -> [T] {
        let L = length, n = size, bins = n / 2 + 1
        var y: [T] = uninitializedArray(count: batch * H * L)      // every row written below
        kernel.withUnsafeBufferPointer { kb in input.withUnsafeBufferPointer { ub in y.withUnsafeMutableBufferPointer { yb in
            let k = SharedReadPointer(kb.baseAddress!), u = SharedReadPointer(ub.baseAddress!), out = SharedPointer(yb.baseAddress!)
            parallelFor(H) { h in
                withScratch(n + 4 * bins, T.self) { scratch in
                    let pad = scratch, kr = pad + n, ki = kr + bins, xr = ki + bins, xi = xr + bins
                    transform(k.base + h * L, pad, kr, ki)                                 // K̂
                    for b in 0..<batch {
                        let row = (b * H + h) * L
                        transform(u.base + row, pad, xr, xi)                               // û
                        for f in 0..<bins {                                                // ŷ = û·K̂
                            let a = xr[f], c = xi[f]
                            xr[f] = a * kr[f] - c * ki[f]
                            xi[f] = a * ki[f] + c * kr[f]
                        }
                        inverse(xr, xi, pad)
                        (out.base + row).update(from: pad, count: L)
                    }
                }
            }
        } } }
        return y
    }

    /// ∂L/∂u = IFFT(ĝ·conj K̂)[0..<L] and, when `input` is given, ∂L/∂K = IFFT(Σ_b ĝ_b·conj û_b)[0..<L].
    func backward(kernel: [T], input: [T]?, outputGradient: [T], batch: Int, channels H: Int) -> (input: [T], kernel: [T]) {
        let L = length, n = size, bins = n / 2 + 1
        var du: [T] = uninitializedArray(count: batch * H * L)     // every row written below
        var dk = [T](repeating: 0, count: H * L)
        let uArray = input ?? []
        let withKernel = input != nil
        kernel.withUnsafeBufferPointer { kb in uArray.withUnsafeBufferPointer { ub in outputGradient.withUnsafeBufferPointer { gb in
            du.withUnsafeMutableBufferPointer { db in dk.withUnsafeMutableBufferPointer { dkb in
                let k = SharedReadPointer(kb.baseAddress!), g = SharedReadPointer(gb.baseAddress!)
                let u = withKernel ? SharedReadPointer(ub.baseAddress!) : g
                let dOut = SharedPointer(db.baseAddress!), dkOut = SharedPointer(dkb.baseAddress!)
                parallelFor(H) { h in
                    withScratch(n + 8 * bins, T.self) { scratch in
                        let pad = scratch, kr = pad + n, ki = kr + bins, gr = ki + bins, gi = gr + bins
                        let ur = gi + bins, ui = ur + bins, ar = ui + bins, ai = ar + bins
                        transform(k.base + h * L, pad, kr, ki)                             // K̂
                        ar.update(repeating: 0, count: 2 * bins)
                        for b in 0..<batch {
                            let row = (b * H + h) * L
                            transform(g.base + row, pad, gr, gi)                           // ĝ
                            if withKernel {
                                transform(u.base + row, pad, ur, ui)                       // û
                                for f in 0..<bins {                                        // Σ_b ĝ·conj û
                                    ar[f] += gr[f] * ur[f] + gi[f] * ui[f]
                                    ai[f] += gi[f] * ur[f] - gr[f] * ui[f]
                                }
                            }
                            for f in 0..<bins {                                            // ĝ·conj K̂
                                let a = gr[f], c = gi[f]
                                gr[f] = a * kr[f] + c * ki[f]
                                gi[f] = c * kr[f] - a * ki[f]
                            }
                            inverse(gr, gi, pad)
                            (dOut.base + row).update(from: pad, count: L)
                        }
                        if withKernel {
                            inverse(ar, ai, pad)
                            (dkOut.base + h * L).update(from: pad, count: L)
                        }
                    }
                }
            } }
        } } }
        return (du, dk)
    }
}
