import Foundation
import PhasorData
import PhasorModels
import PhasorOperator

// `phasor operator --model M --tokens T.npy --layer i`: the explicit operator of one selective layer of a Mamba
// language model along one token sequence — the hidden-attention matrices K_{t,s} per channel, checked against the
// scan (identity error), summarised as heat maps per channel group and as the range of influence per token.

enum MambaOperatorCommand {
    static func run(model path: String, tokens: String, layer: Int, groups: Int, mass: Double, plot: String?, json: Bool) throws {
        let model = try MambaLanguageModel(path: path)
        let ids = try MambaMap.sequence(tokens)
        let c = model.configuration
        guard (0..<c.layers).contains(layer) else {
            throw CLIError("layer \(layer) does not exist: the model has \(c.layers) layers (0..<\(c.layers))")
        }
        guard groups >= 1, mass > 0, mass <= 1 else { throw CLIError("need --groups ≥ 1 and 0 < --mass ≤ 1 (got \(groups), \(mass))") }
        if let plot { try FileManager.default.createDirectory(atPath: plot, withIntermediateDirectories: true) }
        let trace = try model.trace(tokens: ids).layers[layer]
        let attention = try HiddenAttention(layer: model.layers[layer].mixer.selective, input: trace.input, tokens: trace.tokens,
                                            initialState: trace.initialState, groups: groups, mass: mass)
        let error = try attention.identityError(against: trace.output)
        var written: [String] = []
        if let plot {
            for (g, range) in attention.groups.enumerated() {
                let file = URL(fileURLWithPath: plot).appendingPathComponent("hidden_attention_layer\(layer)_group\(g).svg").path
                let title = "layer \(layer), channels \(range.lowerBound)–\(range.upperBound - 1): mean |K(t,s)|, per row, log scale"
                try AtomicFile.write(HiddenAttentionPlot.svg(map: attention.maps[g], length: attention.length, title: title), to: file)
                written.append(file)
            }
        }
        let l = attention.length
        let result = OperatorJSON(
            source: path, layer: layer, tokens: l, ids: ids, identity: "y_t = Σ_{s≤t} K_{t,s} u_s + D u_t, K_{t,s} = C_t (Π_{r=s+1..t} diag μ_r) Δ_s B_s",
            identityError: error,
            groups: attention.groups.enumerated().map { g, range in
                GroupJSON(channels: [range.lowerBound, range.upperBound - 1],
                          map: (0..<l).map { Array(attention.maps[g][($0 * l)..<(($0 + 1) * l)]) })
            },
            influenceMass: mass, influenceRange: attention.influenceRange, plots: written)
        if json { try JSONOutput.print(result); return }
        print("\(path) layer \(layer): hidden attention of \(c.dInner) channels over \(l) tokens")
        print("  kernel sum vs scan: max |Δy| / max |y| = \(error)")
        let ranges = attention.influenceRange
        print(String(format: "  range of influence (%.0f%% of Σ|K u|): mean %.2f tokens back, last token %.2f", mass * 100,
                     ranges.reduce(0, +) / Double(l), ranges.last ?? 0))
        for f in written { print("wrote \(f)") }
    }

    struct GroupJSON: Encodable {
        let channels: [Int]
        let map: [[Double]]
    }

    struct OperatorJSON: Encodable {
        let source: String, layer: Int, tokens: Int, ids: [Int], identity: String, identityError: Double
        let groups: [GroupJSON], influenceMass: Double, influenceRange: [Double], plots: [String]
        enum CodingKeys: String, CodingKey {
            case source, layer, tokens, ids, identity, identityError = "identity_error", groups
            case influenceMass = "influence_mass", influenceRange = "influence_range", plots
        }
    }
}
