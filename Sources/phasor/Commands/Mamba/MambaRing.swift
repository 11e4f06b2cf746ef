import PhasorCorrespondence
import PhasorData
import PhasorModels
import PhasorNumerics

// `phasor ring --model M --tokens T.npy --layer i --channel c`: one channel of a Mamba layer along a token sequence as a
// ring of N nodes with a token-dependent circulant coupling (SelectiveRing), checked against the scan.

enum MambaRing {
    static func run(model path: String, tokens: String, layer: Int, channel: Int, sample: Int, plot: String?, json: Bool) throws {
        let model = try MambaLanguageModel(path: path)
        let (all, b, l) = try MambaTokensFile.read(tokens)
        guard (0..<b).contains(sample) else { throw CLIError("sample \(sample) does not exist: \(tokens) has \(b) sequence(s)") }
        let c = model.configuration
        guard (0..<c.layers).contains(layer) else {
            throw CLIError("layer \(layer) does not exist: the model has \(c.layers) layers (0..<\(c.layers))")
        }
        guard (0..<c.dInner).contains(channel) else {
            throw CLIError("channel \(channel) does not exist: the layers have d_inner = \(c.dInner) channels (0..<\(c.dInner))")
        }
        let ids = Array(all[(sample * l)..<((sample + 1) * l)])
        let trace = try model.trace(tokens: ids).layers[layer]
        let ring = try SelectiveRing(model.layers[layer].mixer.selective, tokens: trace.tokens, channel: channel)
        let run = try ring.run(Array(trace.input[(channel * l)..<((channel + 1) * l)]))
        let scan = Array(trace.output[(channel * l)..<((channel + 1) * l)])
        let difference = zip(run.output, scan).map { abs($0 - $1) }.max() ?? 0
        if let plot {
            try AtomicFile.write(try SpaceTimePlot.svg(nodes: run.nodes, title: "layer \(layer) channel \(channel): ring nodes (hue = phase, brightness = |z|)"),
                                 to: plot)
        }
        let result = RingJSON(layer: layer, channel: channel, sample: sample, nodesCount: ring.nodeCount, length: l,
                              steps: (0..<l).map { trace.tokens.delta[$0 * c.dInner + channel] },
                              nodes: run.nodes.map { $0.map(pair) }, output: run.output, maxAbsDifferenceVsScan: difference,
                              coupling: ring.coupling.map { $0.map(pair) }, injection: ring.injection.map { $0.map(pair) },
                              readoutFilter: ring.readout.map { $0.map(pair) }, note: note)
        if json { try JSONOutput.print(result); return }
        print("layer \(layer) channel \(channel): ring of \(ring.nodeCount) nodes, \(l) tokens, coupling W_t = F diag(μ_t) F⁻¹ per token")
        print("  ring output vs the scan: max |difference| = \(difference)")
        print("  \(note)")
        if let plot { print("wrote \(plot)") }
    }

    static let note = "μ_t is real and positive (Mamba-1): the circulant has no phase gradient, so inputs do not travel round the "
        + "ring; each Fourier mode relaxes in place at its own rate, and a token with large Δ_t wipes the ring"

    struct RingJSON: Encodable {
        let layer: Int, channel: Int, sample: Int, nodesCount: Int, length: Int, steps: [Double]
        let nodes: [[[Double]]], output: [Double], maxAbsDifferenceVsScan: Double
        let coupling: [[[Double]]], injection: [[[Double]]], readoutFilter: [[[Double]]], note: String
        enum CodingKeys: String, CodingKey {
            case layer, channel, sample, nodesCount = "nodes_count", length, steps, nodes, output
            case maxAbsDifferenceVsScan = "max_abs_difference_vs_scan", coupling, injection, readoutFilter = "readout_filter", note
        }
    }
}
