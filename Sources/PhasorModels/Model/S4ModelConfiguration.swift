// The sizes and switches of the classifier (state-spaces `example.py`'s S4Model, or another core's reference
// skeleton, CoreKind.swift). The parameter names and shapes they imply are the core's layout file's
// (`parameterShapes`, ModelLayout.swift).

/// Sizes and options of an `S4Model`.
public struct S4ModelConfiguration: Sendable, Equatable, Codable {
    /// Input channels per time step.
    public var dInput: Int
    /// H, the model width.
    public var dModel: Int
    /// The state size: S4D N (N/2 complex modes per channel), LinOSS P oscillators, S6 N states per channel.
    public var dState: Int
    /// Number of residual blocks.
    public var layers: Int
    /// Number of output classes.
    public var classes: Int
    /// LayerNorm before each block (true) or after the residual add (false, the example.py default).
    public var prenorm: Bool
    /// Dropout probability (in the block after GELU and after each block; masks tied along L).
    public var dropout: Double
    /// S4D only: the initialisation of the kernel.
    public var initialisation: S4DInit
    /// S4D only: zoh or bilinear (LinOSS's discretisation is its core kind).
    public var discretization: Discretization
    /// The sequence-mixing core of every block (and with it the reference skeleton and key names).
    public var core: CoreKind
    /// S6 only: R, the rank of the Δ projection (log-neural-cdes: ⌈H/16⌉); 0 for the other cores.
    public var dtRank: Int

    public init(dInput: Int, dModel: Int = 128, dState: Int = 64, layers: Int = 4, classes: Int, prenorm: Bool = false,
                dropout: Double = 0.1, initialisation: S4DInit = .lin, discretization: Discretization = .zoh,
                core: CoreKind = .s4d, dtRank: Int? = nil) {
        self.dInput = dInput; self.dModel = dModel; self.dState = dState; self.layers = layers; self.classes = classes
        self.prenorm = prenorm; self.dropout = dropout; self.initialisation = initialisation; self.discretization = discretization
        self.core = core
        self.dtRank = dtRank ?? (core == .s6 ? (dModel + 15) / 16 : 0)           // R = ⌈H/16⌉
    }

    enum CodingKeys: String, CodingKey {
        case dInput, dModel, dState, layers, classes, prenorm, dropout, initialisation, discretization, core, dtRank
    }

    /// Decodes a stored configuration; `core` and `dtRank` may be absent (files written before other cores: S4D).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(dInput: try c.decode(Int.self, forKey: .dInput), dModel: try c.decode(Int.self, forKey: .dModel),
                  dState: try c.decode(Int.self, forKey: .dState), layers: try c.decode(Int.self, forKey: .layers),
                  classes: try c.decode(Int.self, forKey: .classes), prenorm: try c.decode(Bool.self, forKey: .prenorm),
                  dropout: try c.decode(Double.self, forKey: .dropout),
                  initialisation: try c.decode(S4DInit.self, forKey: .initialisation),
                  discretization: try c.decode(Discretization.self, forKey: .discretization),
                  core: try c.decodeIfPresent(CoreKind.self, forKey: .core) ?? .s4d,
                  dtRank: try c.decodeIfPresent(Int.self, forKey: .dtRank))
    }

    /// Throws `ModelError.invalidConfiguration` naming the first impossible setting.
    public func validate() throws {
        guard dInput > 0 else { throw ModelError.invalidConfiguration("d_input must be positive (got \(dInput))") }
        guard dModel > 0 else { throw ModelError.invalidConfiguration("d_model must be positive (got \(dModel))") }
        switch core {
        case .s4d:
            guard dState >= 2, dState % 2 == 0 else { throw ModelError.invalidConfiguration("d_state must be even and ≥ 2 (got \(dState))") }
        case .linossIM, .linossIMEX, .s6:
            guard dState >= 1 else { throw ModelError.invalidConfiguration("d_state (\(core.stateDescription)) must be ≥ 1 (got \(dState))") }
            guard prenorm else {
                throw ModelError.invalidConfiguration("the \(core.rawValue) block is pre-norm (x + f(norm(x))), as its reference code")
            }
        }
        if core == .s6 {
            guard dtRank >= 1 else { throw ModelError.invalidConfiguration("the S6 Δ rank R must be ≥ 1 (got \(dtRank))") }
        } else if dtRank != 0 {
            throw ModelError.invalidConfiguration("a Δ rank (\(dtRank)) is an S6 setting; the \(core.rawValue) core has none")
        }
        guard layers >= 0 else { throw ModelError.invalidConfiguration("layers must be ≥ 0 (got \(layers))") }
        guard classes >= 2 else { throw ModelError.invalidConfiguration("classes must be ≥ 2 (got \(classes))") }
        guard dropout >= 0, dropout < 1 else { throw ModelError.invalidConfiguration("dropout must be in [0, 1) (got \(dropout))") }
        guard core == .s4d || discretization == .zoh else {
            throw ModelError.invalidConfiguration("zoh/bilinear is an S4D setting; the \(core.rawValue) core's discretisation is its kind")
        }
        guard discretization != .euler else {
            throw ModelError.invalidConfiguration("an S4Model is discretised with zoh or bilinear (Euler is for LTI systems: `phasor map --system`)")
        }
    }

    /// Where each block's LayerNorm sits.
    public var normPlacement: NormPlacement { prenorm ? .pre : .post }
}
