// A linear network of n complex oscillators dz/dt = J z (+ b u(t)), J = D + K with D = diag(iω − γ) the uncoupled
// oscillators and K the coupling (DESIGN.md §5). This file holds the type and its split into D and K; the solvers
// (exact, perturbative, numeric) live beside it, one route per file.

import PhasorNumerics

/// The linear oscillator network dz/dt = J z, J = diag(iω − γ) + K.
public struct OscillatorNetwork: Sendable {
    /// The Jacobian J (n×n, finite).
    public let jacobian: ComplexMatrix

    /// A network from its Jacobian. Throws `.shapeMismatch` unless J is square and non-empty, `.nonFiniteParameter`
    /// for a NaN/Inf entry.
    public init(jacobian: ComplexMatrix) throws(OscillatorError) {
        guard jacobian.rows == jacobian.columns, jacobian.rows > 0 else {
            throw .shapeMismatch("the Jacobian J is \(jacobian.rows)×\(jacobian.columns); it must be square n×n with n ≥ 1")
        }
        if let k = jacobian.elements.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteParameter("J[\(k % jacobian.rows), \(k / jacobian.rows)]")
        }
        self.jacobian = jacobian
    }

    /// J = diag(iω_i − γ_i) + K. Throws `.shapeMismatch` unless ω, γ have length n and K is n×n.
    public init(omega: [Double], gamma: [Double], coupling: ComplexMatrix) throws(OscillatorError) {
        let n = omega.count
        guard gamma.count == n, coupling.rows == n, coupling.columns == n, n > 0 else {
            throw .shapeMismatch("omega has \(n) entries, gamma \(gamma.count), coupling is \(coupling.rows)×\(coupling.columns); all must be n (n×n)")
        }
        try Validate.finite(omega, "omega")
        try Validate.finite(gamma, "gamma")
        var j = coupling
        for i in 0..<n { j[i, i] = j[i, i] + Complex(-gamma[i], omega[i]) }  // J_ii = iω_i − γ_i + K_ii
        try self.init(jacobian: j)
    }

    /// The number of oscillators n.
    public var count: Int { jacobian.rows }

    /// The uncoupled rates D_ii = J_ii (iω_i − γ_i, the diagonal of J).
    public var diagonal: [Complex<Double>] { jacobian.diagonalElements }

    /// The coupling K = J − diag(J) (zero diagonal).
    public var coupling: ComplexMatrix {
        var k = jacobian
        for i in 0..<count { k[i, i] = .zero }
        return k
    }

    /// The field J z (split real/imaginary inner loop; column-major J).
    func apply(_ z: [Complex<Double>]) -> [Complex<Double>] {
        let n = count
        var re = [Double](repeating: 0, count: n), im = [Double](repeating: 0, count: n)
        jacobian.elements.withUnsafeBufferPointer { a in
            for j in 0..<n {
                let xr = z[j].real, xi = z[j].imaginary
                if xr == 0 && xi == 0 { continue }
                let column = j * n
                for i in 0..<n {
                    let ar = a[column + i].real, ai = a[column + i].imaginary
                    re[i] += ar * xr - ai * xi  // (Jz)_i += J_ij z_j
                    im[i] += ar * xi + ai * xr
                }
            }
        }
        return (0..<n).map { Complex(re[$0], im[$0]) }
    }
}

/// A scalar piecewise-constant input u(t) entering through the vector b: dz/dt = J z + b u(t).
public struct NetworkDrive: Sendable {
    /// The input vector b (length n).
    public let b: [Complex<Double>]
    /// The piecewise-constant input u(t).
    public let u: PiecewiseConstantDrive

    public init(b: [Complex<Double>], u: PiecewiseConstantDrive) throws(OscillatorError) {
        try Validate.finite(b, "b")
        try Validate.finite(u.values, "drive")
        self.b = b
        self.u = u
    }
}

/// States of a network at output times.
public struct NetworkSolution: Sendable {
    /// The output times.
    public let times: [Double]
    /// `states[k][i]` = z_i(times[k]); all finite.
    public let states: [[Complex<Double>]]
    /// The route that computed them.
    public let route: NetworkRoute
    /// κ(V), the eigenvector condition number of J (σ_max/σ_min of the eigenvector matrix), when it was computed;
    /// large κ(V) means the eigen route would lose log₁₀κ(V) digits, so the matrix-exponential route was used.
    public let eigenvectorCondition: Double?
    /// For the perturbative route: the series diagnostics; nil otherwise.
    public let dyson: DysonDiagnostics?

    public init(times: [Double], states: [[Complex<Double>]], route: NetworkRoute, eigenvectorCondition: Double?,
                dyson: DysonDiagnostics? = nil) {
        self.times = times
        self.states = states
        self.route = route
        self.eigenvectorCondition = eigenvectorCondition
        self.dyson = dyson
    }
}

/// How a network solution was computed.
public enum NetworkRoute: String, Sendable {
    /// z(t) = V e^{Λt} V⁻¹ z₀ (eigen-decomposition; κ(V) small).
    case eigen
    /// z(t_{k}) = e^{(t_k − t_{k−1})J} z(t_{k−1}) (scaling-and-squaring matrix exponential; any κ(V)).
    case matrixExponential
    /// Piecewise-constant input, exact zero-order hold by the augmented exponential exp([[J, b], [0, 0]]h) (Van Loan).
    case vanLoan
    /// The Dyson series in K around D = diag(J), truncated at a given order.
    case perturbative
    /// Adaptive DOP853 integration.
    case numeric
}
