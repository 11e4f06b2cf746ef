// THE file with the LRU core's tensor names — the same in minimal-LRU (`lru/model.py` LRU, Flax) and in the LinOSS
// repository (`models/LRU.py`, Equinox; docs/architectures-reference.md §4). Under a block's core prefix
// (`params.encoder.layers_{i}.seq.` in Flax, `blocks.{i}.lru.` in the LinOSS repository; ReferenceLayout.swift):
//   nu_log (N), theta_log (N), gamma_log (N)    λ = exp(−e^{ν_log} + i·e^{θ_log}),  γ = e^{γ_log}
//   B_re, B_im (N, H)                           B = B_re + i·B_im
//   C_re, C_im (H, N)                           C = C_re + i·C_im
//   D (H)
// Learning-rate groups (minimal-LRU `train_helpers.py`): nu_log, theta_log, gamma_log, B_re, B_im train with the
// SSM rate and no weight decay; C_re, C_im, D with the rest.
import PhasorNumerics

enum LRULayout {
    static let nuLog = "nu_log", thetaLog = "theta_log", gammaLog = "gamma_log", bRe = "B_re", bIm = "B_im"
    static let cRe = "C_re", cIm = "C_im", d = "D"

    static let ssmParameters: Set<String> = [nuLog, thetaLog, gammaLog, bRe, bIm]
    /// The tensor that marks an LRU core under a prefix.
    static let marker = nuLog

    static func shapes(prefix p: String, _ c: S4ModelConfiguration) -> [(String, [Int])] {
        let h = c.dModel, n = c.dState
        return [(p + nuLog, [n]), (p + thetaLog, [n]), (p + gammaLog, [n]), (p + bRe, [n, h]), (p + bIm, [n, h]),
                (p + cRe, [h, n]), (p + cIm, [h, n]), (p + d, [h])]
    }

    static func core(prefix p: String, _ c: S4ModelConfiguration, value: (String) throws -> [Double]) throws -> LRULayer {
        try LRULayer(nuLog: try value(p + nuLog), thetaLog: try value(p + thetaLog),
                     b: zip(try value(p + bRe), try value(p + bIm)).map { Complex($0, $1) },
                     c: zip(try value(p + cRe), try value(p + cIm)).map { Complex($0, $1) },
                     d: try value(p + d), gammaLog: try value(p + gammaLog))
    }

    static func values(prefix p: String, _ layer: LRULayer) -> [String: [Double]] {
        [p + nuLog: layer.nuLog, p + thetaLog: layer.thetaLog, p + gammaLog: layer.gammaLog,
         p + bRe: layer.b.map(\.real), p + bIm: layer.b.map(\.imaginary),
         p + cRe: layer.c.map(\.real), p + cIm: layer.c.map(\.imaginary), p + d: layer.d]
    }

    /// N from a checkpoint's tensors under `prefix`.
    static func states(prefix p: String, shapes: [String: [Int]]) throws -> Int {
        guard let s = shapes[p + nuLog], s.count == 1, s[0] > 0 else { throw ModelError.missingKey(p + nuLog) }
        return s[0]
    }
}
