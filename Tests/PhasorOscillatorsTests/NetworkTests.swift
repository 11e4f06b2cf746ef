// Linear networks: the exact routes (eigen, matrix exponential, Van Loan) against DOP853, the Dyson series converging
// with the order for weak coupling, and non-convergence reported when the coupling is strong.
import PhasorNumerics
import PhasorOscillators
import Testing

/// A random network: ω_i spread over [0.5, 3], γ_i in [0.1, 0.3], K with entries of size `strength`.
private func randomNetwork(n: Int, strength: Double, seed: UInt64) throws -> OscillatorNetwork {
    var g = SeededGenerator(seed: seed)
    let omega = (0..<n).map { 0.5 + 2.5 * Double($0) / Double(max(n - 1, 1)) }
    let gamma = (0..<n).map { _ in 0.1 + 0.2 * g.uniform() }
    var k = ComplexMatrix(rows: n, columns: n)
    for j in 0..<n { for i in 0..<n where i != j { k[i, j] = Complex(g.normal(), g.normal()).multiplied(by: strength) } }
    return try OscillatorNetwork(omega: omega, gamma: gamma, coupling: k)
}

private func maxDistance(_ a: [[Complex<Double>]], _ b: [[Complex<Double>]]) -> Double {
    zip(a, b).map { zip($0, $1).map { ($0 - $1).length }.max() ?? 0 }.max() ?? 0
}

@Test func exactRoutesAgreeWithDOP853() throws {
    let network = try randomNetwork(n: 6, strength: 0.1, seed: 7)
    let z0 = (0..<6).map { Complex(Double($0) * 0.1 - 0.2, 0.3) }
    let times = stride(from: 0.0, through: 50, by: 2.5).map { $0 }
    let exact = try network.exactSolution(from: z0, times: times)
    #expect(exact.route == .eigen)
    #expect((exact.eigenvectorCondition ?? .infinity) < OscillatorNetwork.eigenConditionLimit)
    let numeric = try network.numericSolution(from: z0, times: times, tolerance: .init(relative: 1e-13, absolute: 1e-15))
    #expect(maxDistance(exact.states, numeric.states) <= 1e-10)
}

@Test func nonNormalJacobianTakesTheExponentialRoute() throws {
    // A Jordan-like chain: J = −0.1 I + N with N nilpotent (strongly non-normal; κ(V) = ∞ or huge).
    let n = 5
    var j = ComplexMatrix(rows: n, columns: n)
    for i in 0..<n { j[i, i] = Complex(-0.1, 1.0) }
    for i in 0..<(n - 1) { j[i, i + 1] = Complex(2.0, 0) }
    let network = try OscillatorNetwork(jacobian: j)
    let z0 = [Complex<Double>](repeating: Complex(0.2, -0.1), count: n)
    let times = [0.5, 1, 5, 10, 30]
    let exact = try network.exactSolution(from: z0, times: times)
    #expect(exact.route == .matrixExponential)
    #expect((exact.eigenvectorCondition ?? .infinity) > OscillatorNetwork.eigenConditionLimit)
    let numeric = try network.numericSolution(from: z0, times: times, tolerance: .init(relative: 1e-13, absolute: 1e-15))
    let scale = numeric.states.flatMap { $0 }.map(\.length).max() ?? 1
    #expect(maxDistance(exact.states, numeric.states) <= 1e-11 * max(1, scale))
}

@Test func vanLoanZeroOrderHoldMatchesIntegratorPieceByPiece() throws {
    let network = try randomNetwork(n: 4, strength: 0.2, seed: 3)
    let z0 = [Complex(0.1, 0), Complex(0, 0.2), Complex(-0.3, 0.1), Complex(0.05, 0.05)]
    let b = [Complex(1.0, 0), Complex(0.5, -0.5), Complex(0, 1), Complex(-0.2, 0)]
    let switches = [0.0, 2.0, 3.5, 7.0]
    let values = [Complex(1.0, 0), Complex(-0.5, 0.25), Complex(0, 0), Complex(2, -1)]
    let drive = try NetworkDrive(b: b, u: PiecewiseConstantDrive(switchTimes: switches, values: values))
    let times = [1.0, 3.0, 6.0, 10.0, 20.0]
    let exact = try network.exactSolution(from: z0, times: times, drive: drive)
    #expect(exact.route == .vanLoan)
    // Independent: integrate each constant piece with DOP853, restarting at every switch.
    let options = ODEOptions(relativeTolerance: 1e-13, absoluteTolerance: 1e-15)
    var z = z0, t = 0.0
    var numeric: [[Complex<Double>]] = []
    let knots = (switches + times).sorted()
    for knot in knots where knot > t {
        let u = values[switches.lastIndex(where: { $0 <= t }) ?? 0]
        let j = network.jacobian
        z = try ODEIntegrator.solveComplex(.dop853, z0: z, t0: t, outputTimes: [knot], options: options) { _, x in
            let jx = try! j * x  // shapes fixed above
            return (0..<x.count).map { jx[$0] + b[$0] * u }
        }.states[0]
        t = knot
        if times.contains(knot) { numeric.append(z) }
    }
    #expect(maxDistance(exact.states, numeric) <= 1e-10)
}

@Test func dysonSeriesConvergesWithTheOrderForWeakCoupling() throws {
    let network = try randomNetwork(n: 5, strength: 0.02, seed: 11)
    let z0 = (0..<5).map { Complex(0.3, Double($0) * 0.1) }
    let times = [1.0, 5.0, 10.0]
    let exact = try network.exactSolution(from: z0, times: times)
    var errors: [Double] = []
    for order in 0...8 {
        let (series, orders) = try network.dysonSeries(from: z0, times: times, order: order)
        #expect(orders.count == order + 1)
        errors.append(maxDistance(series.states, exact.states))
        if order >= 1 { #expect(series.dyson?.converging == true) }
    }
    for k in 1..<errors.count { #expect(errors[k] < errors[k - 1] || errors[k] < 1e-14) }
    #expect(errors[8] < 1e-9, "Dyson errors by order: \(errors)")
    #expect(errors[0] > 1e8 * errors[8])
}

@Test func dysonFirstOrderMatchesItsClosedForm() throws {
    // z⁽¹⁾_i(t) = Σ_j K_ij z0_j (e^{d_i t} − e^{d_j t})/(d_i − d_j) (distinct d): the divided difference, independently.
    let network = try randomNetwork(n: 4, strength: 0.5, seed: 5)
    let z0 = [Complex(1.0, 0), Complex(0, 1), Complex(0.5, 0.5), Complex(-1, 0.2)]
    let t = 3.0
    let (_, orders) = try network.dysonSeries(from: z0, times: [t], order: 1)
    let d = network.diagonal, k = network.coupling
    for i in 0..<4 {
        var expected = Complex<Double>.zero
        for j in 0..<4 where j != i {
            let dd = (Complex.exp(d[i].multiplied(by: t)) - Complex.exp(d[j].multiplied(by: t))) / (d[i] - d[j])
            expected = expected + k[i, j] * z0[j] * dd
        }
        #expect((orders[1][0][i] - expected).length < 1e-13)
    }
}

@Test func strongCouplingIsReportedAsNotConverging() throws {
    let network = try randomNetwork(n: 4, strength: 3.0, seed: 2)
    let z0 = [Complex<Double>](repeating: Complex(1, 0), count: 4)
    let (series, _) = try network.dysonSeries(from: z0, times: [10], order: 3)
    let diagnostics = try #require(series.dyson)
    #expect(!diagnostics.converging)
    #expect(diagnostics.relativeLastTerm > 1)
}

@Test func coupledStuartLandauReducesToTheClosedFormWhenUncoupled() throws {
    let omega = [1.0, 2.0], gamma = [-0.2, 0.1], alpha = [0.5, 0.3], beta = [0.3, -0.4]
    let network = try CoupledStuartLandau(omega: omega, gamma: gamma, alpha: alpha, beta: beta,
                                          coupling: ComplexMatrix(rows: 2, columns: 2))
    let z0 = [Complex(0.3, 0.1), Complex(-0.8, 0.4)]
    let times = [10.0, 40.0]
    let numeric = try network.numericSolution(from: z0, times: times)
    for i in 0..<2 {
        let single = try StuartLandau(omega: omega[i], gamma: gamma[i], alpha: alpha[i], beta: beta[i])
        for (k, t) in times.enumerated() {
            #expect((numeric.states[k][i] - (try single.state(at: t, from: z0[i]))).length < 1e-10)
        }
    }
}

@Test func networkInputErrors() throws {
    #expect(throws: OscillatorError.self) { try OscillatorNetwork(jacobian: ComplexMatrix(rows: 2, columns: 3)) }
    let network = try randomNetwork(n: 3, strength: 0.1, seed: 1)
    #expect(throws: OscillatorError.self) { try network.exactSolution(from: [.zero, .zero], times: [1]) }
    #expect(throws: OscillatorError.timesNotIncreasing(index: 1)) {
        try network.exactSolution(from: [.zero, .zero, .zero], times: [2, 1])
    }
}
