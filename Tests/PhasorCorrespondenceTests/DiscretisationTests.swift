import PhasorCorrespondence
import PhasorModels
import PhasorNumerics
import Testing

@Suite struct DiscretisationTests {
    @Test(arguments: Discretization.allCases)
    func continuousToDiscreteAndBackIsExact(method: Discretization) throws {
        for (seed, complex) in [(UInt64(1), false), (2, true), (3, false), (4, true)] {
            let s = try randomStableSystem(n: 5, m: 2, p: 3, complex: complex, seed: seed)
            let discrete = try s.discretised(step: 0.3, method: method)
            #expect(discrete.warnings.isEmpty)
            #expect(discrete.system.domain == .discrete(step: 0.3))
            let back = try discrete.system.continuised(method: method).system
            #expect(try relativeDifference(back.a, s.a) <= 1e-12)
            #expect(try relativeDifference(back.b, s.b) <= 1e-12)
            #expect(back.c == s.c && back.d == s.d)
            #expect(back.isReal == s.isReal || !complex)
        }
    }

    @Test(arguments: Discretization.allCases)
    func discreteToContinuousAndBackIsExact(method: Discretization) throws {
        var g = SeededGenerator(seed: 9)
        // a stable discrete Ā = 0.3·G/√n + 0.5 I (eigenvalues away from 0, −1 and the negative axis)
        let a = try (0.3 / 2) * randomMatrix(4, 4, complex: true, &g) + 0.5 * ComplexMatrix.identity(4)
        let s = try LTISystem(a: a, b: randomMatrix(4, 1, complex: true, &g), c: randomMatrix(2, 4, complex: true, &g),
                              d: randomMatrix(2, 1, complex: true, &g), domain: .discrete(step: 0.7))
        let continuous = try s.continuised(method: method)
        let again = try continuous.system.discretised(step: 0.7, method: method).system
        #expect(try relativeDifference(again.a, s.a) <= 1e-12)
        #expect(try relativeDifference(again.b, s.b) <= 1e-12)
    }

    @Test func zohMatchesTheClosedFormsIndependently() throws {
        let s = try randomStableSystem(n: 4, m: 2, p: 1, complex: true, seed: 5)
        let dt = 0.4
        let d = try s.discretised(step: dt, method: .zoh).system
        #expect(try relativeDifference(d.a, (dt * s.a).exponential()) <= 1e-13)
        // B̄ = A⁻¹(e^{ΔA} − I)B, fine here because this A is invertible
        let reference = try s.a.solve(try ((dt * s.a).exponential() - ComplexMatrix.identity(4)) * s.b)
        #expect(try relativeDifference(d.b, reference) <= 1e-12)
        // singular A (double integrator): Ā = [[1, Δ], [0, 1]], B̄ = [Δ²/2, Δ]
        let integrator = try LTISystem(a: ComplexMatrix(real: [[0, 1], [0, 0]]), b: ComplexMatrix(real: [[0], [1]]),
                                       c: ComplexMatrix(real: [[1, 0]]), d: ComplexMatrix(real: [[0]]), domain: .continuous)
        let zoh = try integrator.discretised(step: dt, method: .zoh).system
        #expect(try relativeDifference(zoh.a, ComplexMatrix(real: [[1, dt], [0, 1]])) <= 1e-15)
        #expect(try relativeDifference(zoh.b, ComplexMatrix(real: [[dt * dt / 2], [dt]])) <= 1e-15)
    }

    @Test func bilinearAndEulerMatchTheirFormulas() throws {
        let s = try randomStableSystem(n: 3, m: 1, p: 2, complex: false, seed: 6)
        let dt = 0.25, i3 = ComplexMatrix.identity(3)
        let bilinear = try s.discretised(step: dt, method: .bilinear).system
        let left = try i3 - (dt / 2) * s.a, right = try i3 + (dt / 2) * s.a
        #expect(try relativeDifference(left * bilinear.a, right) <= 1e-14)          // (I − ΔA/2)Ā = I + ΔA/2
        #expect(try relativeDifference(left * bilinear.b, dt * s.b) <= 1e-14)      // (I − ΔA/2)B̄ = ΔB
        let euler = try s.discretised(step: dt, method: .euler).system
        #expect(try relativeDifference(euler.a, i3 + dt * s.a) <= 1e-15)
    }

    @Test func rejectsBadStepsBranchProblemsAndShapes() throws {
        let s = try randomStableSystem(n: 2, m: 1, p: 1, complex: false, seed: 7)
        #expect(throws: CorrespondenceError.invalidStep(0)) { try s.discretised(step: 0, method: .zoh) }
        #expect(throws: CorrespondenceError.invalidStep(-1)) { try s.discretised(step: -1, method: .bilinear) }
        #expect(throws: CorrespondenceError.self) { try s.continuised(method: .zoh) }
        let one = try ComplexMatrix(real: [[1], [1]])
        let row = try ComplexMatrix(real: [[1, 1]]), scalar = try ComplexMatrix(real: [[0]])
        for a in [try ComplexMatrix(real: [[-0.5, 0], [0, 0.3]]), try ComplexMatrix(real: [[0, 0], [0, 0.3]])] {
            let bad = try LTISystem(a: a, b: one, c: row, d: scalar, domain: .discrete(step: 1))
            #expect(throws: CorrespondenceError.self) { try bad.continuised(method: .zoh) }
            #expect(throws: CorrespondenceError.self) { try OscillatorReading(bad) }
        }
        let minusOne = try LTISystem(a: ComplexMatrix(real: [[-1, 0], [0, 0.3]]), b: one, c: row, d: scalar,
                                     domain: .discrete(step: 1))
        #expect(throws: CorrespondenceError.self) { try minusOne.continuised(method: .bilinear) }
        #expect(throws: CorrespondenceError.self) {
            try LTISystem(a: ComplexMatrix(real: [[1, 0]]), b: one, c: row, d: scalar, domain: .continuous)
        }
        #expect(throws: CorrespondenceError.self) {
            try LTISystem(a: ComplexMatrix.identity(2), b: one, c: ComplexMatrix(real: [[1, 1, 1]]), d: scalar,
                          domain: .continuous)
        }
        #expect(throws: CorrespondenceError.invalidStep(-2)) {
            try LTISystem(a: ComplexMatrix.identity(2), b: one, c: row, d: scalar, domain: .discrete(step: -2))
        }
    }

    @Test func warnsAtTheNyquistEdge() throws {
        // continuous mode with ω = 3.2 > π/Δ for Δ = 1: ZOH folds it
        let a = try ComplexMatrix(real: [[-0.1, 3.2], [-3.2, -0.1]])
        let s = try LTISystem(a: a, b: ComplexMatrix(real: [[1], [0]]), c: ComplexMatrix(real: [[1, 0]]),
                              d: ComplexMatrix(real: [[0]]), domain: .continuous)
        let discrete = try s.discretised(step: 1, method: .zoh)
        #expect(discrete.warnings.count == 2)
        let back = try discrete.system.continuised(method: .zoh)
        #expect(back.warnings.isEmpty)  // arg μ = ±(3.2 − 2π) is inside the edge: the fold cannot be seen from Ā
        // folded: the recovered frequency is 2π − 3.2 per unit time, not 3.2
        let folded = try back.system.a.eigen().values.map { abs($0.imaginary) }
        #expect(folded.allSatisfy { abs($0 - (2 * Double.pi - 3.2)) <= 1e-12 })
        // a discrete mode with arg μ = 3.13 (within 1% of π) is reported when read back
        let edge = try LTISystem(a: ComplexMatrix.diagonal([Complex.exp(Complex(-0.1, 3.13))]),
                                 b: ComplexMatrix(real: [[1]]), c: ComplexMatrix(real: [[1]]),
                                 d: ComplexMatrix(real: [[0]]), domain: .discrete(step: 1))
        #expect(try edge.continuised(method: .zoh).warnings.count == 1)
        #expect(try OscillatorReading(edge).warnings.count == 1)
    }
}
