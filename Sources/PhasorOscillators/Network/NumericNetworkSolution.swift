// Adaptive integration (DOP853, Hairer's Dormand–Prince 8(5,3) with dense output) of the networks that have no closed
// form — coupled Stuart–Landau oscillators
//   dz_i/dt = (iω_i − γ_i) z_i − (α_i + iβ_i)|z_i|² z_i + Σ_j K_ij z_j
// — and, as an independent check of the exact routes, of the linear network dz/dt = J z.

import PhasorNumerics

/// Tolerances of the numeric route (relative, absolute; DOP853's per-component scale atol + rtol·|z|).
public struct NumericTolerance: Sendable, Equatable {
    public var relative: Double
    public var absolute: Double
    public init(relative: Double = 1e-12, absolute: Double = 1e-14) {
        self.relative = relative
        self.absolute = absolute
    }
}

extension OscillatorNetwork {
    /// dz/dt = J z integrated by DOP853 at the given tolerance.
    public func numericSolution(from z0: [Complex<Double>], times: [Double],
                                tolerance: NumericTolerance = NumericTolerance()) throws(OscillatorError)
        -> NetworkSolution
    {
        try checkInitialState(z0)
        try Validate.times(times)
        let states = try integrateComplex(z0, times: times, tolerance: tolerance) { _, z in self.apply(z) }
        return NetworkSolution(times: times, states: states, route: .numeric, eigenvectorCondition: nil)
    }
}

/// Coupled Stuart–Landau oscillators dz_i/dt = (iω_i − γ_i)z_i − (α_i + iβ_i)|z_i|²z_i + Σ_j K_ij z_j.
public struct CoupledStuartLandau: Sendable {
    /// The linear part J = diag(iω − γ) + K.
    public let linear: OscillatorNetwork
    /// α_i (saturation) per oscillator.
    public let alpha: [Double]
    /// β_i (shear) per oscillator.
    public let beta: [Double]

    /// Throws `.shapeMismatch` unless every array has length n and K is n×n, `.nonFiniteParameter` for NaN/Inf.
    public init(omega: [Double], gamma: [Double], alpha: [Double], beta: [Double], coupling: ComplexMatrix)
        throws(OscillatorError)
    {
        linear = try OscillatorNetwork(omega: omega, gamma: gamma, coupling: coupling)
        guard alpha.count == omega.count, beta.count == omega.count else {
            throw .shapeMismatch("alpha has \(alpha.count) and beta \(beta.count) entries for \(omega.count) oscillators")
        }
        try Validate.finite(alpha, "alpha")
        try Validate.finite(beta, "beta")
        self.alpha = alpha
        self.beta = beta
    }

    /// The vector field at z.
    public func field(_ z: [Complex<Double>]) -> [Complex<Double>] {
        var dz = linear.apply(z)  // J z
        for i in z.indices {
            dz[i] = dz[i] - (Complex(alpha[i], beta[i]) * z[i]).multiplied(by: z[i].lengthSquared)  // − (α+iβ)|z|²z
        }
        return dz
    }

    /// DOP853 solution at non-decreasing times ≥ 0. A finite-time blow-up (α_i < 0) is reported as
    /// `.numerical` naming the last finite time.
    public func numericSolution(from z0: [Complex<Double>], times: [Double],
                                tolerance: NumericTolerance = NumericTolerance()) throws(OscillatorError)
        -> NetworkSolution
    {
        try linear.checkInitialState(z0)
        try Validate.times(times)
        let states = try integrateComplex(z0, times: times, tolerance: tolerance) { _, z in self.field(z) }
        return NetworkSolution(times: times, states: states, route: .numeric, eigenvectorCondition: nil)
    }
}

/// DOP853 on a complex field from t = 0, with ODE errors translated into oscillator errors.
func integrateComplex(_ z0: [Complex<Double>], times: [Double], tolerance: NumericTolerance,
                      field: (Double, [Complex<Double>]) -> [Complex<Double>]) throws(OscillatorError)
    -> [[Complex<Double>]]
{
    if times.isEmpty { return [] }
    let options = ODEOptions(relativeTolerance: tolerance.relative, absoluteTolerance: tolerance.absolute)
    do {
        return try ODEIntegrator.solveComplex(.dop853, z0: z0, t0: 0, outputTimes: times, options: options,
                                              field: field).states
    } catch let error as ODEError {
        throw .numerical("numeric integration failed: \(error)")
    } catch {
        throw .numerical("numeric integration failed: \(error)")
    }
}
