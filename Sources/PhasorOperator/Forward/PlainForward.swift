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

    /// The model's replacements for layer-wise expansions: nil where every layer's expansion is the model's own
    /// function (its GELU form, σ).
    func overrides(gelu: [PointwiseExpansion], sigmoid: [PointwiseExpansion]) -> PointwiseOverrides {
        func own(_ e: PointwiseExpansion, _ f: PointwiseExpansion) -> Bool {
            switch (e, f) { case (.gelu, .gelu), (.geluTanh, .geluTanh), (.sigmoid, .sigmoid): return true; default: return false }
        }
        let exact = exactGELU
        let geluOwn = gelu.indices.allSatisfy { own(gelu[$0], exact[$0]) }, sigmoidOwn = sigmoid.allSatisfy { own($0, .sigmoid) }
        let activation: PointwiseOverrides.Function = { i, _, v in v.map { gelu[i].value($0) } }
        let gate: PointwiseOverrides.Function = { i, _, v in v.map { sigmoid[i].value($0) } }
        return PointwiseOverrides(activation: geluOwn ? nil : activation, gate: sigmoidOwn ? nil : gate)
    }

    /// The forward pass with `gelu[i]`, `sigmoid[i]` in layer i and LayerNorm gains either computed (nil) or frozen.
    public func plainForward(inputs: [Double], batch B: Int, length L: Int, lengths: [Int]? = nil,
                             gelu: [PointwiseExpansion], sigmoid: [PointwiseExpansion], frozenGains: [[Double]]? = nil,
                             record: Bool = false) throws -> ForwardRecord {
        let lens = try checkedLengths(inputs: inputs, batch: B, length: L, lengths: lengths)
        let nl = blocks.count
        guard gelu.count == nl, sigmoid.count == nl else { throw OperatorError.invalid("need one GELU and one sigmoid per layer (\(nl))") }
        if let g = frozenGains, g.count != nl || zip(g, blocks.map(\.norm)).contains(where: { $0.count != B * L && ($1.kind == .layer || !$0.isEmpty) }) {
            throw OperatorError.invalid("frozen gains must be \(nl) arrays of B·L = \(B * L) values (empty for a layer without a LayerNorm)")
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
