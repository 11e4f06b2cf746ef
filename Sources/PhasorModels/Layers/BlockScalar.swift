// The scalar types the S4D block's hot loops run in: Double (every identity, every test) and Float (training speed,
// DESIGN.md §2). One protocol gathers what differs between them — the pointwise functions and the matrix product —
// so the block's forward and backward are written once. The array kernels run at the CPU's SIMD level
// (PhasorNumerics.SIMDKernels); Double's GELU keeps libm's erf (Activations.swift) for the identities.
import PhasorNumerics

/// A floating-point type the S4D block can run in.
protocol BlockScalar: FFTScalar {
    /// dst[i] = σ(src[i]).
    static func sigmoid(_ src: UnsafePointer<Self>, _ dst: UnsafeMutablePointer<Self>, count: Int)
    /// a[i] = scale·gelu(y[i]).
    static func gelu(_ y: UnsafePointer<Self>, _ a: UnsafeMutablePointer<Self>, scale: Self, count: Int)
    /// d[i] *= scale·gelu′(y[i]).
    static func scaleByGeluDerivative(_ y: UnsafePointer<Self>, _ d: UnsafeMutablePointer<Self>, scale: Self, count: Int)
    /// C (m×n) = A (m×k)·B (k×n) (+ C when accumulating), row-major.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Self>, b: UnsafePointer<Self>,
                         c: UnsafeMutablePointer<Self>, accumulate: Bool)
}

extension Double: BlockScalar {
    static func sigmoid(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, count: Int) {
        SIMDKernels.sigmoid(src, dst, count: count)
    }
    static func gelu(_ y: UnsafePointer<Double>, _ a: UnsafeMutablePointer<Double>, scale: Double, count: Int) {
        for i in 0..<count { a[i] = scale * Activation.gelu(y[i]) }
    }
    static func scaleByGeluDerivative(_ y: UnsafePointer<Double>, _ d: UnsafeMutablePointer<Double>, scale: Double, count: Int) {
        for i in 0..<count { d[i] *= scale * Activation.geluDerivative(y[i]) }
    }
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
                         c: UnsafeMutablePointer<Double>, accumulate: Bool) {
        SIMDKernels.multiply(m: m, n: n, k: k, a: a, b: b, c: c, accumulate: accumulate)
    }
}

extension Float: BlockScalar {
    static func sigmoid(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        SIMDKernels.sigmoid(src, dst, count: count)
    }
    static func gelu(_ y: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>, scale: Float, count: Int) {
        SIMDKernels.gelu(y, a, scale: scale, count: count)
    }
    static func scaleByGeluDerivative(_ y: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, scale: Float, count: Int) {
        SIMDKernels.scaleByGeluDerivative(y, d, scale: scale, count: count)
    }
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                         c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        SIMDKernels.multiply(m: m, n: n, k: k, a: a, b: b, c: c, accumulate: accumulate)
    }
}
