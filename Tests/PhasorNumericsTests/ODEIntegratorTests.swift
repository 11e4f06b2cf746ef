// The adaptive integrators against closed-form solutions (linear, complex, Stuart–Landau, logistic), dense output at
// many times, rejected steps, blow-up and invalid input.
import PhasorNumerics
import Testing

private func maxAbs(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }

@Test(arguments: ODEMethod.allCases)
func exponentialDecayMatchesClosedForm(_ method: ODEMethod) throws {
    // y' = −λ y  ⇒  y = y0 e^{−λt}.
    let lambda = 0.7
    let times = (1...50).map { Double($0) * 0.2 }
    let opts = ODEOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-14)
    let sol = try ODEIntegrator.solve(method, y0: [2.5], t0: 0, outputTimes: times, options: opts) { _, y, dy in
        dy[0] = -lambda * y[0]
    }
    var worst = 0.0
    for (t, y) in zip(sol.times, sol.states) {
        let exact = 2.5 * Double.exp(-lambda * t)
        worst = max(worst, abs(y[0] - exact) / exact)
    }
    #expect(worst < 2e-10, "relative error \(worst)")
    #expect(sol.statistics.accepted > 0 && sol.statistics.evaluations > sol.statistics.accepted)
}

@Test func harmonicOscillatorOverOneHundredPeriodsDOP853() throws {
    // x'' = −ω² x: x = cos ωt, v = −ω sin ωt; energy E = (v² + ω² x²)/2 = ω²/2.
    let omega = 1.3
    let periods = 100.0
    let tEnd = periods * 2 * Double.pi / omega
    let times = (1...400).map { tEnd * Double($0) / 400 }
    let opts = ODEOptions(relativeTolerance: 1e-12, absoluteTolerance: 1e-14)
    let sol = try ODEIntegrator.solve(.dop853, y0: [1, 0], t0: 0, outputTimes: times, options: opts) { _, y, dy in
        dy[0] = y[1]
        dy[1] = -omega * omega * y[0]
    }
    var worstState = 0.0, worstEnergy = 0.0, worstPhase = 0.0
    for (t, y) in zip(sol.times, sol.states) {
        worstState = max(worstState, maxAbs(y, [Double.cos(omega * t), -omega * Double.sin(omega * t)]))
        let energy = 0.5 * (y[1] * y[1] + omega * omega * y[0] * y[0])
        worstEnergy = max(worstEnergy, abs(energy - 0.5 * omega * omega))
        // Phase φ = atan2(−v/ω, x) against ωt (mod 2π).
        let phase = Double.atan2(y: -y[1] / omega, x: y[0])
        var d = (phase - omega * t).truncatingRemainder(dividingBy: 2 * Double.pi)
        if d > Double.pi { d -= 2 * Double.pi }
        if d < -Double.pi { d += 2 * Double.pi }
        worstPhase = max(worstPhase, abs(d))
    }
    #expect(worstState < 1e-10, "state error \(worstState)")
    #expect(worstEnergy < 1e-10, "energy error \(worstEnergy)")
    #expect(worstPhase < 1e-10, "phase error \(worstPhase)")
}

@Test(arguments: ODEMethod.allCases)
func complexLinearSystemMatchesClosedForm(_ method: ODEMethod) throws {
    // z_k' = (iω_k − γ_k) z_k  ⇒  z_k(t) = z_k(0) e^{(iω_k − γ_k)t}.
    let omegas = [1.0, -2.5, 0.3]
    let gammas = [0.1, 0.05, 0.0]
    let z0 = [Complex(1.0, 0.5), Complex(-0.3, 2.0), Complex(0.0, -1.0)]
    let times = (1...40).map { Double($0) * 0.5 }
    let opts = ODEOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-13)
    let sol = try ODEIntegrator.solveComplex(method, z0: z0, t0: 0, outputTimes: times, options: opts) { _, z in
        (0..<3).map { Complex(-gammas[$0], omegas[$0]) * z[$0] }
    }
    var worst = 0.0
    for (t, z) in zip(sol.times, sol.states) {
        for k in 0..<3 {
            let exact = z0[k] * Complex.exp(Complex(-gammas[k], omegas[k]) * Complex(t))
            worst = max(worst, (z[k] - exact).length)
        }
    }
    #expect(worst < 2e-9, "error \(worst)")
}

@Test(arguments: ODEMethod.allCases)
func coupledComplexPairMatchesClosedForm(_ method: ODEMethod) throws {
    // z' = M z, M = [[a, κ], [κ, b]] (a, b = iω − γ): with m = (a + b)/2, d = √(((a − b)/2)² + κ²),
    // e^{tM} = e^{mt} [cosh(dt) I + sinh(dt)/d (M − m I)] (Cayley–Hamilton for a 2×2 matrix).
    let a = Complex(-0.1, 1.0), b = Complex(-0.05, 1.7), kappa = Complex(0.3, -0.2)
    let z0 = [Complex(1.0, 0.0), Complex(0.0, 0.5)]
    let m = (a + b) / 2
    let d = Complex.sqrt((a - b) * (a - b) / 4 + kappa * kappa)
    let times = (1...20).map { Double($0) * 0.5 }
    let opts = ODEOptions(relativeTolerance: 1e-12, absoluteTolerance: 1e-14)
    let sol = try ODEIntegrator.solveComplex(method, z0: z0, t0: 0, outputTimes: times, options: opts) { _, z in
        [a * z[0] + kappa * z[1], kappa * z[0] + b * z[1]]
    }
    var worst = 0.0
    for (t, z) in zip(sol.times, sol.states) {
        let tc = Complex(t)
        let e = Complex.exp(m * tc), c = Complex.cosh(d * tc), s = Complex.sinh(d * tc) / d
        let x0 = e * (c * z0[0] + s * ((a - m) * z0[0] + kappa * z0[1]))
        let x1 = e * (c * z0[1] + s * (kappa * z0[0] + (b - m) * z0[1]))
        worst = max(worst, (z[0] - x0).length, (z[1] - x1).length)
    }
    #expect(worst < 1e-10, "error \(worst)")
}

@Test(arguments: ODEMethod.allCases)
func nonNormalLinearSystemMatchesClosedForm(_ method: ODEMethod) throws {
    // y1' = −y1 + 3 y2, y2' = −2 y2  ⇒  y2 = b e^{−2t}, y1 = a e^{−t} + 3b (e^{−t} − e^{−2t}).
    let (a, b) = (0.4, -1.2)
    let times = (0...30).map { Double($0) * 0.25 }
    let opts = ODEOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-14)
    let sol = try ODEIntegrator.solve(method, y0: [a, b], t0: 0, outputTimes: times, options: opts) { _, y, dy in
        dy[0] = -y[0] + 3 * y[1]
        dy[1] = -2 * y[1]
    }
    #expect(sol.states[0] == [a, b])
    var worst = 0.0
    for (t, y) in zip(sol.times, sol.states) {
        let e1 = Double.exp(-t), e2 = Double.exp(-2 * t)
        worst = max(worst, maxAbs(y, [a * e1 + 3 * b * (e1 - e2), b * e2]))
    }
    #expect(worst < 1e-10, "error \(worst)")
}

/// |z(t)|² of dz/dt = (iω − γ)z − α|z|²z: r0² e^{−2γt} / (1 + (α/γ) r0² (1 − e^{−2γt})).
private func stuartLandauModulusSquared(r0: Double, gamma: Double, alpha: Double, t: Double) -> Double {
    let e = Double.exp(-2 * gamma * t)
    return r0 * r0 * e / (1 + (alpha / gamma) * r0 * r0 * (1 - e))
}

@Test(arguments: ODEMethod.allCases, [(0.3, 0.8), (-0.5, 1.5)])
func stuartLandauAmplitudeMatchesClosedForm(_ method: ODEMethod, _ params: (Double, Double)) throws {
    // γ > 0: decay to 0; γ < 0 < α: approach to the limit cycle r∞ = √(−γ/α).
    let (gamma, alpha) = params
    let omega = 2.0
    let z0 = Complex(0.9, -0.6)
    let r0 = z0.length
    let times = (1...60).map { Double($0) * 0.25 }
    let opts = ODEOptions(relativeTolerance: 1e-12, absoluteTolerance: 1e-14)
    let sol = try ODEIntegrator.solveComplex(method, z0: [z0], t0: 0, outputTimes: times, options: opts) { _, z in
        [Complex(-gamma, omega) * z[0] - Complex(alpha * z[0].lengthSquared) * z[0]]
    }
    var worst = 0.0
    for (t, z) in zip(sol.times, sol.states) {
        let exact = stuartLandauModulusSquared(r0: r0, gamma: gamma, alpha: alpha, t: t)
        worst = max(worst, abs(z[0].lengthSquared - exact))
    }
    #expect(worst < 1e-10, "error \(worst)")
}

@Test(arguments: ODEMethod.allCases)
func logisticEquationMatchesClosedForm(_ method: ODEMethod) throws {
    // y' = r y (1 − y/K)  ⇒  y = K y0 e^{rt} / (K + y0 (e^{rt} − 1)).
    let (r, k, y0) = (1.5, 4.0, 0.05)
    let times = (1...40).map { Double($0) * 0.3 }
    let opts = ODEOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-13)
    let sol = try ODEIntegrator.solve(method, y0: [y0], t0: 0, outputTimes: times, options: opts) { _, y, dy in
        dy[0] = r * y[0] * (1 - y[0] / k)
    }
    var worst = 0.0
    for (t, y) in zip(sol.times, sol.states) {
        let e = Double.exp(r * t)
        worst = max(worst, abs(y[0] - k * y0 * e / (k + y0 * (e - 1))))
    }
    #expect(worst < 1e-9, "error \(worst)")
}

@Test(arguments: ODEMethod.allCases)
func denseOutputAtManyTimesNeitherChangesStepsNorLosesAccuracy(_ method: ODEMethod) throws {
    // x' = v, v' = −x on [0, 20]: 2 outputs vs 2001 outputs take the same steps (no clamping to output times), and
    // every interpolated state matches (cos t, −sin t).
    let opts = ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-13)
    let field: ODEField = { _, y, dy in
        dy[0] = y[1]
        dy[1] = -y[0]
    }
    let coarse = try ODEIntegrator.solve(method, y0: [1, 0], t0: 0, outputTimes: [10, 20], options: opts, field: field)
    let fine = (0...2000).map { Double($0) * 0.01 }
    let dense = try ODEIntegrator.solve(method, y0: [1, 0], t0: 0, outputTimes: fine, options: opts, field: field)
    #expect(dense.statistics.accepted == coarse.statistics.accepted)
    #expect(dense.statistics.rejected == coarse.statistics.rejected)
    // DOP853 spends its 3 extra dense-output stages only on steps that contain an output time.
    let extra = method == .dop853 ? 3 * dense.statistics.accepted : 0
    #expect(dense.statistics.evaluations <= coarse.statistics.evaluations + extra)
    #expect(dense.states.count == fine.count)
    var worst = 0.0
    for (t, y) in zip(dense.times, dense.states) {
        worst = max(worst, maxAbs(y, [Double.cos(t), -Double.sin(t)]))
    }
    #expect(worst < (method == .dopri5 ? 2e-8 : 5e-9), "error \(worst)")
    #expect(dense.states.last == coarse.states.last)
}

@Test(arguments: ODEMethod.allCases)
func stiffStartRejectsStepsAndStillConverges(_ method: ODEMethod) throws {
    // y' = −λ(y − cos t), y(0) = 0, λ = 200: y = (λ² cos t + λ sin t)/(λ² + 1) − λ²/(λ² + 1) e^{−λt}.
    // A first step of 0.1 (λh = 20) is far outside the stability region and must be rejected.
    let lambda = 200.0
    let opts = ODEOptions(relativeTolerance: 1e-9, absoluteTolerance: 1e-12, initialStep: 0.1)
    let times = [0.01, 0.05, 0.5, 1.0]
    let sol = try ODEIntegrator.solve(method, y0: [0], t0: 0, outputTimes: times, options: opts) { t, y, dy in
        dy[0] = -lambda * (y[0] - Double.cos(t))
    }
    #expect(sol.statistics.rejected > 0)
    let l2 = lambda * lambda
    for (t, y) in zip(sol.times, sol.states) {
        let exact = (l2 * Double.cos(t) + lambda * Double.sin(t)) / (l2 + 1) - l2 / (l2 + 1) * Double.exp(-lambda * t)
        #expect(abs(y[0] - exact) < 1e-8, "t = \(t): \(y[0]) vs \(exact)")
    }
}

@Test(arguments: ODEMethod.allCases)
func finiteTimeBlowUpIsReportedNearTheBlowUpTime(_ method: ODEMethod) throws {
    // y' = y², y(0) = 1  ⇒  y = 1/(1 − t) blows up at t = 1; outputs before 1 are still delivered by a separate call.
    let field: ODEField = { _, y, dy in dy[0] = y[0] * y[0] }
    do {
        _ = try ODEIntegrator.solve(method, y0: [1], t0: 0, outputTimes: [0.5, 2], field: field)
        Issue.record("blow-up was not reported")
    } catch let error as ODEError {
        switch error {
        case .nonFinite(let t), .stepSizeUnderflow(let t):
            #expect(abs(t - 1) < 1e-6, "reported at t = \(t)")
        default:
            Issue.record("unexpected error \(error)")
        }
    }
    let before = try ODEIntegrator.solve(method, y0: [1], t0: 0, outputTimes: [0.5, 0.9], field: field)
    #expect(abs(before.states[1][0] - 10) < 1e-7)
}

@Test(arguments: ODEMethod.allCases)
func fieldThatTurnsNaNIsReportedAsNonFinite(_ method: ODEMethod) throws {
    // y' = √(1 − t) is NaN for t > 1: every step across t = 1 is rejected until the step underflows there.
    do {
        let sol = try ODEIntegrator.solve(method, y0: [0], t0: 0, outputTimes: [0.5, 2]) { t, _, dy in
            dy[0] = (1 - t).squareRoot()
        }
        Issue.record("no error; states \(sol.states)")
    } catch let error as ODEError {
        guard case .nonFinite(let t) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(abs(t - 1) < 1e-9, "reported at t = \(t)")
    }
}

@Test func stepperRejectsAZeroStep() throws {
    let stepper = try ODEStepper(.dopri5, y0: [1], t0: 0) { _, y, dy in dy[0] = y[0] }
    #expect(throws: ODEError.invalidState("step size h = 0.0 must be finite and non-zero")) {
        try stepper.fixedStep(h: 0)
    }
    #expect(throws: ODEError.self) { try stepper.accept() }
    #expect(throws: ODEError.self) { _ = try stepper.denseOutput(at: 0) }
}

@Test(arguments: ODEMethod.allCases)
func pureRelativeToleranceHandlesZeroComponents(_ method: ODEMethod) throws {
    // atol = 0 with a component that is exactly 0 (0/0 in the scaled error must count as 0, not NaN).
    let opts = ODEOptions(relativeTolerance: 1e-10, absoluteTolerance: 0)
    let sol = try ODEIntegrator.solve(method, y0: [0, 1], t0: 0, outputTimes: [1, 3], options: opts) { _, y, dy in
        dy[0] = -y[0]
        dy[1] = -y[1]
    }
    #expect(sol.states[0][0] == 0 && sol.states[1][0] == 0)
    #expect(abs(sol.states[1][1] - Double.exp(-3)) < 1e-10)
}

@Test func maxStepBoundsEveryStep() throws {
    // y' = 0 would be crossed in one step; a first step of 0.5 clamped to maxStep = 0.1 gives exactly 10 steps.
    let opts = ODEOptions(initialStep: 0.5, maxStep: 0.1)
    let sol = try ODEIntegrator.solve(.dop853, y0: [1], t0: 0, outputTimes: [1], options: opts) { _, _, dy in dy[0] = 0 }
    #expect(sol.statistics.accepted == 10)
    #expect(sol.states == [[1]])
}

@Test func backwardIntegrationRunsToEarlierTimes() throws {
    // y' = y from t0 = 1, y(1) = e, back to t = 0 (y = 1) and −1 (y = 1/e).
    let sol = try ODEIntegrator.solve(.dop853, y0: [Double.exp(1)], t0: 1, outputTimes: [1, 0, -1]) { _, y, dy in
        dy[0] = y[0]
    }
    #expect(sol.states[0][0] == Double.exp(1))
    #expect(abs(sol.states[1][0] - 1) < 1e-9)
    #expect(abs(sol.states[2][0] - Double.exp(-1)) < 1e-9)
}

@Test func invalidInputsGiveTypedErrors() throws {
    let field: ODEField = { _, y, dy in dy[0] = -y[0] }
    func code(_ body: () throws -> Void) -> ODEError? {
        do { try body() } catch let e as ODEError { return e } catch { return nil }
        return nil
    }
    let nanState = code { _ = try ODEIntegrator.solve(.dopri5, y0: [.nan], t0: 0, outputTimes: [1], field: field) }
    guard case .invalidState = nanState else { Issue.record("NaN y0: \(String(describing: nanState))"); return }
    let decreasing = code {
        _ = try ODEIntegrator.solve(.dopri5, y0: [1], t0: 0, outputTimes: [1, 0.5], field: field)
    }
    guard case .invalidTimes = decreasing else { Issue.record("decreasing: \(String(describing: decreasing))"); return }
    let mixed = code { _ = try ODEIntegrator.solve(.dop853, y0: [1], t0: 0, outputTimes: [-1, 1], field: field) }
    guard case .invalidTimes = mixed else { Issue.record("mixed: \(String(describing: mixed))"); return }
    let nanTime = code { _ = try ODEIntegrator.solve(.dop853, y0: [1], t0: .nan, outputTimes: [1], field: field) }
    guard case .invalidTimes = nanTime else { Issue.record("NaN t0: \(String(describing: nanTime))"); return }
    let negTol = code {
        _ = try ODEIntegrator.solve(.dopri5, y0: [1], t0: 0, outputTimes: [1],
                                    options: ODEOptions(relativeTolerance: -1e-6), field: field)
    }
    guard case .invalidState = negTol else { Issue.record("negative rtol: \(String(describing: negTol))"); return }
    let empty = code { _ = try ODEIntegrator.solve(.dopri5, y0: [], t0: 0, outputTimes: [1], field: field) }
    guard case .invalidState = empty else { Issue.record("empty y0: \(String(describing: empty))"); return }
    let wrongCount = code {
        _ = try ODEIntegrator.solveComplex(.dopri5, z0: [Complex(1.0, 0)], t0: 0, outputTimes: [1]) { _, z in z + z }
    }
    guard case .invalidState = wrongCount else { Issue.record("wrong count: \(String(describing: wrongCount))"); return }
    let tooMany = code {
        _ = try ODEIntegrator.solve(.dopri5, y0: [1], t0: 0, outputTimes: [100],
                                    options: ODEOptions(maxStep: 0.01, maxSteps: 50), field: field)
    }
    guard case .tooManySteps(let tStop) = tooMany, tStop > 0, tStop <= 0.5 else {
        Issue.record("maxSteps: \(String(describing: tooMany))")
        return
    }
    #expect(ODEError.nonFinite(t: 1).description.contains("t = 1"))
}

@Test func outputsAtTheInitialTimeAndEmptyOutputs() throws {
    let field: ODEField = { _, y, dy in dy[0] = y[0] }
    let none = try ODEIntegrator.solve(.dopri5, y0: [3], t0: 2, outputTimes: [], field: field)
    #expect(none.states.isEmpty && none.statistics.evaluations == 0)
    let same = try ODEIntegrator.solve(.dopri5, y0: [3], t0: 2, outputTimes: [2, 2], field: field)
    #expect(same.states == [[3], [3]])
    let repeated = try ODEIntegrator.solve(.dop853, y0: [1], t0: 0, outputTimes: [0, 0.5, 0.5, 1], field: field)
    #expect(repeated.states[1] == repeated.states[2])
    #expect(abs(repeated.states[3][0] - Double.exp(1)) < 1e-8)
}
