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
    /// a[i] = scale·gelu(y[i]).
    static func gelu(_ y: UnsafePointer<Self>, _ a: UnsafeMutablePointer<Self>, scale: Self, count: Int)
    /// d[i] *= scale·gelu′(y[i]).
    static func scaleByGeluDerivative(_ y: UnsafePointer<Self>, _ d: UnsafeMutablePointer<Self>, scale: Self, count: Int)
    /// C (m×n) = A (m×k)·B (k×n) (+ C when accumulating), row-major.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Self>, b: UnsafePointer<Self>,
                         c: UnsafeMutablePointer<Self>, accumulate: Bool)
}

extension BlockScalar {
    static func gelu(_ y: UnsafePointer<Self>, _ a: UnsafeMutablePointer<Self>, scale: Self, count: Int) {
        for i in 0..<count { a[i] = scale * gelu(y[i]) }
    }
    static func scaleByGeluDerivative(_ y: UnsafePointer<Self>, _ d: UnsafeMutablePointer<Self>, scale: Self, count: Int) {
        for i in 0..<count { d[i] *= scale * geluDerivative(y[i]) }
    }
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
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: 1 / (1 + FloatVectorMath.exp(-v)), as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            let x = src[i]
            if x >= 0 { dst[i] = 1 / (1 + Foundation.expf(-x)) } else { let e = Foundation.expf(x); dst[i] = e / (1 + e) }
            i += 1
        }
    }
    static func gelu(_ y: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>, scale: Float, count: Int) {
        var i = 0
        while i + 16 <= count {
            let x = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
            let g = 0.5 * x * (1 + FloatVectorMath.erf(x * 0.70710677))
            UnsafeMutableRawPointer(a + i).storeBytes(of: scale * g, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count { a[i] = scale * gelu(y[i]); i += 1 }
    }
    static func scaleByGeluDerivative(_ y: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, scale: Float, count: Int) {
        var i = 0
        while i + 16 <= count {
            let x = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
            let dg = 0.5 * (1 + FloatVectorMath.erf(x * 0.70710677)) + x * FloatVectorMath.exp(-0.5 * x * x) * 0.3989423
            let old = UnsafeRawPointer(d + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(d + i).storeBytes(of: old * scale * dg, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count { d[i] *= scale * geluDerivative(y[i]); i += 1 }
    }
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                         c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        MatrixProduct.multiply(m: m, n: n, k: k, a: a, b: b, c: c, accumulate: accumulate, vector: SIMD16<Float>.self)
    }
}

/// Float exp and erf sixteen lanes at a time (training precision only; Double keeps libm's erf).
///   exp: e^x = 2^k·e^r, k = round(x·log₂e), |r| ≤ ½ln2, degree-7 Taylor polynomial (relative error < 2e-7 before
///        rounding, ~2 ulp overall); x clamped to [−87, 88].
///   erf: Abramowitz & Stegun 7.1.26, erf|x| = 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵)e^{−x²}, t = 1/(1 + 0.3275911|x|),
///        absolute error ≤ 1.5e-7 in exact arithmetic (≤ 6e-7 measured in Float), odd extension.
enum FloatVectorMath {
    typealias V = SIMD16<Float>

    @inline(__always)
    static func exp(_ x0: V) -> V {
        let x = x0.clamped(lowerBound: V(repeating: -87), upperBound: V(repeating: 88))
        let shifter = V(repeating: 12582912)                                   // 1.5·2²³
        let t = x * 1.442695 + shifter
        let k = t - shifter
        let r = (x - k * 0.693359375) + k * 2.12194440e-4                     // ln2 = hi + lo, hi = 355/512 exact
        var p = V(repeating: 1.0 / 5040)
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let kBits = unsafeBitCast(t, to: SIMD16<Int32>.self) &- unsafeBitCast(shifter, to: SIMD16<Int32>.self)
        return p * unsafeBitCast((kBits &+ 127) &<< 23, to: V.self)
    }

    @inline(__always)
    static func erf(_ x: V) -> V {
        let ax = x.replacing(with: -x, where: x .< 0)
        let t = 1 / (1 + 0.3275911 * ax)
        var p = V(repeating: 1.061405429)
        p = p * t - 1.453152027
        p = p * t + 1.421413741
        p = p * t - 0.284496736
        p = p * t + 0.254829592
        p = p * t
        let y = 1 - p * exp(-ax * ax)
        return y.replacing(with: -y, where: x .< 0)
    }
}
