// The adaptive driver: validates the request, picks the first step, runs accept/reject with the PI controller, and
// reads the requested output times off the dense output of each accepted step (steps are never shortened to hit an
// output time; only the very last step lands on the final time). Complex systems ride on the real driver as 2n reals.

/// Adaptive explicit Runge–Kutta integration of dy/dt = f(t, y) (DOPRI5, DOP853) with dense output.
public enum ODEIntegrator {
    /// Integrates dy/dt = f(t, y) from (t0, y0) and returns the states at `outputTimes`.
    ///
    /// `outputTimes` must be non-decreasing and ≥ t0 (forward), or non-increasing and ≤ t0 (backward integration);
    /// times equal to t0 return y0. Between steps the states come from the method's dense output (no step-size
    /// clamping to output times). Throws `ODEError` for invalid input, blow-up (`.nonFinite`), step-size underflow,
    /// or exhausted `maxSteps`; never returns NaN/Inf.
    public static func solve(_ method: ODEMethod, y0: [Double], t0: Double, outputTimes: [Double],
                             options: ODEOptions = ODEOptions(),
                             field: (_ t: Double, _ y: UnsafeBufferPointer<Double>,
                                     _ dy: UnsafeMutableBufferPointer<Double>) -> Void) throws -> ODESolution {
        try withoutActuallyEscaping(field) { f in
            try integrate(method, y0: y0, t0: t0, outputTimes: outputTimes, options: options, field: f)
        }
    }

    /// Complex systems dz/dt = f(t, z), z ∈ ℂⁿ, integrated as 2n real components (re z_0, im z_0, re z_1, …); the
    /// tolerances apply to real and imaginary parts separately. Same contract as `solve`; also throws
    /// `ODEError.invalidState` if `field` returns a vector of the wrong length.
    public static func solveComplex(_ method: ODEMethod, z0: [Complex<Double>], t0: Double, outputTimes: [Double],
                                    options: ODEOptions = ODEOptions(),
                                    field: (_ t: Double, _ z: [Complex<Double>]) -> [Complex<Double>]) throws
        -> (times: [Double], states: [[Complex<Double>]], statistics: ODEStatistics)
    {
        let n = z0.count
        var y0 = [Double](repeating: 0, count: 2 * n)
        for (i, z) in z0.enumerated() {
            y0[2 * i] = z.real  // y_{2i} = Re z_i
            y0[2 * i + 1] = z.imaginary  // y_{2i+1} = Im z_i
        }
        let solution = try withoutActuallyEscaping(field) { f in
            var z = [Complex<Double>](repeating: .zero, count: n)
            let realField: ThrowingODEField = { t, y, dy in
                for i in 0..<n { z[i] = Complex(y[2 * i], y[2 * i + 1]) }
                let dz = f(t, z)
                guard dz.count == n else {
                    throw ODEError.invalidState(
                        "the complex field returned \(dz.count) components for a state of \(n): return one derivative per component")
                }
                for i in 0..<n {
                    dy[2 * i] = dz[i].real
                    dy[2 * i + 1] = dz[i].imaginary
                }
            }
            return try integrate(method, y0: y0, t0: t0, outputTimes: outputTimes, options: options, field: realField)
        }
        let states = solution.states.map { y in (0..<n).map { Complex(y[2 * $0], y[2 * $0 + 1]) } }
        return (solution.times, states, solution.statistics)
    }

    // MARK: - Driver

    /// Direction of integration implied by t0 and the output times (+1, −1; +1 when all equal t0).
    static func direction(t0: Double, outputTimes: [Double]) throws -> Double {
        guard t0.isFinite else { throw ODEError.invalidTimes("t0 = \(t0) is not finite") }
        if let i = outputTimes.firstIndex(where: { !$0.isFinite }) {
            throw ODEError.invalidTimes("outputTimes[\(i)] = \(outputTimes[i]) is not finite")
        }
        guard let last = outputTimes.last else { return 1 }
        let dir: Double = last >= t0 ? 1 : -1
        for (i, t) in outputTimes.enumerated() {
            if (t - t0) * dir < 0 {
                throw ODEError.invalidTimes(
                    "outputTimes[\(i)] = \(t) lies on the other side of t0 = \(t0) than the last output time \(last): "
                        + "give times all ≥ t0 (forward) or all ≤ t0 (backward)")
            }
            if i > 0, (t - outputTimes[i - 1]) * dir < 0 {
                throw ODEError.invalidTimes(
                    "outputTimes[\(i)] = \(t) comes after \(outputTimes[i - 1]): output times must be "
                        + (dir > 0 ? "non-decreasing (forward integration)" : "non-increasing (backward integration)"))
            }
        }
        return dir
    }

    static func integrate(_ method: ODEMethod, y0: [Double], t0: Double, outputTimes: [Double], options: ODEOptions,
                          field: @escaping ThrowingODEField) throws -> ODESolution {
        try options.validate()
        guard !y0.isEmpty else { throw ODEError.invalidState("y0 is empty: give at least one component") }
        if let i = y0.firstIndex(where: { !$0.isFinite }) {
            throw ODEError.invalidState("y0[\(i)] = \(y0[i]) is not finite: the initial state must be finite")
        }
        let dir = try direction(t0: t0, outputTimes: outputTimes)
        let n = y0.count
        var states = [[Double]]()
        states.reserveCapacity(outputTimes.count)
        var next = 0
        while next < outputTimes.count, outputTimes[next] == t0 {
            states.append(y0)
            next += 1
        }
        guard next < outputTimes.count, let tEnd = outputTimes.last else {
            return ODESolution(times: outputTimes, states: states, statistics: ODEStatistics())
        }

        let stepper = try ODEStepper(method, y0: y0, t0: t0, throwingField: field)
        let rtol = options.relativeTolerance, atol = options.absoluteTolerance
        var stats = ODEStatistics()
        var h: Double
        if let h0 = options.initialStep {
            h = min(abs(h0), options.maxStep)
        } else {
            let start = try initialStepSize(
                stepper: stepper, order: method.order, direction: dir, relativeTolerance: rtol,
                absoluteTolerance: atol, maxStep: options.maxStep, field: field)
            h = start.h
            stats.evaluations += start.evaluations
        }
        h *= dir
        var controller = StepSizeController(stepper.tableau)
        var rejectedLast = false
        var nonFiniteLast = false
        var attempts = 0
        var out = [Double](repeating: 0, count: n)

        while true {
            let t = stepper.time
            guard attempts < options.maxSteps else {
                stats.evaluations += stepper.evaluations
                throw ODEError.tooManySteps(t: t)
            }
            // Hairer's underflow test: 0.1·|h| ≤ |t|·u (plus an absolute floor near t = 0).
            if 0.1 * abs(h) <= abs(t) * Double.ulpOfOne || abs(h) < 1e-300 {
                throw nonFiniteLast ? ODEError.nonFinite(t: t) : ODEError.stepSizeUnderflow(t: t)
            }
            // Land on t_end; stretch by up to 1 % rather than leave a sliver (Hairer: x + 1.01 h ≥ x_end).
            var last = false
            let remaining = stepper.distance(to: tEnd)
            if (1.01 * h - remaining) * dir >= 0 {
                h = remaining
                last = true
            }
            attempts += 1
            let err = try stepper.attempt(h: h, relativeTolerance: rtol, absoluteTolerance: atol)
            if err <= 1 {
                try stepper.accept()
                stats.accepted += 1
                if last { stepper.snapTime(to: tEnd) }
                // Output times inside the step come from the dense output; those at its end are the step's y exactly.
                while next < outputTimes.count, stepper.distance(to: outputTimes[next]) * dir < 0 {
                    try out.withUnsafeMutableBufferPointer { try stepper.denseOutput(at: outputTimes[next], into: $0) }
                    if out.contains(where: { !$0.isFinite }) {
                        throw ODEError.nonFinite(t: stepper.previousTime)
                    }
                    states.append(out)
                    next += 1
                }
                if next < outputTimes.count, (stepper.distance(to: outputTimes[next]) == 0 || last) {
                    let y = stepper.state
                    while next < outputTimes.count, (stepper.distance(to: outputTimes[next]) == 0 || last) {
                        states.append(y)
                        next += 1
                    }
                }
                if last || next == outputTimes.count { break }
                h = controller.accepted(h: h, error: err, afterRejection: rejectedLast)
                if abs(h) > options.maxStep { h = dir * options.maxStep }
                rejectedLast = false
                nonFiniteLast = false
            } else {
                stats.rejected += 1
                nonFiniteLast = !err.isFinite
                h = controller.rejected(h: h, error: err)
                rejectedLast = true
            }
        }
        stats.evaluations += stepper.evaluations
        return ODESolution(times: outputTimes, states: states, statistics: stats)
    }
}
