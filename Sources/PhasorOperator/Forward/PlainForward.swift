// The model's forward pass on numbers with chosen pointwise functions and, optionally, frozen LayerNorm gains — the
// independent reference for the graded evaluation. It is the S4Model's OWN evaluation pass with its hooks
// (S4ModelEvaluation.swift): layer i's GELU and GLU gate are replaced by `gelu[i]`, `sigmoid[i]` (the model's own
// functions when those are its exact GELU form and .sigmoid), the gains frozen when given, the pre-activations recorded:
//   • exact GELU/σ and gains computed on the fly: the S4Model's forward itself;
//   • polynomial GELU/σ and frozen gains: the surrogate, a polynomial in u, whose graded components must sum to it.
import PhasorModels
import PhasorNumerics

/// What one plain forward pass produced.
public struct ForwardRecord: Sendable {
    /// (B, classes).
    public var logits: [Double]
    /// LayerNorm gains 1/√(var + eps) per layer, each (B, L) (empty for a layer without a LayerNorm).
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

/// Replacements of whole pointwise stages of the forward pass — truncated wave decompositions need the SSM input
/// and all channels at once, which `PointwiseOverrides` (one channel's values) does not give. Issue 13's adapter:
/// it maps one-to-one onto a per-layer stage hook in `S4Model.evaluate` once that exposes the block input.
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

extension OperatorModel {
    /// A replaced stage's output, checked for shape and finiteness.
    func checkedStage(_ out: [Double], _ count: Int, _ name: String, _ layer: Int) throws -> [Double] {
        guard out.count == count else { throw OperatorError.invalid("the replaced \(name) stage of layer \(layer) returned \(out.count) values, not \(count)") }
        guard out.allSatisfy(\.isFinite) else { throw OperatorError.overflow(quantity: "replaced \(name) stage of layer \(layer)", order: 0) }
        return out
    }

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

    /// The model's replacements for layer-wise expansions: nil where every layer's expansion is the model's own
    /// function (its GELU form, σ).
    func overrides(gelu: [PointwiseExpansion], sigmoid: [PointwiseExpansion]) -> PointwiseOverrides {
        func own(_ e: PointwiseExpansion, _ f: PointwiseExpansion) -> Bool {
            switch (e, f) { case (.gelu, .gelu), (.geluTanh, .geluTanh), (.sigmoid, .sigmoid): return true; default: return false }
        }
        let exact = exactGELU
        let geluOwn = gelu.indices.allSatisfy { own(gelu[$0], exact[$0]) }, sigmoidOwn = sigmoid.allSatisfy { own($0, .sigmoid) }
        let activation: PointwiseOverrides.Function = { i, h, v in v.map { gelu[i].value($0, channel: h) } }
        let gate: PointwiseOverrides.Function = { i, h, v in v.map { sigmoid[i].value($0, channel: h) } }
        return PointwiseOverrides(activation: geluOwn ? nil : activation, gate: sigmoidOwn ? nil : gate)
    }

    /// The forward pass with `gelu[i]`, `sigmoid[i]` in layer i and LayerNorm gains either computed (nil) or frozen.
    /// `stages` replaces whole pointwise stages (see `ForwardStages`); recording is then not available.
    public func plainForward(inputs: [Double], batch B: Int, length L: Int, lengths: [Int]? = nil,
                             gelu: [PointwiseExpansion], sigmoid: [PointwiseExpansion], frozenGains: [[Double]]? = nil,
                             record: Bool = false, stages: ForwardStages? = nil) throws -> ForwardRecord {
        let lens = try checkedLengths(inputs: inputs, batch: B, length: L, lengths: lengths)
        let nl = blocks.count
        guard gelu.count == nl, sigmoid.count == nl else { throw OperatorError.invalid("need one GELU and one sigmoid per layer (\(nl))") }
        if let g = frozenGains, g.count != nl || zip(g, blocks.map(\.norm)).contains(where: { $0.count != B * L && ($1.kind == .layer || !$0.isEmpty) }) {
            throw OperatorError.invalid("frozen gains must be \(nl) arrays of B·L = \(B * L) values (empty for a layer without a LayerNorm)")
        }
        if let stages {
            // The adapter of the convergent operator: the graded evaluation at order 0 around each sample's own input is
            // this forward pass on numbers (its series gain at order 0 is the live gain 1/√(var + ε)), and it exposes
            // the SSM input the stages need.
            guard !record else { throw OperatorError.invalid("pre-activations are not recorded when stages are replaced") }
            let run = try gradedForward(inputs: inputs, batch: B, length: L, lengths: lens, order: 0, gelu: gelu, sigmoid: sigmoid,
                                        gain: frozenGains == nil ? .series : .frozen, frozenGains: frozenGains,
                                        reference: inputs, stages: stages)
            return ForwardRecord(logits: run.logits.data, gains: [], geluInputs: [], sigmoidInputs: [])
        }
        let options = EvaluationOptions(pointwise: overrides(gelu: gelu, sigmoid: sigmoid), frozenGains: frozenGains,
                                        record: record)
        let trace: S4ModelTrace
        do { trace = try model.evaluate(inputs: inputs, batch: B, length: L, lengths: lens, options: options) } catch is NonFiniteError {
            throw OperatorError.overflow(quantity: "plain forward", order: 0)
        }
        return ForwardRecord(logits: trace.logits, gains: trace.gains,
                             geluInputs: record ? trace.layers.map(\.ssmOutput) : [],
                             sigmoidInputs: record ? trace.layers.map(\.gateInput) : [])
    }
}
