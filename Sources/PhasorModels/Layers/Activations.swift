// Pointwise nonlinearities of the S4D block in Double, from PhasorNumerics/Special (one definition project-wide):
//   GELU (erf form): gelu(x) = x·Φ(x) = ½x(1 + erf(x/√2)),  gelu′(x) = Φ(x) + x·φ(x)
//   sigmoid: σ(x) = 1/(1 + e^{−x}),  σ′ = σ(1 − σ)
import PhasorNumerics

enum Activation {
    @inline(__always) static func gelu(_ x: Double) -> Double { GELU.value(x) }
    @inline(__always) static func geluDerivative(_ x: Double) -> Double { GELU.derivative(x) }
    @inline(__always) static func sigmoid(_ x: Double) -> Double { Sigmoid.value(x) }
}
