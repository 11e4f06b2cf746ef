// The sizes and switches of the classifier skeleton: encoder → n × [norm → core → activation → dropout → residual]
// → pooling → decoder (BlockParts.swift), with the core and the reference it follows (CoreKind.swift). The defaults are
// state-spaces `example.py`'s S4D model. The parameter names and shapes they imply are the skeleton's layout file's
// (CheckpointLayout.swift for example.py; S5Layout.swift, LRULayout.swift with ReferenceLayout.swift for the others).

/// The S5 core's switches (lindermanlab/S5 `s5/ssm.py`, docs/architectures-reference.md §2). The first four change
/// the forward pass and come from a checkpoint's metadata; `blocks`, `cInit`, `dtMin`, `dtMax` only the initialisation.
public struct S5Options: Sendable, Equatable, Codable {
    /// conj_sym: each stored mode stands for itself and its conjugate, y = 2·Re(C̃x) (P = d_state/2 stored modes).
    public var conjugateSymmetric = true
    /// clip_eigs: Re Λ ← min(Lambda_re, −1e-4) in the forward pass.
    public var clipEigenvalues = false
    /// bidirectional: a second, time-reversed scan read out by C2 (the layer is then not causal).
    public var bidirectional = false
    /// step_rescale: Δ = step_rescale · exp(log_step).
    public var stepRescale = 1.0
    /// HiPPO-N blocks of the initialisation (ssm_size/blocks modes each).
    public var blocks = 1
    /// C's initialisation.
    public var cInit = S5CInit.truncStandardNormal
    /// Range of the initial Δ (log-uniform).
    public var dtMin = 0.001
    public var dtMax = 0.1

    public init(conjugateSymmetric: Bool = true, clipEigenvalues: Bool = false, bidirectional: Bool = false,
                stepRescale: Double = 1, blocks: Int = 1, cInit: S5CInit = .truncStandardNormal,
                dtMin: Double = 0.001, dtMax: Double = 0.1) {
        self.conjugateSymmetric = conjugateSymmetric; self.clipEigenvalues = clipEigenvalues
        self.bidirectional = bidirectional; self.stepRescale = stepRescale; self.blocks = blocks; self.cInit = cInit
        self.dtMin = dtMin; self.dtMax = dtMax
    }
}

/// S5's initialisations of C (`s5/ssm_init.py`).
public enum S5CInit: String, Sendable, CaseIterable, Codable {
    /// Each row lecun-normal over (1, 2P, 2), then C̃ = C V (lindermanlab's default).
    case truncStandardNormal = "trunc_standard_normal"
    /// Lecun-normal with fan-in H·2P, then C̃ = C V (the LinOSS repository's choice).
    case lecunNormal = "lecun_normal"
    /// C ~ N(0, ½) per part, no V.
    case complexNormal = "complex_normal"
}

/// The LRU's initialisation ring (minimal-LRU `lru/model.py`): |λ| uniform on r_min ≤ |λ| ≤ r_max, phase in [0, max_phase].
public struct LRUOptions: Sendable, Equatable, Codable {
    public var rMin = 0.0
    public var rMax = 1.0
    public var maxPhase = 6.28

    public init(rMin: Double = 0, rMax: Double = 1, maxPhase: Double = 6.28) {
        self.rMin = rMin; self.rMax = rMax; self.maxPhase = maxPhase
    }
}

/// Sizes and options of an `S4Model`.
public struct S4ModelConfiguration: Sendable, Equatable, Codable {
    /// Input channels per time step.
    public var dInput: Int
    /// H, the model width.
    public var dModel: Int
    /// The state size: S4D N (N/2 complex modes per channel); S5 ssm_size (P = N/2 stored modes with conj_sym, else
    /// N); LRU N complex states.
    public var dState: Int
    /// Number of residual blocks.
    public var layers: Int
    /// Number of output classes.
    public var classes: Int
    /// The norm before each block's core (true) or after the residual add (false, the example.py default).
    public var prenorm: Bool
    /// Dropout probability (in the block after GELU and after each block; masks tied along L).
    public var dropout: Double
    /// S4D's initialisation (S4D cores only).
    public var initialisation: S4DInit
    /// S4D's and S5's discretisation.
    public var discretization: Discretization
    /// The core of every block.
    public var core: CoreKind
    /// The reference classifier (key names and block details).
    public var skeleton: ReferenceSkeleton
    /// Every block's norm (LayerNorm: example.py's).
    public var norm: NormKind
    /// Every block's activation head (GELU → GLU: example.py's).
    public var head: HeadKind
    /// GELU's form in the head (erf: PyTorch's; tanh: JAX's).
    public var gelu: GELUForm
    public var pooling: Pooling
    /// A LayerNorm's ε (PyTorch 1e-5; Flax 1e-6). (BatchNorm's is 1e-5 in every reference.)
    public var normEpsilon: Double
    /// A BatchNorm's weight m of a new training batch in its running statistics: PyTorch 0.1; lindermanlab/S5
    /// 1 − bn_momentum = 0.05; minimal-LRU (Flax's default 0.99) and the LinOSS repository (Equinox 0.99) 0.01.
    public var batchMomentum: Double
    public var s5: S5Options
    public var lru: LRUOptions
    /// S6 only: R, the rank of the Δ projection (log-neural-cdes: ⌈H/16⌉); 0 for the other cores.
    public var dtRank: Int

    public init(dInput: Int, dModel: Int = 128, dState: Int = 64, layers: Int = 4, classes: Int, prenorm: Bool = false,
                dropout: Double = 0.1, initialisation: S4DInit = .lin, discretization: Discretization = .zoh,
                norm: NormKind = .layer, head: HeadKind = .glu) {
        self.dInput = dInput; self.dModel = dModel; self.dState = dState; self.layers = layers; self.classes = classes
        self.prenorm = prenorm; self.dropout = dropout; self.initialisation = initialisation; self.discretization = discretization
        self.norm = norm; self.head = head
        core = .s4d; skeleton = .stateSpaces; gelu = .erf; pooling = .mean; normEpsilon = 1e-5; batchMomentum = 0.1
        s5 = S5Options(); lru = LRUOptions(); dtRank = 0
    }

    /// A model with `core` in `skeleton` (default: the core's own reference), with that reference's GELU form,
    /// LayerNorm ε, head, norm and pre-norm defaults (lindermanlab/S5: half_glu1, BatchNorm, prenorm; minimal-LRU:
    /// BatchNorm, prenorm; the LinOSS repository: BatchNorm without affine, always prenorm; log-neural-cdes' S6:
    /// LayerNorm, always prenorm). `dtRank` is S6's R (default ⌈H/16⌉).
    public init(core: CoreKind, skeleton: ReferenceSkeleton? = nil, dInput: Int, dModel: Int, dState: Int, layers: Int,
                classes: Int, prenorm: Bool? = nil, dropout: Double, head: HeadKind? = nil, norm: NormKind? = nil,
                pooling: Pooling = .mean, discretization: Discretization = .zoh, initialisation: S4DInit = .lin,
                s5: S5Options = S5Options(), lru: LRUOptions = LRUOptions(), dtRank: Int? = nil) {
        let sk = skeleton ?? .default(for: core)
        self.init(dInput: dInput, dModel: dModel, dState: dState, layers: layers, classes: classes,
                  prenorm: prenorm ?? (sk != .stateSpaces), dropout: dropout, initialisation: initialisation,
                  discretization: discretization, norm: norm ?? (sk.isTorch ? .layer : .batch),
                  head: head ?? (sk == .s5Flax ? .halfGLU1 : .glu))                  // run_train.py's defaults
        self.core = core; self.skeleton = sk
        gelu = sk.gelu; self.pooling = pooling; normEpsilon = sk.layerNormEpsilon
        batchMomentum = sk == .stateSpaces ? 0.1 : (sk == .s5Flax ? 0.05 : 0.01)
        self.s5 = s5; self.lru = lru
        if sk == .linossRepo { self.s5.clipEigenvalues = true }                // models/generate_model.py fixes it
        self.dtRank = dtRank ?? (core == .s6 ? (dModel + 15) / 16 : 0)          // R = ⌈H/16⌉
    }

    /// Throws `ModelError.invalidConfiguration` naming the first impossible setting.
    public func validate() throws {
        func bad(_ text: String) -> ModelError { .invalidConfiguration(text) }
        guard dInput > 0 else { throw bad("d_input must be positive (got \(dInput))") }
        guard dModel > 0 else { throw bad("d_model must be positive (got \(dModel))") }
        guard layers >= 0 else { throw bad("layers must be ≥ 0 (got \(layers))") }
        guard classes >= 2 else { throw bad("classes must be ≥ 2 (got \(classes))") }
        guard dropout >= 0, dropout < 1 else { throw bad("dropout must be in [0, 1) (got \(dropout))") }
        guard normEpsilon > 0, normEpsilon.isFinite else { throw bad("the norm's ε must be positive (got \(normEpsilon))") }
        guard batchMomentum > 0, batchMomentum <= 1 else { throw bad("a BatchNorm's momentum must be in (0, 1] (got \(batchMomentum))") }
        guard skeleton.cores.contains(core) else {
            throw bad("the \(skeleton.rawValue) classifier has no \(core.rawValue) core (it builds \(skeleton.cores.map(\.rawValue).joined(separator: ", ")))")
        }
        guard skeleton.heads.contains(head) else {
            throw bad("the \(skeleton.rawValue) block has no \(head.rawValue) head (it has \(skeleton.heads.map(\.rawValue).joined(separator: ", ")))")
        }
        guard skeleton.norms.contains(norm) else {
            throw bad("the \(skeleton.rawValue) block has no \(norm.rawValue) norm (it has \(skeleton.norms.map(\.rawValue).joined(separator: ", ")))")
        }
        guard skeleton.poolings.contains(pooling) else {
            throw bad("the \(skeleton.rawValue) classifier pools by \(skeleton.poolings.map(\.rawValue).joined(separator: " or ")), not \(pooling.rawValue)")
        }
        if skeleton == .linossRepo, !prenorm { throw bad("the linoss-repo block normalises before its core (prenorm) only") }
        switch core {
        case .s4d:
            guard dState >= 2, dState % 2 == 0 else { throw bad("d_state must be even and ≥ 2 (got \(dState))") }
            guard discretization != .euler else {
                throw bad("an S4Model is discretised with zoh or bilinear (Euler is for LTI systems: `phasor map --system`)")
            }
        case .s5:
            guard dState >= 1, !s5.conjugateSymmetric || dState % 2 == 0 else {
                throw bad("S5's state size must be positive, and even with conjugate symmetry (got \(dState))")
            }
            guard discretization != .euler else { throw bad("S5 is discretised with zoh or bilinear") }
            guard s5.stepRescale > 0, s5.stepRescale.isFinite else { throw bad("S5's step_rescale must be positive (got \(s5.stepRescale))") }
            guard s5.blocks >= 1, dState % s5.blocks == 0, !s5.conjugateSymmetric || (dState / s5.blocks) % 2 == 0 else {
                throw bad("S5's state size \(dState) must split into \(s5.blocks) HiPPO block(s) of equal\(s5.conjugateSymmetric ? ", even" : "") size")
            }
            guard s5.dtMin > 0, s5.dtMin <= s5.dtMax, s5.dtMax.isFinite else {
                throw bad("S5's initial step range needs 0 < dt_min ≤ dt_max (got \(s5.dtMin), \(s5.dtMax))")
            }
            if skeleton == .linossRepo, s5.bidirectional { throw bad("the LinOSS repository's S5 has no bidirectional option") }
        case .linossIM, .linossIMEX:
            guard dState >= 1 else { throw bad("LinOSS's oscillator count (d_state) must be positive (got \(dState))") }
        case .s6:
            guard dState >= 1 else { throw bad("S6's state size per channel must be positive (got \(dState))") }
            guard dtRank >= 1 else { throw bad("the S6 Δ rank R must be ≥ 1 (got \(dtRank))") }
            if skeleton == .logNCDEMamba, !prenorm { throw bad("the log-ncde-mamba block normalises before its core (prenorm) only") }
        case .lru:
            guard dState >= 1 else { throw bad("the LRU's state size must be positive (got \(dState))") }
            guard 0 <= lru.rMin, lru.rMin < lru.rMax, lru.rMax <= 1, lru.maxPhase > 0, lru.maxPhase.isFinite else {
                throw bad("the LRU's ring needs 0 ≤ r_min < r_max ≤ 1 and max_phase > 0 (got \(lru.rMin), \(lru.rMax), \(lru.maxPhase))")
            }
        }
    }

    /// Where each block's norm sits.
    public var normPlacement: NormPlacement { prenorm ? .pre : .post }

    /// Stored complex modes of an S5 core (d_state/2 with conjugate symmetry).
    public var s5Modes: Int { s5.conjugateSymmetric ? dState / 2 : dState }

    // Decoding accepts configurations written before the core and block kinds existed (example.py's S4D model then).
    enum CodingKeys: String, CodingKey {
        case dInput, dModel, dState, layers, classes, prenorm, dropout, initialisation, discretization, core, skeleton
        case norm, head, gelu, pooling, normEpsilon, batchMomentum, s5, lru, dtRank
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(dInput: try c.decode(Int.self, forKey: .dInput), dModel: try c.decode(Int.self, forKey: .dModel),
                  dState: try c.decode(Int.self, forKey: .dState), layers: try c.decode(Int.self, forKey: .layers),
                  classes: try c.decode(Int.self, forKey: .classes), prenorm: try c.decode(Bool.self, forKey: .prenorm),
                  dropout: try c.decode(Double.self, forKey: .dropout),
                  initialisation: try c.decode(S4DInit.self, forKey: .initialisation),
                  discretization: try c.decode(Discretization.self, forKey: .discretization),
                  norm: try c.decodeIfPresent(NormKind.self, forKey: .norm) ?? .layer,
                  head: try c.decodeIfPresent(HeadKind.self, forKey: .head) ?? .glu)
        core = try c.decodeIfPresent(CoreKind.self, forKey: .core) ?? core
        skeleton = try c.decodeIfPresent(ReferenceSkeleton.self, forKey: .skeleton) ?? skeleton
        gelu = try c.decodeIfPresent(GELUForm.self, forKey: .gelu) ?? gelu
        pooling = try c.decodeIfPresent(Pooling.self, forKey: .pooling) ?? pooling
        normEpsilon = try c.decodeIfPresent(Double.self, forKey: .normEpsilon) ?? normEpsilon
        batchMomentum = try c.decodeIfPresent(Double.self, forKey: .batchMomentum) ?? batchMomentum
        s5 = try c.decodeIfPresent(S5Options.self, forKey: .s5) ?? s5
        lru = try c.decodeIfPresent(LRUOptions.self, forKey: .lru) ?? lru
        dtRank = try c.decodeIfPresent(Int.self, forKey: .dtRank) ?? dtRank
    }
}
