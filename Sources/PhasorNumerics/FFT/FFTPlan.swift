// The complex discrete Fourier transform of one fixed length, planned once and run many times.
// Lengths whose prime factors are all ≤ 13 run as mixed-radix Stockham passes (radix 4, 2, 3, 5, 7, 11, 13);
// others run through Bluestein's chirp-z transform. Immutable after init; every call allocates its own scratch,
// so one plan can be used from several threads at once.
//
// Inverse by the swap identity: with swap(z) = Im z + i·Re z = i·conj(z),
//     Σ_k X[k] e^{+2πi jk/n} = swap( DFT( swap(X) ) )[j]
// so the inverse runs the forward passes on (imag, real) and scales by 1/n.

/// A plan for the complex DFT of `count` points, in split real/imaginary storage.
public final class FFTPlan<T: FFTScalar>: Sendable {
    /// The transform length n.
    public let count: Int

    enum Algorithm: Sendable {
        case identity
        case mixedRadix(MixedRadixFFT<T>)
        case bluestein(BluesteinFFT<T>)
    }
    let algorithm: Algorithm

    /// Plans a transform of `count` points. Throws `FFTError.invalidLength` if `count < 1`.
    public init(count: Int) throws {
        guard count >= 1 else { throw FFTError.invalidLength(count) }
        self.count = count
        if count == 1 {
            algorithm = .identity
        } else if let mixed = MixedRadixFFT<T>(count: count) {
            algorithm = .mixedRadix(mixed)
        } else {
            algorithm = .bluestein(BluesteinFFT<T>(count: count))
        }
    }

    /// X[k] = Σ_j x[j] e^{−2πi jk/n}, in place, unnormalised.
    /// Throws `FFTError.lengthMismatch` unless both arrays have `count` elements.
    public func forward(real: inout [T], imag: inout [T]) throws {
        try checkLengths(real.count, imag.count)
        real.withUnsafeMutableBufferPointer { r in
            imag.withUnsafeMutableBufferPointer { i in forward(real: r, imag: i) }
        }
    }

    /// x[j] = (1/n) Σ_k X[k] e^{+2πi jk/n}, in place (normalised, as numpy.fft.ifft).
    /// Throws `FFTError.lengthMismatch` unless both arrays have `count` elements.
    public func inverse(real: inout [T], imag: inout [T]) throws {
        try checkLengths(real.count, imag.count)
        real.withUnsafeMutableBufferPointer { r in
            imag.withUnsafeMutableBufferPointer { i in inverse(real: r, imag: i) }
        }
    }

    /// The forward transform on caller-owned buffers (for hot loops).
    /// - Precondition: both buffers have exactly `count` elements and do not overlap.
    public func forward(real: UnsafeMutableBufferPointer<T>, imag: UnsafeMutableBufferPointer<T>) {
        precondition(real.count == count && imag.count == count,
                     "FFTPlan.forward: buffers have \(real.count) and \(imag.count) elements, plan has \(count)")
        guard let re = real.baseAddress, let im = imag.baseAddress else { return }
        dispatch(re, im, inverse: false)
    }

    /// The normalised inverse transform on caller-owned buffers (for hot loops).
    /// - Precondition: both buffers have exactly `count` elements and do not overlap.
    public func inverse(real: UnsafeMutableBufferPointer<T>, imag: UnsafeMutableBufferPointer<T>) {
        precondition(real.count == count && imag.count == count,
                     "FFTPlan.inverse: buffers have \(real.count) and \(imag.count) elements, plan has \(count)")
        guard let re = real.baseAddress, let im = imag.baseAddress else { return }
        dispatch(re, im, inverse: true)
    }

    /// Calls `transform` on this plan seen at its concrete type, so that the whole call tree below is compiled
    /// specialised for Double or Float inside this module, whatever the caller's module and optimisation settings
    /// (a call through the generic entry point would otherwise run unspecialised code, ~10× slower).
    private func dispatch(_ re: UnsafeMutablePointer<T>, _ im: UnsafeMutablePointer<T>, inverse: Bool) {
        if T.self == Double.self {
            unsafeBitCast(self, to: FFTPlan<Double>.self).transform(
                unsafeBitCast(re, to: UnsafeMutablePointer<Double>.self),
                unsafeBitCast(im, to: UnsafeMutablePointer<Double>.self), inverse: inverse)
        } else if T.self == Float.self {
            unsafeBitCast(self, to: FFTPlan<Float>.self).transform(
                unsafeBitCast(re, to: UnsafeMutablePointer<Float>.self),
                unsafeBitCast(im, to: UnsafeMutablePointer<Float>.self), inverse: inverse)
        } else {
            transform(re, im, inverse: inverse)
        }
    }

    /// Forward (unnormalised) or inverse (1/n) transform in place.
    func transform(_ re: UnsafeMutablePointer<T>, _ im: UnsafeMutablePointer<T>, inverse: Bool) {
        if !inverse {
            run(re, im)
            return
        }
        run(im, re)                                   // swap identity: unnormalised inverse
        let scale = 1 / T(count)
        for j in 0..<count { re[j] *= scale }
        for j in 0..<count { im[j] *= scale }
    }

    /// Unnormalised forward DFT of n points at (re, im), in place.
    func run(_ re: UnsafeMutablePointer<T>, _ im: UnsafeMutablePointer<T>) {
        switch algorithm {
        case .identity:
            return
        case .mixedRadix(let plan):
            FFTScratch.with(T.self, buffers: MixedRadixFFT<T>.scratchBuffers, count: count) { scratch, _ in
                plan.forward(re, im, scratch: scratch)
            }
        case .bluestein(let plan):
            plan.forward(re, im)
        }
    }

    private func checkLengths(_ a: Int, _ b: Int) throws {
        if a != count { throw FFTError.lengthMismatch(expected: count, found: a) }
        if b != count { throw FFTError.lengthMismatch(expected: count, found: b) }
    }
}
