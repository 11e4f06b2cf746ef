// The typed parts of an S4Model (DESIGN.md §3): encoder → blocks → masked mean → decoder, each residual block
//     x ← x + dropout(head(core(norm(x))))     (pre-norm)      or      x ← norm(x + dropout(head(core(x))))     (post-norm)
// with a sequence-mixing core (S4D, LinOSS-IM/IMEX, S6: CoreKind.swift), an activation head (GELU, erf or tanh form
// → linear map to 2H → GLU) and a norm (LayerNorm, or BatchNorm: BatchNormParameters.swift). Each kind is an enum with one case per implementation, so a new
// kind is a new case and the compiler lists every place that must handle it. Each core's reference key names are in
// one layout file per skeleton (ModelLayout.swift). Planned, NOT implemented here: norm `none`; a `bilinear` head (1×1 conv to 2H → a ⊙ b, no GELU, no sigmoid); cores S5 and LRU.
// The parts are views of the model's ParameterStore (the optimiser's and the checkpoint's flat form); the mapping
// between the two is the core's layout (ModelLayout.swift).

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

/// A block's norm. (Planned: `batch`, `none`.)
public enum Norm: Sendable, Equatable {
    /// LayerNorm over the channel axis (ε = 1e-5, as PyTorch).
    case layer(LayerNormParameters)
    /// BatchNorm over the channel axis (nn.BatchNorm1d: ε = 1e-5, momentum 0.1; padding left out of the statistics).
    /// The LinOSS block's BatchNorm without scale and bias is this one with γ = 1, β = 0 held fixed (LinOSSLayout.swift).
    case batch(BatchNormParameters)
}

/// A block's sequence-mixing core, (B, H, L) → (B, H, L). (Planned: S5, LRU.)
public enum SequenceCore: Sendable, Equatable {
    /// The diagonal S4D SSM y = K * u + D⊙u.
    case s4d(S4DCore)
    /// LinOSS (IM or IMEX): P forced harmonic oscillators, y = Re(C y_osc) + D⊙u (LinOSSLayer.swift).
    case linoss(LinOSSLayer)
    /// S6, the selective scan with input-dependent Δ, B, C (SelectiveLayer.swift).
    case s6(SelectiveLayer)

    /// The S4D core, or nil for another kind.
    public var s4d: S4DCore? {
        if case .s4d(let c) = self { return c }
        return nil
    }

    /// The number of channels H it maps.
    public var channels: Int {
        switch self {
        case .s4d(let c): return c.channels
        case .linoss(let c): return c.channels
        case .s6(let c): return c.channels
        }
    }
}

/// GELU → linear map to 2H → GLU over channels: out = z[0..<H] ⊙ σ(z[H..<2H]), z = W·gelu(y) + b. example.py's
/// 1×1 convolution, log-neural-cdes' `glu.linear` (one H → 2H Linear) and tk-rusch/linoss's `glu.w1`, `glu.w2` (two
/// H → H Linear, W = [W₁; W₂]) are all this head; they differ in the GELU form (erf in PyTorch, tanh in JAX).
public struct GatedGELUHead: Sendable, Equatable {
    /// W, shape (2H, H) (PyTorch Conv1d's (2H, H, 1)).
    public var weight: [Double]
    /// b, shape (2H).
    public var bias: [Double]
    public let channels: Int
    /// The GELU's form.
    public var gelu: GELUForm

    public init(channels: Int, weight: [Double], bias: [Double], gelu: GELUForm = .erf) throws {
        guard channels > 0, weight.count == 2 * channels * channels, bias.count == 2 * channels else {
            throw ModelError.shapeMismatch(key: "gated GELU head (2H, H)", expected: [2 * channels, channels],
                                           found: [weight.count, bias.count])
        }
        self.channels = channels; self.weight = weight; self.bias = bias; self.gelu = gelu
    }
}

/// A block's activation head. (Planned: `bilinear`, a 1×1 conv to 2H then a ⊙ b.)
public enum ActivationHead: Sendable, Equatable {
    case gatedGELU(GatedGELUHead)

    /// The gated GELU head (every head is one today).
    public var gatedGELU: GatedGELUHead {
        switch self { case .gatedGELU(let h): return h }
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

    /// The fused executor of this block's S4D core and head; throws for another core.
    public func layer() throws -> S4DLayer {
        switch (core, head) {
        case (.s4d(let c), .gatedGELU(let h)): return try S4DLayer(core: c, head: h)
        case (.linoss, _), (.s6, _):
            throw ModelError.invalidConfiguration("this block's core is not S4D; it has no fused S4D executor")
        }
    }
}
