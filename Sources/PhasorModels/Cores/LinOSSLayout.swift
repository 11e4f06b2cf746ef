// The LinOSS classifier of tk-rusch/linoss (`models/LinOSS.py`, Equinox) — the ONE file with its key names (the
// Equinox attribute paths joined by "."; rule equinox-path, docs/architectures-reference.md §1.1, §3). Skeleton
// `linoss-repo`:
//   linear_encoder (Linear d_in → H) → per block i:  x ← x + A(LinOSS(BN(x)))  → mean over time → linear_layer (H → classes)
//   BN = Equinox BatchNorm WITHOUT scale or bias (ε 1e-5); its running statistics live in the eqx State, exported as
//        state.blocks.i.norm.{mean, var} (H) — here a `Norm.batch` with γ = 1, β = 0 held fixed (no tensors)
//   LinOSS (LinOSSLayer.swift): blocks.i.ssm.A_diag (P), .B (P, H, 2), .C (H, P, 2), .D (H), .steps (P); IM or IMEX
//        is metadata "discretization"
//   A(y) = (W₁g + b₁) ⊙ σ(W₂g + b₂),  g = GELU_tanh(y):  blocks.i.glu.w1.{weight (H, H), bias (H)}, blocks.i.glu.w2.…
//        — the head's (2H, H) weight is [W₁; W₂] and its bias [b₁; b₂]
// Dropout (0.05, after GELU and after the GLU) has no tensors. The model outputs softmax(logits). The S5 and LRU of
// the same repository use this skeleton with `ssm` (S5) or `lru` (LRU) as the core's field.
import Foundation
import PhasorNumerics

/// tk-rusch/linoss's LinOSS classifier as a `ModelLayout`.
enum LinOSSLayout: ModelLayout {
    static let encoderWeight = "linear_encoder.weight"
    static let encoderBias = "linear_encoder.bias"
    static let decoderWeight = "linear_layer.weight"
    static let decoderBias = "linear_layer.bias"
    static let blockPrefix = "blocks."
    static let statisticsPrefix = "state.blocks."

    /// The names of block i's tensors.
    struct Block {
        let aDiag, b, c, d, steps, w1Weight, w1Bias, w2Weight, w2Bias, mean, variance: String

        init(_ i: Int) {
            let p = LinOSSLayout.blockPrefix + "\(i).", s = LinOSSLayout.statisticsPrefix + "\(i).norm."
            aDiag = p + "ssm.A_diag"; b = p + "ssm.B"; c = p + "ssm.C"; d = p + "ssm.D"; steps = p + "ssm.steps"
            w1Weight = p + "glu.w1.weight"; w1Bias = p + "glu.w1.bias"; w2Weight = p + "glu.w2.weight"; w2Bias = p + "glu.w2.bias"
            mean = s + "mean"; variance = s + "var"
        }
    }

    /// The reference's switches (§1.2 metadata) — what this skeleton always is ("discretization" is the core kind's).
    static let skeleton = ReferenceMetadata.skeleton(family: "linoss", block: "linoss-repo", norm: "batch", normAffine: false,
                                                     gelu: .tanh)

    static func parameterShapes(_ c: S4ModelConfiguration) -> [(name: String, shape: [Int])] {
        let h = c.dModel, p = c.dState
        var out: [(String, [Int])] = [(encoderWeight, [h, c.dInput]), (encoderBias, [h])]
        for i in 0..<c.layers {
            let k = Block(i)
            out += [(k.aDiag, [p]), (k.b, [p, h, 2]), (k.c, [h, p, 2]), (k.d, [h]), (k.steps, [p]),
                    (k.w1Weight, [h, h]), (k.w1Bias, [h]), (k.w2Weight, [h, h]), (k.w2Bias, [h])]
        }
        out += [(decoderWeight, [c.classes, h]), (decoderBias, [c.classes])]
        for i in 0..<c.layers { let k = Block(i); out += [(k.mean, [h]), (k.variance, [h])] }
        return out
    }

    /// (re, im) pairs of a (rows, columns, 2) tensor as complex numbers, and back.
    static func complex(_ v: [Double]) -> [Complex<Double>] { (0..<(v.count / 2)).map { Complex(v[2 * $0], v[2 * $0 + 1]) } }
    static func pairs(_ z: [Complex<Double>]) -> [Double] { z.flatMap { [$0.real, $0.imaginary] } }

    static func block(_ i: Int, _ c: S4ModelConfiguration, value: (String) throws -> [Double]) throws -> ResidualBlock {
        let k = Block(i), h = c.dModel
        let core = try LinOSSLayer(aDiag: value(k.aDiag), b: complex(value(k.b)), c: complex(value(k.c)), d: value(k.d),
                                   steps: value(k.steps), scheme: c.core.linossScheme ?? .implicit)
        let norm = try BatchNormParameters(weight: [Double](repeating: 1, count: h), bias: [Double](repeating: 0, count: h),
                                           runningMean: value(k.mean), runningVariance: value(k.variance), batchesTracked: 0)
        let head = try GatedGELUHead(channels: h, weight: value(k.w1Weight) + value(k.w2Weight),   // [W₁; W₂]
                                     bias: value(k.w1Bias) + value(k.w2Bias), gelu: .tanh)
        return ResidualBlock(norm: .batch(norm), core: .linoss(core), head: .gatedGELU(head))
    }

    static func tensors(of b: ResidualBlock, index i: Int) throws -> [String: [Double]] {
        guard case .linoss(let core) = b.core, case .batch(let norm) = b.norm else {
            throw ModelError.invalidConfiguration("block \(i) of a LinOSS model has another core or norm")
        }
        let k = Block(i), head = b.head.gatedGELU, h = head.channels
        return [k.aDiag: core.aDiag, k.b: pairs(core.b), k.c: pairs(core.c), k.d: core.d, k.steps: core.steps,
                k.w1Weight: Array(head.weight[0 ..< h * h]), k.w2Weight: Array(head.weight[h * h ..< 2 * h * h]),
                k.w1Bias: Array(head.bias[0 ..< h]), k.w2Bias: Array(head.bias[h ..< 2 * h]),
                k.mean: norm.runningMean, k.variance: norm.runningVariance]
    }

    static func isStatistic(_ key: String) -> Bool { key.hasPrefix(statisticsPrefix) }

    static func recognises(_ keys: Set<String>) -> Bool { keys.contains(encoderWeight) && keys.contains(Block(0).aDiag) }

    static func configuration(shapes: [String: [Int]], metadata: ReferenceMetadata, options: ModelLoadOptions,
                              notes: inout [String]) throws -> S4ModelConfiguration {
        try metadata.requireSkeleton(skeleton, name: "tk-rusch/linoss's LinOSS classifier", options: options)
        let scheme: LinOSSScheme
        if let text = metadata.string(ReferenceMetadata.discretizationKey) {
            guard let s = LinOSSScheme(rawValue: text.uppercased()) else {
                throw ModelError.invalidConfiguration("metadata discretization is '\(text)'; a LinOSS model's is \"IM\" or \"IMEX\"")
            }
            scheme = s
        } else {
            scheme = .implicit
            notes.append("assuming LinOSS-IM: the checkpoint has no 'discretization' metadata (IM or IMEX); the tensors "
                + "cannot tell — add \"discretization\": \"IMEX\" to the metadata for an IMEX model")
        }
        let layers = try blockCount(shapes.keys, prefixes: [blockPrefix, statisticsPrefix]) { Block($0).aDiag }
        let encoder = try shape(shapes, encoderWeight, rank: 2), decoder = try shape(shapes, decoderWeight, rank: 2)
        let a = try shape(shapes, Block(0).aDiag, rank: 1)
        let c = S4ModelConfiguration(dInput: encoder[1], dModel: encoder[0], dState: a[0], layers: layers,
                                     classes: decoder[0], prenorm: true, dropout: 0, core: .linoss(scheme))
        try c.validate()
        return c
    }

    static func metadata(_ c: S4ModelConfiguration) -> [String: String] {
        var m = skeleton
        m[ReferenceMetadata.discretizationKey] = c.core.linossScheme?.rawValue
        return m
    }
}
