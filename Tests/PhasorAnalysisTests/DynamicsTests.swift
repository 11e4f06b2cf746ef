// TrainingTracker (oscillator-coordinate gradients checked by finite differences, file round trip) and the
// TrainingDynamics rules on a hand-built run with a known answer.
import Foundation
import PhasorModels
import PhasorNumerics
import Testing
@testable import PhasorAnalysis

@Suite struct DynamicsTests {
    static func tempDir(_ name: String) -> String {
        let d = NSTemporaryDirectory() + "phasor-ana-\(name)-\(UUID().uuidString)"
        return d
    }

    @Test func trackerGradientsMatchFiniteDifferences() throws {
        let f = try TrainedFixture.make(steps: 1)
        let dir = Self.tempDir("fd")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tracker = try TrainingTracker(directory: dir, every: 1, configuration: f.initial.configuration)
        let batch = f.data.batch(Array(0..<f.data.count)[...])
        func loss(_ store: ParameterStore) throws -> Double {
            var none = SeededGenerator(seed: 0)
            return try S4Model(configuration: f.initial.configuration, parameters: store)
                .lossAndGradients(inputs: batch.inputs, batch: batch.batch, length: batch.length, lengths: batch.lengths,
                                  labels: batch.labels, training: false, generator: &none).loss
        }
        var none = SeededGenerator(seed: 0)
        let g = try f.initial.lossAndGradients(inputs: batch.inputs, batch: batch.batch, length: batch.length,
                                               lengths: batch.lengths, labels: batch.labels, training: false, generator: &none)
        #expect(try tracker.record(step: 1, parameters: f.initial.parameters, gradients: g.gradients, loss: g.loss))
        let (_, records) = try TrainingTracker.load(directory: dir)
        let layer = records[0].layers[0]
        for i in [0, 3, 6] {   // (channel, mode) = (0,0), (1,1), (3,0)
            let eps = 1e-6
            // γ ± ε through log_A_real = log(γ ± ε)
            var plus = f.initial.parameters, minus = f.initial.parameters
            var a = try plus.values("s4_layers.0.kernel.log_A_real")
            let gamma = Double.exp(a[i])
            a[i] = Double.log(gamma + eps); try plus.setValues("s4_layers.0.kernel.log_A_real", a)
            a[i] = Double.log(gamma - eps); try minus.setValues("s4_layers.0.kernel.log_A_real", a)
            let fdGamma = (try loss(plus) - loss(minus)) / (2 * eps)
            #expect(abs(layer.dLdGamma[i] - fdGamma) < 1e-6 * max(1, abs(fdGamma)))
            plus = f.initial.parameters; minus = f.initial.parameters
            var w = try plus.values("s4_layers.0.kernel.A_imag")
            let omega = w[i]
            w[i] = omega + eps; try plus.setValues("s4_layers.0.kernel.A_imag", w)
            w[i] = omega - eps; try minus.setValues("s4_layers.0.kernel.A_imag", w)
            let fdOmega = (try loss(plus) - loss(minus)) / (2 * eps)
            #expect(abs(layer.dLdOmega[i] - fdOmega) < 1e-6 * max(1, abs(fdOmega)))
            #expect(abs(layer.gamma[i] - gamma) < 1e-15 && layer.omega[i] == omega)
        }
    }

    @Test func trackedRunRoundTripsAndAnalyses() throws {
        let f = try TrainedFixture.make(steps: 8)
        let dir = Self.tempDir("run")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tracker = try TrainingTracker(directory: dir, every: 2, configuration: f.initial.configuration)
        var written = 0
        var previous = f.initial.parameters
        for h in f.history {
            if try tracker.record(step: h.step, parameters: previous, gradients: h.gradients, loss: h.loss) { written += 1 }
            previous = h.model.parameters
        }
        #expect(written == 4)
        let (meta, records) = try TrainingTracker.load(directory: dir)
        #expect(meta.every == 2 && meta.channels == 4 && meta.modes == 2 && records.map(\.step) == [2, 4, 6, 8])
        let dyn = try TrainingDynamics(meta: meta, records: records, top: 3)
        #expect(dyn.velocity.count == 3 && dyn.velocity.allSatisfy { $0.isFinite && $0 >= 0 })
        #expect(dyn.normalisedVelocity.max() == 1)
        #expect(dyn.phases.first?.startStep == 2 && dyn.phases.last?.endStep == 8)
        #expect(dyn.phases.reduce(0) { $0 + $1.intervals } == 3)
        #expect(dyn.dominantModes.count == 3 && dyn.dominantShare > 0 && dyn.dominantShare <= 1 + 1e-12)
        // the JSON `phasor dynamics --json` prints reads back as the same analysis
        #expect(try JSONDecoder().decode(TrainingDynamics.self, from: try JSONEncoder().encode(dyn)) == dyn)
    }

    @Test func phasesAndDominantModesOnAKnownRun() throws {
        // One channel (Δ = 0.5), two modes. Mode 0's per-step coordinate z = Δλ moves by 1, 1, 0.1, 0 between records
        // 10 steps apart; mode 1 never moves. v = (0.1, 0.1, 0.01, 0) → v̂ = (1, 1, 0.1, 0)
        // → phases: fast reorganisation [0, 20], refinement [20, 30], frozen [30, 40].
        let meta = TrackingMeta(layers: 1, channels: 1, modes: 2, every: 10)
        let dt = 0.5
        let omegas = [0.0, 1.0, 2.0, 2.1, 2.1].map { $0 / dt }   // ωΔ moves by 1, 1, 0.1, 0
        let records = omegas.enumerated().map { k, w in
            TrackingRecord(step: 10 * k, loss: 1 / Double(k + 1),
                           layers: [TrackedLayer(dt: [dt], gamma: [0.2, 0.3], omega: [w, 5],
                                                 dLdGamma: [0, 3 * dt], dLdOmega: [Double(k) * dt, 4 * dt])])
        }
        let dyn = try TrainingDynamics(meta: meta, records: records.reversed(), top: 2)   // order is restored
        for (v, e) in zip(dyn.velocity, [0.1, 0.1, 0.01, 0]) { #expect(abs(v - e) < 1e-12) }
        #expect(dyn.phases.map(\.label) == ["fast reorganisation", "refinement", "frozen"])
        #expect(dyn.phases.map(\.startStep) == [0, 20, 30] && dyn.phases.map(\.endStep) == [20, 30, 40])
        #expect(dyn.dominantModes[0].mode == 0 && abs(dyn.dominantModes[0].movement - 2.1) < 1e-12)
        #expect(abs(dyn.dominantShare - 1) < 1e-12)
        // |∂L/∂z| = √(γ'² + ω'²)/Δ: mode 1 = 5 each record → G = 5·5·10 = 250; mode 0 = k → (0+1+2+3+4)·10 = 100
        #expect(abs(dyn.dominantModes[1].cumulativeGradient - 250) < 1e-12 && abs(dyn.dominantModes[0].cumulativeGradient - 100) < 1e-12)
        #expect(dyn.dominantByGradient[0] == [0, 0, 1])
    }

    @Test func badRuns() throws {
        let meta = TrackingMeta(layers: 1, channels: 1, modes: 1, every: 1)
        let one = TrackingRecord(step: 1, loss: 1, layers: [TrackedLayer(dt: [1], gamma: [1], omega: [1], dLdGamma: [0], dLdOmega: [0])])
        #expect(throws: AnalysisError.self) { try TrainingDynamics(meta: meta, records: [one]) }
        let wrong = TrackingRecord(step: 2, loss: 1, layers: [TrackedLayer(dt: [1], gamma: [1, 2], omega: [1], dLdGamma: [0], dLdOmega: [0])])
        #expect(throws: AnalysisError.self) { try TrainingDynamics(meta: meta, records: [one, wrong]) }
        let still = TrackingRecord(step: 2, loss: 1, layers: one.layers)
        let frozen = try TrainingDynamics(meta: meta, records: [one, still])
        #expect(frozen.phases.map(\.label) == ["frozen"] && !frozen.warnings.isEmpty)
        #expect(throws: AnalysisError.self) { try TrainingTracker.load(directory: "/nonexistent/phasor-run") }
    }
}
