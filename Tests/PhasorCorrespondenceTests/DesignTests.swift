import PhasorCorrespondence
import PhasorModels
import PhasorNumerics
import Testing

@Suite struct DesignTests {
    static let periods = [10.0, 100, 1000], memories = [50.0, 500, 5000]

    static func expectRecovered(_ found: [OscillatorTarget], periods: [Double?], memories: [Double]) {
        #expect(found.count == periods.count)
        let sorted = found.sorted { ($0.period ?? .infinity) < ($1.period ?? .infinity) }
        for (k, t) in sorted.enumerated() {
            if let p = periods[k] { #expect(abs((t.period ?? .nan) - p) <= 1e-12 * p) } else { #expect(t.period == nil) }
            #expect(abs(t.memory - memories[k]) <= 1e-12 * memories[k])
        }
    }

    @Test func discreteEigenvaluesFollowTheFormula() throws {
        let design = try OscillatorDesign(periods: Self.periods, memories: Self.memories, step: 1)
        for (k, mu) in design.discreteEigenvalues.enumerated() {
            let r = Double.exp(-1 / Self.memories[k]), angle = 2 * Double.pi / Self.periods[k]
            #expect((mu - Complex(r * Double.cos(angle), r * Double.sin(angle))).length <= 1e-15)
        }
        Self.expectRecovered(try OscillatorDesign.targets(discrete: design.discreteEigenvalues, step: 1),
                             periods: Self.periods, memories: Self.memories)
    }

    @Test func bothSystemFormsRecoverTheTargetsAndShareTheImpulseResponse() throws {
        let dt = 0.5
        let design = try OscillatorDesign(periods: [10, 100, .infinity], memories: [50, 500, 20], step: dt)
        let complex = try design.complexDiagonalSystem(), real = try design.realBlockSystem()
        #expect(complex.stateCount == 5 && real.stateCount == 5 && real.isReal)
        for system in [complex, real] {
            let discrete = try system.discretised(step: dt, method: .zoh).system
            let mus = try discrete.a.eigen().values
            Self.expectRecovered(try OscillatorDesign.targets(discrete: mus, step: dt),
                                 periods: [10, 100, nil], memories: [50, 500, 20])
        }
        for t in [0.0, 1.3, 7.0, 40.0] {
            let h1 = try complex.c * ((t * complex.a).exponential() * complex.b)
            let h2 = try real.c * ((t * real.a).exponential() * real.b)
            #expect((h1[0, 0] - h2[0, 0]).length <= 1e-12 * 5)
            #expect(abs(h2[0, 0].imaginary) <= 1e-15)
        }
    }

    @Test func s4dInitialisationRecoversTheTargets() throws {
        let design = try OscillatorDesign(periods: Self.periods, memories: Self.memories, step: 1)
        let core = try design.s4dCore(channels: 3)
        for h in 0..<3 {
            let ssm = try core.diagonalSystem(channel: h).ssm
            Self.expectRecovered(try OscillatorDesign.targets(s4d: ssm), periods: Self.periods, memories: Self.memories)
            // the channel's discrete modes are the designed μ_k
            #expect(maxAbsDifference(ssm.modes, design.discreteEigenvalues) <= 1e-14)
        }
    }

    @Test func rejectsImpossibleTargets() {
        #expect(throws: CorrespondenceError.self) { try OscillatorDesign(periods: [2], memories: [10], step: 1) }
        #expect(throws: CorrespondenceError.self) { try OscillatorDesign(periods: [10], memories: [0], step: 1) }
        #expect(throws: CorrespondenceError.self) { try OscillatorDesign(periods: [10], memories: [.infinity]) }
        #expect(throws: CorrespondenceError.self) { try OscillatorDesign(periods: [10, 20], memories: [5]) }
        #expect(throws: CorrespondenceError.invalidStep(0)) { try OscillatorDesign(periods: [10], memories: [5], step: 0) }
        #expect(throws: CorrespondenceError.self) {
            try OscillatorDesign.targets(discrete: [Complex(1.0, 0.1)], step: 1)
        }
    }
}
