// Causal convolution of (B, H, L) signals with per-channel kernels (H, L), and its two adjoints. Every use in the
// models goes through this one type, so the algorithm (direct O(L²) sums now, FFT of size ≥ 2L when available) is
// chosen in one place; the direct sums stay as the test reference.
//
//   y[b,h,l]  = Σ_{j=0}^{l} K[h,j]·u[b,h,l−j]
//   ∂L/∂u[b,h,m] = Σ_{l=m}^{L−1} g[b,h,l]·K[h,l−m]          (correlation of g with K)
//   ∂L/∂K[h,j]   = Σ_b Σ_{l=j}^{L−1} g[b,h,l]·u[b,h,l−j]    (correlation of g with u)

enum CausalConvolution {
    /// y = K * u (causal), shape (B, H, L).
    static func forward(kernel: [Double], input: [Double], batch: Int, channels: Int, length: Int) -> [Double] {
        direct(kernel: kernel, input: input, batch: batch, channels: channels, length: length)
    }

    /// ∂L/∂u given g = ∂L/∂y.
    static func inputGradient(kernel: [Double], outputGradient: [Double], batch: Int, channels: Int, length: Int) -> [Double] {
        directInputGradient(kernel: kernel, outputGradient: outputGradient, batch: batch, channels: channels, length: length)
    }

    /// ∂L/∂K given g = ∂L/∂y and the input u, summed over the batch; shape (H, L).
    static func kernelGradient(input: [Double], outputGradient: [Double], batch: Int, channels: Int, length: Int) -> [Double] {
        directKernelGradient(input: input, outputGradient: outputGradient, batch: batch, channels: channels, length: length)
    }

    // MARK: direct O(L²) sums (reference)

    static func direct(kernel: [Double], input: [Double], batch: Int, channels: Int, length: Int) -> [Double] {
        var y = [Double](repeating: 0, count: batch * channels * length)
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

    static func directInputGradient(kernel: [Double], outputGradient: [Double], batch: Int, channels: Int, length: Int) -> [Double] {
        var du = [Double](repeating: 0, count: batch * channels * length)
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

    static func directKernelGradient(input: [Double], outputGradient: [Double], batch: Int, channels: Int, length: Int) -> [Double] {
        var dk = [Double](repeating: 0, count: channels * length)
        let L = length, H = channels
        input.withUnsafeBufferPointer { ub in outputGradient.withUnsafeBufferPointer { gb in dk.withUnsafeMutableBufferPointer { db in
            let u = SharedReadPointer(ub.baseAddress!), g = SharedReadPointer(gb.baseAddress!), out = SharedPointer(db.baseAddress!)
            parallelFor(H) { h in
                let dr = out.base + h * L
                for b in 0..<batch {
                    let ur = u.base + (b * H + h) * L, gr = g.base + (b * H + h) * L
                    for j in 0..<L {                   // dK[j] += Σ_l g[l]·u[l−j]
                        var s = 0.0
                        for l in j..<L { s += gr[l] * ur[l - j] }
                        dr[j] += s
                    }
                }
            }
        } } }
        return dk
    }
}
