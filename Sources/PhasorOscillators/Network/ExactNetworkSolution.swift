// The exact solution of the linear network dz/dt = J z + b u(t):
//   z(t) = e^{tJ} z₀ + ∫₀ᵗ e^{(t−s)J} b u(s) ds.
// Undriven, two routes: the eigen route z(t) = V e^{Λt} c with V c = z₀ (O(n²) per output time after one O(n³)
// decomposition; it loses about log₁₀ κ(V) digits, so it is used only when κ(V) ≤ `eigenConditionLimit`), and the
// matrix-exponential route z(t_k) = e^{(t_k − t_{k−1})J} z(t_{k−1}) (Higham's scaling and squaring; exponentials of
// equal steps are reused). With a piecewise-constant input, each constant piece of length h is one exact ZOH step
//   exp([[J, b], [0, 0]] h) = [[e^{Jh}, Γ(h) b], [0, 1]],  Γ(h) = ∫₀ʰ e^{sJ} ds      (Van Loan 1978),
//   z ↦ e^{Jh} z + Γ(h) b u.

import PhasorNumerics

extension OscillatorNetwork {
    /// κ(V) above which the eigen route is not trusted (it would lose more than 4 of Double's 16 digits).
    public static let eigenConditionLimit = 1e4

    /// The exact states at non-decreasing times ≥ 0 from z(0) = z₀, optionally driven by b u(t) with piecewise-constant
    /// u (then the Van Loan route). Throws `.shapeMismatch`, `.nonFiniteParameter`, `.timesNotIncreasing`,
    /// `.overflow` (growth beyond Double), or `.numerical` if a decomposition fails.
    public func exactSolution(
        from z0: [Complex<Double>], times: [Double], drive: NetworkDrive? = nil
    ) throws(OscillatorError) -> NetworkSolution {
        try checkInitialState(z0)
        try Validate.times(times)
        let decomposition = try? jacobian.eigen()
        let kappa = decomposition?.vectorConditionNumber
        if let drive {
            guard drive.b.count == count else {
                throw .shapeMismatch("b has \(drive.b.count) entries for a network of \(count) oscillators")
            }
            let states = try vanLoanStates(z0, times: times, drive: drive)
            return NetworkSolution(times: times, states: states, route: .vanLoan, eigenvectorCondition: kappa)
        }
        if let decomposition, let kappa, kappa.isFinite, kappa <= Self.eigenConditionLimit,
           let states = try? eigenStates(z0, times: times, decomposition) {
            return NetworkSolution(times: times, states: states, route: .eigen, eigenvectorCondition: kappa)
        }
        let states = try propagateByExponential(z0, times: times)
        return NetworkSolution(times: times, states: states, route: .matrixExponential, eigenvectorCondition: kappa)
    }

    func checkInitialState(_ z0: [Complex<Double>]) throws(OscillatorError) {
        guard z0.count == count else {
            throw .shapeMismatch("z0 has \(z0.count) entries for a network of \(count) oscillators")
        }
        try Validate.finite(z0, "z0")
    }

    /// z(t) = V (e^{λt} ∘ c), V c = z₀.
    private func eigenStates(_ z0: [Complex<Double>], times: [Double], _ e: EigenDecomposition) throws
        -> [[Complex<Double>]]
    {
        let n = count
        let c = try e.right.solve(z0)
        var states: [[Complex<Double>]] = []
        states.reserveCapacity(times.count)
        var re = [Double](repeating: 0, count: n), im = [Double](repeating: 0, count: n)
        for t in times {
            for i in 0..<n { re[i] = 0; im[i] = 0 }
            e.right.elements.withUnsafeBufferPointer { v in
                for j in 0..<n {
                    let w = Complex.exp(e.values[j].multiplied(by: t)) * c[j]  // e^{λ_j t} c_j
                    let wr = w.real, wi = w.imaginary
                    let column = j * n
                    for i in 0..<n {
                        let vr = v[column + i].real, vi = v[column + i].imaginary
                        re[i] += vr * wr - vi * wi  // z_i += V_ij e^{λ_j t} c_j
                        im[i] += vr * wi + vi * wr
                    }
                }
            }
            let z = (0..<n).map { Complex(re[$0], im[$0]) }
            guard z.allSatisfy({ $0.isFinite }) else { throw OscillatorError.overflow(time: t) }
            states.append(z)
        }
        return states
    }

    /// z(t_k) = e^{(t_k − t_{k−1})J} z(t_{k−1}), reusing the exponential of a repeated step.
    func propagateByExponential(_ z0: [Complex<Double>], times: [Double]) throws(OscillatorError)
        -> [[Complex<Double>]]
    {
        var cache: [Double: ComplexMatrix] = [:]
        var z = z0, t = 0.0
        var states: [[Complex<Double>]] = []
        for target in times {
            let h = target - t
            if h > 0 {
                let propagator: ComplexMatrix
                if let cached = cache[h] {
                    propagator = cached
                } else {
                    do { propagator = try (h * jacobian).exponential() } catch {
                        throw .overflow(time: target)
                    }
                    cache[h] = propagator
                }
                z = OscillatorNetwork.multiply(propagator, z)
            }
            t = target
            guard z.allSatisfy({ $0.isFinite }) else { throw .overflow(time: target) }
            states.append(z)
        }
        return states
    }

    /// Exact ZOH across every switch of the drive: z ↦ e^{Jh}z + Γ(h) b u on each constant piece.
    private func vanLoanStates(_ z0: [Complex<Double>], times: [Double], drive: NetworkDrive) throws(OscillatorError)
        -> [[Complex<Double>]]
    {
        let n = count
        var input = ComplexMatrix(rows: n, columns: 1)  // b as an n×1 matrix
        for i in 0..<n { input[i, 0] = drive.b[i] }
        var cache: [Double: (propagator: ComplexMatrix, gain: [Complex<Double>])] = [:]
        func step(_ h: Double, at time: Double) throws(OscillatorError) -> (ComplexMatrix, [Complex<Double>]) {
            if let hit = cache[h] { return hit }
            // exp([[J, b], [0, 0]] h) = [[e^{Jh}, Γ(h) b], [0, 1]] (linalg's Van Loan block exponential).
            let pair: (exponential: ComplexMatrix, integral: ComplexMatrix)
            do { pair = try jacobian.exponentialWithIntegral(of: input, t: h) } catch { throw .overflow(time: time) }
            let entry = (pair.exponential, pair.integral.column(0))
            cache[h] = entry
            return entry
        }
        var z = z0, t = 0.0
        var states: [[Complex<Double>]] = []
        for target in times {
            var knots = drive.u.switches(inside: t, target)
            knots.append(target)
            for knot in knots where knot > t {
                let u = drive.u.value(at: t)
                let (propagator, gain) = try step(knot - t, at: knot)
                z = OscillatorNetwork.multiply(propagator, z)
                for i in 0..<n { z[i] = z[i] + gain[i] * u }  // + Γ(h) b u
                t = knot
            }
            guard z.allSatisfy({ $0.isFinite }) else { throw .overflow(time: target) }
            states.append(z)
        }
        return states
    }

    /// A z for column-major A (split real/imaginary inner loop).
    static func multiply(_ a: ComplexMatrix, _ z: [Complex<Double>]) -> [Complex<Double>] {
        let n = a.rows, m = a.columns
        var re = [Double](repeating: 0, count: n), im = [Double](repeating: 0, count: n)
        a.elements.withUnsafeBufferPointer { p in
            for j in 0..<m {
                let xr = z[j].real, xi = z[j].imaginary
                let column = j * n
                for i in 0..<n {
                    let ar = p[column + i].real, ai = p[column + i].imaginary
                    re[i] += ar * xr - ai * xi
                    im[i] += ar * xi + ai * xr
                }
            }
        }
        return (0..<n).map { Complex(re[$0], im[$0]) }
    }
}
