// The sizes and switches of the S4Model classifier (state-spaces `example.py`). The parameter names and shapes they
// imply are CheckpointLayout.swift's (`parameterShapes`).

/// Sizes and options of an `S4Model`.
public struct S4ModelConfiguration: Sendable, Equatable, Codable {
    /// Input channels per time step.
    public var dInput: Int
    /// H, the model width.
    public var dModel: Int
    /// N, the state size (N/2 complex modes per channel).
    public var dState: Int
    /// Number of residual S4D blocks.
    public var layers: Int
    /// Number of output classes.
    public var classes: Int
    /// The norm before each block (true) or after the residual add (false, the example.py default).
    public var prenorm: Bool
    /// Dropout probability (in the block after GELU and after each block; masks tied along L).
    public var dropout: Double
    public var initialisation: S4DInit
    public var discretization: Discretization
    /// Every block's norm (LayerNorm: example.py's).
    public var norm: NormKind
    /// Every block's activation head (GELU → GLU: example.py's).
    public var head: HeadKind

    public init(dInput: Int, dModel: Int = 128, dState: Int = 64, layers: Int = 4, classes: Int, prenorm: Bool = false,
                dropout: Double = 0.1, initialisation: S4DInit = .lin, discretization: Discretization = .zoh,
                norm: NormKind = .layer, head: HeadKind = .glu) {
        self.dInput = dInput; self.dModel = dModel; self.dState = dState; self.layers = layers; self.classes = classes
        self.prenorm = prenorm; self.dropout = dropout; self.initialisation = initialisation; self.discretization = discretization
        self.norm = norm; self.head = head
    }

    enum CodingKeys: String, CodingKey {
        case dInput, dModel, dState, layers, classes, prenorm, dropout, initialisation, discretization, norm, head
    }

    /// Decodes a configuration; one written before norms and heads had kinds (no "norm"/"head") is example.py's
    /// LayerNorm and gated GELU head.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(dInput: c.decode(Int.self, forKey: .dInput), dModel: c.decode(Int.self, forKey: .dModel),
                      dState: c.decode(Int.self, forKey: .dState), layers: c.decode(Int.self, forKey: .layers),
                      classes: c.decode(Int.self, forKey: .classes), prenorm: c.decode(Bool.self, forKey: .prenorm),
                      dropout: c.decode(Double.self, forKey: .dropout),
                      initialisation: c.decode(S4DInit.self, forKey: .initialisation),
                      discretization: c.decode(Discretization.self, forKey: .discretization),
                      norm: c.decodeIfPresent(NormKind.self, forKey: .norm) ?? .layer,
                      head: c.decodeIfPresent(HeadKind.self, forKey: .head) ?? .glu)
    }

    /// Throws `ModelError.invalidConfiguration` naming the first impossible setting.
    public func validate() throws {
        guard dInput > 0 else { throw ModelError.invalidConfiguration("d_input must be positive (got \(dInput))") }
        guard dModel > 0 else { throw ModelError.invalidConfiguration("d_model must be positive (got \(dModel))") }
        guard dState >= 2, dState % 2 == 0 else { throw ModelError.invalidConfiguration("d_state must be even and ≥ 2 (got \(dState))") }
        guard layers >= 0 else { throw ModelError.invalidConfiguration("layers must be ≥ 0 (got \(layers))") }
        guard classes >= 2 else { throw ModelError.invalidConfiguration("classes must be ≥ 2 (got \(classes))") }
        guard dropout >= 0, dropout < 1 else { throw ModelError.invalidConfiguration("dropout must be in [0, 1) (got \(dropout))") }
        guard discretization != .euler else {
            throw ModelError.invalidConfiguration("an S4Model is discretised with zoh or bilinear (Euler is for LTI systems: `phasor map --system`)")
        }
    }

    /// Where each block's norm sits.
    public var normPlacement: NormPlacement { prenorm ? .pre : .post }
}
