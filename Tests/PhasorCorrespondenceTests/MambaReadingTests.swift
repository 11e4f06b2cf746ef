// A Mamba language model's selective layers read as time-varying relaxators: the ring with a token-dependent
// circulant reproduces the scan, the memory read-outs obey their defining identities, and the Lyapunov exponents
// agree across the exact formula, QR, renormalisation and the model-level two-trajectory estimate.
import Foundation
import PhasorCorrespondence
import PhasorModels
import PhasorNumerics
import Testing

enum MambaReadingFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/mamba")
    static func model(_ name: String = "hf_untied") throws -> MambaLanguageModel {
        try MambaLanguageModel(path: folder.appendingPathComponent(name).path)
    }
    static func tokens(_ count: Int, seed: UInt64, vocabulary: Int = 64) -> [Int] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Int(g.next() % UInt64(vocabulary)) }
    }
    static func relative(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) }.max()! / max(b.map(abs).max()!, 1e-300)
    }
}

@Suite struct MambaReadingTests {
    @Test func ringWithTokenDependentCouplingReproducesTheScan() throws {
        let model = try MambaReadingFixture.model()
        // Continue a stream so the layers start from a non-zero state (the ring takes it as z₀ = F x₀).
        var state = MambaState(for: model.configuration, batch: 1)
        _ = try model.logits(tokens: MambaReadingFixture.tokens(9, seed: 1), batch: 1, length: 9, state: &state)
        let (_, layers) = try model.trace(tokens: MambaReadingFixture.tokens(17, seed: 2), state: state)
        let e = model.configuration.dInner, n = model.configuration.states, l = 17
        for trace in layers {
            let layer = model.layers[trace.layer].mixer.selective
            #expect(trace.initialState.contains { $0 != 0 })
            for h in [0, 5, e - 1] {
                let ring = try SelectiveRing(layer, tokens: trace.tokens, channel: h)
                let u = Array(trace.input[(h * l)..<((h + 1) * l)])
                let run = try ring.run(u, initialState: Array(trace.initialState[(h * n)..<((h + 1) * n)]))
                #expect(MambaReadingFixture.relative(run.output, Array(trace.output[(h * l)..<((h + 1) * l)])) < 1e-12)
                #expect(ring.nodeCount == n && run.nodes.count == l)
            }
        }
        // From the zero state, against the layer's own recurrence on a random input.
        var g = SeededGenerator(seed: 3)
        let layer = try SelectiveLayer(channels: 4, states: 6, dtRank: 2, dtMin: 0.01, dtMax: 0.9, generator: &g)
        let u = (0..<(4 * 40)).map { _ in g.normal() }
        let y = try layer.forward(u, length: 40), tokens = try layer.tokens(u, length: 40)
        for h in 0..<4 {
            let out = try SelectiveRing(layer, tokens: tokens, channel: h).run(Array(u[(h * 40)..<((h + 1) * 40)])).output
            #expect(MambaReadingFixture.relative(out, Array(y[(h * 40)..<((h + 1) * 40)])) < 1e-12)
        }
    }

    @Test func memoryReadoutsFollowTheirDefinitions() throws {
        let model = try MambaReadingFixture.model()
        let ids = MambaReadingFixture.tokens(30, seed: 4, vocabulary: 5)    // repeated ids: token effects average
        let (_, layers) = try model.trace(tokens: ids)
        let trace = layers[1], layer = model.layers[1].mixer.selective
        let reading = try SelectiveReading(layer, input: trace.input, length: 30)
        #expect(reading.relaxational)
        let e = reading.channels, n = reading.states, a = layer.a
        let mu = reading.eigenvalueModuli, tau = reading.timescales
        #expect(mu.allSatisfy { $0 > 0 && $0 < 1 })
        for (t, h, k) in [(0, 0, 0), (7, 3, 5), (29, e - 1, n - 1)] {
            let dt = trace.tokens.delta[t * e + h]
            #expect(abs(mu[(t * e + h) * n + k] - Double.exp(dt * a[h * n + k])) < 1e-15)      // μ = e^{ΔA}
            #expect(abs(tau[(t * e + h) * n + k] * dt * abs(a[h * n + k]) - 1) < 1e-13)          // τ = 1/(Δ|A|)
        }
        for memory in reading.channelMemory {
            let h = memory.channel
            let mean = (0..<30).map { trace.tokens.delta[$0 * e + h] }.reduce(0, +) / 30
            // the slowest state's exponent is −(mean Δ)·min|A|, so τ̄ = 1/(mean Δ · min|A|)
            #expect(abs(memory.memory * mean * memory.slowestRate - 1) < 1e-12)
            #expect(abs(memory.meanStep - mean) < 1e-15)
        }
        let steps = reading.tokenSteps
        #expect(abs(steps.map { Double.log($0.stepRatio) }.reduce(0, +)) < 1e-12)   // ρ_t is relative to each channel's mean
        let effects = try reading.tokenEffects(ids: ids)
        #expect(effects.map(\.count).reduce(0, +) == 30 && Set(effects.map(\.token)) == Set(ids))
        for effect in effects {
            let logs = steps.filter { ids[$0.position] == effect.token }.map { Double.log($0.stepRatio) }
            #expect(abs(Double.log(effect.stepRatio) - logs.reduce(0, +) / Double(logs.count)) < 1e-12)
        }
        #expect(zip(effects, effects.dropFirst()).allSatisfy { $0.stepRatio >= $1.stepRatio })
        #expect(throws: CorrespondenceError.self) { try reading.tokenEffects(ids: [1, 2]) }
    }

    @Test func layerExponentsAgreeAcrossEstimators() throws {
        let model = try MambaReadingFixture.model()
        let (_, layers) = try model.trace(tokens: MambaReadingFixture.tokens(40, seed: 5))
        for trace in layers {
            let reading = try SelectiveReading(model.layers[trace.layer].mixer.selective, input: trace.input, length: 40)
            let lyapunov = try SelectiveLyapunov(reading)
            #expect(lyapunov.largest == reading.largestLyapunovExponent && lyapunov.stable)
            #expect(abs(lyapunov.qrSpectrum[0] - lyapunov.largest) < 1e-12)                    // QR on the diagonal transitions
            // one vector v = (1,…,1)/√N: λ_max + log|v_n*|/T ≤ s/T ≤ λ_max
            let bound = Double.log(1 / Double(reading.states).squareRoot()) / 40
            #expect(lyapunov.renormalised <= lyapunov.largest + 1e-12 && lyapunov.renormalised >= lyapunov.largest + bound - 1e-12)
            #expect(lyapunov.largestStepMultiplier < 1 && lyapunov.largestStepMultiplier == reading.eigenvalueModuli.max())
        }
    }

    @Test func modelExponentOfOneLayerIsTheLinearEstimate() throws {
        // One layer, only SSM states perturbed: the perturbation obeys δ_t = diag(μ_t) δ_{t−1} exactly, so Benettin's
        // two-trajectory estimate equals the renormalisation estimator on the diagonal transitions, for any interval.
        let c = try MambaConfiguration(vocabulary: 20, dModel: 6, dInner: 8, states: 3, dtRank: 2, convolutionWidth: 3, layers: 1)
        let model = try MambaLanguageModel(random: c, seed: 6)
        let ids = MambaReadingFixture.tokens(25, seed: 7, vocabulary: 20)
        let trace = try model.trace(tokens: ids).layers[0]
        let reading = try SelectiveReading(model.layers[0].mixer.selective, input: trace.input, length: 25)
        let dimension = 8 * 3
        let transitions = (0..<25).map { t -> [Double] in
            var m = [Double](repeating: 0, count: dimension * dimension)
            for i in 0..<dimension { m[i * dimension + i] = Double.exp(-reading.stepDamping[t * dimension + i]) }
            return m
        }
        var g = SeededGenerator(seed: 11)
        let direction = (0..<dimension).map { _ in g.normal() }
        let linear = try LyapunovSpectrum.largest(transitions: transitions, dimension: dimension, initial: direction)
        for interval in [1, 4, 25] {
            let estimate = try MambaTokenDynamics(model: model, tokens: ids, interval: interval, transient: 0, convolutionHistories: false, seed: 11)
            #expect(abs(estimate.largestExponent - linear) < 1e-8 && estimate.transientIntervals == 0)
            #expect(abs(estimate.exponentWithTransient - linear) < 1e-8)
            #expect(estimate.intervalExponents.count == (25 + interval - 1) / interval && estimate.stable)
        }
        // After a transient of 10 tokens (rounded up to 3 intervals of 4) the estimate averages the remaining intervals.
        let later = try MambaTokenDynamics(model: model, tokens: ids, interval: 4, transient: 10, convolutionHistories: false, seed: 11)
        #expect(later.transientIntervals == 3)
        let tail = (3..<7).map { later.intervalExponents[$0] * Double($0 == 6 ? 1 : 4) }.reduce(0, +) / 13
        #expect(abs(later.largestExponent - tail) < 1e-12)
        // Two coupled layers: the estimate is finite and the criterion holds.
        let deep = try MambaTokenDynamics(model: try MambaReadingFixture.model(), tokens: ids.map { $0 % 64 })
        #expect(deep.largestExponent.isFinite && deep.stable && deep.transientIntervals == 1)
    }
}
