// The bilinear activation head (Shazeer 2020, "GLU variants improve Transformer": the bilinear GLU, on par with GELU
// variants in T5) and the names of the block kinds a model is built from.
//   z = W·dropout(y) + b     (1×1 convolution to 2H; W (2H, H), PyTorch Conv1d's (2H, H, 1), key output_linear.0.*)
//   out = z[0..<H] ⊙ z[H..<2H]
// No GELU and no sigmoid: the block's output is a quadratic form of its input, so a model whose every block has this
// head and whose norms are affine at inference (BatchNorm, none — or LayerNorm with its gain frozen) is a polynomial
// of degree 2ⁿ in its input (n blocks) and the explicit operator is exact with no surrogate (docs/operator.md).
// Initialisation: the GLU head's gate at its initial operating point z₂ ≈ 0 is σ(z₂) ≈ ½ + z₂/4, so a GLU block starts
// as z₁⊙(½ + z₂/4): a linear path plus a small quadratic. A bilinear head drawn like the GLU's conv (U(±1/√H)) would
// start as a pure quadratic z₁⊙z₂ with no linear path; it is drawn the same way and then its second half is mapped
// z₂ ↦ ½ + z₂/4 (W₂ ← W₂/4, b₂ ← ½ + b₂/4), so it starts as the GLU block's first-order expansion. Measured on
// GunPoint (3 seeds, docs/training.md): the validation loss is lower and training less spiky than with the plain draw.

/// 1×1 convolution to 2H → out = z[0..<H] ⊙ z[H..<2H] (no GELU, no sigmoid).
public struct BilinearHead: Sendable, Equatable {
    /// W, shape (2H, H) (PyTorch Conv1d's (2H, H, 1)).
    public var weight: [Double]
    /// b, shape (2H).
    public var bias: [Double]
    public let channels: Int

    public init(channels: Int, weight: [Double], bias: [Double]) throws {
        try checkHeadConvolution("bilinear head (2H, H)", channels: channels, weight: weight, bias: bias)
        self.channels = channels; self.weight = weight; self.bias = bias
    }

    /// Maps a freshly drawn convolution's second half to z₂ ↦ ½ + z₂/4 (see the header): W₂ ← W₂/4, b₂ ← ½ + b₂/4.
    static func startAsLinearisedGLU(weight: inout [Double], bias: inout [Double], channels h: Int) {
        for i in (h * h)..<(2 * h * h) { weight[i] /= 4 }                    // rows H..<2H of W (2H, H)
        for i in h..<(2 * h) { bias[i] = 0.5 + bias[i] / 4 }
    }
}

/// The norm every block of a model has (`phasor train --norm`, checkpoint metadata "norm").
public enum NormKind: String, Sendable, CaseIterable, Codable {
    /// LayerNorm over channels (example.py's).
    case layer
    /// BatchNorm over channels (nn.BatchNorm1d), an exact affine map at inference.
    case batch
    /// No norm.
    case none
}

/// The activation head every block of a model has (`phasor train --block`, checkpoint metadata "block").
public enum HeadKind: String, Sendable, CaseIterable, Codable {
    /// GELU → 1×1 conv → GLU (example.py's).
    case glu
    /// 1×1 conv → a ⊙ b.
    case bilinear
}
