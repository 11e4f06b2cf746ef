// Bluestein's chirp-z transform: a DFT of any length n as a circular convolution of length M = 2^⌈log₂(2n−1)⌉,
// computed with power-of-two FFTs. With jk = (j² + k² − (k − j)²)/2 and the chirp c_j = e^{−πi j²/n}:
//     X[k] = c_k · Σ_j (x[j]·c_j) · conj(c_{k−j})
// The chirp exponent j² is reduced mod 2n in integers (c_j = e^{−2πi (j² mod 2n)/(2n)}) so it stays exact for
// large j. The transform of the conjugate chirp b (b_j = conj c_j for |j| < n, wrapped mod M) is planned once,
// with the 1/M of the inverse folded in.

struct BluesteinFFT<T: FFTScalar>: Sendable {
    let count: Int
    /// M: the power-of-two convolution length.
    let convolutionLength: Int
    let inner: MixedRadixFFT<T>
    /// The chirp c_j = chirpRe + i·chirpIm, j = 0..<n.
    let chirpRe: [T]
    let chirpIm: [T]
    /// FFT_M(b) / M, b_j = conj(c_j) wrapped mod M.
    let kernelRe: [T]
    let kernelIm: [T]

    init(count n: Int) {
        count = n
        let mLen = FFTFactorization.powerOfTwo(atLeast: 2 * n - 1)
        convolutionLength = mLen
        guard let plan = MixedRadixFFT<T>(count: mLen) else {
            preconditionFailure("internal: a power of two always factors into radices 4 and 2")
        }
        inner = plan
        var cr = [T](repeating: 0, count: n), ci = cr
        // Kernel computed in Double for accuracy, then rounded once.
        var br = [Double](repeating: 0, count: mLen), bi = br
        for j in 0..<n {
            let e = (j * j) % (2 * n)
            let (c, s) = UnitRoots.cosSin(e, 2 * n)   // c_j = cos − i sin
            cr[j] = T(c); ci[j] = T(-s)
            br[j] = c; bi[j] = s                      // conj(c_j)
            if j > 0 { br[mLen - j] = c; bi[mLen - j] = s }
        }
        chirpRe = cr
        chirpIm = ci
        // FFT_M(b), in Double, scaled by 1/M.
        guard let dplan = MixedRadixFFT<Double>(count: mLen) else {
            preconditionFailure("internal: a power of two always factors into radices 4 and 2")
        }
        br.withUnsafeMutableBufferPointer { pr in
            bi.withUnsafeMutableBufferPointer { pi in
                FFTScratch.with(Double.self, buffers: MixedRadixFFT<Double>.scratchBuffers, count: mLen) { s, _ in
                    dplan.forward(pr.baseAddress!, pi.baseAddress!, scratch: s)
                }
            }
        }
        let scale = 1.0 / Double(mLen)
        kernelRe = br.map { T($0 * scale) }
        kernelIm = bi.map { T($0 * scale) }
    }

    /// In-place forward DFT of (re, im), each `count` long.
    func forward(_ re: UnsafeMutablePointer<T>, _ im: UnsafeMutablePointer<T>) {
        let n = count, mLen = convolutionLength
        FFTScratch.with(T.self, buffers: 2 + MixedRadixFFT<T>.scratchBuffers, count: mLen) { base, st in
            let ar = base, ai = base + st, scratch = base + 2 * st
            chirpRe.withUnsafeBufferPointer { cr in
                chirpIm.withUnsafeBufferPointer { ci in
                    bluesteinPremultiply(n, mLen, re, im, cr.baseAddress!, ci.baseAddress!, ar, ai)
                    inner.forward(ar, ai, scratch: scratch)
                    kernelRe.withUnsafeBufferPointer { kr in
                        kernelIm.withUnsafeBufferPointer { ki in
                            bluesteinMultiplyConjugate(mLen, ar, ai, kr.baseAddress!, ki.baseAddress!)
                        }
                    }
                    // Inverse (unnormalised, 1/M already in the kernel) by the swap identity, then post-multiply.
                    inner.forward(ai, ar, scratch: scratch)
                    bluesteinPostmultiply(n, ar, ai, cr.baseAddress!, ci.baseAddress!, re, im)
                }
            }
        }
    }
}

// a_j = x_j·c_j for j < n, 0 up to M.
@_specialize(where T == Double)
@_specialize(where T == Float)
func bluesteinPremultiply<T: FFTScalar>(
    _ n: Int, _ mLen: Int, _ xr: UnsafePointer<T>, _ xi: UnsafePointer<T>, _ cr: UnsafePointer<T>,
    _ ci: UnsafePointer<T>, _ ar: UnsafeMutablePointer<T>, _ ai: UnsafeMutablePointer<T>
) {
    for j in 0..<n {
        ar[j] = xr[j] * cr[j] - xi[j] * ci[j]
        ai[j] = xr[j] * ci[j] + xi[j] * cr[j]
    }
    (ar + n).update(repeating: 0, count: mLen - n)
    (ai + n).update(repeating: 0, count: mLen - n)
}

// A ← A·B̂ (pointwise complex product).
@_specialize(where T == Double)
@_specialize(where T == Float)
func bluesteinMultiplyConjugate<T: FFTScalar>(
    _ mLen: Int, _ ar: UnsafeMutablePointer<T>, _ ai: UnsafeMutablePointer<T>,
    _ kr: UnsafePointer<T>, _ ki: UnsafePointer<T>
) {
    for j in 0..<mLen {
        let r = ar[j] * kr[j] - ai[j] * ki[j]
        let i = ar[j] * ki[j] + ai[j] * kr[j]
        ar[j] = r
        ai[j] = i
    }
}

// X_k = c_k · conv_k.
@_specialize(where T == Double)
@_specialize(where T == Float)
func bluesteinPostmultiply<T: FFTScalar>(
    _ n: Int, _ ar: UnsafePointer<T>, _ ai: UnsafePointer<T>, _ cr: UnsafePointer<T>, _ ci: UnsafePointer<T>,
    _ xr: UnsafeMutablePointer<T>, _ xi: UnsafeMutablePointer<T>
) {
    for k in 0..<n {
        xr[k] = ar[k] * cr[k] - ai[k] * ci[k]
        xi[k] = ar[k] * ci[k] + ai[k] * cr[k]
    }
}
