// A block's norm on a (B, H, L) activation, forward and backward, whatever its kind (the primitives, with their
// equations, are Layers/LayerNorm.swift and Layers/BatchNorm.swift):
//   layer   out = γ⊙(x − mean_h x)·G + β,  G = 1/√(var_h x + ε) per (b, l) — or G given (frozen gains, evaluation);
//           ε is the parameters' (PyTorch 1e-5, Flax 1e-6)
//   batch   training: normalised with the batch statistics of the valid positions, which are returned for the
//           running buffers; evaluation: the exact affine map s⊙x + t of the running statistics
//   none    out = x
// The gradient comes back as a Norm of the same kind (a BatchNorm's buffers get zeros: they are not optimised).

/// What a norm's backward pass needs from its forward pass.
enum NormTape {
    case layer(LayerNorm.Tape)
    case batch(BatchNorm.Tape)
    case none

    /// LayerNorm's gains G (B·L), empty for the other kinds.
    var gains: [Double] {
        if case .layer(let t) = self { return t.inverseStd }
        return []
    }
}

extension Norm {
    /// The norm applied to x (B, H, L). `training` selects BatchNorm's batch statistics (returned) over its running
    /// ones; `gains` (B·L) freeze a LayerNorm's G and are ignored by the other kinds.
    func forward(_ x: [Double], batch: Int, channels H: Int, length L: Int, lengths: [Int], training: Bool,
                 gains: [Double]? = nil) throws -> (output: [Double], tape: NormTape, statistics: BatchNorm.Statistics?) {
        switch self {
        case .layer(let p):
            let (out, tape) = LayerNorm.forward(x, weight: p.weight, bias: p.bias, batch: batch, channels: H, length: L,
                                                gains: gains, epsilon: p.epsilon)
            return (out, .layer(tape), nil)
        case .batch(let p):
            if training {
                let (out, tape, stats) = try BatchNorm.forward(x, weight: p.weight, bias: p.bias, batch: batch, channels: H,
                                                               length: L, lengths: lengths)
                return (out, .batch(tape), stats)
            }
            let (out, tape) = BatchNorm.forward(x, weight: p.weight, bias: p.bias, runningMean: p.runningMean,
                                                runningVariance: p.runningVariance, batch: batch, channels: H, length: L)
            return (out, .batch(tape), nil)
        case .none:
            return (x, .none, nil)
        }
    }

    /// ∂L/∂x and ∂L/∂(the norm's parameters) given ∂L/∂out.
    func backward(_ g: [Double], tape: NormTape, batch: Int, channels H: Int, length L: Int) -> (input: [Double], gradient: Norm) {
        switch (self, tape) {
        case (.layer(let p), .layer(let t)):
            let r = LayerNorm.backward(g, tape: t, weight: p.weight, batch: batch, channels: H, length: L)
            return (r.input, .layer(try! LayerNormParameters(weight: r.weight, bias: r.bias, epsilon: p.epsilon)))   // H values each
        case (.batch(let p), .batch(let t)):
            let r = BatchNorm.backward(g, tape: t, weight: p.weight, batch: batch, channels: H, length: L)
            var d = BatchNormParameters(channels: H)
            d.weight = r.weight; d.bias = r.bias
            d.runningMean = [Double](repeating: 0, count: H); d.runningVariance = d.runningMean
            return (r.input, .batch(d))
        case (.none, _):
            return (g, .none)
        default:
            preconditionFailure("a \(kind) norm's backward got the tape of another kind")
        }
    }
}
