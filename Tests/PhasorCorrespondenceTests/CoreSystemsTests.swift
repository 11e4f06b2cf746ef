// The one conversion per core (CoreSystems.swift) against the model's own layer: an S5 core (ZOH and bilinear,
// clip_eigs, step_rescale, bidirectional) and an LRU core read as diagonal systems run — as rings of oscillators —
// to the layer's output (≤ 1e-12), including the anti-causal ring of a bidirectional S5 on the reversed sequence; the
// modal sum of the reading is the layer's impulse response; each channel path is the system's diagonal entry.
import Foundation
import PhasorNumerics
import Testing
@testable import PhasorCorrespondence
import PhasorModels

@Suite struct CoreSystemsTests {
    static func s5(bidirectional: Bool, discretization: Discretization) throws -> SequenceCore {
        var g = SeededGenerator(seed: 41)
        var layer = try S5Layer(channels: 3, stateSize: 8, blocks: 2, cInit: .lecunNormal, bidirectional: bidirectional,
                                discretization: discretization, clipEigenvalues: true, stepRescale: 4, generator: &g)
        layer.lambdaRe[1] = 0.2                                                  // clipped to −1e-4 by the forward pass
        return .s5(layer)
    }

    static func lru() throws -> SequenceCore {
        var g = SeededGenerator(seed: 42)
        return .lru(try LRULayer(channels: 3, states: 5, rMin: 0.6, rMax: 0.99, maxPhase: 6.28, generator: &g))
    }

    static var cores: [SequenceCore] {
        get throws {
            [try s5(bidirectional: false, discretization: .zoh), try s5(bidirectional: false, discretization: .bilinear),
             try s5(bidirectional: true, discretization: .zoh), try lru()]
        }
    }

    @Test(arguments: 0..<4)
    func ringEqualsTheLayer(_ k: Int) throws {
        let core = try Self.cores[k]
        let H = 3, L = 37
        var g = SeededGenerator(seed: 43)
        let u = (0..<(H * L)).map { _ in g.normal() }
        let reference = try core.output(u, batch: 1, length: L)                 // the model's own layer
        let report = try MIMORingReport(layer: 0, channel: 1, core: core.kind, systems: try core.diagonalSystems(), sample: 0,
                                        input: u, length: L, reference: reference, fromModelInput: false)
        let scale = max(1, reference.map(abs).max()!)
        #expect(report.maxAbsDifferenceVsModel <= 1e-12 * scale)
        #expect((report.anticausalNodes != nil) == (k == 2))
        // the ring is not the recurrence it came from: its node states are the DFT of the modal states
        #expect(report.nodesCount == (k == 3 ? 5 : 4))
    }

    @Test(arguments: 0..<4)
    func modalSumIsTheImpulseResponse(_ k: Int) throws {
        let core = try Self.cores[k]
        guard case .mimo(let causal, _) = try core.diagonalSystems() else { Issue.record("a MIMO core"); return }
        let H = 3, L = 12
        for j in 0..<H {                                                         // impulse on input channel j at step 0
            var u = [Double](repeating: 0, count: H * L)
            u[j * L] = 1
            let y = try causal.system.recur(u, length: L)
            for step in 0..<L {
                let K = try causal.impulseResponse(step: step)                     // f·Re Σ_p c̃ e^{jΔλ} b̃ (+ D)
                for i in 0..<H { #expect(abs(K[i * H + j] - y[i * L + step]) <= 1e-12) }
            }
            // channel path j: the diagonal entry of the same impulse response
            let path = try causal.channelPath(j)
            let siso = path.kernel(length: L)
            for step in 0..<L { #expect(abs(siso[step] + (step == 0 ? path.direct : 0) - y[j * L + step]) <= 1e-12) }
        }
    }

    @Test func theModelsRatesAreKept() throws {
        guard case .s5(let layer) = try Self.s5(bidirectional: false, discretization: .zoh),
              case .mimo(let reading, _) = try SequenceCore.s5(layer).diagonalSystems() else { Issue.record("S5"); return }
        let steps = try layer.steps()
        for (p, m) in reading.modes.enumerated() {
            #expect(m.rate == layer.lambda[p] && m.step == steps[p])           // Λ with clip_eigs, Δ with step_rescale
            #expect(m.damping > 0)                                              // the clipped mode decays
        }
    }
}
