// The typed parts of an S4Model (DESIGN.md §3): encoder → blocks → masked mean → decoder, each residual block
//     x ← x + dropout(head(core(norm(x))))     (pre-norm)      or      x ← norm(x + dropout(head(core(x))))     (post-norm)
// with a sequence-mixing core (today S4D), an activation head (GELU → 1×1 conv to 2H → GLU, or the bilinear
// 1×1 conv to 2H → a ⊙ b of BilinearHead.swift) and a norm (LayerNorm, BatchNorm of BatchNormParameters.swift, or
// none). Each kind is an enum with one case per implementation, so a new kind is a new case and the compiler lists
// every place that must handle it. Planned, NOT implemented: cores S5, LRU, LinOSS and S6 — each with its reference
// implementation's key names in one layout file per family (as CheckpointLayout.swift holds example.py's).
// The parts are views of the model's ParameterStore (the optimiser's and the checkpoint's flat form); the mapping
// between the two is CheckpointLayout.swift.

/// A dense map y = W x + b: PyTorch `Linear`, weight (outputs, inputs) row-major, bias (outputs).
public struct LinearMap: Sendable, Equatable {
    public var weight: [Double]
    public var bias: [Double]
    public let inputs: Int
    public let outputs: Int

    public init(inputs: Int, outputs: Int, weight: [Double], bias: [Double]) throws {
        guard inputs > 0, outputs > 0, weight.count == inputs * outputs, bias.count == outputs else {
            throw ModelError.shapeMismatch(key: "linear map (outputs, inputs)", expected: [outputs, inputs],
                                           found: [weight.count, bias.count])
        }
        self.inputs = inputs; self.outputs = outputs; self.weight = weight; self.bias = bias
    }
}

/// LayerNorm's affine parameters: out = γ⊙x̂ + β over the H channels.
public struct LayerNormParameters: Sendable, Equatable {
    public var weight: [Double]
    public var bias: [Double]

    public init(weight: [Double], bias: [Double]) throws {
        guard !weight.isEmpty, weight.count == bias.count else {
            throw ModelError.shapeMismatch(key: "LayerNorm (γ, β)", expected: [weight.count, weight.count], found: [weight.count, bias.count])
        }
        self.weight = weight; self.bias = bias
    }

    public var channels: Int { weight.count }
}

/// Where a block's norm sits: before the core (pre-norm) or after the residual add (post-norm, example.py's default).
public enum NormPlacement: String, Sendable, CaseIterable, Codable {
    case pre
    case post
}

/// A block's norm.
public enum Norm: Sendable, Equatable {
    /// LayerNorm over the channel axis (ε = 1e-5, as PyTorch).
    case layer(LayerNormParameters)
    /// BatchNorm over the channel axis (nn.BatchNorm1d: ε = 1e-5, momentum 0.1; padding left out of the statistics).
    case batch(BatchNormParameters)
    /// No norm (the identity).
    case none

    public var kind: NormKind {
        switch self {
        case .layer: return .layer
        case .batch: return .batch
        case .none: return .none
        }
    }
}

/// A block's sequence-mixing core. (Planned: S5, LRU, LinOSS, S6, each with its own key names.)
public enum SequenceCore: Sendable, Equatable {
    /// The diagonal S4D SSM y = K * u + D⊙u.
    case s4d(S4DCore)

    /// The S4D core (every core is S4D today).
    public var s4d: S4DCore {
        switch self { case .s4d(let c): return c }
    }
}

/// GELU → 1×1 convolution to 2H → GLU over channels: out = z[0..<H] ⊙ σ(z[H..<2H]), z = W·gelu(y) + b.
public struct GatedGELUHead: Sendable, Equatable {
    /// W, shape (2H, H) (PyTorch Conv1d's (2H, H, 1)).
    public var weight: [Double]
    /// b, shape (2H).
    public var bias: [Double]
    public let channels: Int

    public init(channels: Int, weight: [Double], bias: [Double]) throws {
        try checkHeadConvolution("gated GELU head (2H, H)", channels: channels, weight: weight, bias: bias)
        self.channels = channels; self.weight = weight; self.bias = bias
    }
}

/// Throws unless W has 2H·H values and b 2H (a head's 1×1 convolution to 2H, H ≥ 1).
func checkHeadConvolution(_ name: String, channels: Int, weight: [Double], bias: [Double]) throws {
    guard channels > 0, weight.count == 2 * channels * channels, bias.count == 2 * channels else {
        throw ModelError.shapeMismatch(key: name, expected: [2 * channels, channels], found: [weight.count, bias.count])
    }
}

/// A block's activation head. Both kinds start with the same 1×1 convolution to 2H (W, b).
public enum ActivationHead: Sendable, Equatable {
    /// GELU → 1×1 conv → GLU (out = z₁ ⊙ σ(z₂)).
    case gatedGELU(GatedGELUHead)
    /// 1×1 conv → out = z₁ ⊙ z₂ (no GELU, no sigmoid).
    case bilinear(BilinearHead)

    public var kind: HeadKind {
        switch self {
        case .gatedGELU: return .glu
        case .bilinear: return .bilinear
        }
    }

    public var channels: Int {
        switch self {
        case .gatedGELU(let h): return h.channels
        case .bilinear(let h): return h.channels
        }
    }

    /// The 1×1 convolution's W, shape (2H, H).
    public var weight: [Double] {
        get { switch self { case .gatedGELU(let h): return h.weight; case .bilinear(let h): return h.weight } }
        set {
            switch self {
            case .gatedGELU(var h): h.weight = newValue; self = .gatedGELU(h)
            case .bilinear(var h): h.weight = newValue; self = .bilinear(h)
            }
        }
    }

    /// The 1×1 convolution's b, shape (2H).
    public var bias: [Double] {
        get { switch self { case .gatedGELU(let h): return h.bias; case .bilinear(let h): return h.bias } }
        set {
            switch self {
            case .gatedGELU(var h): h.bias = newValue; self = .gatedGELU(h)
            case .bilinear(var h): h.bias = newValue; self = .bilinear(h)
            }
        }
    }

    /// A head of `kind` with this convolution (shapes checked).
    public init(kind: HeadKind, channels: Int, weight: [Double], bias: [Double]) throws {
        switch kind {
        case .glu: self = .gatedGELU(try GatedGELUHead(channels: channels, weight: weight, bias: bias))
        case .bilinear: self = .bilinear(try BilinearHead(channels: channels, weight: weight, bias: bias))
        }
    }
}

/// One residual block: norm, core and head (the placement of the norm is the model's, `S4ModelConfiguration`).
public struct ResidualBlock: Sendable, Equatable {
    public var norm: Norm
    public var core: SequenceCore
    public var head: ActivationHead

    public init(norm: Norm, core: SequenceCore, head: ActivationHead) {
        self.norm = norm; self.core = core; self.head = head
    }

    /// The LayerNorm parameters, when the norm is a LayerNorm.
    public var layerNorm: LayerNormParameters? {
        if case .layer(let p) = norm { return p }
        return nil
    }

    /// The fused executor of this block's core and head.
    public func layer() throws -> S4DLayer {
        switch core {
        case .s4d(let c): return try S4DLayer(core: c, head: head)
        }
    }
}
