// `phasor ring --tokens` as data: one channel of a Mamba layer along a token sequence as a ring with a token-dependent
// circulant (SelectiveRing), checked against the layer's own scan output from the model's forward pass.
import PhasorModels
import PhasorNumerics

public struct SelectiveRingReport: Encodable, Sendable {
    public static let note = "μ_t is real and positive (Mamba-1): the circulant has no phase gradient, so inputs do not travel "
        + "round the ring; each Fourier mode relaxes in place at its own rate, and a token with large Δ_t wipes the ring"

    public let layer: Int, channel: Int, nodesCount: Int, length: Int
    /// Δ_t of the channel.
    public let steps: [Double]
    /// Node states z_t (L × N × [re, im]).
    public let nodes: [[[Double]]]
    public let output: [Double]
    /// max_t |ring output − the scan's output of that channel in the model's forward pass|.
    public let maxAbsDifferenceVsScan: Double
    /// w_t(d), p_t and r_t per token (L × N × [re, im]).
    public let coupling: [[[Double]]], injection: [[[Double]]], readoutFilter: [[[Double]]]
    public let note: String
    /// The node states as complex numbers (for figures).
    public let nodeStates: [[Complex<Double>]]
    enum CodingKeys: String, CodingKey {
        case layer, channel, nodesCount = "nodes_count", length, steps, nodes, output
        case maxAbsDifferenceVsScan = "max_abs_difference_vs_scan", coupling, injection, readoutFilter = "readout_filter", note
    }

    public init(model: MambaLanguageModel, ids: [Int], layer: Int, channel: Int) throws {
        let c = model.configuration
        guard (0..<c.layers).contains(layer) else {
            throw CorrespondenceError.invalid("layer \(layer) does not exist: the model has \(c.layers) layers (0..<\(c.layers))")
        }
        guard (0..<c.dInner).contains(channel) else {
            throw CorrespondenceError.invalid("channel \(channel) does not exist: the layers have d_inner = \(c.dInner) channels (0..<\(c.dInner))")
        }
        let trace = try model.trace(tokens: ids).layers[layer]
        try self.init(layer: layer, selective: model.layers[layer].mixer.selective, input: trace.input, tokens: trace.tokens,
                      output: trace.output, channel: channel)
    }

    /// Channel `channel` of `selective` (layer `layer` of some model) as a ring on its input u (H, L) with step
    /// quantities `tokens`, checked against `output` (H, L), that layer's output in the model's own forward pass.
    public init(layer: Int, selective: SelectiveLayer, input u: [Double], tokens: SelectiveTokens, output reference: [Double],
                channel: Int) throws {
        let e = selective.channels, l = tokens.length
        guard (0..<e).contains(channel) else {
            throw CorrespondenceError.invalid("channel \(channel) does not exist: the layer has \(e) channels (0..<\(e))")
        }
        guard u.count == e * l, reference.count == e * l else {
            throw CorrespondenceError.shapeMismatch("input (\(u.count)) and output (\(reference.count)) must be (H, L) = (\(e), \(l))")
        }
        let ring = try SelectiveRing(selective, tokens: tokens, channel: channel)
        let run = try ring.run(Array(u[(channel * l)..<((channel + 1) * l)]))
        let scan = reference[(channel * l)..<((channel + 1) * l)]
        self.layer = layer; self.channel = channel; nodesCount = ring.nodeCount; length = l
        steps = (0..<l).map { tokens.delta[$0 * e + channel] }
        nodeStates = run.nodes
        nodes = run.nodes.map { $0.map(realImaginary) }
        output = run.output
        maxAbsDifferenceVsScan = zip(run.output, scan).map { abs($0 - $1) }.max() ?? 0
        coupling = ring.coupling.map { $0.map(realImaginary) }
        injection = ring.injection.map { $0.map(realImaginary) }
        readoutFilter = ring.readout.map { $0.map(realImaginary) }
        note = Self.note
    }
}
