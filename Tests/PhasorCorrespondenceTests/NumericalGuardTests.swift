import PhasorNumerics
import Testing
@testable import PhasorCorrespondence

// Numerical guards (docs/reliability.md): wave read-outs of node states never carry NaN/Inf out silently.

@Suite("numerical guards: travelling waves")
struct TravellingWaveGuardTests {
    func ring() throws -> Ring {
        let modes = (0..<4).map { n in Complex<Double>.exp(Complex(-0.1, Double.pi * Double(n) / 2)) }
        return Ring(try DiagonalSSM(modes: modes, input: Array(repeating: .one, count: 4),
                                    output: Array(repeating: .one, count: 4), direct: 0, step: 1))
    }

    @Test func nonFiniteNodeStatesAreRefused() throws {
        let r = try ring()
        let nodes: [[Complex<Double>]] = [[.one, .zero, .zero, .zero], [.zero, Complex(.nan, 0), .zero, .zero]]
        #expect(throws: NonFiniteError.self) { _ = try TravellingWave(ring: r, nodes: nodes) }
    }

    /// States of size 1e200 are finite, but ‖x‖² overflows: the read-out throws instead of returning ∞ norms.
    @Test func overflowingNormsAreRefused() throws {
        let r = try ring()
        let nodes: [[Complex<Double>]] = [[.one, .zero, .zero, .zero], [Complex(1e200, 0), .zero, .zero, .zero]]
        #expect(throws: NonFiniteError.self) { _ = try TravellingWave(ring: r, nodes: nodes) }
        // The same shape at a representable scale reads out: ‖x_1‖/‖x_0‖ = 1e100 over one step.
        let fine: [[Complex<Double>]] = [[.one, .zero, .zero, .zero], [Complex(1e100, 0), .zero, .zero, .zero]]
        let wave = try TravellingWave(ring: r, nodes: fine)
        #expect(abs(wave.dampingPerStep - 1e100) <= 1e86)
    }
}
