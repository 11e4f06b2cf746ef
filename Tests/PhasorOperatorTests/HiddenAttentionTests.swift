// The hidden-attention operator of a selective layer: its sum over source tokens equals the scan (an independent
// recurrence), from zero and from a carried state; the kernel's structure; influence ranges; the heat map.
import Foundation
import PhasorModels
import PhasorNumerics
import Testing
@testable import PhasorOperator

@Suite struct HiddenAttentionTests {
    private func relative(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) }.max()! / b.map(abs).max()!
    }

    @Test func kernelSumEqualsTheScan() throws {
        var g = SeededGenerator(seed: 1)
        var layer = try SelectiveLayer(channels: 6, states: 5, dtRank: 2, dtMin: 0.01, dtMax: 0.8, generator: &g)
        layer.aLog = layer.aLog.map { $0 + 0.4 * g.normal() }
        let l = 37, u = (0..<(6 * l)).map { _ in g.normal() }
        let attention = try HiddenAttention(layer: layer, input: u, tokens: try layer.tokens(u, length: l), groups: 4)
        #expect(try attention.identityError(against: try layer.forward(u, length: l)) < 1e-12)
        #expect(attention.groups.map(\.count).reduce(0, +) == 6 && attention.maps.count == 4)
    }

    @Test func kernelSumEqualsAMambaLayerFromACarriedState() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/mamba/hf_tied")
        let model = try MambaLanguageModel(path: folder.path)
        var state = MambaState(for: model.configuration, batch: 1)
        _ = try model.logits(tokens: [3, 1, 4, 1, 5], batch: 1, length: 5, state: &state)
        let ids = [9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6]
        for trace in try model.trace(tokens: ids, state: state).layers {
            let layer = model.layers[trace.layer].mixer.selective
            let attention = try HiddenAttention(layer: layer, input: trace.input, tokens: trace.tokens, initialState: trace.initialState)
            #expect(try attention.identityError(against: trace.output) < 1e-12)
            // Without the carried state's term the sum misses the memory of the first five tokens.
            let fresh = try HiddenAttention(layer: layer, input: trace.input, tokens: trace.tokens)
            #expect(try fresh.identityError(against: trace.output) > 1e-6)
        }
    }

    @Test func kernelStructure() throws {
        var g = SeededGenerator(seed: 2)
        let layer = try SelectiveLayer(channels: 3, states: 4, dtRank: 1, generator: &g)
        let l = 12, u = (0..<(3 * l)).map { _ in g.normal() }
        let tokens = try layer.tokens(u, length: l)
        let a = layer.a
        for h in 0..<3 {
            let k = try HiddenAttention.kernel(layer: layer, tokens: tokens, channel: h)
            for t in 0..<l {
                for s in (t + 1)..<max(t + 1, l) { #expect(k[t * l + s] == 0) }                 // causal
                let diagonal = (0..<4).map { tokens.c[t * 4 + $0] * tokens.b[t * 4 + $0] }.reduce(0, +) * tokens.delta[t * 3 + h]
                #expect(abs(k[t * l + t] - diagonal) < 1e-15)                                     // K_{t,t} = Δ_t C_t·B_t
                if t >= 1 {                                                                     // one step back: μ_t enters
                    let back = (0..<4).map { tokens.c[t * 4 + $0] * Double.exp(tokens.delta[t * 3 + h] * a[h * 4 + $0]) * tokens.b[(t - 1) * 4 + $0] }
                        .reduce(0, +) * tokens.delta[(t - 1) * 3 + h]
                    #expect(abs(k[t * l + t - 1] - back) < 1e-15)
                }
            }
        }
        // One channel per group: the map is |K| of that channel.
        let attention = try HiddenAttention(layer: layer, input: u, tokens: tokens, groups: 3)
        #expect(attention.maps[1] == (try HiddenAttention.kernel(layer: layer, tokens: tokens, channel: 1)).map(abs))
        // Influence: mass → 0 covers the token itself; mass 1 reaches back to the first token whose input is non-zero.
        let near = try HiddenAttention(layer: layer, input: u, tokens: tokens, mass: 1e-12)
        #expect(near.influenceRange.allSatisfy { $0 == 0 })
        let all = try HiddenAttention(layer: layer, input: u, tokens: tokens, mass: 1)
        #expect(all.influenceRange == (0..<l).map(Double.init))
        #expect(throws: OperatorError.self) { try HiddenAttention(layer: layer, input: u, tokens: tokens, mass: 0) }
        #expect(throws: OperatorError.self) { try HiddenAttention(layer: layer, input: Array(u.dropLast()), tokens: tokens) }
    }

    @Test func heatMapDrawsTheCausalTriangle() throws {
        var g = SeededGenerator(seed: 3)
        let layer = try SelectiveLayer(channels: 2, states: 3, dtRank: 1, generator: &g)
        for l in [10, 100] {
            let u = (0..<(2 * l)).map { _ in g.normal() }
            let attention = try HiddenAttention(layer: layer, input: u, tokens: try layer.tokens(u, length: l), groups: 1)
            let svg = try HiddenAttentionPlot.svg(map: attention.maps[0], length: l, title: "layer 0 <all>")
            let cells = min(l, 64)
            // every cell drawn, the causal triangle shaded, the rest white
            #expect(svg.components(separatedBy: "<rect").count - 1 == 1 + cells * cells)
            #expect(svg.components(separatedBy: "fill=\"rgb(").count - 1 == cells * (cells + 1) / 2)
            #expect(svg.contains("&lt;all&gt;") && svg.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("</svg>"))
        }
    }
}
