// A Mamba-1 language model exactly as transformers' `MambaForCausalLM` and mamba_ssm's `MambaLMHeadModel` (Gu & Dao
// 2023) compute it; both implementations were read for the conventions below.
//
//   h⁰ = E[token]                                                  embedding (vocab × d_model)
//   hˡ = hˡ⁻¹ + Mixerˡ(RMSNorm(hˡ⁻¹; gˡ))                          l = 1…n (pre-norm residual blocks)
//   logits = W_head · RMSNorm(hⁿ; g_f)                             W_head = E when lm_head.weight is absent (tied)
//   RMSNorm(x; g) = x / √(mean_d x_d² + ε) ⊙ g                     ε from config.json, else 1e-5 (both defaults)
// Mixer (d_inner = E channels, N states, rank R, kernel K):
//   [x; z] = W_in h (+ b_in)                                       in_proj, 2E rows; bias only when use_bias
//   x̂_t = Σ_{k<K} w_k ⊙ x_{t−K+1+k} (+ b_conv)                     depthwise causal conv1d (zero history at t < 0)
//   u = SiLU(x̂),  SiLU(v) = v·σ(v)
//   y = SelectiveScan(u) = scan with Δ = softplus(W_dt W_x[0..<R] u + b_dt), A = −exp(A_log), B, C from x_proj, + D u
//   out = W_out (y ⊙ SiLU(z)) (+ b_out)                            out_proj
// Precision: transformers and mamba_ssm keep the residual stream in float32 (residual_in_fp32 = True in every
// released config) and compute RMSNorm, A = −exp(A_log), Δ and the scan in float32 even for bf16/fp16 weights. Phasor
// runs everything, residual included, in the chosen arithmetic: Double (f64), or Float (f32 — the same as the
// references' float32 path; bf16/fp16 tensors are widened to it on load, so Phasor never computes in 16 bits).
// mamba_ssm's Block adds the residual before the norm (Add → Norm → Mixer, returning both); that is the same sum.
// Not implemented: mamba_ssm's LayerNorm blocks (rms_norm = false) and Mamba-2; both are refused with the reason.
import PhasorData
import PhasorNumerics

/// Sizes and options of a Mamba-1 language model, all read from the tensors except ε.
public struct MambaConfiguration: Sendable, Equatable, Codable {
    public var vocabulary: Int
    public var dModel: Int
    public var dInner: Int
    public var states: Int
    public var dtRank: Int
    public var convolutionWidth: Int
    public var layers: Int
    /// RMSNorm ε.
    public var epsilon: Double
    /// in_proj and out_proj carry biases (transformers use_bias / mamba_ssm bias).
    public var projectionBias: Bool
    /// conv1d carries a bias (use_conv_bias / conv_bias).
    public var convolutionBias: Bool
    /// The LM head is the embedding (no lm_head.weight).
    public var tiedHead: Bool

    public init(vocabulary: Int, dModel: Int, dInner: Int, states: Int, dtRank: Int, convolutionWidth: Int, layers: Int,
                epsilon: Double = 1e-5, projectionBias: Bool = false, convolutionBias: Bool = true, tiedHead: Bool = true) throws {
        self.vocabulary = vocabulary; self.dModel = dModel; self.dInner = dInner; self.states = states
        self.dtRank = dtRank; self.convolutionWidth = convolutionWidth; self.layers = layers; self.epsilon = epsilon
        self.projectionBias = projectionBias; self.convolutionBias = convolutionBias; self.tiedHead = tiedHead
        for (name, v) in [("vocabulary", vocabulary), ("d_model", dModel), ("d_inner", dInner), ("d_state", states),
                          ("dt_rank", dtRank), ("d_conv", convolutionWidth), ("layers", layers)] where v <= 0 {
            throw ModelError.invalidConfiguration("\(name) = \(v) must be positive")
        }
        guard epsilon > 0, epsilon.isFinite else { throw ModelError.invalidConfiguration("RMSNorm ε = \(epsilon) must be positive") }
    }

    /// Mamba-130m's sizes (24 layers, d_model 768, vocab 50280) — the speed benchmark's configuration.
    public static func mamba130m() -> MambaConfiguration {
        try! MambaConfiguration(vocabulary: 50280, dModel: 768, dInner: 1536, states: 16, dtRank: 48, convolutionWidth: 4, layers: 24)
    }

    /// Number of parameters (the tied head counted once).
    public var parameterCount: Int {
        // in_proj, conv1d, x_proj, dt_proj (+ bias), A_log, D, out_proj
        let mixer = 2 * dInner * dModel + dInner * convolutionWidth + (dtRank + 2 * states) * dInner + dInner * dtRank
            + dInner + dInner * states + dInner + dModel * dInner
            + (projectionBias ? 2 * dInner + dModel : 0) + (convolutionBias ? dInner : 0)
        return vocabulary * dModel * (tiedHead ? 1 : 2) + layers * (mixer + dModel) + dModel
    }
}

/// One Mamba mixer: in_proj, causal depthwise conv1d, the selective scan, the SiLU gate, out_proj.
public struct MambaMixer: Sendable, Equatable {
    /// W_in (2E × d_model), rows 0..<E give x, rows E..<2E the gate z.
    public let inProj: [Double]
    public let inProjBias: [Double]?
    /// Depthwise kernel (E × K); w[h, K−1] multiplies the current token.
    public let convolution: [Double]
    public let convolutionBias: [Double]?
    /// The selective SSM (A_log, D, x_proj, dt_proj) on the E channels.
    public let selective: SelectiveLayer
    /// W_out (d_model × E).
    public let outProj: [Double]
    public let outProjBias: [Double]?

    public init(inProj: [Double], inProjBias: [Double]?, convolution: [Double], convolutionBias: [Double]?,
                selective: SelectiveLayer, outProj: [Double], outProjBias: [Double]?, dModel: Int, convolutionWidth: Int) throws {
        let e = selective.channels
        guard selective.aImag == nil else {
            throw ModelError.invalidConfiguration("a Mamba-1 mixer has a real A; this one has A_imag (Phasor's complex selective option)")
        }
        try ArchitectureCheck.count(inProj, 2 * e * dModel, "in_proj.weight")
        try ArchitectureCheck.count(convolution, e * convolutionWidth, "conv1d.weight")
        try ArchitectureCheck.count(outProj, dModel * e, "out_proj.weight")
        if let inProjBias { try ArchitectureCheck.count(inProjBias, 2 * e, "in_proj.bias") }
        if let convolutionBias { try ArchitectureCheck.count(convolutionBias, e, "conv1d.bias") }
        if let outProjBias { try ArchitectureCheck.count(outProjBias, dModel, "out_proj.bias") }
        self.inProj = inProj; self.inProjBias = inProjBias; self.convolution = convolution
        self.convolutionBias = convolutionBias; self.selective = selective; self.outProj = outProj; self.outProjBias = outProjBias
    }
}

/// One residual block: RMSNorm gain and mixer.
public struct MambaLayer: Sendable, Equatable {
    public let norm: [Double]
    public let mixer: MambaMixer
}

/// A Mamba-1 language model (weights in Double; run in Double or Float).
public struct MambaLanguageModel: Sendable, Equatable {
    public let configuration: MambaConfiguration
    /// E (vocab × d_model).
    public let embedding: [Double]
    public let layers: [MambaLayer]
    public let finalNorm: [Double]
    /// W_head (vocab × d_model), nil when tied to the embedding.
    public let head: [Double]?

    public init(configuration: MambaConfiguration, embedding: [Double], layers: [MambaLayer], finalNorm: [Double],
                head: [Double]?) throws {
        let c = configuration
        try ArchitectureCheck.count(embedding, c.vocabulary * c.dModel, "embedding")
        try ArchitectureCheck.count(finalNorm, c.dModel, "norm_f.weight")
        if let head { try ArchitectureCheck.count(head, c.vocabulary * c.dModel, "lm_head.weight") }
        guard layers.count == c.layers, c.tiedHead == (head == nil) else {
            throw ModelError.invalidConfiguration("\(layers.count) layers and head \(head == nil ? "tied" : "untied") for a configuration of \(c.layers) layers, head \(c.tiedHead ? "tied" : "untied")")
        }
        for (i, layer) in layers.enumerated() {
            let m = layer.mixer, s = m.selective
            try ArchitectureCheck.count(layer.norm, c.dModel, "layer \(i) norm.weight")
            guard s.channels == c.dInner, s.states == c.states, s.dtRank == c.dtRank,
                  m.convolution.count == c.dInner * c.convolutionWidth, m.inProj.count == 2 * c.dInner * c.dModel,
                  (m.inProjBias != nil) == c.projectionBias, (m.outProjBias != nil) == c.projectionBias,
                  (m.convolutionBias != nil) == c.convolutionBias else {
                throw ModelError.invalidConfiguration("layer \(i)'s sizes or biases differ from the model's configuration")
            }
        }
        self.configuration = c; self.embedding = embedding; self.layers = layers; self.finalNorm = finalNorm; self.head = head
    }

    /// The head used for the logits (the embedding when tied).
    public var headWeights: [Double] { head ?? embedding }

    // MARK: Loading

    /// Reads a checkpoint: a .safetensors file, a model.safetensors.index.json with its shards, or their folder.
    public init(path: String) throws { try self.init(checkpoint: try SafeTensorsCheckpoint(path: path)) }

    /// Sizes from tensor shapes alone (vocab and d_model from the embedding, E from in_proj, N from A_log, R from
    /// dt_proj, K from conv1d); config.json, when present, gives ε and must agree with the shapes it states.
    public init(checkpoint: SafeTensorsCheckpoint) throws {
        let file = checkpoint.file, names = Set(file.tensors.keys)
        let spellings = MambaKeys.embeddingSpellings.filter(names.contains)
        guard let embeddingKey = spellings.first else {
            throw ModelError.missingKey(MambaKeys.embeddingSpellings.joined(separator: "' or '") + "' (not a Mamba language model?")
        }
        guard spellings.count == 1 else { throw ModelError.invalidConfiguration("the checkpoint has both \(spellings.joined(separator: " and "))") }
        let embeddingTensor = try file.tensor(embeddingKey)
        guard embeddingTensor.shape.count == 2 else {
            throw ModelError.shapeMismatch(key: embeddingKey, expected: [-1, -1], found: embeddingTensor.shape)
        }
        let vocabulary = embeddingTensor.shape[0], dModel = embeddingTensor.shape[1]
        var count = 0
        while names.contains(MambaKeys.mixer(count) + MambaKeys.Mixer.aLog) { count += 1 }
        guard count > 0 else { throw ModelError.missingKey(MambaKeys.mixer(0) + MambaKeys.Mixer.aLog) }
        if let a = file.tensors[MambaKeys.mixer(0) + MambaKeys.Mixer.aLog], a.shape.count == 1 {
            throw ModelError.invalidConfiguration("A_log has shape \(a.shape) (one value per head): this is a Mamba-2 checkpoint; Phasor reads Mamba-1 (A_log of shape (d_inner, d_state))")
        }
        var expected: Set<String> = [embeddingKey, MambaKeys.finalNorm, MambaKeys.head]
        for i in 0..<count {
            expected.insert(MambaKeys.norm(i))
            for key in MambaKeys.Mixer.all { expected.insert(MambaKeys.mixer(i) + key) }
        }
        let unexpected = names.subtracting(expected)
        guard unexpected.isEmpty else {
            if unexpected.contains(where: { $0.hasSuffix("norm.bias") || $0.hasSuffix("norm_f.bias") }) {
                throw ModelError.invalidConfiguration("the norms have biases: a mamba_ssm model with LayerNorm blocks (rms_norm = false); Phasor implements the RMSNorm blocks of released Mamba models")
            }
            throw ModelError.unexpectedKeys(Array(unexpected))
        }
        let config = checkpoint.configuration ?? [:]
        if config["rms_norm"]?.bool == false {
            throw ModelError.invalidConfiguration("config.json says rms_norm = false (LayerNorm blocks); Phasor implements the RMSNorm blocks of released Mamba models")
        }
        let epsilon = MambaKeys.epsilonConfig.lazy.compactMap { config[$0]?.number }.first ?? 1e-5

        func read(_ key: String, _ shape: [Int]) throws -> [Double] {
            try ArchitectureTensors.read(file, "", key, shape)
        }
        func optional(_ key: String, _ shape: [Int]) throws -> [Double]? {
            names.contains(key) ? try read(key, shape) : nil
        }
        var layers: [MambaLayer] = []
        var first: MambaConfiguration?
        for i in 0..<count {
            let prefix = MambaKeys.mixer(i)
            let selective = try SelectiveLayer(file: file, prefix: prefix)
            let e = selective.channels
            let inTensor = try file.tensor(prefix + MambaKeys.Mixer.inProj), convTensor = try file.tensor(prefix + MambaKeys.Mixer.conv)
            guard inTensor.shape == [2 * e, dModel] else {
                throw ModelError.shapeMismatch(key: prefix + MambaKeys.Mixer.inProj, expected: [2 * e, dModel], found: inTensor.shape)
            }
            guard convTensor.shape.count == 3, convTensor.shape[0] == e, convTensor.shape[1] == 1, convTensor.shape[2] > 0 else {
                throw ModelError.shapeMismatch(key: prefix + MambaKeys.Mixer.conv, expected: [e, 1, -1], found: convTensor.shape)
            }
            let k = convTensor.shape[2]
            let mixer = try MambaMixer(
                inProj: try read(prefix + MambaKeys.Mixer.inProj, [2 * e, dModel]),
                inProjBias: try optional(prefix + MambaKeys.Mixer.inProjBias, [2 * e]),
                convolution: try read(prefix + MambaKeys.Mixer.conv, [e, 1, k]),
                convolutionBias: try optional(prefix + MambaKeys.Mixer.convBias, [e]),
                selective: selective,
                outProj: try read(prefix + MambaKeys.Mixer.outProj, [dModel, e]),
                outProjBias: try optional(prefix + MambaKeys.Mixer.outProjBias, [dModel]), dModel: dModel, convolutionWidth: k)
            let layerConfig = try MambaConfiguration(
                vocabulary: vocabulary, dModel: dModel, dInner: e, states: selective.states, dtRank: selective.dtRank,
                convolutionWidth: k, layers: count, epsilon: epsilon, projectionBias: mixer.inProjBias != nil,
                convolutionBias: mixer.convolutionBias != nil, tiedHead: !names.contains(MambaKeys.head))
            if (mixer.inProjBias != nil) != (mixer.outProjBias != nil) {
                throw ModelError.invalidConfiguration("layer \(i) has a bias on only one of in_proj and out_proj (use_bias sets both)")
            }
            if let first, first != layerConfig {
                throw ModelError.invalidConfiguration("layer \(i) has other sizes or biases than layer 0 (d_inner \(e), d_state \(selective.states), dt_rank \(selective.dtRank), d_conv \(k))")
            }
            first = layerConfig
            layers.append(MambaLayer(norm: try read(MambaKeys.norm(i), [dModel]), mixer: mixer))
        }
        let configuration = first!
        for (names, value) in MambaKeys.statedSizes(configuration) {
            for name in names {
                if let stated = config[name]?.number, stated != Double(value) {
                    throw ModelError.invalidConfiguration("config.json (\(checkpoint.configurationPath ?? "")) says \(name) = \(stated) but the tensors give \(value); the config belongs to another model")
                }
            }
        }
        try self.init(configuration: configuration, embedding: try read(embeddingKey, [vocabulary, dModel]), layers: layers,
                      finalNorm: try read(MambaKeys.finalNorm, [dModel]),
                      head: try optional(MambaKeys.head, [vocabulary, dModel]))
    }

    /// The tensors under transformers' key names (float64), tied head left out; `mambaSSMNames` uses mamba_ssm's
    /// embedding spelling.
    public func safeTensors(mambaSSMNames: Bool = false) throws -> SafeTensorsFile {
        let c = configuration
        var file = SafeTensorsFile()
        func put(_ key: String, _ shape: [Int], _ v: [Double]?) throws {
            if let v { file.tensors[key] = try Tensor(shape: shape, float64: v) }
        }
        try put(MambaKeys.embeddingSpellings[mambaSSMNames ? 1 : 0], [c.vocabulary, c.dModel], embedding)
        try put(MambaKeys.finalNorm, [c.dModel], finalNorm)
        try put(MambaKeys.head, [c.vocabulary, c.dModel], head)
        for (i, layer) in layers.enumerated() {
            let p = MambaKeys.mixer(i), m = layer.mixer, e = c.dInner
            try put(MambaKeys.norm(i), [c.dModel], layer.norm)
            try put(p + MambaKeys.Mixer.inProj, [2 * e, c.dModel], m.inProj)
            try put(p + MambaKeys.Mixer.inProjBias, [2 * e], m.inProjBias)
            try put(p + MambaKeys.Mixer.conv, [e, 1, c.convolutionWidth], m.convolution)
            try put(p + MambaKeys.Mixer.convBias, [e], m.convolutionBias)
            try put(p + MambaKeys.Mixer.outProj, [c.dModel, e], m.outProj)
            try put(p + MambaKeys.Mixer.outProjBias, [c.dModel], m.outProjBias)
            try m.selective.write(to: &file, prefix: p)
        }
        return file
    }

    // MARK: Random models (benchmarks, tests)

    /// Random weights with Mamba's initialisation of the selective core (A_log = log(n+1), D = 1, Δ log-uniform in
    /// [1e-3, 1e-1]); projections U(±1/√fan_in), embedding N(0, 0.02²), norms 1 (biases 0.1·N(0, 1) when present).
    public init(random configuration: MambaConfiguration, seed: UInt64) throws {
        let c = configuration
        var g = SeededGenerator(seed: seed)
        let embedding = Self.normals(c.vocabulary * c.dModel, scale: 0.02, &g)
        var layers: [MambaLayer] = []
        for _ in 0..<c.layers {
            let selective = try SelectiveLayer(channels: c.dInner, states: c.states, dtRank: c.dtRank, generator: &g)
            let inProj = Self.uniforms(2 * c.dInner * c.dModel, fanIn: c.dModel, &g)
            let inBias = c.projectionBias ? Self.normals(2 * c.dInner, scale: 0.1, &g) : nil
            let conv = Self.uniforms(c.dInner * c.convolutionWidth, fanIn: c.convolutionWidth, &g)
            let convBias = c.convolutionBias ? Self.normals(c.dInner, scale: 0.1, &g) : nil
            let outProj = Self.uniforms(c.dModel * c.dInner, fanIn: c.dInner, &g)
            let outBias = c.projectionBias ? Self.normals(c.dModel, scale: 0.1, &g) : nil
            let mixer = try MambaMixer(inProj: inProj, inProjBias: inBias, convolution: conv, convolutionBias: convBias,
                                       selective: selective, outProj: outProj, outProjBias: outBias,
                                       dModel: c.dModel, convolutionWidth: c.convolutionWidth)
            layers.append(MambaLayer(norm: [Double](repeating: 1, count: c.dModel), mixer: mixer))
        }
        let head = c.tiedHead ? nil : Self.uniforms(c.vocabulary * c.dModel, fanIn: c.dModel, &g)
        try self.init(configuration: c, embedding: embedding, layers: layers,
                      finalNorm: [Double](repeating: 1, count: c.dModel), head: head)
    }

    /// U(±1/√fan_in) draws.
    private static func uniforms(_ count: Int, fanIn: Int, _ g: inout SeededGenerator) -> [Double] {
        let s = 1 / Double(fanIn).squareRoot()
        var v = [Double](repeating: 0, count: count)
        for i in 0..<count { v[i] = (2 * g.uniform() - 1) * s }
        return v
    }

    /// N(0, scale²) draws.
    private static func normals(_ count: Int, scale: Double, _ g: inout SeededGenerator) -> [Double] {
        var v = [Double](repeating: 0, count: count)
        for i in 0..<count { v[i] = scale * g.normal() }
        return v
    }
}
