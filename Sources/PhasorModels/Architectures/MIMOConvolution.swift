// Causal convolution of an (H, L) signal with an H×H matrix kernel K (L, H, H) — the convolution mode of the MIMO
// layers (S5, LRU, LinOSS):
//     y_i[k] = Σ_{l≤k} Σ_j K_l[i,j] u_j[k−l]
// By FFT of size n = 2L (no wrap-around for l + m < 2L): Ŷ_i = Σ_j K̂_ij Û_j, y_i = irfft(Ŷ_i)[0..<L] — H² + H real
// transforms plus H²·(L+1) complex multiply-adds, instead of the direct sum's L²H²/2. The direct sum is kept as the
// reference for tests.
import PhasorNumerics

enum MIMOConvolution {
    /// y (H, L) = K * u by FFT.
    /// y_k = Σ_{l≤k} K_l u_{k−l} + D⊙u_k: the causal convolution (FFT, or the direct sum when `direct`) plus the
    /// skip term; u and y of shape (H, L), checked finite and named `quantity` in the error.
    static func withSkip(kernel: [Double], skip d: [Double], input u: [Double], channels h: Int, length: Int,
                         direct: Bool, quantity: String) throws -> [Double] {
        var y = direct ? self.direct(kernel: kernel, input: u, channels: h, length: length)
            : try fft(kernel: kernel, input: u, channels: h, length: length)
        for i in 0..<h { for k in 0..<length { y[i * length + k] += d[i] * u[i * length + k] } }  // + D⊙u_k
        try ArchitectureCheck.output(y, quantity)
        return y
    }

    static func fft(kernel: [Double], input u: [Double], channels h: Int, length: Int) throws -> [Double] {
        let n = 2 * length
        let plan = try RealFFTPlan<Double>(count: n)
        let bins = plan.binCount
        var padded = [Double](repeating: 0, count: n)
        var uRe = [[Double]](), uIm = [[Double]]()
        for j in 0..<h {                                                  // Û_j
            for k in 0..<length { padded[k] = u[j * length + k] }
            for k in length..<n { padded[k] = 0 }
            var re = [Double](), im = [Double]()
            try plan.forward(padded, real: &re, imag: &im)
            uRe.append(re); uIm.append(im)
        }
        var y = [Double](repeating: 0, count: h * length)
        var kRe = [Double](), kIm = [Double](), out = [Double](repeating: 0, count: n)
        for i in 0..<h {
            var accRe = [Double](repeating: 0, count: bins), accIm = accRe
            for j in 0..<h {
                for l in 0..<length { padded[l] = kernel[(l * h + i) * h + j] }
                for l in length..<n { padded[l] = 0 }
                try plan.forward(padded, real: &kRe, imag: &kIm)             // K̂_ij
                let ur = uRe[j], ui = uIm[j]
                for f in 0..<bins {                                          // Ŷ_i += K̂_ij Û_j
                    accRe[f] += kRe[f] * ur[f] - kIm[f] * ui[f]
                    accIm[f] += kRe[f] * ui[f] + kIm[f] * ur[f]
                }
            }
            try plan.inverse(real: accRe, imag: accIm, output: &out)
            for k in 0..<length { y[i * length + k] = out[k] }
        }
        return y
    }

    /// y (H, L) = K * u by the direct O(L²H²) sum.
    static func direct(kernel: [Double], input u: [Double], channels h: Int, length: Int) -> [Double] {
        var y = [Double](repeating: 0, count: h * length)
        for i in 0..<h {
            for k in 0..<length {
                var sum = 0.0
                for l in 0...k { for j in 0..<h { sum += kernel[(l * h + i) * h + j] * u[j * length + k - l] } }  // K_l u_{k−l}
                y[i * length + k] = sum
            }
        }
        return y
    }
}
