// Step-size selection of the adaptive driver (Hairer, Nørsett & Wanner I, §II.4; Hairer's DOPRI5/DOP853 codes):
// the automatic initial step and the PI controller that turns a scaled error into the next step size.

/// Hairer's PI step-size controller (Hairer & Wanner II, §IV.2; the "Lund stabilisation" of DOPRI5).
struct StepSizeController {
    /// Safety factor.
    let safety = 0.9
    /// Exponent α of the error (Hairer's expo1) and memory exponent β.
    let alpha: Double
    let beta: Double
    /// Limits of h_new / h.
    let facMin: Double
    let facMax: Double
    /// Previous accepted error, floored at 1e-4 (Hairer's facold).
    private var previousError = 1e-4

    init(_ tableau: RKTableau) {
        alpha = tableau.errorExponent
        beta = tableau.beta
        facMin = tableau.facMin
        facMax = tableau.facMax
    }

    /// Next step after accepting a step with scaled error err ≤ 1:
    /// h_new = h · clamp(safety · err^{−α} · err_prev^{β}, facMin, facMax); no growth right after a rejection.
    mutating func accepted(h: Double, error err: Double, afterRejection: Bool) -> Double {
        let grow = err > 0 ? safety * Double.pow(err, -alpha) * Double.pow(previousError, beta) : facMax
        var factor = min(facMax, max(facMin, grow))
        if afterRejection { factor = min(factor, 1) }
        previousError = max(err, 1e-4)
        return h * factor
    }

    /// Smaller step after rejecting a step with scaled error err > 1 (+∞ when the trial was non-finite):
    /// h_new = h · max(facMin, safety · err^{−α}).
    func rejected(h: Double, error err: Double) -> Double {
        let shrink = err.isFinite ? safety * Double.pow(err, -alpha) : facMin
        return h * max(facMin, min(shrink, 1))
    }
}

/// Hairer's automatic initial step (HINIT): from d0 = ‖y0‖, d1 = ‖f0‖ (scaled RMS norms) take h0 = 0.01·d0/d1
/// (1e-6 if either is tiny), one Euler step to estimate d2 = ‖f(t0 + h0, y0 + h0 f0) − f0‖ / h0, then
/// h1 = (0.01 / max(d1, d2))^{1/p} and h = min(100·h0, h1, hmax). Returns |h| (the sign is the caller's) and the number of f evaluations used.
func initialStepSize(stepper: ODEStepper, order p: Int, direction: Double, relativeTolerance rtol: Double,
                     absoluteTolerance atol: Double, maxStep: Double,
                     field: ThrowingODEField) throws -> (h: Double, evaluations: Int) {
    let n = stepper.dimension
    let y0 = stepper.state
    let f0 = stepper.derivative
    let t0 = stepper.time
    var dny = 0.0, dnf = 0.0
    var scale = [Double](repeating: 0, count: n)
    for i in 0..<n {
        scale[i] = atol + rtol * abs(y0[i])  // sc_i = atol + rtol·|y0_i|
        // A zero scale (atol = 0, y0_i = 0) leaves the component out of the estimate.
        if scale[i] == 0 { continue }
        dny += (y0[i] / scale[i]) * (y0[i] / scale[i])
        dnf += (f0[i] / scale[i]) * (f0[i] / scale[i])
    }
    dny /= Double(n)
    dnf /= Double(n)
    var h = (dnf <= 1e-10 || dny <= 1e-10) ? 1e-6 : 0.01 * (dny / dnf).squareRoot()
    h = min(h, maxStep)
    var y1 = [Double](repeating: 0, count: n)
    var f1 = [Double](repeating: 0, count: n)
    var der2 = Double.infinity
    // Shrink the trial Euler step until f is finite there (at most a few times).
    var evaluations = 0
    for _ in 0..<20 {
        evaluations += 1
        for i in 0..<n { y1[i] = y0[i] + direction * h * f0[i] }
        try y1.withUnsafeBufferPointer { yb in
            try f1.withUnsafeMutableBufferPointer { fb in try field(t0 + direction * h, yb, fb) }
        }
        var s = 0.0
        for i in 0..<n where scale[i] > 0 {
            let r = (f1[i] - f0[i]) / scale[i]
            s += r * r
        }
        der2 = (s / Double(n)).squareRoot() / h
        if der2.isFinite { break }
        h *= 0.1
    }
    if !der2.isFinite { return (h, evaluations) }
    let der12 = max(abs(der2), dnf.squareRoot())
    let h1 = der12 <= 1e-15 ? max(1e-6, h * 1e-3) : Double.pow(0.01 / der12, 1.0 / Double(p))
    let start = min(100 * h, h1, maxStep)
    return (start.isFinite && start > 0 ? start : min(1e-6, maxStep), evaluations)
}
