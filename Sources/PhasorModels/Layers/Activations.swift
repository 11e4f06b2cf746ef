// Pointwise nonlinearities of the S4D block with their derivatives beside them.
//   GELU (erf form): gelu(x) = ½x(1 + erf(x/√2)),  gelu′(x) = ½(1 + erf(x/√2)) + x·φ(x),  φ(x) = e^{−x²/2}/√(2π)
//   sigmoid: σ(x) = 1/(1 + e^{−x}),  σ′ = σ(1 − σ)
// (Foundation's erf until the PhasorNumerics special functions land.)
import Foundation

enum Activation {
    @inline(__always) static func gelu(_ x: Double) -> Double { 0.5 * x * (1 + Foundation.erf(x * 0.7071067811865476)) }

    @inline(__always) static func geluDerivative(_ x: Double) -> Double {
        0.5 * (1 + Foundation.erf(x * 0.7071067811865476)) + x * Foundation.exp(-0.5 * x * x) * 0.3989422804014327
    }

    /// σ(x), evaluated without overflow for large |x|.
    @inline(__always) static func sigmoid(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }
}
