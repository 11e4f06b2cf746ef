// The one discretisation of Phasor (DESIGN.md §3): how a continuous rate λ sampled with step Δ becomes a discrete pole
// μ = Ā and an input factor B̄/B. Every diagonal layer (S4D, S5) and the correspondence (LTISystem.discretised, the S4D
// → diagonal-system conversion, the oscillator reading's checks) takes its scalar formulas from here; the matrix
// versions (Van Loan's block exponential for ZOH, a solve for bilinear) are PhasorCorrespondence's ZeroOrderHold and
// Bilinear files and reduce to these on a diagonal A.
//   ZOH:       μ = e^{Δλ},                  B̄/B = (e^{Δλ} − 1)/λ = Δ·φ₁(Δλ),  φ₁(x) = (e^x − 1)/x
//   bilinear:  μ = (1 + Δλ/2)/(1 − Δλ/2),   B̄/B = Δ/(1 − Δλ/2)
//   Euler:     μ = 1 + Δλ,                  B̄/B = Δ
import PhasorNumerics

/// Continuous → discrete map of a linear system (the `discretization` metadata of a checkpoint and `--discretization`).
public enum Discretization: String, Sendable, CaseIterable, Codable {
    /// Zero-order hold: exact for piecewise-constant input (the state-spaces default).
    case zoh
    /// Bilinear (Tustin): a bijection of the left half-plane onto the unit disc (no frequency folding).
    case bilinear
    /// Forward Euler.
    case euler

    /// The discrete pole μ of rate λ with step Δ.
    public func pole(rate lambda: Complex<Double>, step dt: Double) -> Complex<Double> {
        let x = lambda * Complex(dt)
        switch self {
        case .zoh: return Complex.exp(x)                                           // μ = e^{Δλ}
        case .bilinear: return (1 + x / 2) / (1 - x / 2)                           // μ = (1 + Δλ/2)/(1 − Δλ/2)
        case .euler: return 1 + x                                                  // μ = 1 + Δλ
        }
    }

    /// w with μ = e^w, as the kernel's powers μ^l = e^{lw} use it: ZOH gives Δλ itself (exact, not folded into the
    /// principal band — e^{l(w + 2πik)} = e^{lw} for integer l), the others the principal log of their μ.
    public func logPole(rate lambda: Complex<Double>, step dt: Double) -> Complex<Double> {
        switch self {
        case .zoh: return lambda * Complex(dt)                                     // w = Δλ
        case .bilinear, .euler: return Complex.log(pole(rate: lambda, step: dt))   // w = log μ
        }
    }

    /// The input factor B̄/B of rate λ with step Δ (S4D folds it into C̃ = C·B̄ with B ≡ 1).
    public func inputFactor(rate lambda: Complex<Double>, step dt: Double) -> Complex<Double> {
        let x = lambda * Complex(dt)
        switch self {
        case .zoh: return Complex(dt) * Self.phi1(x)                               // (e^{Δλ} − 1)/λ = Δ·φ₁(Δλ)
        case .bilinear: return Complex(dt) / (1 - x / 2)                           // Δ/(1 − Δλ/2)
        case .euler: return Complex(dt)                                            // Δ
        }
    }

    /// The derivatives of μ and of F = B̄/B with respect to λ (holomorphic) and Δ (real), for backward passes:
    ///   ZOH:       ∂μ/∂λ = Δμ,  ∂μ/∂Δ = λμ,  ∂F/∂λ = Δ²·φ₂′(Δλ) with φ₂′(x) = (x e^x − e^x + 1)/x²,  ∂F/∂Δ = μ
    ///   bilinear:  with d = 1 − Δλ/2:  ∂μ/∂λ = Δ/d²,  ∂μ/∂Δ = λ/d²,  ∂F/∂λ = Δ²/(2d²),  ∂F/∂Δ = 1/d²
    ///   Euler:     ∂μ/∂λ = Δ,  ∂μ/∂Δ = λ,  ∂F/∂λ = 0,  ∂F/∂Δ = 1
    public func derivatives(rate lambda: Complex<Double>, step dt: Double)
        -> (poleRate: Complex<Double>, poleStep: Complex<Double>, factorRate: Complex<Double>, factorStep: Complex<Double>) {
        let x = lambda * Complex(dt), delta = Complex(dt)
        switch self {
        case .zoh:
            let mu = Complex.exp(x)
            let q: Complex<Double>                                                  // (x e^x − e^x + 1)/x²
            if x.length < 1e-4 {
                q = Complex(0.5) + x * (Complex(1.0 / 3) + x * (Complex(1.0 / 8) + x * Complex(1.0 / 30)))
            } else {
                q = (x * mu - Complex.expMinusOne(x)) / (x * x)
            }
            return (delta * mu, lambda * mu, delta * delta * q, mu)
        case .bilinear:
            let den = 1 - x / 2, den2 = den * den
            return (delta / den2, lambda / den2, delta * delta / (2 * den2), 1 / den2)
        case .euler:
            return (delta, lambda, .zero, .one)
        }
    }

    /// φ₁(x) = (e^x − 1)/x, by its Taylor series 1 + x/2 + x²/6 + x³/24 + x⁴/120 for |x| < 1e-4 (truncation < 1e-22)
    /// so that λ → 0 gives B̄ → Δ without cancellation.
    static func phi1(_ x: Complex<Double>) -> Complex<Double> {
        if x.length < 1e-4 {
            return 1 + x * (Complex(0.5) + x * (Complex(1.0 / 6) + x * (Complex(1.0 / 24) + x * Complex(1.0 / 120))))
        }
        return Complex.expMinusOne(x) / x
    }
}
