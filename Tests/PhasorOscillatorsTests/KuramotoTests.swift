// Kuramoto networks on rings: twisted states as travelling waves (Kuramoto integration and the exact complex form both
// against the closed-form wave), synchrony from near-equal phases, the complex phases agreeing with Kuramoto to first
// order in time, and the iterative form converging to Kuramoto as δt → 0.
import PhasorNumerics
import PhasorOscillators
import Testing

private func maxWrapped(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs(wrappedPhaseDifference($0, $1)) }.max() ?? 0
}

// Cases where the twisted state is a stable Kuramoto equilibrium (all cos(2πqd/n) > 0, cos φ > 0).
@Test(arguments: [(12, 1, 1, 0.0), (20, 1, 2, 0.4), (15, 3, 1, 0.3), (24, 2, 2, -0.5)])
func twistedStatesAreTravellingWaves(_ c: (Int, Int, Int, Double)) throws {
    let (n, k, q, lag) = c
    let omega = 1.3, epsilon = 0.8
    let network = try KuramotoNetwork(omega: [Double](repeating: omega, count: n),
                                      adjacency: KuramotoNetwork.ringAdjacency(nodes: n, neighbours: k),
                                      coupling: epsilon, phaseLag: lag)
    let theta0 = KuramotoNetwork.twistedState(nodes: n, winding: q)
    // μ_p = Σ_{d=1..k} 2 cos(2πpd/n): the eigenvalue of the ring adjacency on the Fourier mode e^{2πipj/n}.
    func mu(_ p: Int) -> Double { (1...k).reduce(0.0) { $0 + 2 * Double.cos(2 * Double.pi * Double(p * $1) / Double(n)) } }
    // Wave speed Ω = ω − ε μ_q sin φ, the same for the Kuramoto ring and for the complex form (x_j ∝ e^{(iω + εe^{−iφ}μ_q)t}).
    let speed = omega - epsilon * mu(q) * Double.sin(lag)
    // In the complex form every other Fourier mode p grows relative to mode q at rate ε cos φ (μ_p − μ_q); the largest
    // is p = 0 (synchrony), so rounding errors of size 1e-16 in the other modes reach 1e-10 after ≈ 14/rate.
    let rate = epsilon * Double.cos(lag) * (mu(0) - mu(q))
    let complexHorizon = 10 / rate
    let times = [1.0, 10.0, 40.0]
    let complexTimes = [0.25, 0.5, 1.0].map { $0 * complexHorizon }
    let kuramoto = try network.solve(.kuramoto, theta0: theta0, times: times)
    let complex = try network.solve(.complex, theta0: theta0, times: complexTimes)
    let iterative = try network.solve(.iterative, theta0: theta0, times: complexTimes, step: 0.5)
    for (index, t) in times.enumerated() {
        #expect(maxWrapped(kuramoto.theta[index], theta0.map { $0 + speed * t }) < 1e-9)
        #expect(kuramoto.order[index] < 1e-9)  // a twisted state (q ≠ 0 mod n) has r = 0
    }
    for (index, t) in complexTimes.enumerated() {
        let wave = theta0.map { $0 + speed * t }
        #expect(maxWrapped(complex.theta[index], wave) < 1e-9)
        #expect(maxWrapped(iterative.theta[index], wave) < 1e-9)
    }
}

@Test func synchronyFromNearEqualPhases() throws {
    let n = 10
    var g = SeededGenerator(seed: 4)
    let theta0 = (0..<n).map { _ in 0.3 * (g.uniform() - 0.5) }
    let omega = (0..<n).map { _ in 1 + 0.02 * (g.uniform() - 0.5) }
    let network = try KuramotoNetwork(omega: omega, adjacency: KuramotoNetwork.ringAdjacency(nodes: n, neighbours: 2),
                                      coupling: 1.0)
    let times = [0.0, 5.0, 30.0]
    for method in KuramotoMethod.allCases {
        let solution = try network.solve(method, theta0: theta0, times: times, step: 0.1)
        #expect(solution.order[0] < 0.999)
        #expect(solution.order[2] > 0.9999, "\(method): r = \(solution.order)")
    }
}

@Test func complexPhasesAgreeWithKuramotoToFirstOrderInTime() throws {
    let n = 8
    var g = SeededGenerator(seed: 9)
    let theta0 = (0..<n).map { _ in 2 * Double.pi * g.uniform() }
    let omega = (0..<n).map { _ in 1 + g.uniform() }
    let network = try KuramotoNetwork(omega: omega, adjacency: KuramotoNetwork.ringAdjacency(nodes: n, neighbours: 1),
                                      coupling: 0.5, phaseLag: 0.2)
    func distance(_ h: Double) throws -> Double {
        let a = try network.solve(.kuramoto, theta0: theta0, times: [h], tolerance: .init(relative: 1e-13, absolute: 1e-15))
        let b = try network.solve(.complex, theta0: theta0, times: [h])
        return maxWrapped(a.theta[0], b.theta[0])
    }
    let d1 = try distance(0.02), d2 = try distance(0.01)
    // Equal derivatives at t = 0 ⇒ the difference is O(h²): halving h divides it by ≈ 4.
    #expect(d1 > 0)
    #expect(abs(d1 / d2 - 4) < 0.2, "d(0.02) = \(d1), d(0.01) = \(d2)")
}

@Test func iterativeFormConvergesToKuramotoAsTheStepShrinks() throws {
    let n = 8
    var g = SeededGenerator(seed: 12)
    let theta0 = (0..<n).map { _ in 2 * Double.pi * g.uniform() }
    let omega = (0..<n).map { _ in 1 + 0.5 * g.uniform() }
    let network = try KuramotoNetwork(omega: omega, adjacency: KuramotoNetwork.ringAdjacency(nodes: n, neighbours: 2),
                                      coupling: 0.4, phaseLag: 0.1)
    let t = 5.0
    let reference = try network.solve(.kuramoto, theta0: theta0, times: [t]).theta[0]
    var errors: [Double] = []
    for step in [0.1, 0.05, 0.025] {
        errors.append(maxWrapped(try network.solve(.iterative, theta0: theta0, times: [t], step: step).theta[0], reference))
    }
    #expect(errors[1] < errors[0] && errors[2] < errors[1], "\(errors)")
    #expect(errors[2] < 0.05)
}

@Test func kuramotoInputErrors() throws {
    #expect(throws: OscillatorError.self) { try KuramotoNetwork(omega: [1, 2], adjacency: [0, 1, 1], coupling: 1) }
    #expect(throws: OscillatorError.nonFiniteParameter("coupling")) {
        try KuramotoNetwork(omega: [1, 2], adjacency: [0, 1, 1, 0], coupling: .infinity)
    }
    let network = try KuramotoNetwork(omega: [1, 2], adjacency: [0, 1, 1, 0], coupling: 1)
    #expect(throws: OscillatorError.self) { try network.solve(.iterative, theta0: [0, 1], times: [1]) }
    #expect(throws: OscillatorError.self) { try network.solve(.kuramoto, theta0: [0], times: [1]) }
    let r = orderParameter([0.3, 0.3, 0.3])
    #expect(abs(r.r - 1) < 1e-15 && abs(r.psi - 0.3) < 1e-15)
}

@Test func complexFormSurvivesLongHorizons() throws {
    // e^{tK} alone would overflow after t ≈ 709/6 ≈ 118 (spectral abscissa ≈ 2kε = 6); the rescaled solver does not.
    let n = 16
    var g = SeededGenerator(seed: 21)
    let theta0 = (0..<n).map { _ in 0.4 * (g.uniform() - 0.5) }
    let network = try KuramotoNetwork(omega: [Double](repeating: 1, count: n),
                                      adjacency: KuramotoNetwork.ringAdjacency(nodes: n, neighbours: 3), coupling: 1)
    let times = [50.0, 300.0]
    let complex = try network.solve(.complex, theta0: theta0, times: times)
    let kuramoto = try network.solve(.kuramoto, theta0: theta0, times: times)
    #expect(complex.order[1] > 1 - 1e-12)
    #expect(maxWrapped(complex.theta[1], kuramoto.theta[1]) < 1e-2)
    #expect(complex.moduli?.allSatisfy { $0.allSatisfy { $0.isFinite && $0 > 0 } } == true)
}
