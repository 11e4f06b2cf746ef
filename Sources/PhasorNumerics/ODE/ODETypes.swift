// The public vocabulary of the ODE integrators: which method, which tolerances, what came back, what went wrong.
// The integrators themselves live in ODEStepper.swift (one step + dense output) and ODEIntegrator.swift (the driver).

/// An explicit embedded Runge–Kutta pair with error control and dense output.
public enum ODEMethod: String, Sendable, CaseIterable {
    /// Dormand–Prince 5(4): 7 stages with FSAL (6 new evaluations per step), 4th-order dense output (Shampine).
    case dopri5
    /// Dormand–Prince 8(5,3) (Hairer's DOP853): 12 stages + FSAL, combined 5th/3rd-order error estimate,
    /// 7th-order dense output from 3 extra stages (evaluated only for steps that contain an output time).
    case dop853

    /// The classical order of the propagated solution.
    public var order: Int {
        switch self {
        case .dopri5: 5
        case .dop853: 8
        }
    }

    /// The order of the continuous extension (dense output).
    public var denseOrder: Int {
        switch self {
        case .dopri5: 4
        case .dop853: 7
        }
    }
}

/// Tolerances and limits of an adaptive integration.
///
/// Each component i is measured in units of sc_i = atol + rtol · max(|y_i|, |y_new,i|) (Hairer's scale); a step is
/// accepted when the root-mean-square of err_i / sc_i is ≤ 1.
public struct ODEOptions: Sendable {
    /// Relative tolerance rtol (≥ 0; rtol and atol must not both be 0).
    public var relativeTolerance: Double = 1e-9
    /// Absolute tolerance atol (≥ 0).
    public var absoluteTolerance: Double = 1e-12
    /// The first step size (its magnitude; the sign follows the direction of integration). `nil`: Hairer's
    /// automatic initial step selection from f(t0, y0) and one trial Euler step.
    public var initialStep: Double? = nil
    /// The largest allowed |h| (> 0).
    public var maxStep: Double = .infinity
    /// The largest number of attempted steps (accepted + rejected) before `ODEError.tooManySteps`.
    public var maxSteps: Int = 1_000_000

    public init(
        relativeTolerance: Double = 1e-9, absoluteTolerance: Double = 1e-12, initialStep: Double? = nil,
        maxStep: Double = .infinity, maxSteps: Int = 1_000_000
    ) {
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.initialStep = initialStep
        self.maxStep = maxStep
        self.maxSteps = maxSteps
    }

    /// Throws `ODEError.invalidState` naming the first option that is out of range.
    func validate() throws(ODEError) {
        let rtol = relativeTolerance, atol = absoluteTolerance
        guard rtol.isFinite, rtol >= 0 else {
            throw .invalidState("relativeTolerance = \(rtol) must be finite and ≥ 0 (typical: 1e-6 … 1e-13)")
        }
        guard atol.isFinite, atol >= 0 else {
            throw .invalidState("absoluteTolerance = \(atol) must be finite and ≥ 0 (typical: 1e-9 … 1e-15)")
        }
        guard rtol > 0 || atol > 0 else {
            throw .invalidState("relativeTolerance and absoluteTolerance are both 0: give at least one positive tolerance")
        }
        if let h0 = initialStep {
            guard h0.isFinite, h0 != 0 else {
                throw .invalidState("initialStep = \(h0) must be finite and non-zero (or nil for automatic selection)")
            }
        }
        guard maxStep > 0, !maxStep.isNaN else {
            throw .invalidState("maxStep = \(maxStep) must be > 0 (use .infinity for no limit)")
        }
        guard maxSteps > 0 else {
            throw .invalidState("maxSteps = \(maxSteps) must be > 0")
        }
    }
}

/// Work done by an integration.
public struct ODEStatistics: Sendable, Equatable {
    /// Accepted steps.
    public var accepted: Int
    /// Rejected steps (error estimate > 1, or a non-finite trial state).
    public var rejected: Int
    /// Evaluations of the vector field f.
    public var evaluations: Int

    public init(accepted: Int = 0, rejected: Int = 0, evaluations: Int = 0) {
        self.accepted = accepted
        self.rejected = rejected
        self.evaluations = evaluations
    }
}

/// States of a real system at the requested output times.
public struct ODESolution: Sendable {
    /// The requested output times, in the order given.
    public let times: [Double]
    /// `states[k]` is y(times[k]) (all finite).
    public let states: [[Double]]
    /// Work done.
    public let statistics: ODEStatistics

    public init(times: [Double], states: [[Double]], statistics: ODEStatistics) {
        self.times = times
        self.states = states
        self.statistics = statistics
    }
}

/// Why an integration could not deliver the requested states.
public enum ODEError: Error, CustomStringConvertible, Equatable, Sendable {
    /// t0 or the output times are non-finite, or not monotone in one direction from t0.
    case invalidTimes(String)
    /// y0 is empty or non-finite, the field returned the wrong number of components, or an option is out of range.
    case invalidState(String)
    /// The step size fell below the rounding level of t (a singularity, or tolerances too strict for Double).
    case stepSizeUnderflow(t: Double)
    /// `maxSteps` attempted steps were used up at time t.
    case tooManySteps(t: Double)
    /// The solution became NaN/Inf (e.g. finite-time blow-up) and no smaller step could avoid it; t is the last time
    /// at which the state was finite.
    case nonFinite(t: Double)

    public var description: String {
        switch self {
        case .invalidTimes(let why):
            "invalid times: \(why)"
        case .invalidState(let why):
            "invalid state or options: \(why)"
        case .stepSizeUnderflow(let t):
            "step size underflow at t = \(t): the solution is (nearly) singular there, or the tolerances are below "
                + "what Double can resolve (raise relativeTolerance/absoluteTolerance, or stop before t)"
        case .tooManySteps(let t):
            "too many steps: maxSteps was reached at t = \(t) (raise ODEOptions.maxSteps, loosen the tolerances, "
                + "or shorten the horizon; a very stiff problem needs an implicit method)"
        case .nonFinite(let t):
            "the solution became non-finite (NaN/Inf) just after t = \(t): it blows up there (finite-time blow-up "
                + "or overflow); request output times before t"
        }
    }
}
