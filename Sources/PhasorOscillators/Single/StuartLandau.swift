// The Stuart–Landau oscillator dz/dt = (iω − γ)z − (α + iβ)|z|²z solved in closed form (DESIGN.md §5; the derivation is
// docs/oscillators.md §1). With ρ = |z|², φ(t) = (1 − e^{−2γt})/(2γ) (= t when γ = 0) and D(t) = 1 + 2αρ₀φ(t):
//   |z(t)|  = |z₀| e^{−γt} / √D(t)
//   arg z(t) = arg z₀ + ωt − β ∫₀ᵗ ρ ds,   ∫₀ᵗ ρ ds = ρ₀ φ(t) · log(1 + x)/x,  x = 2αρ₀φ(t)   (= log D/(2α))
// D reaches 0 (finite-time blow-up) only when α < 0; the blow-up time t* is reported, never a NaN.

import PhasorNumerics

/// A single Stuart–Landau oscillator dz/dt = (iω − γ)z − (α + iβ)|z|²z, with its exact solution.
///
/// γ > 0 damps, γ < 0 drives; α > 0 saturates, α < 0 accelerates growth (finite-time blow-up); α = β = 0 is the linear
/// damped oscillator. All closed forms use expm1/log1p so they stay accurate as γ → 0 and α → 0.
public struct StuartLandau: Sendable, Equatable {
    /// Angular frequency ω of the linear part.
    public let omega: Double
    /// Linear damping γ (γ < 0: linear growth).
    public let gamma: Double
    /// Nonlinear amplitude coefficient α (α > 0: saturation; α < 0: blow-up).
    public let alpha: Double
    /// Nonlinear frequency shift β (shear: the frequency is ω − β|z|²).
    public let beta: Double

    /// Throws `.nonFiniteParameter` for a NaN or infinite parameter.
    public init(omega: Double, gamma: Double, alpha: Double = 0, beta: Double = 0) throws(OscillatorError) {
        try Validate.finite(omega, "omega")
        try Validate.finite(gamma, "gamma")
        try Validate.finite(alpha, "alpha")
        try Validate.finite(beta, "beta")
        self.omega = omega
        self.gamma = gamma
        self.alpha = alpha
        self.beta = beta
    }

    /// The vector field f(z) = (iω − γ)z − (α + iβ)|z|²z.
    public func field(_ z: Complex<Double>) -> Complex<Double> {
        let linear = Complex(-gamma, omega) * z
        let cubic = (Complex(alpha, beta) * z).multiplied(by: z.lengthSquared)
        return linear - cubic
    }

    /// The invariant circle |z| = √(−γ/α), which exists when γ and α have opposite signs; it is a stable limit cycle
    /// when γ < 0 < α and an unstable one (the threshold between decay and blow-up) when α < 0 < γ.
    public var invariantCircle: (radius: Double, stable: Bool)? {
        guard gamma * alpha < 0 else { return nil }
        return ((-gamma / alpha).squareRoot(), alpha > 0)
    }

    /// The finite time t* > 0 at which |z| → ∞ starting from z₀, or nil when the solution exists for all t ≥ 0.
    ///
    /// D(t*) = 0 ⇔ φ(t*) = c with c = −1/(2αρ₀); since φ increases from 0 to 1/(2γ) (γ > 0) or ∞ (γ ≤ 0), this has a
    /// solution iff α < 0, ρ₀ > 0 and 2γc < 1:  t* = −log(1 − 2γc)/(2γ) = c · G(2γc),  G(s) = −log(1 − s)/s.
    public func blowupTime(from z0: Complex<Double>) -> Double? {
        let rho0 = z0.lengthSquared
        guard alpha < 0, rho0 > 0, rho0.isFinite else { return nil }
        let c = -1 / (2 * alpha * rho0)
        let s = 2 * gamma * c
        guard s < 1 else { return nil }
        return c * Special.l1(-s)  // c·log(1 − s)/(−s)
    }

    /// The exact state z(t) from z(0) = z₀, t ≥ 0.
    ///
    /// Throws `.blowup(time: t*)` when t ≥ t*, `.overflow` when |z(t)| exceeds Double's range (exponential growth with
    /// α ≤ 0), `.negativeTime` for t < 0 and `.nonFiniteParameter` for a non-finite z₀ or t.
    public func state(at t: Double, from z0: Complex<Double>) throws(OscillatorError) -> Complex<Double> {
        guard z0.isFinite else { throw .nonFiniteParameter("z0") }
        guard t.isFinite else { throw .nonFiniteParameter("t") }
        guard t >= 0 else { throw .negativeTime(index: 0, value: t) }
        if let tStar = blowupTime(from: z0), t >= tStar { throw .blowup(time: tStar) }
        let rho0 = z0.lengthSquared
        if rho0 == 0 { return .zero }  // z ≡ 0 is a fixed point
        let phi = t * Special.e1(-2 * gamma * t)  // φ(t) = (1 − e^{−2γt})/(2γ) = t·E₁(−2γt)
        let x = 2 * alpha * rho0 * phi  // D = 1 + x
        // Amplitude ratio a = |z(t)|/|z₀|. γ ≥ 0: a = e^{−γt}/√D (φ ≤ 1/(2γ), no overflow). γ < 0: multiply through by
        // e^{2γt} ≤ 1, a = 1/√(e^{2γt} + 2αρ₀ψ) with ψ = e^{2γt}φ = (e^{2γt} − 1)/(2γ) = t·E₁(2γt) ≤ t.
        let amplitude: Double
        let w: Double  // e^{2γt}·D(t) when γ < 0, D(t) otherwise
        if gamma >= 0 {
            w = 1 + x
            amplitude = Double.exp(-gamma * t) / w.squareRoot()
        } else {
            let psi = t * Special.e1(2 * gamma * t)
            w = Double.exp(2 * gamma * t) + 2 * alpha * rho0 * psi
            amplitude = 1 / w.squareRoot()
        }
        guard w > 0 else {
            if let tStar = blowupTime(from: z0) { throw .blowup(time: tStar) }  // rounding right at t*
            throw .overflow(time: t)  // e^{2γt}·D underflowed: |z| beyond Double's range
        }
        // Phase integral I = ∫₀ᵗ |z|² ds = log D/(2α) = ρ₀φ·log(1 + x)/x (the second form is exact for α → 0).
        var integral = rho0 * phi * Special.l1(x)
        if !integral.isFinite, alpha != 0, gamma < 0 {
            // φ overflowed (e^{−2γt} > Double.max): log D = −2γt + log(e^{2γt}D).
            integral = (-2 * gamma * t + Double.log(w)) / (2 * alpha)
        }
        let angle = omega * t - beta * integral  // θ(t) − θ₀ = ωt − β∫|z|²
        let z = (z0 * Complex(Double.cos(angle), Double.sin(angle))).multiplied(by: amplitude)
        guard z.isFinite, angle.isFinite else { throw .overflow(time: t) }
        return z
    }

    /// The exact states at non-decreasing times ≥ 0. States are given for the times before the blow-up time (if any);
    /// `blowupTime` is reported whenever the solution blows up at a finite t*, whether or not t* lies in the range.
    public func trajectory(from z0: Complex<Double>, times: [Double]) throws(OscillatorError) -> OscillatorTrajectory {
        guard z0.isFinite else { throw .nonFiniteParameter("z0") }
        try Validate.times(times)
        let tStar = blowupTime(from: z0)
        var kept: [Double] = []
        var states: [Complex<Double>] = []
        for t in times {
            if let tStar, t >= tStar { break }
            do {
                states.append(try state(at: t, from: z0))
            } catch .blowup {
                break  // t within rounding of t*
            }
            kept.append(t)
        }
        return OscillatorTrajectory(times: kept, states: states, blowupTime: tStar)
    }
}

/// States of one oscillator at output times, with the finite blow-up time if there is one.
public struct OscillatorTrajectory: Sendable, Equatable {
    /// The output times at which a state exists (the requested times before `blowupTime`).
    public let times: [Double]
    /// `states[k]` = z(times[k]); all finite.
    public let states: [Complex<Double>]
    /// The finite time t* at which |z| → ∞, or nil when the solution exists for all t ≥ 0.
    public let blowupTime: Double?

    public init(times: [Double], states: [Complex<Double>], blowupTime: Double?) {
        self.times = times
        self.states = states
        self.blowupTime = blowupTime
    }
}
