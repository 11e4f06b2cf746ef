// THE file with the S5 core's tensor names (lindermanlab/S5 `s5/ssm.py` S5SSM's Flax parameters; the LinOSS
// repository's `models/S5.py` S5Layer fields are the same names; docs/architectures-reference.md §2.1). Under a block's
// core prefix (`params.encoder.layers_{i}.seq.` in Flax, `blocks.{i}.ssm.` in the LinOSS repository; ReferenceLayout.swift):
//   Lambda_re (P), Lambda_im (P)   Λ = Lambda_re + i·Lambda_im
//   B (P, H, 2)                    B̃, last axis (re, im)
//   C (H, P, 2)                    C̃                          (causal)
//   C1, C2 (H, P, 2)               C̃ = [C1 ‖ C2]              (bidirectional; C_init trunc_standard_normal / lecun_normal)
//   C (H, 2P, 2)                   the same, one tensor        (bidirectional; C_init complex_normal)
//   D (H), log_step (P, 1)         note log_step's trailing axis
// P = stored modes (ssm_size/2 with conj_sym). conj_sym, clip_eigs, bidirectional and step_rescale are not tensors:
// they come from the metadata (ReferenceMetadata.swift), bidirectional also from C1/C2 or C's width.
// Learning-rate groups (`s5/train_helpers.py`, opt_config "standard"): B, Lambda_re, Lambda_im, log_step train with
// the SSM rate and no weight decay; C, D with the rest.
import PhasorNumerics

enum S5Layout {
    static let lambdaRe = "Lambda_re", lambdaIm = "Lambda_im", b = "B", c = "C", c1 = "C1", c2 = "C2", d = "D"
    static let logStep = "log_step"

    /// Names whose tensors use the SSM learning rate without weight decay.
    static let ssmParameters: Set<String> = [b, lambdaRe, lambdaIm, logStep]
    /// The tensor that marks an S5 core under a prefix.
    static let marker = lambdaRe

    /// Names and shapes under `prefix` (H = d_model, P = stored modes). A bidirectional core is written as C1, C2
    /// unless its C was initialised complex_normal (then one C of width 2P, as the reference does).
    static func shapes(prefix p: String, _ c: S4ModelConfiguration) -> [(String, [Int])] {
        let h = c.dModel, m = c.s5Modes
        var out: [(String, [Int])] = [(p + lambdaRe, [m]), (p + lambdaIm, [m]), (p + b, [m, h, 2])]
        if !c.s5.bidirectional { out.append((p + self.c, [h, m, 2])) }
        else if c.s5.cInit == .complexNormal { out.append((p + self.c, [h, 2 * m, 2])) }
        else { out += [(p + c1, [h, m, 2]), (p + c2, [h, m, 2])] }
        out += [(p + d, [h]), (p + logStep, [m, 1])]
        return out
    }

    /// The core from its tensors (`value(name)` returns the tensor named prefix + name, with the shapes above).
    static func core(prefix p: String, _ c: S4ModelConfiguration, value: (String) throws -> [Double]) throws -> S5Layer {
        let h = c.dModel, m = c.s5Modes
        var cForward: [Complex<Double>], cReverse: [Complex<Double>]?
        if !c.s5.bidirectional {
            cForward = complex(try value(p + self.c))
        } else if c.s5.cInit == .complexNormal {
            let both = complex(try value(p + self.c))                                  // (H, 2P): [C1 ‖ C2] per row
            cForward = (0..<(h * m)).map { both[($0 / m) * 2 * m + $0 % m] }
            cReverse = (0..<(h * m)).map { both[($0 / m) * 2 * m + m + $0 % m] }
        } else {
            cForward = complex(try value(p + c1)); cReverse = complex(try value(p + c2))
        }
        return try S5Layer(lambdaRe: try value(p + lambdaRe), lambdaIm: try value(p + lambdaIm), b: complex(try value(p + b)),
                           c: cForward, d: try value(p + d), logStep: try value(p + logStep),
                           discretization: c.discretization, conjugateSymmetric: c.s5.conjugateSymmetric,
                           clipEigenvalues: c.s5.clipEigenvalues, stepRescale: c.s5.stepRescale, cReverse: cReverse)
    }

    /// The tensors of `layer` (parameters or gradients) under `prefix`, as `shapes` names them.
    static func values(prefix p: String, _ layer: S5Layer, _ c: S4ModelConfiguration) -> [String: [Double]] {
        let h = c.dModel, m = c.s5Modes
        var out = [p + lambdaRe: layer.lambdaRe, p + lambdaIm: layer.lambdaIm, p + b: interleaved(layer.b), p + d: layer.d,
                   p + logStep: layer.logStep]
        if let r = layer.cReverse {
            if c.s5.cInit == .complexNormal {
                var both = [Complex<Double>](repeating: .zero, count: 2 * h * m)
                for i in 0..<h { for q in 0..<m { both[i * 2 * m + q] = layer.c[i * m + q]; both[i * 2 * m + m + q] = r[i * m + q] } }
                out[p + self.c] = interleaved(both)
            } else {
                out[p + c1] = interleaved(layer.c); out[p + c2] = interleaved(r)
            }
        } else {
            out[p + self.c] = interleaved(layer.c)
        }
        return out
    }

    /// The sizes a checkpoint's tensors under `prefix` imply: P, and whether the core is bidirectional (C1/C2, or a C
    /// of width 2P).
    static func sizes(prefix p: String, shapes: [String: [Int]]) throws -> (modes: Int, bidirectional: Bool, oneC: Bool) {
        guard let s = shapes[p + lambdaRe], s.count == 1, s[0] > 0 else { throw ModelError.missingKey(p + lambdaRe) }
        let m = s[0]
        if shapes[p + c1] != nil || shapes[p + c2] != nil { return (m, true, false) }
        guard let cs = shapes[p + c], cs.count == 3 else { throw ModelError.missingKey(p + c) }
        return (m, cs[1] == 2 * m, true)
    }
}

/// (rows, columns, 2) interleaved (re, im) ⇄ complex, the trailing-axis convention of every reference here.
func complex(_ v: [Double]) -> [Complex<Double>] { (0..<(v.count / 2)).map { Complex(v[2 * $0], v[2 * $0 + 1]) } }

func interleaved(_ z: [Complex<Double>]) -> [Double] {
    var out = [Double](repeating: 0, count: 2 * z.count)
    for (i, x) in z.enumerated() { out[2 * i] = x.real; out[2 * i + 1] = x.imaginary }
    return out
}
