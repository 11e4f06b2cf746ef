// The typed parts of an S4Model (DESIGN.md §3): encoder → blocks → masked mean → decoder, each residual block
//     x ← x + dropout(head(core(norm(x))))     (pre-norm)      or      x ← norm(x + dropout(head(core(x))))     (post-norm)
// with a sequence-mixing core (S4D, S5, LRU), an activation head (S5's four — GELU → GLU of a map to 2H
// (example.py's GELU → 1×1 conv → GLU is this one), the two half GLUs, GELU alone — or the bilinear 1×1 conv to 2H →
// a ⊙ b of BilinearHead.swift) and a norm (LayerNorm, BatchNorm of BatchNormParameters.swift, or none). Each kind is
// an enum with one case per implementation, so a new kind is a new case and the compiler lists every place that must
// handle it. The cores LinOSS (IM, IMEX) and S6 join as cases too (their key names in their layout files).
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

/// LayerNorm's affine parameters and ε: out = γ⊙(x − μ)/√(σ² + ε) + β over the H channels (PyTorch ε = 1e-5,
/// Flax 1e-6).
public struct LayerNormParameters: Sendable, Equatable {
    public var weight: [Double]
    public var bias: [Double]
    public var epsilon: Double

    public init(weight: [Double], bias: [Double], epsilon: Double = 1e-5) throws {
        guard !weight.isEmpty, weight.count == bias.count else {
            throw ModelError.shapeMismatch(key: "LayerNorm (γ, β)", expected: [weight.count, weight.count], found: [weight.count, bias.count])
        }
        self.weight = weight; self.bias = bias; self.epsilon = epsilon
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

/// A block's sequence-mixing core, (B, H, L) → (B, H, L): a linear map except S6 (selective: its Δ, B, C depend on u).
public enum SequenceCore: Sendable, Equatable {
    /// The diagonal S4D SSM y = K * u + D⊙u, one SISO system per channel.
    case s4d(S4DCore)
    /// S5's MIMO diagonal SSM y = f·Re(C̃x) + D⊙u (S5Layer.swift; bidirectional: plus a reversed scan).
    case s5(S5Layer)
    /// The LRU's MIMO diagonal recurrence y = Re(Cx) + D⊙u (LRULayer.swift).
    case lru(LRULayer)
    /// LinOSS (IM or IMEX): P forced harmonic oscillators, y = Re(C y_osc) + D⊙u (LinOSSLayer.swift; Cores/LinOSSCore.swift).
    case linoss(LinOSSLayer)
    /// S6, the selective scan with input-dependent Δ, B, C (SelectiveLayer.swift; Cores/S6Core.swift) — NOT linear in u.
    case s6(SelectiveLayer)

    /// The S4D core; nil for another core.
    public var s4d: S4DCore? {
        if case .s4d(let c) = self { return c }
        return nil
    }

    /// The S4D core, or an error naming what needs one (for S4D-only steps such as the demo's spectrum design).
    public func requireS4D(for purpose: String) throws -> S4DCore {
        guard case .s4d(let c) = self else {
            throw ModelError.invalidConfiguration("\(purpose) needs S4D cores; this block's core is \(kind.rawValue)")
        }
        return c
    }

    /// The core's kind.
    public var kind: CoreKind {
        switch self {
        case .s4d: return .s4d
        case .s5: return .s5
        case .lru: return .lru
        case .linoss(let c): return .linoss(c.scheme)
        case .s6: return .s6
        }
    }

    /// H.
    public var channels: Int {
        switch self {
        case .s4d(let c): return c.channels
        case .s5(let c): return c.channels
        case .lru(let c): return c.channels
        case .linoss(let c): return c.channels
        case .s6(let c): return c.channels
        }
    }
}

/// GELU → a map to 2H → GLU over channels: out = z[0..<H] ⊙ σ(z[H..<2H]), z = W·gelu(y) + b (S5's full_glu; example.py's
/// 1×1 convolution).
public struct GatedGELUHead: Sendable, Equatable {
    /// W, shape (2H, H): rows 0..<H are W₁ (the value), rows H..<2H W₂ (the gate) (PyTorch Conv1d's (2H, H, 1)).
    public var weight: [Double]
    /// b, shape (2H).
    public var bias: [Double]
    public let channels: Int
    public var gelu: GELUForm

    public init(channels: Int, weight: [Double], bias: [Double], gelu: GELUForm = .erf) throws {
        try checkHeadConvolution("gated GELU head (2H, H)", channels: channels, weight: weight, bias: bias)
        self.channels = channels; self.weight = weight; self.bias = bias; self.gelu = gelu
    }
}

/// S5's half GLUs: out = v ⊙ σ(W₂·gelu(y) + b₂) with v = gelu(y) (half_glu1) or v = y (half_glu2).
public struct HalfGatedHead: Sendable, Equatable {
    /// W₂, shape (H, H) (out, in).
    public var weight: [Double]
    /// b₂, shape (H).
    public var bias: [Double]
    public let channels: Int
    public var gelu: GELUForm
    /// True for half_glu1 (the activated g is gated), false for half_glu2 (the SSM output y itself).
    public var gatesActivation: Bool

    public init(channels: Int, weight: [Double], bias: [Double], gelu: GELUForm, gatesActivation: Bool) throws {
        guard channels > 0, weight.count == channels * channels, bias.count == channels else {
            throw ModelError.shapeMismatch(key: "half GLU head (H, H)", expected: [channels, channels], found: [weight.count, bias.count])
        }
        self.channels = channels; self.weight = weight; self.bias = bias; self.gelu = gelu; self.gatesActivation = gatesActivation
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
    /// S5's half GLUs: v ⊙ σ(W₂·gelu(y) + b₂), v = gelu(y) or y.
    case halfGated(HalfGatedHead)
    /// GELU alone (S5's `gelu` activation), no parameters.
    case gelu(GELUForm)

    public var kind: HeadKind {
        switch self {
        case .gatedGELU: return .glu
        case .bilinear: return .bilinear
        case .halfGated(let h): return h.gatesActivation ? .halfGLU1 : .halfGLU2
        case .gelu: return .gelu
        }
    }

    public var channels: Int {
        switch self {
        case .gatedGELU(let h): return h.channels
        case .bilinear(let h): return h.channels
        case .halfGated(let h): return h.channels
        case .gelu: return 0
        }
    }

    /// The GELU form it applies (a bilinear head has none: erf is reported).
    public var geluForm: GELUForm {
        switch self {
        case .gatedGELU(let h): return h.gelu
        case .halfGated(let h): return h.gelu
        case .gelu(let f): return f
        case .bilinear: return .erf
        }
    }

    /// The head's map: W (2H, H) of the GLU and bilinear heads' 1×1 convolution, W₂ (H, H) of a half GLU; none for
    /// GELU alone.
    public var weight: [Double] {
        get {
            switch self {
            case .gatedGELU(let h): return h.weight
            case .bilinear(let h): return h.weight
            case .halfGated(let h): return h.weight
            case .gelu: return []
            }
        }
        set {
            switch self {
            case .gatedGELU(var h): h.weight = newValue; self = .gatedGELU(h)
            case .bilinear(var h): h.weight = newValue; self = .bilinear(h)
            case .halfGated(var h): h.weight = newValue; self = .halfGated(h)
            case .gelu: break
            }
        }
    }

    /// The map's b: (2H) or (H); none for GELU alone.
    public var bias: [Double] {
        get {
            switch self {
            case .gatedGELU(let h): return h.bias
            case .bilinear(let h): return h.bias
            case .halfGated(let h): return h.bias
            case .gelu: return []
            }
        }
        set {
            switch self {
            case .gatedGELU(var h): h.bias = newValue; self = .gatedGELU(h)
            case .bilinear(var h): h.bias = newValue; self = .bilinear(h)
            case .halfGated(var h): h.bias = newValue; self = .halfGated(h)
            case .gelu: break
            }
        }
    }

    /// A head of `kind` with this map (shapes checked; ignored by GELU alone).
    public init(kind: HeadKind, channels: Int, weight: [Double], bias: [Double], gelu: GELUForm = .erf) throws {
        switch kind {
        case .glu: self = .gatedGELU(try GatedGELUHead(channels: channels, weight: weight, bias: bias, gelu: gelu))
        case .bilinear: self = .bilinear(try BilinearHead(channels: channels, weight: weight, bias: bias))
        case .halfGLU1, .halfGLU2:
            self = .halfGated(try HalfGatedHead(channels: channels, weight: weight, bias: bias, gelu: gelu,
                                                gatesActivation: kind == .halfGLU1))
        case .gelu: self = .gelu(gelu)
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

    /// The fused executor of an S4D core with example.py's head (GELU erf → 1×1 conv → GLU) or the bilinear head;
    /// nil for other blocks, which run part by part (BlockExecution.swift).
    public var fused: S4DLayer? {
        guard case .s4d(let c) = core else { return nil }
        switch head {
        case .gatedGELU(let h) where h.gelu == .erf: return try? S4DLayer(core: c, head: head)   // same channels by construction
        case .bilinear: return try? S4DLayer(core: c, head: head)
        default: return nil
        }
    }

    /// The fused S4D block; an error for a block that is not example.py's.
    public func layer() throws -> S4DLayer {
        guard let f = fused else {
            throw ModelError.invalidConfiguration("this block is not example.py's S4D block (its core is \(core.kind.rawValue), "
                + "its activation \(head.kind.rawValue) with GELU \(head.geluForm.rawValue))")
        }
        return f
    }
}
