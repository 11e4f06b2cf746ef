// The Stuart–Landau closed form against DOP853 (an independent computation) over long horizons in every sign case,
// and the blow-up time against the time at which the integrator fails.
import PhasorNumerics
import PhasorOscillators
import Testing

private func dop853(_ osc: StuartLandau, _ z0: Complex<Double>, _ times: [Double]) throws -> [Complex<Double>] {
    let options = ODEOptions(relativeTolerance: 1e-13, absoluteTolerance: 1e-15)
    return try ODEIntegrator.solveComplex(.dop853, z0: [z0], t0: 0, outputTimes: times, options: options) { _, z in
        [osc.field(z[0])]
    }.states.map { $0[0] }
}

@Test(arguments: [
    ("decay", 2.0, 0.05, 0.3, 0.5, 100.0),
    ("limit cycle", 2.5, -0.2, 0.4, -0.7, 100.0),
    ("conservative γ = 0", 1.5, 0.0, 0.3, 0.4, 60.0),
    ("α = 0", 1.0, 0.02, 0.0, 0.6, 100.0),
    ("α < 0 without blow-up", 1.2, 0.5, -0.1, 0.2, 80.0),
    ("γ tiny", 1.1, 1e-12, 0.2, 0.3, 60.0),
])
func closedFormAgreesWithDOP853(_ c: (String, Double, Double, Double, Double, Double)) throws {
    let osc = try StuartLandau(omega: c.1, gamma: c.2, alpha: c.3, beta: c.4)
    let z0 = Complex(0.9, 0.35)
    let times = stride(from: 0.0, through: c.5, by: c.5 / 50).map { $0 }
    let exact = try osc.trajectory(from: z0, times: times)
    #expect(exact.blowupTime == nil)
    let numeric = try dop853(osc, z0, times)
    let worst = zip(exact.states, numeric).map { ($0 - $1).length }.max() ?? .infinity
    #expect(worst <= 1e-10, "\(c.0): max |z_closed − z_DOP853| = \(worst)")
}

@Test func limitCycleRadiusFromTheIntegrator() throws {
    let osc = try StuartLandau(omega: 2, gamma: -0.3, alpha: 1.2, beta: 0.5)
    let radius = try #require(osc.invariantCircle).radius
    let numeric = try dop853(osc, Complex(0.05, 0.0), [100])[0]
    #expect(abs(numeric.length - radius) < 1e-10)
    #expect(abs(radius - (0.3 / 1.2).squareRoot()) < 1e-15)
}

@Test(arguments: [0.0, 0.2, -0.3])
func blowupTimeMatchesIntegratorFailure(_ gamma: Double) throws {
    let osc = try StuartLandau(omega: 1, gamma: gamma, alpha: -0.4, beta: 0.3)
    let z0 = Complex(1.2, -0.5)
    let tStar = try #require(osc.blowupTime(from: z0))
    let options = ODEOptions(relativeTolerance: 1e-12, absoluteTolerance: 1e-14)
    var failure: Double?
    do {
        _ = try ODEIntegrator.solveComplex(.dop853, z0: [z0], t0: 0, outputTimes: [2 * tStar], options: options) {
            _, z in [osc.field(z[0])]
        }
    } catch let error as ODEError {
        switch error {
        case .nonFinite(let t), .stepSizeUnderflow(let t), .tooManySteps(let t): failure = t
        default: break
        }
    }
    let t = try #require(failure)
    #expect(abs(t - tStar) <= 1e-6 * tStar, "integrator failed at \(t), closed form t* = \(tStar)")
    // Just before t*, the closed form and the integrator still agree (relative to the huge amplitude).
    let before = 0.9 * tStar
    let exact = try osc.state(at: before, from: z0)
    let numeric = try dop853(osc, z0, [before])[0]
    #expect((exact - numeric).length <= 1e-10 * max(1, exact.length))
}

@Test func drivenLinearOscillatorAgreesWithDOP853() throws {
    let osc = try LinearOscillator(omega: 2.2, gamma: 0.03)
    let switches = [0.0, 3.0, 7.5, 20.0]
    let values = [Complex(1.0, 0), Complex(-0.4, 0.8), Complex(0, 0), Complex(0.3, -0.2)]
    let drive = try PiecewiseConstantDrive(switchTimes: switches, values: values)
    let z0 = Complex(0.5, 0.5)
    let times = stride(from: 1.0, through: 80, by: 3).map { $0 }
    let exact = try osc.trajectory(from: z0, times: times, drive: drive)
    // DOP853 restarted at every switch (the drive is discontinuous there).
    let options = ODEOptions(relativeTolerance: 1e-13, absoluteTolerance: 1e-15)
    var z = z0, t = 0.0, worst = 0.0, k = 0
    for knot in (switches + times).sorted() where knot > t {
        let u = values[switches.lastIndex(where: { $0 <= t }) ?? 0]
        z = try ODEIntegrator.solveComplex(.dop853, z0: [z], t0: t, outputTimes: [knot], options: options) { _, x in
            [osc.lambda * x[0] + u]
        }.states[0][0]
        t = knot
        if k < times.count, times[k] == knot {
            worst = max(worst, (z - exact.states[k]).length)
            k += 1
        }
    }
    #expect(k == times.count)
    #expect(worst <= 1e-10, "max |z_exact − z_DOP853| = \(worst)")
}

@Test func alphaToZeroIsContinuous() throws {
    // The log1p(x)/x form of the phase integral has no 1/α cancellation: α = 1e-22 (a physical effect ≤ 1e-15) matches α = 0 to rounding.
    let z0 = Complex(0.7, 0.2)
    for gamma in [0.2, 0.0, -0.1] {
        let tiny = try StuartLandau(omega: 1, gamma: gamma, alpha: 1e-22, beta: 0.9)
        let zero = try StuartLandau(omega: 1, gamma: gamma, alpha: 0, beta: 0.9)
        for t in [1.0, 10.0, 40.0] {
            let a = try tiny.state(at: t, from: z0), b = try zero.state(at: t, from: z0)
            #expect((a - b).length <= 1e-13 * max(1, b.length))
        }
    }
}
