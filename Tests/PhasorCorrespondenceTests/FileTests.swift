import PhasorCorrespondence
import PhasorData
import PhasorModels
import PhasorNumerics
import Testing

@Suite struct FileTests {
    @Test func systemsRoundTripThroughSafeTensors() throws {
        for complex in [false, true] {
            let s = try randomStableSystem(n: 3, m: 2, p: 2, complex: complex, seed: complex ? 71 : 72)
            for system in [s, try s.discretised(step: 0.25, method: .zeroOrderHold).system] {
                let bytes = try system.safeTensors().serialized()
                let back = try LTISystem(safeTensors: try SafeTensorsFile(bytes: bytes))
                #expect(back == system)
            }
        }
    }

    @Test func s4dLayersRoundTripThroughSafeTensors() throws {
        let design = try OscillatorDesign(periods: [10, 40], memories: [30, 300], step: 0.5)
        let store = try design.s4dParameters(layer: 0, channels: 2)
        let file = try SafeTensorsFile(bytes: try S4DFile.file(store).serialized())
        let (read, layers) = try S4DFile.parameters(file)
        #expect(layers == 1)
        #expect(try DiagonalSSM.s4d(read, layer: 0, channel: 1) == (try DiagonalSSM.s4d(store, layer: 0, channel: 1)))
        #expect(throws: CorrespondenceError.self) { try S4DFile.parameters(SafeTensorsFile()) }
    }

    @Test func s4dRatesBeyondNyquistAreKeptAndReported() throws {
        // S4D-Lin, M = 8, Δ = 0.5: modes n ≥ 3 have πnΔ > π and fold when sampled
        let p = S4DChannelParameters.lin(modes: 8, dt: 0.5)
        let ssm = try p.ssm()
        let rates = (0..<8).map { Complex(-0.5, Double.pi * Double($0)) }
        let reading = try OscillatorReading(diagonal: ssm, rates: rates)
        #expect(zip(reading.modes, rates).allSatisfy { $0.lambda == $1 })
        #expect(reading.warnings.count == 1 && reading.warnings[0].contains("5 mode(s)"))
        let folded = try OscillatorReading(diagonal: ssm)
        #expect(folded.modes.allSatisfy { abs($0.frequency) * ssm.step <= Double.pi })
        #expect(throws: CorrespondenceError.self) {
            try OscillatorReading(diagonal: ssm, rates: rates.map { $0 + Complex(0.1, 0) })
        }
    }
}
