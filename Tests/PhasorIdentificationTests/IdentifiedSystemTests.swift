import PhasorCorrespondence
import PhasorData
import PhasorIdentification
import PhasorNumerics
import PhasorOscillators
import Testing

// The identified system is an ordinary LTISystem: its impulse response, its oscillator reading and the exact solution
// of its continuous-time network are each computed by code that knows nothing of DMD, and must equal the DMD's own
// mode sum Φ Λ^k b.
@Suite struct IdentifiedSystemTests {
    /// A noisy-free but not exactly linear series (so the identity does not hold merely because the fit is perfect).
    static func model() throws -> HankelDMD {
        let base = try DampedSinusoids.series(length: 240, channels: 2)
        var g = SeededGenerator(seed: 3)
        let noisy = try TimeSeries(name: "noisy", channels: 2, values: base.values.map { $0 + 0.01 * g.normal() })
        return try HankelDMD(noisy, delays: 8, rank: .fixed(6), step: DampedSinusoids.step)
    }

    @Test func impulseResponseIsTheDMDReconstruction() throws {
        let model = try Self.model()
        let system = try model.system()
        #expect(system.stateCount == 6 && system.outputCount == 2 && system.domain == .discrete(step: DampedSinusoids.step))
        let modeSum = try model.reconstruction()  // newest rows of Φ Λ^k b
        // y_k = C Ā^k B by repeated matrix–vector products
        var state = system.b.column(0)
        var worst = 0.0, scale = 0.0
        for k in 0..<model.embedding.windows {
            let y = try system.c * state
            for c in 0..<2 {
                worst = max(worst, abs(y[c].real - modeSum[k * 2 + c]), abs(y[c].imaginary))
                scale = max(scale, abs(modeSum[k * 2 + c]))
            }
            state = try system.a * state
        }
        #expect(worst <= 1e-11 * scale)
    }

    @Test func oscillatorReadingOfTheSystemIsTheDMD() throws {
        let model = try Self.model()
        let reading = try OscillatorReading(try model.system())
        let dmd = model.dmd
        // each mode's weight c̃_k b̃_k (independent of how V is scaled) equals (Φ_k)_newest b_k
        for (k, mode) in reading.modes.enumerated() {
            let j = try #require(dmd.eigenvalues.indices.min { (dmd.eigenvalues[$0] - (mode.mu ?? .zero)).length < (dmd.eigenvalues[$1] - (mode.mu ?? .zero)).length })
            #expect((dmd.eigenvalues[j] - (mode.mu ?? .zero)).length <= 1e-13)
            for (c, row) in model.embedding.newestRows.enumerated() {
                let expected = dmd.modes[row, j] * dmd.amplitudes[j]
                #expect((mode.readout[c] * mode.drive[0] - expected).length <= 1e-10 * max(expected.length, 1e-3), "mode \(k)")
            }
        }
        #expect(reading.kappa >= 1 && reading.kappa.isFinite)
    }

    /// dz/dt = J z with J = log(Ã)/Δ (ZOH d2c), z(0) = W b: C z(kΔ) = (Φ Λ^k b)_newest — `phasor network`'s exact
    /// solution of the identified oscillator network is the DMD reconstruction and, past the data, its forecast.
    @Test func exactNetworkSolutionIsTheReconstructionAndForecast() throws {
        let model = try Self.model()
        let system = try model.system()
        let continuous = try system.continuised(method: .zoh).system
        let network = try OscillatorNetwork(jacobian: continuous.a)
        let count = model.embedding.windows + 40  // 40 steps past the training windows
        let times = (0..<count).map { Double($0) * DampedSinusoids.step }
        let solution = try network.exactSolution(from: system.b.column(0), times: times)  // z(0) = x_0 = B̄ (the impulse)
        let modeSum = try model.freeRun(amplitudes: model.dmd.amplitudes, count: count)
        var worst = 0.0, scale = 0.0
        for (k, z) in solution.states.enumerated() {
            let y = try continuous.c * z
            for c in 0..<2 {
                worst = max(worst, abs(y[c].real - modeSum[k * 2 + c]))
                scale = max(scale, abs(modeSum[k * 2 + c]))
            }
        }
        #expect(worst <= 1e-9 * scale)
    }

    @Test func designedLayerCarriesTheIdentifiedTimescales() throws {
        let series = try DampedSinusoids.series(length: 300)
        let model = try HankelDMD(series, delays: 12, rank: .fixed(6), step: DampedSinusoids.step)
        let found = try IdentifiedOscillators(try model.system())
        let (design, notes) = try found.design(maxMemory: 200)
        #expect(notes.isEmpty)
        let core = try design.s4dCore(channels: 2)
        let back = try OscillatorDesign.targets(s4d: try core.diagonalSystem(channel: 1).ssm)
        // ordered by frequency: ω = 0.25, 0.7, 1.9
        let order = [2, 0, 1]
        for (n, k) in order.enumerated() {
            #expect(abs((back[n].period ?? .nan) - 2 * Double.pi / DampedSinusoids.omegas[k]) <= 1e-8)
            #expect(abs(back[n].memory - 1 / DampedSinusoids.gammas[k]) <= 1e-6)
        }
        // a sustained mode (|μ| = 1) gets the memory cap
        let sustained = try TimeSeries(name: "cos", channels: 1, values: (0..<100).map { Double.cos(0.3 * Double($0)) })
        let pure = try IdentifiedOscillators(try HankelDMD(sustained, delays: 4, rank: .fixed(2), step: 1).system())
        let capped = try pure.design(maxMemory: 99)
        #expect(capped.design.targets.count == 1 && capped.design.targets[0].memory == 99 && capped.notes.count == 1)
    }
}
