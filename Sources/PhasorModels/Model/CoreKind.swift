// THE list of the kinds of models Phasor builds (`phasor train --core`, checkpoint metadata "family" and "block"):
// which sequence-mixing core the residual blocks hold, and which reference classifier the model follows — its key
// names and the details of its block (docs/architectures-reference.md §1.3). A new core or skeleton is a new case
// here; the compiler then lists every switch that must handle it.
//   core   s4d          state-spaces s4d.py S4D (DESIGN.md §3)
//          s5           lindermanlab/S5 S5SSM (docs/architectures-reference.md §2)
//          lru          the Linear Recurrent Unit of minimal-LRU and of the LinOSS repository (§4)
//          linoss-im    tk-rusch/linoss LinOSSLayer, implicit discretisation (§3)
//          linoss-imex  the same, implicit–explicit discretisation
//          s6           log-neural-cdes' S6 layer: the selective scan alone (§5)
//   skeleton  state-spaces  example.py S4Model: LayerNorm (ε 1e-5), GELU (erf) → Conv1d(H, 2H, 1) → GLU, mean
//             s5-flax       lindermanlab/S5 ClassificationModel: LayerNorm (ε 1e-6) or BatchNorm, S5's four
//                           activations with GELU (tanh), mean or last
//             minimal-lru   minimal-LRU ClassificationModel: as s5-flax with full_glu, the norm named `normalization`
//             linoss-repo   tk-rusch/linoss (= log-neural-cdes) LinOSS/S5/LRU: BatchNorm without affine → core →
//                           GELU (tanh) → GLU of two Linear maps → residual; always pre-norm, mean
//             log-ncde-mamba  log-neural-cdes torch S6: LayerNorm (ε 1e-5) → core → GELU (erf) → GLU of one Linear
//                           H → 2H → residual; always pre-norm, mean

/// The sequence-mixing core of a model's residual blocks.
public enum CoreKind: String, Sendable, CaseIterable, Codable {
    case s4d
    case s5
    case lru
    /// LinOSS with the implicit discretisation (dissipative).
    case linossIM = "linoss-im"
    /// LinOSS with the implicit–explicit discretisation (conservative).
    case linossIMEX = "linoss-imex"
    /// The selective SSM S6 (Mamba's scan alone).
    case s6

    /// The name of the state size in this family (for messages and help): what `S4ModelConfiguration.dState` counts.
    public var stateDescription: String {
        switch self {
        case .s4d: return "N (N/2 complex modes per channel)"
        case .s5: return "ssm_size N (N/2 stored modes with conjugate symmetry)"
        case .lru: return "N complex states"
        case .linossIM, .linossIMEX: return "P oscillators (ssm_dim)"
        case .s6: return "N states per channel"
        }
    }

    /// The LinOSS discretisation of a LinOSS kind (nil for the others).
    public var linossScheme: LinOSSScheme? {
        switch self {
        case .linossIM: return .implicit
        case .linossIMEX: return .implicitExplicit
        case .s4d, .s5, .lru, .s6: return nil
        }
    }

    /// The kind of a LinOSS core with this discretisation.
    public static func linoss(_ scheme: LinOSSScheme) -> CoreKind {
        switch scheme {
        case .implicit: return .linossIM
        case .implicitExplicit: return .linossIMEX
        }
    }

    /// The reference metadata's "family" of this core (LinOSS's two kinds are one family, told apart by
    /// "discretization").
    public var family: String { linossScheme == nil ? rawValue : "linoss" }
}

/// The reference classifier a model follows: its checkpoint key names and its block's details.
public enum ReferenceSkeleton: String, Sendable, CaseIterable, Codable {
    case stateSpaces = "state-spaces"
    case s5Flax = "s5-flax"
    case minimalLRU = "minimal-lru"
    case linossRepo = "linoss-repo"
    case logNCDEMamba = "log-ncde-mamba"

    /// The cores this reference builds.
    public var cores: [CoreKind] {
        switch self {
        case .stateSpaces: return [.s4d]
        case .s5Flax: return [.s5]
        case .minimalLRU: return [.lru]
        case .linossRepo: return [.linossIM, .linossIMEX, .s5, .lru]
        case .logNCDEMamba: return [.s6]
        }
    }

    /// The skeleton a core is built in unless the user asks for another.
    public static func `default`(for core: CoreKind) -> ReferenceSkeleton {
        switch core {
        case .s4d: return .stateSpaces
        case .s5: return .s5Flax
        case .lru: return .minimalLRU
        case .linossIM, .linossIMEX: return .linossRepo
        case .s6: return .logNCDEMamba
        }
    }

    /// Whether the reference is PyTorch's (example.py, log-neural-cdes' torch experiments).
    public var isTorch: Bool { self == .stateSpaces || self == .logNCDEMamba }

    /// GELU's form in this code base: erf in PyTorch (example.py, log-neural-cdes' S6), tanh in every JAX code.
    public var gelu: GELUForm { isTorch ? .erf : .tanh }

    /// LayerNorm's ε: PyTorch 1e-5, Flax 1e-6.
    public var layerNormEpsilon: Double { isTorch ? 1e-5 : 1e-6 }

    /// The heads the reference offers (S5's four activations; example.py's GLU or Phasor's bilinear head).
    public var heads: [HeadKind] {
        switch self {
        case .stateSpaces: return [.glu, .bilinear]
        case .s5Flax: return [.glu, .halfGLU1, .halfGLU2, .gelu]
        case .minimalLRU, .linossRepo, .logNCDEMamba: return [.glu]
        }
    }

    /// The norms the reference offers (example.py's LayerNorm, or Phasor's BatchNorm and none; the Flax classifiers'
    /// LayerNorm or BatchNorm; the LinOSS repository's BatchNorm without scale and bias).
    public var norms: [NormKind] {
        switch self {
        case .stateSpaces: return NormKind.allCases
        case .s5Flax, .minimalLRU: return [.layer, .batch]
        case .linossRepo: return [.batch]
        case .logNCDEMamba: return [.layer]
        }
    }

    /// Whether a BatchNorm has a scale and a bias (not in the LinOSS repository).
    public var batchNormAffine: Bool { self != .linossRepo }

    /// The poolings the reference offers.
    public var poolings: [Pooling] {
        switch self {
        case .s5Flax, .minimalLRU: return Pooling.allCases
        case .stateSpaces, .linossRepo, .logNCDEMamba: return [.mean]
        }
    }

    /// Whether the model is Flax's (Dense kernels stored (in, out), collections `params.` / `batch_stats.`).
    public var isFlax: Bool { self == .s5Flax || self == .minimalLRU }
}

/// How the sequence is reduced before the decoder: the mean over the valid steps, or the last valid step.
public enum Pooling: String, Sendable, CaseIterable, Codable {
    case mean
    case last
}
