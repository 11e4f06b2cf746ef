// The one LinOSS → diagonal systems conversion: its output ≡ the classifier's own core (≤ 1e-12) with oscillators of
// every kind (regular, relu-clamped A = 0, nearly defective, IMEX past Δ²A = 4); the modes are the eigenvalues of each
// oscillator's 2×2 transition (checked against its trace and determinant); the ring of a layer of a reference
// fixture reproduces the model's own layer output on the model's input; the map lists the integrators.
import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorModels
import PhasorNumerics
import Testing

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/architectures/linoss")

/// A LinOSS layer whose oscillators are: regular ones, A_diag < 0 (A = 0), A = 1e-14 (κ ≈ 1e7), and (IMEX) Δ²A ≈ 6 > 4.
private func mixedLayer(_ scheme: LinOSSScheme, seed: UInt64) throws -> LinOSSLayer {
    var g = SeededGenerator(seed: seed)
    var layer = try LinOSSLayer(channels: 3, oscillators: 6, scheme: scheme, generator: &g)
    layer.aDiag = [0.7, -0.2, 1e-14, 2.5, 0.05, 6]
    layer.steps = [0.3, 0.1, -0.4, 0.8, 1.2, 5]                               // Δ = sigmoid: 0.57 … 0.99
    return layer
}

@Suite struct LinOSSSystemsTests {
    @Test(arguments: LinOSSScheme.allCases)
    func modesPlusIntegratorsAreTheModelsCore(scheme: LinOSSScheme) throws {
        let layer = try mixedLayer(scheme, seed: 1), L = 60
        var g = SeededGenerator(seed: 2)
        let u = (0..<(3 * L)).map { _ in g.normal() }
        let systems = try layer.diagonalSystems()
        #expect(systems.integratorOscillators == [1, 2])                      // A = 0 and A = 1e-14
        #expect(systems.modalOscillators == [0, 3, 4, 5])
        let own = try SequenceCore.linoss(layer).output(u, batch: 1, length: L)
        let y = try systems.output(u, length: L)
        let scale = max(1, own.map(abs).max()!)
        #expect(zip(y, own).map { abs($0 - $1) }.max()! / scale <= 1e-12)
    }

    @Test(arguments: LinOSSScheme.allCases)
    func modesAreTheEigenvaluesOfEachTransition(scheme: LinOSSScheme) throws {
        let layer = try mixedLayer(scheme, seed: 3), systems = try layer.diagonalSystems()
        let blocks = try layer.blocks(requireStable: false), modes = try #require(systems.modes)
        for (j, q) in systems.modalOscillators.enumerated() {
            let b = blocks[q], plus = modes.mu[2 * j], minus = modes.mu[2 * j + 1]
            #expect((plus + minus - Complex(b.m00 + b.m11)).length <= 1e-14)                  // trace
            #expect((plus * minus - Complex(b.m00 * b.m11 - b.m01 * b.m10)).length <= 1e-14)  // determinant
            if scheme == .implicit {                                                            // |μ|² = 1/(1 + Δ²A)
                #expect(abs(plus.lengthSquared - 1 / (1 + b.step * b.step * b.a)) <= 1e-14)
            }
        }
        #expect(systems.conditionNumbers[1] == .infinity)                      // the Jordan block
    }

    @Test(arguments: ["linoss_im", "linoss_imex"])
    func ringOfAFixtureLayerIsTheModelsLayer(_ name: String) throws {
        let checkpoint = try ModelFile.load(path: fixtures.appendingPathComponent(name + ".safetensors").path).checkpoint
        let x = try NpyArray(contentsOf: fixtures.appendingPathComponent(name + ".input.npy").path)
        let values = try x.asDoubles(), L = x.shape[1], n = L * x.shape[2]
        for b in 0..<x.shape[0] {
            let trace = try checkpoint.trace(inputs: Array(values[b * n ..< (b + 1) * n]), batch: 1, length: L)
            for layer in 0..<2 {
                guard case .linoss(let core) = checkpoint.model.block(layer).core else { Issue.record("not LinOSS"); return }
                let t = trace.layers[layer]
                let report = try MIMORingReport(layer: layer, channel: 3, core: .linoss(core.scheme),
                                                systems: try SequenceCore.linoss(core).diagonalSystems(), sample: b,
                                                input: t.blockInput, length: L, reference: t.ssmOutput, fromModelInput: true)
                #expect(report.maxAbsDifferenceVsModel <= 1e-12)
                #expect(report.integratorOscillators == (layer == 1 ? [1] : []))   // the fixture's clamped oscillator
                #expect(report.nodesCount == 2 * (6 - report.integratorOscillators.count))
            }
        }
    }

    @Test func mapListsModesAndIntegrators() throws {
        let checkpoint = try ModelFile.load(path: fixtures.appendingPathComponent("linoss_im.safetensors").path).checkpoint
        let map = try ModelMap(source: "fixture", cores: checkpoint.model.blocks.map(\.core))
        #expect(map.layers.count == 2 && map.layers.allSatisfy { $0.core == .linossIM } && map.allModes.count == 22)
        let clamped = try #require(map.layers[1].oscillators?[1])
        #expect(clamped.integrator && clamped.modes == nil && clamped.a == 0 && clamped.aDiag < 0)
        #expect(map.warnings.contains { $0.hasPrefix("layer 1 oscillator 1:") && $0.contains("double integrator") })
        // IM: ω Δ = atan(Δ√A) and γΔ = ½ log(1 + Δ²A) for every mode (the scheme's dispersion and damping)
        for layer in map.layers {
            let modes = try #require(layer.modes)
            for o in try #require(layer.oscillators) where !o.integrator {
                for k in try #require(o.modes) {
                    let t = modes[k].timescales
                    #expect(abs(o.step * abs(t.frequency) - Double.atan(o.step * o.naturalFrequency)) <= 1e-13)
                    #expect(abs(o.step * t.damping - 0.5 * Double.log(onePlus: o.step * o.step * o.a)) <= 1e-13)
                }
            }
        }
    }
}

@Suite struct SelectiveClassifierRingTests {
    @Test(arguments: [0, 3])
    func ringOfAnS6ChannelIsTheModelsLayer(channel: Int) throws {
        let c = S4ModelConfiguration(core: .s6, dInput: 2, dModel: 4, dState: 5, layers: 2, classes: 2, dropout: 0)
        let model = try S4Model(configuration: c, seed: 3), L = 25
        var g = SeededGenerator(seed: 4)
        let x = (0..<(2 * L)).map { _ in 2 * g.normal() }
        let t = try model.evaluate(inputs: x, batch: 1, length: L).layers[1]
        guard case .s6(let selective) = model.block(1).core else { Issue.record("not an S6 layer"); return }
        let report = try SelectiveRingReport(layer: 1, selective: selective, input: t.blockInput,
                                             tokens: try selective.tokens(t.blockInput, length: L), output: t.ssmOutput,
                                             channel: channel)
        #expect(report.maxAbsDifferenceVsScan <= 1e-12 && report.nodesCount == 5 && report.length == L)
    }
}
