// THE file with the LinOSS core's tensor names (tk-rusch/linoss `models/LinOSS.py` LinOSSLayer's Equinox fields;
// docs/architectures-reference.md §3.1). Under a block's core prefix `blocks.{i}.ssm.` (the linoss-repo skeleton,
// ReferenceLayout.swift):
//   A_diag (P)          A = relu(A_diag)
//   B (P, H, 2)         B̃, last axis (re, im)
//   C (H, P, 2)         C̃
//   D (H), steps (P)    Δ = sigmoid(steps)
// P = ssm_dim oscillators. IM or IMEX is not a tensor: metadata "discretization" (ReferenceMetadata.swift). The
// reference trains every parameter in one group (train.py), so no name here has a learning rate of its own.
import PhasorNumerics

enum LinOSSLayout {
    static let aDiag = "A_diag", b = "B", c = "C", d = "D", steps = "steps"
    /// The tensor that marks a LinOSS core under a prefix.
    static let marker = aDiag

    static func shapes(prefix p: String, _ c: S4ModelConfiguration) -> [(String, [Int])] {
        let h = c.dModel, n = c.dState
        return [(p + aDiag, [n]), (p + b, [n, h, 2]), (p + self.c, [h, n, 2]), (p + d, [h]), (p + steps, [n])]
    }

    static func core(prefix p: String, _ c: S4ModelConfiguration, value: (String) throws -> [Double]) throws -> LinOSSLayer {
        try LinOSSLayer(aDiag: try value(p + aDiag), b: complex(try value(p + b)), c: complex(try value(p + self.c)),
                        d: try value(p + d), steps: try value(p + steps), scheme: c.core.linossScheme ?? .implicit)
    }

    static func values(prefix p: String, _ layer: LinOSSLayer) -> [String: [Double]] {
        [p + aDiag: layer.aDiag, p + b: interleaved(layer.b), p + c: interleaved(layer.c), p + d: layer.d, p + steps: layer.steps]
    }

    /// P from a checkpoint's tensors under `prefix`.
    static func oscillators(prefix p: String, shapes: [String: [Int]]) throws -> Int {
        guard let s = shapes[p + aDiag], s.count == 1, s[0] > 0 else { throw ModelError.missingKey(p + aDiag) }
        return s[0]
    }
}
