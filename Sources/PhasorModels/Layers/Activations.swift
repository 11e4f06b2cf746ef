// Pointwise nonlinearities of the blocks in Double, from PhasorNumerics/Special (one definition project-wide):
//   GELU (erf form): gelu(x) = x·Φ(x) = ½x(1 + erf(x/√2)),  gelu′(x) = Φ(x) + x·φ(x)
//   GELU (tanh form, JAX's default): ½x(1 + tanh(√(2/π)(x + 0.044715x³)))  (GELUTanh.swift)
//   sigmoid: σ(x) = 1/(1 + e^{−x}),  σ′ = σ(1 − σ)
import PhasorNumerics

enum Activation {
    @inline(__always) static func gelu(_ x: Double) -> Double { GELU.value(x) }
    @inline(__always) static func geluDerivative(_ x: Double) -> Double { GELU.derivative(x) }
    @inline(__always) static func sigmoid(_ x: Double) -> Double { Sigmoid.value(x) }
}

/// Which GELU a head applies: PyTorch's exact erf form or JAX's tanh approximation (they differ by up to ~5e-4).
public enum GELUForm: String, Sendable, CaseIterable, Codable {
    case erf
    case tanh

    /// g(x).
    @inline(__always) public func value(_ x: Double) -> Double {
        switch self {
        case .erf: return GELU.value(x)
        case .tanh: return GELUTanh.value(x)
        }
    }

    /// g′(x).
    @inline(__always) public func derivative(_ x: Double) -> Double {
        switch self {
        case .erf: return GELU.derivative(x)
        case .tanh: return GELUTanh.derivative(x)
        }
    }
}
