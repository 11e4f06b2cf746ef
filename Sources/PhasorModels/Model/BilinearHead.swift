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

/// The activation head every block of a model has (`phasor train --block`; checkpoint metadata "block" for an
/// example.py model, "activation" for the S5/LRU references, whose names are S5's: full_glu = glu). With g = GELU(y):
///   glu        W₁g + b₁ ⊙ σ(W₂g + b₂)       (example.py's GELU → 1×1 conv to 2H → GLU; S5's full_glu)
///   bilinear   (W₁y + b₁) ⊙ (W₂y + b₂)
///   half_glu1  g ⊙ σ(W₂g + b₂)              (S5)
///   half_glu2  y ⊙ σ(W₂g + b₂)              (S5: the un-activated y is gated)
///   gelu       g                            (S5)
public enum HeadKind: String, Sendable, CaseIterable, Codable {
    /// GELU → 1×1 conv → GLU (example.py's; S5's full_glu).
    case glu
    /// 1×1 conv → a ⊙ b.
    case bilinear
    case halfGLU1 = "half_glu1"
    case halfGLU2 = "half_glu2"
    case gelu

    /// S5's name of the activation (metadata "activation"): full_glu for glu.
    public var s5Name: String { self == .glu ? "full_glu" : rawValue }

    /// The kind S5's name denotes (full_glu, half_glu1, half_glu2, gelu).
    public init?(s5Name: String) {
        switch s5Name {
        case "full_glu": self = .glu
        case "half_glu1": self = .halfGLU1
        case "half_glu2": self = .halfGLU2
        case "gelu": self = .gelu
        default: return nil
        }
    }

    /// Whether a gate σ(W₂g + b₂) follows the GELU.
    public var hasGate: Bool { self == .glu || self == .halfGLU1 || self == .halfGLU2 }
}
