// THE file with the S6 core's tensor names (log-neural-cdes `torch_experiments` S6Layer, a PyTorch `state_dict`; the
// names of mamba_ssm's Mamba layer; docs/architectures-reference.md §5.1). Under a block's core prefix
// `blocks.{i}.mamba.` (the log-ncde-mamba skeleton, ReferenceLayout.swift):
//   A_log (H, N)               A = −exp(A_log)
//   D (H)
//   x_proj.weight (R + 2N, H)  ξ = W_x u → δ (R), B (N), C (N); no bias
//   dt_proj.weight (H, R), dt_proj.bias (H)    Δ = softplus(W_dt δ + b_dt)
// N = d_state, R = dt_rank (⌈H/16⌉ in the reference). One training group (the reference's torch.optim.Adam).
enum S6Layout {
    static let aLog = "A_log", d = "D", xProj = "x_proj.weight", dtWeight = "dt_proj.weight", dtBias = "dt_proj.bias"
    /// The tensor that marks an S6 core under a prefix.
    static let marker = aLog

    static func shapes(prefix p: String, _ c: S4ModelConfiguration) -> [(String, [Int])] {
        let h = c.dModel, n = c.dState, r = c.dtRank
        return [(p + aLog, [h, n]), (p + d, [h]), (p + xProj, [r + 2 * n, h]), (p + dtWeight, [h, r]), (p + dtBias, [h])]
    }

    static func core(prefix p: String, _ c: S4ModelConfiguration, value: (String) throws -> [Double]) throws -> SelectiveLayer {
        try SelectiveLayer(aLog: try value(p + aLog), d: try value(p + d), xProjWeight: try value(p + xProj),
                           dtProjWeight: try value(p + dtWeight), dtProjBias: try value(p + dtBias), states: c.dState,
                           dtRank: c.dtRank)
    }

    static func values(prefix p: String, _ layer: SelectiveLayer) -> [String: [Double]] {
        [p + aLog: layer.aLog, p + d: layer.d, p + xProj: layer.xProjWeight, p + dtWeight: layer.dtProjWeight,
         p + dtBias: layer.dtProjBias]
    }

    /// (N, R) from a checkpoint's tensors under `prefix`.
    static func sizes(prefix p: String, shapes: [String: [Int]]) throws -> (states: Int, rank: Int) {
        guard let a = shapes[p + aLog], a.count == 2, a[1] > 0 else { throw ModelError.missingKey(p + aLog) }
        guard let w = shapes[p + dtWeight], w.count == 2, w[1] > 0 else { throw ModelError.missingKey(p + dtWeight) }
        return (a[1], w[1])
    }
}
