import PhasorCorrespondence
import PhasorModels
import PhasorNumerics
import Testing

@Suite struct DiagonalSSMTests {
    @Test(arguments: [false, true])
    func s4dChannelKernelMatchesTheS4DFormula(bilinear: Bool) throws {
        for seed in UInt64(1)...3 {
            let p = S4DChannelParameters.random(modes: 8, seed: seed)
            let ssm = try p.ssm(bilinear ? .bilinear : .zoh)
            let reference = p.kernel(length: 150, bilinear: bilinear)
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

    /// Every channel of a multi-channel core is the diagonal system of that channel alone, and the system's output
    /// is the layer's own (convolution) output on that channel, for both discretisations.
    @Test(arguments: [Discretization.zoh, .bilinear])
    func channelsOfACoreAreItsOwnLayer(method: Discretization) throws {
        let h = 3, m = 4, L = 40
        let channels = (0..<h).map { S4DChannelParameters.random(modes: m, seed: 100 + UInt64($0)) }
        let kernel = try S4DKernelParameters(channels: h, modes: m, logDt: channels.map(\.logDt),
                                             C: channels.flatMap { $0.c.flatMap { [$0.real, $0.imaginary] } },
                                             logAReal: channels.flatMap(\.logAReal), AImag: channels.flatMap(\.aImag))
        let core = try S4DCore(kernel: kernel, D: channels.map(\.d), discretization: method)
        let systems = try core.diagonalSystems()
        let u = randomInput(length: h * L, seed: 9)
        let y = try core.ssmOutput(input: u, batch: 1, length: L)                     // the layer's own forward
        for c in 0..<h {
            #expect(systems[c].ssm == (try channels[c].ssm(method)) && systems[c].discretization == method)
            let uc = Array(u[c * L ..< (c + 1) * L])
            #expect(maxAbsDifference(try systems[c].ssm.recur(uc), Array(y[c * L ..< (c + 1) * L])) <= 1e-12 * 10)
        }
        #expect(throws: CorrespondenceError.self) { try core.diagonalSystem(channel: 3) }
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
        #expect(throws: ModelError.self) {
            try S4DChannelParameters(logDt: 0, logAReal: [Double.infinity], aImag: [0], c: [.one], d: 0).ssm()
        }
    }
}
