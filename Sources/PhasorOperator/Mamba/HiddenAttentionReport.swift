// `phasor operator --tokens` as data: the hidden attention of one selective layer of a Mamba language model along one
// token sequence (HiddenAttention), its identity error against the layer's scan in the model's forward pass, the
// per-group maps and the range of influence per token.
import PhasorModels

public struct HiddenAttentionReport: Encodable, Sendable {
    public struct Group: Encodable, Sendable {
        /// First and last channel of the group.
        public let channels: [Int]
        /// mean_{h∈group} |K_{t,s}[h]|, L × L (row t, column s).
        public let map: [[Double]]
    }

    public static let identity = "y_t = Σ_{s≤t} K_{t,s} u_s + D u_t, K_{t,s} = C_t (Π_{r=s+1..t} diag μ_r) Δ_s B_s"
    public let source: String, layer: Int, tokens: Int, ids: [Int], identity: String
    /// max |kernel sum − scan| / max |scan|.
    public let identityError: Double
    public let groups: [Group]
    public let influenceMass: Double
    public let influenceRange: [Double]
    /// The attention itself (maps as flat L × L arrays), for figures.
    public let attention: HiddenAttention
    enum CodingKeys: String, CodingKey {
        case source, layer, tokens, ids, identity, identityError = "identity_error", groups
        case influenceMass = "influence_mass", influenceRange = "influence_range"
    }

    public init(source: String, model: MambaLanguageModel, ids: [Int], layer: Int, groups: Int, mass: Double) throws {
        let c = model.configuration
        guard (0..<c.layers).contains(layer) else {
            throw OperatorError.invalid("layer \(layer) does not exist: the model has \(c.layers) layers (0..<\(c.layers))")
        }
        let trace = try model.trace(tokens: ids).layers[layer]
        try self.init(source: source, layer: layer, selective: model.layers[layer].mixer.selective, input: trace.input,
                      tokens: trace.tokens, initialState: trace.initialState, output: trace.output, ids: ids, groups: groups,
                      mass: mass)
    }

    /// The hidden attention of `selective` (layer `layer` of some model) on its input u (H, L) with step quantities
    /// `tokens`, checked against `output` (H, L), that layer's output in the model's own forward pass.
    public init(source: String, layer: Int, selective: SelectiveLayer, input u: [Double], tokens: SelectiveTokens,
                initialState: [Double]? = nil, output: [Double], ids: [Int], groups: Int, mass: Double) throws {
        let attention = try HiddenAttention(layer: selective, input: u, tokens: tokens, initialState: initialState,
                                            groups: groups, mass: mass)
        let l = attention.length
        self.source = source; self.layer = layer; self.tokens = l; self.ids = ids; identity = Self.identity
        identityError = try attention.identityError(against: output)
        self.groups = attention.groups.enumerated().map { g, range in
            Group(channels: [range.lowerBound, range.upperBound - 1], map: (0..<l).map { Array(attention.maps[g][($0 * l)..<(($0 + 1) * l)]) })
        }
        influenceMass = mass; influenceRange = attention.influenceRange
        self.attention = attention
    }
}

extension HiddenAttentionReport {
    /// The hidden attention of layer `layer` of an S6 classifier on one model input (L, d_in), already standardised as
    /// the model expects: the layer's core input and its output come from the model's own forward pass (`evaluate`),
    /// Δ_t, B_t, C_t from that input; the kernel sum must give that output.
    public init(source: String, model: S4Model, input: [Double], length: Int, layer: Int, groups: Int, mass: Double) throws {
        guard (0..<model.configuration.layers).contains(layer) else {
            throw OperatorError.invalid("layer \(layer) does not exist: the model has \(model.configuration.layers) layers")
        }
        guard case .s6(let selective) = model.block(layer).core else {
            throw OperatorError.invalid("layer \(layer) is not an S6 layer: the hidden attention is the selective layers' operator")
        }
        let t = try model.evaluate(inputs: input, batch: 1, length: length).layers[layer]
        try self.init(source: source, layer: layer, selective: selective, input: t.blockInput,
                      tokens: try selective.tokens(t.blockInput, length: length), output: t.ssmOutput, ids: [], groups: groups,
                      mass: mass)
    }
}
