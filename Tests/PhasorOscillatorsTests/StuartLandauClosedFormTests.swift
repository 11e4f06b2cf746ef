// Closed-form Stuart–Landau and linear oscillator: checks that need no integrator (the vector field by central
// differences, the invariant circle, the blow-up time from its defining equation D(t*) = 0, the typed blow-up).
import PhasorOscillators
import PhasorNumerics
import Testing

/// Central-difference derivative of the closed form: an independent check of dz/dt = f(z) (error O(h²) ≈ 1e-8).
private func derivativeResidual(_ osc: StuartLandau, _ z0: Complex<Double>, at t: Double) throws -> Double {
    let h = 1e-4
    let plus = try osc.state(at: t + h, from: z0), minus = try osc.state(at: t - h, from: z0)
    let derivative = (plus - minus).divided(by: 2 * h)
    let f = osc.field(try osc.state(at: t, from: z0))
    return (derivative - f).length / max(1, f.length)
}

@Test(arguments: [
    (1.3, 0.2, 0.5, 0.7),    // decay
    (2.0, -0.3, 0.4, -1.1),  // limit cycle
    (1.0, 0.0, 0.3, 0.2),    // conservative γ = 0
    (0.7, 0.1, 0.0, 0.9),    // α = 0 (linear amplitude, β phase shear)
    (0.5, 0.2, -0.05, 0.3),  // α < 0, small z₀: no blow-up
    (1.0, 1e-13, 0.3, 0.2),  // γ → 0
])
func closedFormSatisfiesTheField(_ p: (Double, Double, Double, Double)) throws {
    let osc = try StuartLandau(omega: p.0, gamma: p.1, alpha: p.2, beta: p.3)
    let z0 = Complex(0.8, -0.4)
    for t in [0.5, 3.0, 17.0] {
        #expect(try derivativeResidual(osc, z0, at: t) < 1e-7)
    }
}

@Test func limitCycleRadius() throws {
    let osc = try StuartLandau(omega: 3, gamma: -0.5, alpha: 2, beta: 0.4)
    let circle = try #require(osc.invariantCircle)
    #expect(circle.stable)
    #expect(abs(circle.radius - 0.5) < 1e-15)
    for z0 in [Complex(0.01, 0.0), Complex(3.0, -2.0)] {
        let z = try osc.state(at: 100, from: z0)
        #expect(abs(z.length - circle.radius) < 1e-14)
    }
    // Far beyond the range where e^{−2γt} overflows, the γ < 0 form still gives the cycle.
    #expect(abs(try osc.state(at: 5000, from: Complex(0.1, 0.2)).length - 0.5) < 1e-14)
}

@Test func blowupTimeSolvesDOfTStarEqualsZero() throws {
    for gamma in [0.0, 0.3, -0.2] {
        let osc = try StuartLandau(omega: 1, gamma: gamma, alpha: -0.5, beta: 0.1)
        let z0 = Complex(1.0, 1.0)  // ρ₀ = 2
        let tStar = try #require(osc.blowupTime(from: z0))
        // D(t) = 1 + 2αρ₀(1 − e^{−2γt})/(2γ), evaluated directly.
        let phi = gamma == 0 ? tStar : (1 - Double.exp(-2 * gamma * tStar)) / (2 * gamma)
        #expect(abs(1 + 2 * (-0.5) * 2 * phi) < 1e-14)
        #expect(throws: OscillatorError.blowup(time: tStar)) { try osc.state(at: tStar, from: z0) }
        let trajectory = try osc.trajectory(from: z0, times: [0, tStar / 2, tStar * 0.999, tStar, tStar * 2])
        #expect(trajectory.times.count == 3)
        #expect(trajectory.states.count == 3)
        #expect(trajectory.blowupTime == tStar)
        #expect(trajectory.states.allSatisfy { $0.isFinite })
    }
    // γ large enough: the unstable circle √(−γ/α) lies outside z₀, so no blow-up.
    let damped = try StuartLandau(omega: 1, gamma: 2, alpha: -0.5)
    #expect(damped.blowupTime(from: Complex(1.0, 1.0)) == nil)
    #expect(damped.invariantCircle?.stable == false)
}

@Test func zeroStateAndBadInput() throws {
    let osc = try StuartLandau(omega: 1, gamma: -1, alpha: -1, beta: 1)
    #expect(try osc.state(at: 10, from: .zero) == .zero)
    #expect(osc.blowupTime(from: .zero) == nil)
    #expect(throws: OscillatorError.nonFiniteParameter("gamma")) { try StuartLandau(omega: 1, gamma: .nan) }
    #expect(throws: OscillatorError.timesNotIncreasing(index: 2)) {
        try osc.trajectory(from: Complex(0.1, 0), times: [0, 2, 1])
    }
    #expect(throws: OscillatorError.negativeTime(index: 0, value: -1)) {
        try osc.trajectory(from: Complex(0.1, 0), times: [-1])
    }
    let linear = try StuartLandau(omega: 1, gamma: -1)
    #expect(throws: OscillatorError.overflow(time: 800)) { try linear.state(at: 800, from: Complex(1, 0)) }
}

@Test func alphaZeroMatchesLinearOscillatorWithPhaseShear() throws {
    // α = 0: |z|² = ρ₀e^{−2γt}, phase ωt − βρ₀(1 − e^{−2γt})/(2γ). Compare with the linear oscillator times the shear.
    let gamma = 0.15, omega = 2.0, beta = 0.8
    let osc = try StuartLandau(omega: omega, gamma: gamma, alpha: 0, beta: beta)
    let linear = try LinearOscillator(omega: omega, gamma: gamma)
    let z0 = Complex(0.6, 0.3)
    let rho0 = z0.lengthSquared
    for t in [1.0, 10.0, 60.0] {
        let shear = -beta * rho0 * (1 - Double.exp(-2 * gamma * t)) / (2 * gamma)
        let expected = linear.step(z0, by: t) * Complex(Double.cos(shear), Double.sin(shear))
        #expect((try osc.state(at: t, from: z0) - expected).length < 1e-14)
    }
}

@Test func linearOscillatorWithPiecewiseDriveMatchesDuhamel() throws {
    // z(t) = e^{λt}z₀ + Σ_k u_k ∫ over piece k of e^{λ(t−s)} ds, with each integral written out independently.
    let osc = try LinearOscillator(omega: 1.7, gamma: 0.05)
    let lambda = osc.lambda
    let drive = try PiecewiseConstantDrive(switchTimes: [0, 1.5, 4], values: [Complex(1, 0), Complex(-0.5, 2), .zero])
    let z0 = Complex(0.2, -0.1)
    let t = 9.0
    let trajectory = try osc.trajectory(from: z0, times: [t], drive: drive)
    func piece(_ a: Double, _ b: Double) -> Complex<Double> {  // ∫_a^b e^{λ(t−s)} ds = (e^{λ(t−a)} − e^{λ(t−b)})/λ
        (Complex.exp(lambda.multiplied(by: t - a)) - Complex.exp(lambda.multiplied(by: t - b))) / lambda
    }
    let expected = Complex.exp(lambda.multiplied(by: t)) * z0 + piece(0, 1.5) + Complex(-0.5, 2) * piece(1.5, 4)
    #expect((trajectory.states[0] - expected).length < 1e-13)
    // λ = 0: pure integration of the drive.
    let free = try LinearOscillator(omega: 0, gamma: 0)
    let integrated = try free.trajectory(from: .zero, times: [2, 5], drive: .constant(Complex(1, 1)))
    #expect((integrated.states[1] - Complex(5, 5)).length < 1e-14)
}
