// A block's norm forward and backward, whichever it is (the placement — before the core or after the residual add —
// is the model's, S4Model.swift):
//   LayerNorm (LayerNorm.swift): per (b, l) over the H channels; the evaluation hooks may freeze its gains.
//   BatchNorm (BatchNorm.swift): in training, the batch's statistics over the valid positions (and the statistics
//     are returned, for the running averages); otherwise the running statistics, an exact affine map per channel.
// The running statistics of a training step are pooled over the step's thread parts (each normalises with its own
// statistics, as a data-parallel BatchNorm does): with counts n_t, means μ_t and unbiased variances v_t,
//   n = Σ n_t,  μ = Σ n_t μ_t / n,  v = [Σ (n_t − 1) v_t + Σ n_t (μ_t − μ)²] / (n − 1)
// — exactly the mean and unbiased variance of all the step's valid positions together.

/// What a norm's backward needs.
enum NormTape {
    case layer(LayerNorm.Tape)
    case batch(BatchNorm.Tape)
    /// The gains G = 1/√(var + ε) per (b, l) of a LayerNorm (what the evaluation hooks freeze); empty for BatchNorm,
    /// whose evaluation map is already affine.
    var gains: [Double] {
        switch self {
        case .layer(let t): return t.inverseStd
        case .batch: return []
        }
    }
}

extension Norm {
    /// The norm of x (B, H, L). `lengths` are the valid lengths (BatchNorm's statistics); `gains` freeze a LayerNorm's.
    func forward(_ x: [Double], batch: Int, channels H: Int, length L: Int, lengths: [Int], training: Bool,
                 gains: [Double]?) throws -> (out: [Double], tape: NormTape, statistics: BatchNorm.Statistics?) {
        switch self {
        case .layer(let p):
            let (out, tape) = LayerNorm.forward(x, weight: p.weight, bias: p.bias, batch: batch, channels: H, length: L, gains: gains)
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
        }
    }

    /// ∂L/∂x and the gradient of the norm's parameters (as a norm of the same kind; buffers zero).
    func backward(_ g: [Double], tape: NormTape, batch: Int, channels H: Int, length L: Int) throws -> (input: [Double], gradient: Norm) {
        switch (self, tape) {
        case (.layer(let p), .layer(let t)):
            let r = LayerNorm.backward(g, tape: t, weight: p.weight, batch: batch, channels: H, length: L)
            return (r.input, .layer(try LayerNormParameters(weight: r.weight, bias: r.bias)))
        case (.batch(let p), .batch(let t)):
            let r = BatchNorm.backward(g, tape: t, weight: p.weight, batch: batch, channels: H, length: L)
            let zeros = [Double](repeating: 0, count: H)
            return (r.input, .batch(try BatchNormParameters(weight: r.weight, bias: r.bias, runningMean: zeros,
                                                            runningVariance: zeros, batchesTracked: 0)))
        default:
            preconditionFailure("a norm's backward got another norm's tape")
        }
    }
}

extension BatchNorm.Statistics {
    /// The statistics of several parts of one batch taken together (see the file header).
    static func pooled(_ parts: [BatchNorm.Statistics]) -> BatchNorm.Statistics? {
        guard let first = parts.first else { return nil }
        let n = parts.reduce(0) { $0 + $1.count }, h = first.mean.count
        guard parts.count > 1 else { return first }
        var mean = [Double](repeating: 0, count: h), variance = mean
        for p in parts { for c in 0..<h { mean[c] += Double(p.count) * p.mean[c] / Double(n) } }          // μ
        for p in parts {
            for c in 0..<h {
                let d = p.mean[c] - mean[c]
                variance[c] += (Double(p.count - 1) * p.variance[c] + Double(p.count) * d * d) / Double(n - 1)  // v
            }
        }
        return BatchNorm.Statistics(mean: mean, variance: variance, count: n)
    }
}
