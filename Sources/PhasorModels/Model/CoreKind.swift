// The sequence-mixing core of a classifier's residual blocks — ONE enum of core kinds, ONE option
// (`phasor train --core`). Each kind brings its reference block and classifier skeleton
// (docs/architectures-reference.md §1.3), its key names (one layout file per skeleton: CheckpointLayout.swift for
// example.py's S4D, LinOSSLayout.swift, S6Layout.swift) and its published training recipe (TrainingRecipe.swift):
//   s4d          state-spaces example.py:  x ← norm(x + GLU(W·GELU_erf(S4D(x))))             (or pre-norm)
//   linoss-im    tk-rusch/linoss:          x ← x + GLU(w1, w2; GELU_tanh(LinOSS-IM(BN(x))))  (BN without affine)
//   linoss-imex  tk-rusch/linoss:          the same with the IMEX discretisation
//   s6           log-neural-cdes (torch):  x ← x + GLU(W·GELU_erf(S6(LN(x))))
// (S5 and LRU are further cases; they live on their own branch.)

/// The kind of sequence-mixing core in every block of a classifier.
public enum CoreKind: String, CaseIterable, Codable, Sendable {
    /// Diagonal S4D (state-spaces `s4d.py`), the example.py classifier.
    case s4d
    /// LinOSS with the implicit discretisation (dissipative), the tk-rusch/linoss classifier.
    case linossIM = "linoss-im"
    /// LinOSS with the implicit–explicit discretisation (conservative), the tk-rusch/linoss classifier.
    case linossIMEX = "linoss-imex"
    /// The selective SSM S6 (Mamba's scan alone), the log-neural-cdes PyTorch classifier.
    case s6

    /// The LinOSS discretisation of a LinOSS kind (nil for the others).
    public var linossScheme: LinOSSScheme? {
        switch self {
        case .linossIM: return .implicit
        case .linossIMEX: return .implicitExplicit
        case .s4d, .s6: return nil
        }
    }

    /// The kind of a LinOSS core with this discretisation.
    public static func linoss(_ scheme: LinOSSScheme) -> CoreKind {
        switch scheme {
        case .implicit: return .linossIM
        case .implicitExplicit: return .linossIMEX
        }
    }

    /// The name of the state size in this family (for messages and help): what `S4ModelConfiguration.dState` counts.
    public var stateDescription: String {
        switch self {
        case .s4d: return "N (N/2 complex modes per channel)"
        case .linossIM, .linossIMEX: return "P oscillators (ssm_dim)"
        case .s6: return "N states per channel"
        }
    }
}
