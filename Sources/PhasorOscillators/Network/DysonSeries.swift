// The Dyson (interaction-picture) series of dz/dt = (D + K) z around the uncoupled part D = diag(J):
//   z = Σ_k z⁽ᵏ⁾,  z⁽⁰⁾(t) = e^{tD} z₀,  z⁽ᵏ⁾(t) = ∫₀ᵗ e^{(t−s)D} K z⁽ᵏ⁻¹⁾(s) ds.
// Each order is computed exactly (no quadrature, no divided differences to cancel when eigenvalues coincide) from the
// block upper-bidiagonal generator A of size n(N+1):
//   A = [[D, K, 0, …], [0, D, K, …], …, [0, …, 0, D]],   x(t) = e^{tA} (0, …, 0, z₀)
// whose blocks satisfy x_N' = D x_N, x_{N−k}' = D x_{N−k} + K x_{N−k+1}, x_{N−k}(0) = 0, i.e. x_{N−k} = z⁽ᵏ⁾.
// The truncated solution Σ_{k≤N} z⁽ᵏ⁾ differs from e^{tJ}z₀ by the orders > N; the size of the last term is the
// reported error estimate, and terms that stop shrinking are reported as non-convergence.

import PhasorNumerics

/// What the truncated Dyson series says about itself.
public struct DysonDiagnostics: Sendable, Equatable {
    /// The truncation order N.
    public let order: Int
    /// `termNorms[k]` = max over the output times of ‖z⁽ᵏ⁾(t)‖₂.
    public let termNorms: [Double]
    /// True when the last term is no larger than the one before it (or both vanish): the series is shrinking at
    /// order N. False means the truncated sum is not an approximation of the exact solution: use the exact route.
    public let converging: Bool
    /// ‖z⁽ᴺ⁾‖ relative to ‖z⁽⁰⁾‖ (max over times): an estimate of the relative truncation error.
    public let relativeLastTerm: Double
}

extension OscillatorNetwork {
    /// The Dyson series around D = diag(J) truncated at `order` N ≥ 0, each order exact. Also returns the individual
    /// orders: `orders[k][t][i]` = z⁽ᵏ⁾_i(times[t]).
    public func dysonSeries(from z0: [Complex<Double>], times: [Double], order: Int) throws(OscillatorError)
        -> (solution: NetworkSolution, orders: [[[Complex<Double>]]])
    {
        try checkInitialState(z0)
        try Validate.times(times)
        guard order >= 0, order <= 64 else {
            throw .invalid("perturbative order \(order) is out of range: give 0 … 64 (the generator grows as n(order+1))")
        }
        let n = count, blocks = order + 1, size = n * blocks
        // The augmented generator is (n(N+1))² complex numbers; its exponential needs several such matrices and
        // O(size³) work per output time.
        let dimension = Double(size)
        try Validate.size(JobEstimate(parts: [("augmented generator and its exponential", 8 * 16 * dimension * dimension)],
                                      operations: 30 * dimension * dimension * dimension * Double(max(times.count, 1))),
                          job: "the perturbative (Dyson) series of order \(order) for \(n) oscillators",
                          fix: "give a lower --order, or use --method exact")
        let d = diagonal, k = coupling
        var generator = ComplexMatrix(rows: size, columns: size)
        for b in 0..<blocks {
            let o = b * n
            for i in 0..<n { generator[o + i, o + i] = d[i] }  // diagonal blocks D
            if b + 1 < blocks {
                for j in 0..<n { for i in 0..<n { generator[o + i, o + n + j] = k[i, j] } }  // super-diagonal blocks K
            }
        }
        var x0 = [Complex<Double>](repeating: .zero, count: size)
        for i in 0..<n { x0[order * n + i] = z0[i] }  // (0, …, 0, z₀)
        let augmented = try OscillatorNetwork(jacobian: generator)
        let trajectory = try augmented.propagateByExponential(x0, times: times)
        // Unpack: block N − k is z⁽ᵏ⁾.
        var orders = [[[Complex<Double>]]](repeating: [], count: blocks)
        var sums: [[Complex<Double>]] = []
        for x in trajectory {
            var sum = [Complex<Double>](repeating: .zero, count: n)
            for kk in 0..<blocks {
                let o = (order - kk) * n
                let term = Array(x[o..<(o + n)])
                orders[kk].append(term)
                for i in 0..<n { sum[i] = sum[i] + term[i] }
            }
            sums.append(sum)
        }
        func norm(_ v: [Complex<Double>]) -> Double { v.reduce(0) { $0 + $1.lengthSquared }.squareRoot() }
        let termNorms = orders.map { $0.map(norm).max() ?? 0 }
        let last = termNorms[order]
        let converging = order == 0 || last <= termNorms[order - 1]
        let base = termNorms[0]
        let relative = base > 0 ? last / base : (last == 0 ? 0 : .infinity)
        let diagnostics = DysonDiagnostics(order: order, termNorms: termNorms, converging: converging,
                                           relativeLastTerm: order == 0 ? 0 : relative)
        let solution = NetworkSolution(times: times, states: sums, route: .perturbative, eigenvectorCondition: nil,
                                       dyson: diagnostics)
        return (solution, orders)
    }
}
