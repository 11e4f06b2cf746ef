import PhasorCorrespondence
import PhasorModels
import PhasorNumerics
import Testing

@Suite struct DiagonalSSMTests {
    @Test func s4dChannelKernelMatchesTheS4DFormula() throws {
        for seed in UInt64(1)...3 {
            let p = S4DChannelParameters.random(modes: 8, seed: seed)
            let ssm = try p.ssm()
            let reference = p.kernel(length: 150)
            let scale = reference.map(abs).max() ?? 1
            #expect(maxAbsDifference(ssm.kernel(length: 150), reference) <= 1e-12 * max(scale, 1))
        }
    }

    @Test func convolutionAndRecurrenceAgree() throws {
        let p = S4DChannelParameters.random(modes: 6, seed: 7)
        let ssm = try p.ssm()
        let u = randomInput(length: 80, seed: 8)
        let reference = p.output(u)
        let scale = max(reference.map(abs).max() ?? 1, 1)
        #expect(maxAbsDifference(try ssm.convolve(u), reference) <= 1e-12 * scale)
        #expect(maxAbsDifference(try ssm.recur(u), reference) <= 1e-12 * scale)
    }

    @Test func readsAChannelFromAParameterStoreByStateSpacesKeys() throws {
        let h = 3, m = 4
        let channels = (0..<h).map { S4DChannelParameters.random(modes: m, seed: 100 + UInt64($0)) }
        let store = try ParameterStore([
            Parameter(name: "s4_layers.1.D", shape: [h], values: channels.map(\.d)),
            Parameter(name: "s4_layers.1.kernel.log_dt", shape: [h], values: channels.map(\.logDt)),
            Parameter(name: "s4_layers.1.kernel.C", shape: [h, m, 2],
                      values: channels.flatMap { $0.c.flatMap { [$0.real, $0.imaginary] } }),
            Parameter(name: "s4_layers.1.kernel.log_A_real", shape: [h, m], values: channels.flatMap(\.logAReal)),
            Parameter(name: "s4_layers.1.kernel.A_imag", shape: [h, m], values: channels.flatMap(\.aImag)),
        ])
        for channel in 0..<h {
            let ssm = try DiagonalSSM.s4d(store, layer: 1, channel: channel)
            #expect(ssm == (try channels[channel].ssm()))
        }
        #expect(throws: CorrespondenceError.self) { try DiagonalSSM.s4d(store, layer: 1, channel: 3) }
        #expect(throws: ModelError.self) { try DiagonalSSM.s4d(store, layer: 0, channel: 0) }
    }

    @Test func rejectsBadShapesStepsAndNonFiniteValues() {
        #expect(throws: CorrespondenceError.invalidStep(0)) {
            try DiagonalSSM(modes: [.one], input: [.one], output: [.one], direct: 0, step: 0)
        }
        #expect(throws: CorrespondenceError.self) {
            try DiagonalSSM(modes: [.one, .one], input: [.one], output: [.one], direct: 0, step: 1)
        }
        #expect(throws: NonFiniteError.self) {
            try DiagonalSSM(modes: [Complex(Double.nan, 0)], input: [.one], output: [.one], direct: 0, step: 1)
        }
        #expect(throws: NonFiniteError.self) {
            try DiagonalSSM.s4d(logDt: 0, logAReal: [Double.infinity], aImag: [0], c: [.one], d: 0)
        }
    }
}
