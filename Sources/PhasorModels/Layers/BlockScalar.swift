// The scalar types the S4D block's hot loops run in: Double (every identity, every test) and Float (training speed,
// DESIGN.md §2). One protocol gathers what differs between them — the pointwise functions and the SIMD width of the
// matrix product — so the block's forward and backward are written once.
import Foundation
import PhasorNumerics

/// A floating-point type the S4D block can run in.
protocol BlockScalar: FFTScalar {
    /// ½x(1 + erf(x/√2)).
    static func gelu(_ x: Self) -> Self
    /// ½(1 + erf(x/√2)) + x·e^{−x²/2}/√(2π).
    static func geluDerivative(_ x: Self) -> Self
    /// dst[i] = σ(src[i]).
    static func sigmoid(_ src: UnsafePointer<Self>, _ dst: UnsafeMutablePointer<Self>, count: Int)
    /// C (m×n) = A (m×k)·B (k×n) (+ C when accumulating), row-major.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Self>, b: UnsafePointer<Self>,
                         c: UnsafeMutablePointer<Self>, accumulate: Bool)
}

extension Double: BlockScalar {
    static func gelu(_ x: Double) -> Double { Activation.gelu(x) }
    static func geluDerivative(_ x: Double) -> Double { Activation.geluDerivative(x) }
    static func sigmoid(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, count: Int) {
        VectorMath.sigmoid(src, dst, count: count)
    }
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
                         c: UnsafeMutablePointer<Double>, accumulate: Bool) {
        MatrixProduct.multiply(m: m, n: n, k: k, a: a, b: b, c: c, accumulate: accumulate, vector: SIMD8<Double>.self)
    }
}

extension Float: BlockScalar {
    static func gelu(_ x: Float) -> Float { 0.5 * x * (1 + Foundation.erff(x * 0.70710677)) }
    static func geluDerivative(_ x: Float) -> Float {
        0.5 * (1 + Foundation.erff(x * 0.70710677)) + x * Foundation.expf(-0.5 * x * x) * 0.3989423
    }
    static func sigmoid(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            let x = src[i]
            if x >= 0 { dst[i] = 1 / (1 + Foundation.expf(-x)) } else { let e = Foundation.expf(x); dst[i] = e / (1 + e) }
        }
    }
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                         c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        MatrixProduct.multiply(m: m, n: n, k: k, a: a, b: b, c: c, accumulate: accumulate, vector: SIMD16<Float>.self)
    }
}
