// The DFT of real input: its n/2 + 1 non-negative-frequency bins (as numpy.fft.rfft), and back (as numpy.fft.irfft).
//
// Even n = 2h runs one complex FFT of length h on the packed signal z_j = x_{2j} + i·x_{2j+1}. With Z = DFT_h(z),
// Z̄_k = conj(Z_{(h−k) mod h}) and W = e^{−2πi/n}:
//     E_k = (Z_k + Z̄_k)/2 = DFT_h(x_even)[k],   O_k = (Z_k − Z̄_k)/(2i) = DFT_h(x_odd)[k],
//     X_k = E_k + W^k·O_k                                                         (k = 0…h)
// and back: E_k = (X_k + conj X_{h−k})/2, O_k = W^{−k}(X_k − conj X_{h−k})/2, z = IDFT_h(E + i·O).
// Odd n runs the complex transform of length n on (x, 0). As numpy does, the inverse ignores Im X_0 (and Im X_{n/2}
// for even n), which a real signal's spectrum cannot have.

/// A plan for the DFT of `count` real points. Immutable after init and safe to share between threads.
public final class RealFFTPlan<T: FFTScalar>: Sendable {
    /// The signal length n (any n ≥ 1).
    public let count: Int
    /// The number of frequency bins, n/2 + 1.
    public var binCount: Int { count / 2 + 1 }

    /// Even n: the complex plan of length n/2; odd n: of length n.
    let complex: FFTPlan<T>
    /// Even n only: W^k = e^{−2πi k/n} = twRe + i·twIm, k = 0…n/2.
    let twRe: [T]
    let twIm: [T]

    /// Plans a real transform of `count` points. Throws `FFTError.invalidLength` if `count < 1`.
    public init(count: Int) throws {
        guard count >= 1 else { throw FFTError.invalidLength(count) }
        self.count = count
        if count % 2 == 0 {
            complex = try FFTPlan<T>(count: count / 2)
            var tr = [T](repeating: 0, count: count / 2 + 1), ti = tr
            for k in 0...(count / 2) {
                let (c, s) = UnitRoots.cosSin(k, count)
                tr[k] = T(c); ti[k] = T(-s)
            }
            twRe = tr
            twIm = ti
        } else {
            complex = try FFTPlan<T>(count: count)
            twRe = []
            twIm = []
        }
    }

    /// The n/2 + 1 non-negative-frequency bins X_k = Σ_j x[j] e^{−2πi jk/n} of real input (as numpy.fft.rfft).
    /// `real` and `imag` are resized to n/2 + 1 if needed. Throws `FFTError.lengthMismatch` unless
    /// `input.count == count`.
    public func forward(_ input: [T], real: inout [T], imag: inout [T]) throws {
        if input.count != count { throw FFTError.lengthMismatch(expected: count, found: input.count) }
        if real.count != binCount { real = [T](repeating: 0, count: binCount) }
        if imag.count != binCount { imag = [T](repeating: 0, count: binCount) }
        input.withUnsafeBufferPointer { x in
            real.withUnsafeMutableBufferPointer { r in
                imag.withUnsafeMutableBufferPointer { i in forward(x, real: r, imag: i) }
            }
        }
    }

    /// The real signal of length n from its n/2 + 1 bins (as numpy.fft.irfft with n = count; normalised by 1/n).
    /// `output` is resized to n if needed. Throws `FFTError.lengthMismatch` unless both spectrum arrays have
    /// n/2 + 1 elements.
    public func inverse(real: [T], imag: [T], output: inout [T]) throws {
        if real.count != binCount { throw FFTError.lengthMismatch(expected: binCount, found: real.count) }
        if imag.count != binCount { throw FFTError.lengthMismatch(expected: binCount, found: imag.count) }
        if output.count != count { output = [T](repeating: 0, count: count) }
        real.withUnsafeBufferPointer { r in
            imag.withUnsafeBufferPointer { i in
                output.withUnsafeMutableBufferPointer { y in inverse(real: r, imag: i, output: y) }
            }
        }
    }

    /// The forward transform on caller-owned buffers (for hot loops).
    /// - Precondition: `input.count == count`, `real.count == imag.count == count/2 + 1`.
    public func forward(_ input: UnsafeBufferPointer<T>, real: UnsafeMutableBufferPointer<T>,
                        imag: UnsafeMutableBufferPointer<T>) {
        precondition(input.count == count && real.count == binCount && imag.count == binCount,
                     "RealFFTPlan.forward: expected \(count) inputs and \(binCount) bins")
        let x = input.baseAddress!, xr = real.baseAddress!, xi = imag.baseAddress!
        // Run at the concrete type so the call tree is specialised (see FFTPlan.dispatch).
        if T.self == Double.self {
            unsafeBitCast(self, to: RealFFTPlan<Double>.self).forwardBody(
                unsafeBitCast(x, to: UnsafePointer<Double>.self), unsafeBitCast(xr, to: UnsafeMutablePointer<Double>.self),
                unsafeBitCast(xi, to: UnsafeMutablePointer<Double>.self))
        } else if T.self == Float.self {
            unsafeBitCast(self, to: RealFFTPlan<Float>.self).forwardBody(
                unsafeBitCast(x, to: UnsafePointer<Float>.self), unsafeBitCast(xr, to: UnsafeMutablePointer<Float>.self),
                unsafeBitCast(xi, to: UnsafeMutablePointer<Float>.self))
        } else {
            forwardBody(x, xr, xi)
        }
    }

    func forwardBody(_ x: UnsafePointer<T>, _ xr: UnsafeMutablePointer<T>, _ xi: UnsafeMutablePointer<T>) {
        if count % 2 == 1 {
            FFTScratch.with(T.self, buffers: 2, count: count) { zr, st in
                let zi = zr + st
                zr.update(from: x, count: count)
                zi.update(repeating: 0, count: count)
                complex.run(zr, zi)
                xr.update(from: zr, count: binCount)
                xi.update(from: zi, count: binCount)
            }
            return
        }
        let h = count / 2
        FFTScratch.with(T.self, buffers: 2, count: h) { zr, st in
            let zi = zr + st
            realFFTDeinterleave(h, x, zr, zi)            // z_j = x_{2j} + i x_{2j+1}
            complex.run(zr, zi)
            twRe.withUnsafeBufferPointer { tr in
                twIm.withUnsafeBufferPointer { ti in
                    realFFTSplit(h, zr, zi, tr.baseAddress!, ti.baseAddress!, xr, xi)
                }
            }
        }
    }

    /// The inverse transform on caller-owned buffers (for hot loops).
    /// - Precondition: `real.count == imag.count == count/2 + 1`, `output.count == count`.
    public func inverse(real: UnsafeBufferPointer<T>, imag: UnsafeBufferPointer<T>,
                        output: UnsafeMutableBufferPointer<T>) {
        precondition(output.count == count && real.count == binCount && imag.count == binCount,
                     "RealFFTPlan.inverse: expected \(binCount) bins and \(count) outputs")
        let xr = real.baseAddress!, xi = imag.baseAddress!, y = output.baseAddress!
        if T.self == Double.self {
            unsafeBitCast(self, to: RealFFTPlan<Double>.self).inverseBody(
                unsafeBitCast(xr, to: UnsafePointer<Double>.self), unsafeBitCast(xi, to: UnsafePointer<Double>.self),
                unsafeBitCast(y, to: UnsafeMutablePointer<Double>.self))
        } else if T.self == Float.self {
            unsafeBitCast(self, to: RealFFTPlan<Float>.self).inverseBody(
                unsafeBitCast(xr, to: UnsafePointer<Float>.self), unsafeBitCast(xi, to: UnsafePointer<Float>.self),
                unsafeBitCast(y, to: UnsafeMutablePointer<Float>.self))
        } else {
            inverseBody(xr, xi, y)
        }
    }

    func inverseBody(_ xr: UnsafePointer<T>, _ xi: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>) {
        let n = count
        if n % 2 == 1 {
            FFTScratch.with(T.self, buffers: 2, count: n) { zr, st in
                let zi = zr + st
                // Hermitian extension X_{n−k} = conj X_k; Im X_0 dropped.
                zr[0] = xr[0]; zi[0] = 0
                for k in 1..<binCount {
                    zr[k] = xr[k]; zi[k] = xi[k]
                    zr[n - k] = xr[k]; zi[n - k] = -xi[k]
                }
                complex.run(zi, zr)                      // swap identity: unnormalised inverse
                let scale = 1 / T(n)
                for j in 0..<n { y[j] = zr[j] * scale }
            }
            return
        }
        let h = n / 2
        FFTScratch.with(T.self, buffers: 2, count: h) { zr, st in
            let zi = zr + st
            twRe.withUnsafeBufferPointer { tr in
                twIm.withUnsafeBufferPointer { ti in
                    realFFTMerge(h, xr, xi, tr.baseAddress!, ti.baseAddress!, zr, zi)
                }
            }
            complex.run(zi, zr)                          // swap identity: unnormalised inverse of length h
            realFFTInterleave(h, zr, zi, 1 / T(h), y)   // x_{2j} = Re z_j, x_{2j+1} = Im z_j
        }
    }
}

// z_j = x_{2j} + i·x_{2j+1}.
@_specialize(where T == Double)
@_specialize(where T == Float)
func realFFTDeinterleave<T: FFTScalar>(
    _ h: Int, _ x: UnsafePointer<T>, _ zr: UnsafeMutablePointer<T>, _ zi: UnsafeMutablePointer<T>
) {
    for j in 0..<h {
        zr[j] = x[2 * j]
        zi[j] = x[2 * j + 1]
    }
}

// x_{2j} = a·Re z_j, x_{2j+1} = a·Im z_j.
@_specialize(where T == Double)
@_specialize(where T == Float)
func realFFTInterleave<T: FFTScalar>(
    _ h: Int, _ zr: UnsafePointer<T>, _ zi: UnsafePointer<T>, _ a: T, _ x: UnsafeMutablePointer<T>
) {
    for j in 0..<h {
        x[2 * j] = a * zr[j]
        x[2 * j + 1] = a * zi[j]
    }
}

// X_k = E_k + W^k·O_k with Z_k = (a, b), Z_{(h−k) mod h} = (c, d):
// E_k = ((a + c)/2, (b − d)/2), O_k = ((b + d)/2, −(a − c)/2).
@_specialize(where T == Double)
@_specialize(where T == Float)
func realFFTSplit<T: FFTScalar>(
    _ h: Int, _ zr: UnsafePointer<T>, _ zi: UnsafePointer<T>, _ tr: UnsafePointer<T>, _ ti: UnsafePointer<T>,
    _ xr: UnsafeMutablePointer<T>, _ xi: UnsafeMutablePointer<T>
) {
    let half = T(0.5)
    // k = 0 and k = h share Z_0: E = Re Z_0, O = Im Z_0, W^0 = 1, W^h = −1.
    xr[0] = zr[0] + zi[0]; xi[0] = 0
    xr[h] = zr[0] - zi[0]; xi[h] = 0
    if h < 2 { return }
    for k in 1..<h {
        let a = zr[k], b = zi[k], c = zr[h - k], d = zi[h - k]
        let er = half * (a + c), ei = half * (b - d)
        let or = half * (b + d), oi = half * (c - a)
        let wr = tr[k], wi = ti[k]
        xr[k] = er + (wr * or - wi * oi)
        xi[k] = ei + (wr * oi + wi * or)
    }
}

// Z_k = E_k + i·O_k with X_k = (a, b), conj X_{h−k} = (c, −d):
// E_k = ((a + c)/2, (b − d)/2), O_k = W^{−k}·((a − c)/2, (b + d)/2); Im X_0 and Im X_h are ignored.
@_specialize(where T == Double)
@_specialize(where T == Float)
func realFFTMerge<T: FFTScalar>(
    _ h: Int, _ xr: UnsafePointer<T>, _ xi: UnsafePointer<T>, _ tr: UnsafePointer<T>, _ ti: UnsafePointer<T>,
    _ zr: UnsafeMutablePointer<T>, _ zi: UnsafeMutablePointer<T>
) {
    let half = T(0.5)
    // k = 0: E = (X_0 + X_h)/2, O = (X_0 − X_h)/2 (both real), Z_0 = E + i·O.
    zr[0] = half * (xr[0] + xr[h])
    zi[0] = half * (xr[0] - xr[h])
    if h < 2 { return }
    for k in 1..<h {
        let a = xr[k], b = xi[k], c = xr[h - k], d = xi[h - k]
        let er = half * (a + c), ei = half * (b - d)
        let pr = half * (a - c), pi = half * (b + d)
        let wr = tr[k], wi = -ti[k]                 // W^{−k} = conj W^k
        let or = wr * pr - wi * pi, oi = wr * pi + wi * pr
        zr[k] = er - oi                             // E + i·O
        zi[k] = ei + or
    }
}
