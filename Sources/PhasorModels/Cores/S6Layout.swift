// The S6 classifier of log-neural-cdes (Benjamin-Walker/log-neural-cdes `torch_experiments`, `Mamba(S6=True)`) —
// the ONE file with its key names (a PyTorch `state_dict`, rule torch-state-dict; docs/architectures-reference.md
// §5). Skeleton `log-ncde-mamba`:
//   linear_encoder (Linear d_in → H) → per block i:  x ← x + A(S6(LN(x)))  → mean over time → linear_decoder (H → classes)
//   LN = torch LayerNorm (ε 1e-5, affine): blocks.i.norm.{weight, bias} (H)
//   S6 (SelectiveLayer.swift): blocks.i.mamba.A_log (H, N), .D (H), .x_proj.weight (R + 2N, H), .dt_proj.weight (H, R),
//       .dt_proj.bias (H)
//   A(y) = o[0..<H] ⊙ σ(o[H..<2H]),  o = W·GELU_erf(y) + b:  blocks.i.glu.linear.{weight (2H, H), bias (2H)}
// Dropout (0.1, after GELU and after the GLU) has no tensors. The model outputs softmax(logits); Phasor's logits are
// the decoder's output.
import Foundation

/// log-neural-cdes' S6 classifier as a `ModelLayout`.
enum S6Layout: ModelLayout {
    static let encoderWeight = "linear_encoder.weight"
    static let encoderBias = "linear_encoder.bias"
    static let decoderWeight = "linear_decoder.weight"
    static let decoderBias = "linear_decoder.bias"
    static let blockPrefix = "blocks."

    /// The names of block i's tensors.
    struct Block {
        let normWeight, normBias, aLog, d, xProj, dtWeight, dtBias, gluWeight, gluBias: String

        init(_ i: Int) {
            let p = S6Layout.blockPrefix + "\(i)."
            normWeight = p + "norm.weight"; normBias = p + "norm.bias"
            aLog = p + "mamba.A_log"; d = p + "mamba.D"; xProj = p + "mamba.x_proj.weight"
            dtWeight = p + "mamba.dt_proj.weight"; dtBias = p + "mamba.dt_proj.bias"
            gluWeight = p + "glu.linear.weight"; gluBias = p + "glu.linear.bias"
        }
    }

    /// The reference's switches (§1.2 metadata) — what this skeleton always is.
    static let skeleton = ReferenceMetadata.skeleton(family: "s6", block: "log-ncde-mamba", norm: "layer", normAffine: true,
                                                     gelu: .erf)

    static func parameterShapes(_ c: S4ModelConfiguration) -> [(name: String, shape: [Int])] {
        let h = c.dModel, n = c.dState, r = c.dtRank
        var out: [(String, [Int])] = [(encoderWeight, [h, c.dInput]), (encoderBias, [h])]
        for i in 0..<c.layers {
            let k = Block(i)
            out += [(k.normWeight, [h]), (k.normBias, [h]), (k.aLog, [h, n]), (k.d, [h]), (k.xProj, [r + 2 * n, h]),
                    (k.dtWeight, [h, r]), (k.dtBias, [h]), (k.gluWeight, [2 * h, h]), (k.gluBias, [2 * h])]
        }
        out += [(decoderWeight, [c.classes, h]), (decoderBias, [c.classes])]
        return out
    }

    static func block(_ i: Int, _ c: S4ModelConfiguration, value: (String) throws -> [Double]) throws -> ResidualBlock {
        let k = Block(i)
        let core = try SelectiveLayer(aLog: value(k.aLog), d: value(k.d), xProjWeight: value(k.xProj),
                                      dtProjWeight: value(k.dtWeight), dtProjBias: value(k.dtBias),
                                      states: c.dState, dtRank: c.dtRank)
        return ResidualBlock(norm: .layer(try LayerNormParameters(weight: value(k.normWeight), bias: value(k.normBias))),
                             core: .s6(core),
                             head: .gatedGELU(try GatedGELUHead(channels: c.dModel, weight: value(k.gluWeight),
                                                                bias: value(k.gluBias), gelu: .erf)))
    }

    static func tensors(of b: ResidualBlock, index i: Int) throws -> [String: [Double]] {
        guard case .s6(let core) = b.core, let norm = b.layerNorm else {
            throw ModelError.invalidConfiguration("block \(i) of an S6 model has another core or norm")
        }
        let k = Block(i), head = b.head.gatedGELU
        return [k.normWeight: norm.weight, k.normBias: norm.bias, k.aLog: core.aLog, k.d: core.d, k.xProj: core.xProjWeight,
                k.dtWeight: core.dtProjWeight, k.dtBias: core.dtProjBias, k.gluWeight: head.weight, k.gluBias: head.bias]
    }

    static func recognises(_ keys: Set<String>) -> Bool { keys.contains(encoderWeight) && keys.contains(Block(0).aLog) }

    static func configuration(shapes: [String: [Int]], metadata: ReferenceMetadata, options: ModelLoadOptions,
                              notes: inout [String]) throws -> S4ModelConfiguration {
        try metadata.requireSkeleton(skeleton, name: "log-neural-cdes' S6 classifier", options: options)
        let layers = try blockCount(shapes.keys, prefixes: [blockPrefix]) { Block($0).aLog }
        let encoder = try shape(shapes, encoderWeight, rank: 2), decoder = try shape(shapes, decoderWeight, rank: 2)
        let a = try shape(shapes, Block(0).aLog, rank: 2), dt = try shape(shapes, Block(0).dtWeight, rank: 2)
        let c = S4ModelConfiguration(dInput: encoder[1], dModel: encoder[0], dState: a[1], layers: layers,
                                     classes: decoder[0], prenorm: true, dropout: 0, core: .s6, dtRank: dt[1])
        try c.validate()
        return c
    }

    static func metadata(_ c: S4ModelConfiguration) -> [String: String] { skeleton }
}
