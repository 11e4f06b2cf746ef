// The model's forward pass on numbers with chosen pointwise functions and, optionally, frozen LayerNorm gains —
// the independent reference for the graded evaluation:
//   • exact GELU/σ and gains computed on the fly: the S4Model's own forward (tested against S4Model.logits);
//   • polynomial GELU/σ and frozen gains: the surrogate, a polynomial in u, whose graded components must sum to it.
// LayerNorm at (b, l):  G = 1/√(var_h x + eps),  out_h = γ_h·G·(x_h − mean_h x) + β_h   (eps = 1e-5, as PyTorch).
import Foundation
import PhasorModels
import PhasorNumerics

/// What one plain forward pass produced.
public struct ForwardRecord: Sendable {
    /// (B, classes).
    public var logits: [Double]
    /// LayerNorm gains 1/√(var + eps) per layer, each (B, L).
    public var gains: [[Double]]
    /// Inputs of each layer's GELU (B, H, L) and of its GLU sigmoid (B, H, L) — kept when recording.
    public var geluInputs: [[Double]]
    public var sigmoidInputs: [[Double]]
}

/// What a replaced pointwise stage of layer `layer` sees; every array is (B, H, L).
public struct StageContext {
    public var layer: Int
    public var batch: Int
    public var length: Int
    public var channels: Int
    /// Valid length of each sample (positions beyond it are padding, ignored by the pooling).
    public var lengths: [Int]
    /// The SSM's input z (after a pre-norm) and its output y = K * z + D z (the GELU's input).
    public var ssmInput: [Double]
    public var ssmOutput: [Double]
}

/// Replacements of the pointwise stages of `plainForward` — per-channel surrogates, truncated wave decompositions.
/// (The adapter of the convergent operator, issue 13; it maps one-to-one onto a per-layer hook in the model's own
/// forward pass: the GELU stage needs the SSM input and output, the gate stage also the gate input.)
public struct ForwardStages {
    /// Layer i's GELU output (B, H, L) from the context.
    public var gelu: ((StageContext) throws -> [Double])?
    /// Layer i's gate σ(z2) (B, H, L) from the context and the gate input z2 (B, H, L).
    public var gate: ((StageContext, [Double]) throws -> [Double])?

    public init(gelu: ((StageContext) throws -> [Double])? = nil, gate: ((StageContext, [Double]) throws -> [Double])? = nil) {
        self.gelu = gelu
        self.gate = gate
    }
}

/// The LayerNorm epsilon of PyTorch's default.
let layerNormEpsilon = 1e-5

extension OperatorModel {
    /// Checks the input shape and lengths; returns the lengths (all L by default).
    func checkedLengths(inputs: [Double], batch: Int, length: Int, lengths: [Int]?) throws -> [Int] {
        let d = configuration.dInput
        guard batch > 0, length > 0 else { throw OperatorError.invalid("batch and length must be positive (got B=\(batch), L=\(length))") }
        guard inputs.count == batch * length * d else {
            throw OperatorError.invalid("input has \(inputs.count) values; (B, L, d_input) = (\(batch), \(length), \(d)) needs \(batch * length * d) — is the data's width the model's d_input?")
        }
        try PhasorNumerics.requireFinite(inputs, "operator input")
        let lens = lengths ?? [Int](repeating: length, count: batch)
        guard lens.count == batch, lens.allSatisfy({ $0 >= 1 && $0 <= length }) else {
            throw OperatorError.invalid("lengths must be \(batch) values in 1…\(length)")
        }
        return lens
    }

    /// The forward pass with `gelu[i]`, `sigmoid[i]` in layer i and LayerNorm gains either computed (nil) or frozen.
    public func plainForward(inputs: [Double], batch B: Int, length L: Int, lengths: [Int]? = nil,
                             gelu: [PointwiseExpansion], sigmoid: [PointwiseExpansion], frozenGains: [[Double]]? = nil,
                             record: Bool = false, stages: ForwardStages? = nil) throws -> ForwardRecord {
        let lens = try checkedLengths(inputs: inputs, batch: B, length: L, lengths: lengths)
        let H = channels, nl = layers.count
        guard gelu.count == nl, sigmoid.count == nl else { throw OperatorError.invalid("need one GELU and one sigmoid per layer (\(nl))") }
        if let g = frozenGains, g.count != nl || g.contains(where: { $0.count != B * L }) {
            throw OperatorError.invalid("frozen gains must be \(nl) arrays of B·L = \(B * L) values")
        }
        var x = encode(inputs[...], batch: B, length: L)
        for b in 0..<B { for h in 0..<H { let o = (b * H + h) * L; for l in 0..<L { x[o + l] += encoderBias[h] } } }
        var rec = ForwardRecord(logits: [], gains: [], geluInputs: [], sigmoidInputs: [])
        for i in 0..<nl {
            let layer = layers[i]
            var z = x
            if configuration.prenorm { rec.gains.append(normalise(&z, layer: i, batch: B, length: L, gains: frozenGains?[i])) }
            let y = try layer.ssmOutput(input: z, batch: B, length: L)         // K * z + D z (the model's code)
            let context = StageContext(layer: i, batch: B, length: L, channels: H, lengths: lens, ssmInput: z, ssmOutput: y)
            let a = try stages?.gelu.map { try checkedStage($0(context), B * H * L, "GELU", i) }
                ?? gelu[i].apply(y, channels: H, length: L)
            var zz = OperatorModel.channelMap(a, weight: layer.outputWeight, samples: B, inChannels: H, outChannels: 2 * H, length: L)
            for b in 0..<B { for o in 0..<(2 * H) { let r = (b * 2 * H + o) * L; for l in 0..<L { zz[r + l] += layer.outputBias[o] } } }
            var gate = [Double](repeating: 0, count: B * H * L)
            for b in 0..<B { for h in 0..<H {
                let go = (b * 2 * H + H + h) * L, oo = (b * H + h) * L
                for l in 0..<L { gate[oo + l] = zz[go + l] }
            } }
            let s = try stages?.gate.map { try checkedStage($0(context, gate), B * H * L, "gate", i) }
                ?? sigmoid[i].apply(gate, channels: H, length: L)
            for b in 0..<B { for h in 0..<H {
                let zo = (b * 2 * H + h) * L, oo = (b * H + h) * L
                for l in 0..<L { x[oo + l] += zz[zo + l] * s[oo + l] }          // residual + z1 ⊙ σ(z2)
            } }
            if !configuration.prenorm { rec.gains.append(normalise(&x, layer: i, batch: B, length: L, gains: frozenGains?[i])) }
            if record { rec.geluInputs.append(y); rec.sigmoidInputs.append(gate) }
        }
        var logits = poolAndDecode(x, samples: B, lengths: lens, length: L)
        for s in 0..<B { for c in 0..<configuration.classes { logits[s * configuration.classes + c] += decoderBias[c] } }
        guard logits.allSatisfy(\.isFinite) else { throw OperatorError.overflow(quantity: "plain forward logits", order: 0) }
        rec.logits = logits
        return rec
    }

    /// A replaced stage's output, checked for shape and finiteness.
    func checkedStage(_ out: [Double], _ count: Int, _ name: String, _ layer: Int) throws -> [Double] {
        guard out.count == count else { throw OperatorError.invalid("the replaced \(name) stage of layer \(layer) returned \(out.count) values, not \(count)") }
        guard out.allSatisfy(\.isFinite) else { throw OperatorError.overflow(quantity: "replaced \(name) stage of layer \(layer)", order: 0) }
        return out
    }

    /// LayerNorm of layer i in place; returns the gains used (computed when `gains` is nil).
    func normalise(_ x: inout [Double], layer i: Int, batch B: Int, length L: Int, gains: [Double]?) -> [Double] {
        let H = channels
        var used = [Double](repeating: 0, count: B * L)
        var mean = [Double](repeating: 0, count: L), v = mean
        for b in 0..<B {
            for l in 0..<L { mean[l] = 0; v[l] = 0 }
            for h in 0..<H { let o = (b * H + h) * L; for l in 0..<L { mean[l] += x[o + l] } }
            for l in 0..<L { mean[l] /= Double(H) }
            for h in 0..<H { let o = (b * H + h) * L; for l in 0..<L { let c = x[o + l] - mean[l]; v[l] += c * c } }
            for l in 0..<L { used[b * L + l] = gains?[b * L + l] ?? 1 / (v[l] / Double(H) + layerNormEpsilon).squareRoot() }
            for h in 0..<H {
                let o = (b * H + h) * L, w = normWeight[i][h], bb = normBias[i][h]
                for l in 0..<L { x[o + l] = w * used[b * L + l] * (x[o + l] - mean[l]) + bb }   // γ G (x − μ) + β
            }
        }
        return used
    }
}
