// Three ways to evolve the phases of a Kuramoto network:
//  • kuramoto: dθ_i/dt = ω_i + ε Σ_j A_ij sin(θ_j − θ_i − φ), integrated by DOP853;
//  • complex:  dx/dt = K x, K = iΩ + ε e^{−iφ} A, solved exactly, x(t) = e^{tK} x₀, x₀ = e^{iθ₀}, θ(t) = Arg x(t).
//    At |x_i| = 1, d Arg x_i/dt = Im(ẋ_i/x_i) = ω_i + ε Σ_j A_ij Im(e^{−iφ} e^{i(θ_j − θ_i)}) = the Kuramoto field,
//    so the two agree to first order in time and drift apart as the moduli |x_i| spread;
//  • iterative: x ↦ N(e^{δt K} x) every δt, N(x)_i = x_i/|x_i| (renormalise each node to unit modulus), which keeps
//    the exact-derivative property at the start of every step.

import PhasorNumerics

/// How the phases of a Kuramoto network were computed.
public enum KuramotoMethod: String, Sendable, CaseIterable {
    case kuramoto, complex, iterative
}

/// Phases at output times with the order parameter.
public struct KuramotoSolution: Sendable {
    /// The output times.
    public let times: [Double]
    /// `theta[k][i]` = θ_i(times[k]); for the Kuramoto route unwrapped (continuous), for the complex routes Arg ∈ (−π, π].
    public let theta: [[Double]]
    /// r(times[k]).
    public let order: [Double]
    /// ψ(times[k]).
    public let orderPhase: [Double]
    /// For the complex route: |x_i(times[k])| e^{−s·times[k]} (s = max Re λ(K), the rescaling that keeps long horizons
    /// finite), the moduli that the phase reading ignores; nil otherwise.
    public let moduli: [[Double]]?

    init(times: [Double], theta: [[Double]], moduli: [[Double]]? = nil) {
        self.times = times
        self.theta = theta
        let orders = theta.map(orderParameter)
        self.order = orders.map(\.r)
        self.orderPhase = orders.map(\.psi)
        self.moduli = moduli
    }
}

extension KuramotoNetwork {
    /// Phases at non-decreasing times ≥ 0 from θ(0) = θ₀ by the chosen method (`step` δt > 0 is required by, and only
    /// used by, `.iterative`).
    public func solve(_ method: KuramotoMethod, theta0: [Double], times: [Double], step: Double? = nil,
                      tolerance: NumericTolerance = NumericTolerance()) throws(OscillatorError) -> KuramotoSolution
    {
        guard theta0.count == count else {
            throw .shapeMismatch("theta0 has \(theta0.count) entries for \(count) oscillators")
        }
        try Validate.finite(theta0, "theta0")
        try Validate.times(times)
        switch method {
        case .kuramoto: return try integrate(theta0: theta0, times: times, tolerance: tolerance)
        case .complex: return try complexExact(theta0: theta0, times: times)
        case .iterative:
            guard let step else { throw .invalid("the iterative method needs a step δt (--step DT > 0)") }
            return try iterative(theta0: theta0, times: times, step: step)
        }
    }

    private func integrate(theta0: [Double], times: [Double], tolerance: NumericTolerance) throws(OscillatorError)
        -> KuramotoSolution
    {
        if times.isEmpty { return KuramotoSolution(times: [], theta: []) }
        let options = ODEOptions(relativeTolerance: tolerance.relative, absoluteTolerance: tolerance.absolute)
        let n = count
        do {
            let solution = try ODEIntegrator.solve(.dop853, y0: theta0, t0: 0, outputTimes: times, options: options) {
                _, y, dy in
                for i in 0..<n {
                    var sum = 0.0
                    for j in 0..<n where adjacency[i * n + j] != 0 {
                        sum += adjacency[i * n + j] * Double.sin(y[j] - y[i] - phaseLag)  // A_ij sin(θ_j − θ_i − φ)
                    }
                    dy[i] = omega[i] + coupling * sum
                }
            }
            return KuramotoSolution(times: times, theta: solution.states)
        } catch {
            throw .numerical("Kuramoto integration failed: \(error)")
        }
    }

    /// x(t) = e^{tK} x₀ exactly (OscillatorNetwork's exact solution), θ = Arg x. Phases are invariant under a positive
    /// scalar factor, so the solver propagates e^{t(K − sI)} with s = max Re λ(K) (the spectral abscissa): the same
    /// phases without overflow over long horizons (e^{tK} alone overflows once t·s > 709).
    private func complexExact(theta0: [Double], times: [Double]) throws(OscillatorError) -> KuramotoSolution {
        var generator = complexGenerator
        let abscissa = (try? generator.eigen())?.values.map(\.real).max() ?? 0
        if abscissa.isFinite {
            for i in 0..<count { generator[i, i] = generator[i, i] - Complex(abscissa) }  // K − sI
        }
        let network = try OscillatorNetwork(jacobian: generator)
        let x0 = theta0.map { Complex(Double.cos($0), Double.sin($0)) }  // x₀ = e^{iθ₀}
        let solution = try network.exactSolution(from: x0, times: times)
        return KuramotoSolution(times: times, theta: solution.states.map { $0.map(phase) },
                                moduli: solution.states.map { $0.map(\.length) })
    }

    /// x ↦ N(e^{δt K} x) on the grid kδt; an output time between grid points is a partial step from the last one.
    private func iterative(theta0: [Double], times: [Double], step: Double) throws(OscillatorError)
        -> KuramotoSolution
    {
        guard step.isFinite, step > 0 else { throw .invalid("the iterative step δt = \(step) must be finite and > 0") }
        // The step count t/δt is a Double until it is known to be small: 10¹⁰/10⁻¹⁰ = 10²⁰ steps does not fit an Int,
        // and each step is an n×n complex product.
        let stepCount = ((times.last ?? 0) / step).rounded(.down), n2 = Double(count) * Double(count)
        let fix = "use a larger --step δt, or --method complex (exact at any t, no steps)"
        guard stepCount < 0x1p62 else {
            throw .invalid("the iterative method would take \(stepCount) renormalisation steps (t = \(times.last ?? 0), δt = \(step)); \(fix)")
        }
        try Validate.size(JobEstimate(bytes: 0, operations: stepCount * n2 * 8),
                          job: "the iterative method (\(ResourceLimits.format(count: stepCount)) steps of δt = \(step))", fix: fix)
        let k = complexGenerator
        let propagator: ComplexMatrix
        do { propagator = try (step * k).exponential() } catch { throw .numerical("e^{δt K} failed: \(error)") }
        var x = theta0.map { Complex(Double.cos($0), Double.sin($0)) }
        var steps = 0  // x = state at the grid time steps·δt
        var theta: [[Double]] = []
        for t in times {
            let target = Int((t / step).rounded(.down))
            while steps < target {
                x = normalise(OscillatorNetwork.multiply(propagator, x))
                steps += 1
            }
            let remainder = t - Double(steps) * step
            var y = x
            if remainder > 0 {
                let partial: ComplexMatrix
                do { partial = try (remainder * k).exponential() } catch { throw .numerical("e^{τK} failed: \(error)") }
                y = OscillatorNetwork.multiply(partial, x)
            }
            theta.append(y.map(phase))
        }
        return KuramotoSolution(times: times, theta: theta)
    }

    private func normalise(_ x: [Complex<Double>]) -> [Complex<Double>] {
        x.map { z in
            let r = z.length
            return r > 0 ? z.divided(by: r) : Complex(1, 0)  // a node that reached exactly 0 restarts at phase 0
        }
    }
}

/// Arg z ∈ (−π, π] (0 for z = 0).
@inline(__always) func phase(_ z: Complex<Double>) -> Double {
    Double.atan2(y: z.imaginary, x: z.real)
}
