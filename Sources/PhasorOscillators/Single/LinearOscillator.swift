// The linear damped oscillator dz/dt = λz + u(t), λ = iω − γ, with a constant or piecewise-constant complex drive u,
// solved exactly. Over an interval of length h on which u is constant (zero-order hold):
//   z(t + h) = e^{λh} z(t) + u · (e^{λh} − 1)/λ          ((e^{λh} − 1)/λ = h when λ = 0; expm1 keeps it exact near 0)

import PhasorNumerics

/// A drive that is constant between switch times: `values[k]` acts on [switchTimes[k], switchTimes[k+1]) and the last
/// value acts from the last switch time on; before `switchTimes[0]` the drive is 0.
public struct PiecewiseConstantDrive: Sendable, Equatable {
    /// Strictly increasing, finite, ≥ 0.
    public let switchTimes: [Double]
    /// One value per switch time.
    public let values: [Complex<Double>]

    /// Throws `.shapeMismatch` unless the counts agree, `.timesNotIncreasing` unless the switch times strictly increase,
    /// and `.nonFiniteParameter` for a non-finite value.
    public init(switchTimes: [Double], values: [Complex<Double>]) throws(OscillatorError) {
        guard switchTimes.count == values.count else {
            throw .shapeMismatch("\(switchTimes.count) switch times but \(values.count) drive values (give one value per switch time)")
        }
        try Validate.times(switchTimes)
        for k in switchTimes.indices.dropFirst() where switchTimes[k] <= switchTimes[k - 1] {
            throw .timesNotIncreasing(index: k)
        }
        try Validate.finite(values, "drive")
        self.switchTimes = switchTimes
        self.values = values
    }

    /// A drive constant (= value) for all t ≥ 0.
    public static func constant(_ value: Complex<Double>) -> PiecewiseConstantDrive {
        // Safe: one finite switch time at 0; a non-finite value is caught by the solvers' own checks.
        PiecewiseConstantDrive(unchecked: [0], [value])
    }

    private init(unchecked switchTimes: [Double], _ values: [Complex<Double>]) {
        self.switchTimes = switchTimes
        self.values = values
    }

    /// The value of the drive on [t, next switch): 0 before the first switch.
    func value(at t: Double) -> Complex<Double> {
        var k = -1
        for (i, s) in switchTimes.enumerated() where s <= t { k = i }
        return k < 0 ? .zero : values[k]
    }

    /// The switch times strictly inside (a, b).
    func switches(inside a: Double, _ b: Double) -> [Double] {
        switchTimes.filter { $0 > a && $0 < b }
    }
}

/// The linear damped oscillator dz/dt = (iω − γ)z + u(t), solved exactly for piecewise-constant drives.
public struct LinearOscillator: Sendable, Equatable {
    /// Angular frequency ω.
    public let omega: Double
    /// Damping γ (γ < 0: growth).
    public let gamma: Double

    /// Throws `.nonFiniteParameter` for a NaN or infinite parameter.
    public init(omega: Double, gamma: Double) throws(OscillatorError) {
        try Validate.finite(omega, "omega")
        try Validate.finite(gamma, "gamma")
        self.omega = omega
        self.gamma = gamma
    }

    /// The eigenvalue λ = iω − γ.
    public var lambda: Complex<Double> { Complex(-gamma, omega) }

    /// One exact step of length h ≥ 0 with the drive held at u: z ↦ e^{λh}z + u(e^{λh} − 1)/λ.
    public func step(_ z: Complex<Double>, by h: Double, drive u: Complex<Double> = .zero) -> Complex<Double> {
        let lh = lambda.multiplied(by: h)
        return Complex.exp(lh) * z + u * Special.zohGain(lambda, h)
    }

    /// The exact states at non-decreasing times ≥ 0 from z(0) = z₀ under a piecewise-constant drive (nil: undriven).
    /// Throws `.overflow` if growth exceeds Double's range.
    public func trajectory(
        from z0: Complex<Double>, times: [Double], drive: PiecewiseConstantDrive? = nil
    ) throws(OscillatorError) -> OscillatorTrajectory {
        guard z0.isFinite else { throw .nonFiniteParameter("z0") }
        try Validate.times(times)
        if let drive { try Validate.finite(drive.values, "drive") }
        var states: [Complex<Double>] = []
        states.reserveCapacity(times.count)
        var z = z0, t = 0.0
        for target in times {
            // Advance across every switch time in (t, target), holding the drive constant on each piece.
            var knots = drive?.switches(inside: t, target) ?? []
            knots.append(target)
            for knot in knots {
                let u = drive?.value(at: t) ?? .zero
                z = step(z, by: knot - t, drive: u)
                t = knot
            }
            guard z.isFinite else { throw .overflow(time: target) }
            states.append(z)
        }
        return OscillatorTrajectory(times: times, states: states, blowupTime: nil)
    }
}
