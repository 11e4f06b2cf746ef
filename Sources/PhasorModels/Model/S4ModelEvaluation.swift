// The evaluation forward pass of an S4Model with hooks — the one forward every reader of a model's insides uses
// (the correspondence's ring on real inputs, the operator's plain forward and its polynomial surrogate):
//   • per layer i and channel h, the head's pointwise functions may be replaced: a = f_act(i, h, y) instead of
//     GELU(y) and s = f_gate(i, h, z₂) instead of σ(z₂) in out = z₁ ⊙ s (each called with one sample's sequence of
//     that channel, length L, returning as many values);
//   • LayerNorm gains G = 1/√(var_h x + ε) may be frozen (given per layer as (B, L)), making every LayerNorm a fixed
//     linear map γ⊙G(x − mean_h x) + β (a BatchNorm is one already in evaluation, s⊙x + t; a layer without a
//     LayerNorm has no gain: its entry is empty);
//   • a bilinear head (no GELU, no gate) takes no replacements (an error if given);
//   • every intermediate is recorded: encoder output, each block's input (after the pre-norm), its SSM output y (the
//     GELU input), its gate input z₂, its output, the residual stream after it, and the gains used.
// Everything else (encoder, kernel, convolution, 1×1 conv, pooling, decoder) is the model's own code, in Double.
import PhasorNumerics

/// Replacements of a block's pointwise functions, per layer and channel.
public struct PointwiseOverrides: Sendable {
    /// f(layer, channel, values): applied to one sample's values of that channel (length L); returns L values.
    public typealias Function = @Sendable (_ layer: Int, _ channel: Int, _ values: [Double]) -> [Double]
    /// Replaces GELU (the activation after the SSM).
    public var activation: Function?
    /// Replaces the GLU gate's sigmoid.
    public var gate: Function?

    public init(activation: Function? = nil, gate: Function? = nil) {
        self.activation = activation
        self.gate = gate
    }
}

/// How an evaluation pass runs and what it keeps.
public struct EvaluationOptions: Sendable {
    public var pointwise: PointwiseOverrides
    /// LayerNorm gains to use instead of computing them: one (B·L) array per layer (empty without LayerNorms).
    public var frozenGains: [[Double]]?
    /// Keep every intermediate activation (gains and logits are always kept).
    public var record: Bool

    public init(pointwise: PointwiseOverrides = PointwiseOverrides(), frozenGains: [[Double]]? = nil, record: Bool = true) {
        self.pointwise = pointwise
        self.frozenGains = frozenGains
        self.record = record
    }
}

/// The overrides of one layer, as the fused block sees them.
struct BlockPointwise: Sendable {
    let layer: Int
    let overrides: PointwiseOverrides
}

/// The intermediates of one evaluation pass; every activation is (B, H, L) row-major (empty unless recorded).
public struct S4ModelTrace: Sendable {
    public struct Layer: Sendable {
        /// What the core saw (after the norm when prenorm).
        public var blockInput: [Double]
        /// The SSM output y = K * u + D⊙u, the activation's (GELU's) input (a bilinear head's 1×1 conv input).
        public var ssmOutput: [Double]
        /// The gate's input z₂ = (W·a + b)[H..<2H] (a bilinear head's second factor; empty for GELU alone).
        public var gateInput: [Double]
        /// The block's output (after GLU, or the bilinear product).
        public var blockOutput: [Double]
        /// The residual stream after this layer (after the norm when postnorm).
        public var residualOutput: [Double]
        /// The LayerNorm gains G = 1/√(var + ε) used, (B, L); empty when the norm is not a LayerNorm.
        public var gains: [Double]
    }
    /// The encoder output.
    public var encoded: [Double]
    public var layers: [Layer]
    /// Masked mean over time, (B, H).
    public var pooled: [Double]
    /// (B, classes).
    public var logits: [Double]

    /// The LayerNorm gains of every layer (what `EvaluationOptions.frozenGains` takes).
    public var gains: [[Double]] { layers.map(\.gains) }
}

extension S4Model {
    /// The evaluation forward pass (Double, no dropout) with `options`.
    public func evaluate(inputs: [Double], batch: Int, length: Int, lengths: [Int]? = nil,
                         options: EvaluationOptions = EvaluationOptions()) throws -> S4ModelTrace {
        var none = SeededGenerator(seed: 0)
        let fwd = try forward(inputs: inputs, batch: batch, length: length, lengths: lengths, training: false,
                              generator: &none, options: options)
        let h = configuration.dModel, L = length
        let layers: [S4ModelTrace.Layer] = fwd.layers.map { t in
            var input: [Double] = [], y: [Double] = [], gate: [Double] = []
            if options.record {
                switch t.tape {
                case .f64(let tape, _):
                    input = tape.input; y = tape.y
                    gate.reserveCapacity(batch * h * L)
                    let n = h * L
                    for b in 0..<batch {
                        let start: Int = (2 * b + 1) * n                             // z₂ of sample b
                        gate += tape.z[start ..< start + n]
                    }
                case .parts(let tape):
                    input = tape.input; y = tape.y
                    if !tape.z.isEmpty {
                        let rows = tape.z.count / (batch * L)                        // 2H (full GLU) or H (half GLU)
                        gate.reserveCapacity(batch * h * L)
                        for b in 0..<batch {
                            let start = (b * rows + rows - h) * L                    // z₂ of sample b
                            gate += tape.z[start ..< start + h * L]
                        }
                    }
                case .f32:
                    preconditionFailure("an evaluation pass runs in Double")
                }
            }
            return S4ModelTrace.Layer(blockInput: input, ssmOutput: y, gateInput: gate, blockOutput: t.blockOutput,
                                      residualOutput: t.residualOutput, gains: t.normTape.gains)
        }
        return S4ModelTrace(encoded: fwd.encoded, layers: layers, pooled: fwd.pooled, logits: fwd.logits)
    }

    /// Every intermediate of the plain evaluation pass.
    public func trace(inputs: [Double], batch: Int, length: Int, lengths: [Int]? = nil) throws -> S4ModelTrace {
        try evaluate(inputs: inputs, batch: batch, length: length, lengths: lengths)
    }
}

extension S4ModelTrace {
    /// The sequence (length L) of sample b, channel h in a (B, H, L) activation of this trace.
    public static func sequence(_ values: [Double], sample b: Int, channel h: Int, channels H: Int, length L: Int) -> [Double] {
        let start = (b * H + h) * L
        return Array(values[start ..< start + L])
    }
}

extension Checkpoint {
    /// The evaluation pass on raw inputs (B, L, d_input), standardised first exactly as `logits` (and `predict`) do.
    public func trace(inputs: [Double], batch: Int, length: Int, lengths: [Int]? = nil,
                      options: EvaluationOptions = EvaluationOptions()) throws -> S4ModelTrace {
        guard batch > 0, length > 0, inputs.count == batch * length * model.configuration.dInput else {
            throw ModelError.inputWidth(expected: model.configuration.dInput, found: batch > 0 && length > 0 ? inputs.count / (batch * length) : 0)
        }
        var x = inputs
        if let s = standardisation { try s.apply(to: &x) }
        return try model.evaluate(inputs: x, batch: batch, length: length, lengths: lengths, options: options)
    }
}
