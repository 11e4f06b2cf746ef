// The forward pass on graded signals (DESIGN.md §7): every activation is Σ_{p≤P} ε^p y^[p].
//   encoder:      x^[0] = bias + W·ū,  x^[1] = W·(in − ū),  x^[p≥2] = 0   (ū = the expansion point: 0 by default,
//                 or a reference input (L, d_in) such as the data's mean, or one per sample (S, L, d_in); then ε scales
//                 the deviation in − ū — with ū = the input itself, order 0 is the forward pass at the input)
//   core:         y^[p] = core(x^[p])                (each degree; all degrees as one batch through the model's own core:
//                                                      S4D K * x + D x, S5's and the LRU's scans — all linear)
//   GELU, σ:      f(y0 + δ) = Σ_k a_k(y0) δ^k        (PointwiseExpansion; Chebyshev polynomial or Taylor; erf or tanh GELU)
//   maps:         z^[p] = W a^[p] (+ bias on p = 0)  (full GLU: W (2H, H); half GLUs: W₂ (H, H))
//   GLU:          out = z1 · σ(z2),  half_glu1 a · σ(z2),  half_glu2 y · σ(z2),  gelu: out = a   (Cauchy products)
//   bilinear:     a = y,  out = z1 · z2              (Cauchy product: exact, no expansion)
//   residual:     x ← x + out
//   BatchNorm:    out^[p] = s·x^[p] (+ t on p = 0), s = γ/√(r_σ² + ε), t = β − s·r_μ   (exact: evaluation is affine)
//   no norm:      out = x
//   LayerNorm:    frozen gain G (exact, default):   out^[p] = γ·G·(x^[p] − mean_h x^[p]) (+ β on p = 0)
//                 series gain:  G(ε) = (v(ε) + eps)^{−1/2},  v = (1/H) Σ_h c², c = x − mean_h x, expanded at v^[0]:
//                               a_k = binom(−1/2, k)·(v0 + eps)^{−1/2−k}   (radius |v − v0| < v0 + eps)
//   pool, decoder: per degree (mean or last step; + decoder bias on p = 0)
import Foundation
import PhasorModels
import PhasorNumerics

/// How LayerNorm's gain 1/√(var + eps) enters the graded evaluation.
public enum GainTreatment: String, Sendable, CaseIterable {
    /// The gain of the model's own forward pass at the given input, held fixed: LayerNorm becomes an exact linear
    /// (centred, per-position scaled) map and the model a polynomial in u for polynomial nonlinearities.
    case frozen
    /// The gain expanded as a series in ε around the degree-0 variance (not polynomial; radius-limited).
    case series
}

/// The graded logits and what the evaluation saw on the way.
public struct GradedRun: Sendable {
    /// Logits as a graded signal of shape (B, classes).
    public var logits: GradedSignal
    /// Sigmoid inputs whose degree≥1 majorant Σ_p |δ^[p]| reached the pole distance √(y0² + π²) (Taylor only), and
    /// the number of sigmoid inputs examined.
    public var sigmoidOutsideRadius: Int = 0
    public var sigmoidInputs: Int = 0
    /// LayerNorm variances whose relative change majorant Σ_p |v^[p]|/(v0 + eps) reached 1 (series gain only).
    public var gainOutsideRadius: Int = 0
    /// Per layer i and degree p: Σ over (s, h, l) of (out_i^[p])², the squared size of block i's GLU output at degree p.
    public var blockDegreeSquares: [[Double]] = []
    /// Per degree p and channel h: Σ_{s,c} |W_dec[c,h]·pooled^[p][s,h]| — the exact share of channel h in the
    /// degree-p logits (the decoder is linear, so ℓ^[p]_c = Σ_h W_dec[c,h]·pooled^[p]_h for p ≥ 1).
    public var channelDegreeShare: [[Double]] = []
}

extension OperatorModel {
    /// Graded evaluation truncated at `order`. `frozenGains[i]` has S·L values (S = samples; empty for a layer without a
    /// LayerNorm) and is required for `.frozen`. `gelu[i]`, `sigmoid[i]` are not used by a bilinear layer.
    /// `layer0Nonlinearity` may replace layer 0's graded GELU output, or a bilinear layer 0's product z1·z2 (used to
    /// propagate single interaction terms).
    public func gradedForward(inputs: [Double], batch S: Int, length L: Int, lengths: [Int]? = nil, order P: Int,
                              gelu: [PointwiseExpansion], sigmoid: [PointwiseExpansion],
                              gain: GainTreatment = .frozen, frozenGains: [[Double]]? = nil,
                              reference: [Double]? = nil,
                              layer0Nonlinearity: ((GradedSignal) -> GradedSignal)? = nil,
                              stages: ForwardStages? = nil) throws -> GradedRun {
        guard P >= 0 else { throw OperatorError.invalidOrder(P, "the truncation order must be ≥ 0") }
        guard stages == nil || P == 0 else { throw OperatorError.invalid("replaced stages act on numbers: order 0 only") }
        let lens = try checkedLengths(inputs: inputs, batch: S, length: L, lengths: lengths)
        let H = channels, nl = blocks.count, n = S * H * L
        guard gelu.count == nl, sigmoid.count == nl else { throw OperatorError.invalid("need one GELU and one sigmoid per layer (\(nl))") }
        if gain == .frozen {
            guard let g = frozenGains, g.count == nl,
                  zip(g, blocks.map(\.norm)).allSatisfy({ $0.count == S * L || ($1.kind != .layer && $0.isEmpty) }) else {
                throw OperatorError.invalid("frozen LayerNorm gains must be \(nl) arrays of S·L = \(S * L) values (empty for a layer without a LayerNorm)")
            }
        }
        var run = GradedRun(logits: GradedSignal(order: P, count: S * configuration.classes))
        // encoder
        var x = GradedSignal(order: P, count: n)
        let d = configuration.dInput
        if let ref = reference {
            let perSample = ref.count == S * L * d && S > 1                         // one reference per sample
            guard ref.count == L * d || perSample else {
                throw OperatorError.invalid("the reference input must have L·d_input = \(L * d) values, or S·L·d_input = \(S * L * d) (got \(ref.count))")
            }
            let r0 = encode(ref, batch: perSample ? S : 1, length: L)
            for s in 0..<S { for e in 0..<(H * L) { x.data[s * H * L + e] = r0[(perSample ? s * H * L : 0) + e] + encoderMap.bias[e / L] } }
            if P >= 1 {
                var dev = inputs
                for i in 0..<dev.count { dev[i] -= ref[perSample ? i : i % (L * d)] }    // in − ū
                x.data.replaceSubrange(n ..< 2 * n, with: encode(dev, batch: S, length: L))
            }
        } else {
            for s in 0..<S { for h in 0..<H { let o = (s * H + h) * L; for l in 0..<L { x.data[o + l] = encoderMap.bias[h] } } }
            if P >= 1 { x.data.replaceSubrange(n ..< 2 * n, with: encode(inputs, batch: S, length: L)) }
        }
        let allLengths = (0..<((P + 1) * S)).map { lens[$0 % S] }
        for i in 0..<nl {
            let block = blocks[i]
            var z = x
            if configuration.prenorm { z = try normaliseGraded(x, layer: i, samples: S, length: L, gain: gain, frozen: frozenGains?[i], run: &run) }
            // the core on every degree at once: (P+1)·S samples
            var y = GradedSignal(order: P, count: n)
            y.data = try core(block.core, z.data, samples: (P + 1) * S, lengths: allLengths, length: L, quantity: "core output of layer \(i)")
            let bilinear = block.head.kind == .bilinear
            let context = StageContext(layer: i, batch: S, length: L, channels: H, lengths: lens, ssmInput: z.data, ssmOutput: y.data)
            var a = y                                                          // bilinear: a = y
            if !bilinear {
                if let stage = stages?.gelu { a.data = try checkedStage(stage(context), n, "GELU", i) } else { a = y.applying(gelu[i].table(order: P, length: L)) }
                try a.requireFinite("GELU output of layer \(i)")
                if i == 0, let replace = layer0Nonlinearity { a = replace(a) }
            }
            var out: GradedSignal
            switch block.head {
            case .gelu:
                out = a
            case .gatedGELU, .bilinear:
                let zz = mapped(a, weight: block.head.weight, bias: block.head.bias, rows: 2 * H, samples: S, length: L)
                // split z = (z1, z2) per sample
                var z1 = GradedSignal(order: P, count: n), z2 = GradedSignal(order: P, count: n)
                for p in 0...P { for s in 0..<S {
                    let src = p * 2 * n + s * 2 * H * L, dst = p * n + s * H * L
                    z1.data.replaceSubrange(dst ..< dst + H * L, with: zz.data[src ..< src + H * L])
                    z2.data.replaceSubrange(dst ..< dst + H * L, with: zz.data[src + H * L ..< src + 2 * H * L])
                } }
                if bilinear {
                    out = z1 * z2                                              // bilinear
                    if i == 0, let replace = layer0Nonlinearity { out = replace(out) }
                } else {
                    if case .sigmoid = sigmoid[i] { countPoleViolations(z2, run: &run) }
                    var g = z2
                    if let stage = stages?.gate { g.data = try checkedStage(stage(context, z2.data), n, "gate", i) } else { g = z2.applying(sigmoid[i].table(order: P, length: L)) }
                    out = z1 * g                                               // GLU
                }
            case .halfGated(let head):
                let z2 = mapped(a, weight: head.weight, bias: head.bias, rows: H, samples: S, length: L)
                if case .sigmoid = sigmoid[i] { countPoleViolations(z2, run: &run) }
                var g = z2
                if let stage = stages?.gate { g.data = try checkedStage(stage(context, z2.data), n, "gate", i) } else { g = z2.applying(sigmoid[i].table(order: P, length: L)) }
                out = (head.gatesActivation ? a : y) * g                       // v · σ(z2)
            }
            try out.requireFinite("\(bilinear ? "bilinear" : "GLU") output of layer \(i)")
            run.blockDegreeSquares.append((0...P).map { p in out.data[p * n ..< (p + 1) * n].reduce(0) { $0 + $1 * $1 } })
            x = x + out                                                       // residual
            if !configuration.prenorm { x = try normaliseGraded(x, layer: i, samples: S, length: L, gain: gain, frozen: frozenGains?[i], run: &run) }
        }
        var logits = GradedSignal(order: P, count: S * configuration.classes)
        run.channelDegreeShare = [[Double]](repeating: [Double](repeating: 0, count: H), count: P + 1)
        for p in 0...P {
            let pooled = SequencePooling.forward(Array(x.data[p * n ..< (p + 1) * n]), kind: configuration.pooling, lengths: lens,
                                                 batch: S, channels: H, length: L)    // pooled^[p][s,h]
            for s in 0..<S { for h in 0..<H {
                for c in 0..<configuration.classes { run.channelDegreeShare[p][h] += abs(decoderMap.weight[c * H + h] * pooled[s * H + h]) }
            } }
        }
        for p in 0...P {
            let comp = poolAndDecode(Array(x.data[p * n ..< (p + 1) * n]), samples: S, lengths: lens, length: L)
            logits.data.replaceSubrange(p * comp.count ..< (p + 1) * comp.count, with: comp)
        }
        for s in 0..<S { for c in 0..<configuration.classes { logits.data[s * configuration.classes + c] += decoderMap.bias[c] } }
        try logits.requireFinite("graded logits")
        run.logits = logits
        return run
    }

    /// y = core(z) for every row, through the model's own core code; overflow becomes OperatorError.overflow.
    func core(_ core: SequenceCore, _ z: [Double], samples: Int, lengths: [Int], length L: Int, quantity: String) throws -> [Double] {
        if let bad = z.firstIndex(where: { !$0.isFinite }) {
            throw OperatorError.overflow(quantity: quantity, order: bad / (z.count / max(samples, 1)) / max(1, channels * L))
        }
        do { return try core.output(z, batch: samples, length: L, lengths: lengths) } catch {
            throw OperatorError.overflow(quantity: quantity, order: -1)
        }
    }

    /// W a (+ bias on degree 0) per sample: (rows × H) · (H × L), the head's maps on every degree.
    func mapped(_ a: GradedSignal, weight: [Double], bias: [Double], rows: Int, samples S: Int, length L: Int) -> GradedSignal {
        let H = channels, P = a.order
        var z = GradedSignal(order: P, count: S * rows * L)
        z.data = OperatorModel.channelMap(a.data, weight: weight, samples: (P + 1) * S, inChannels: H, outChannels: rows, length: L)
        for s in 0..<S { for o in 0..<rows { let r = (s * rows + o) * L; for l in 0..<L { z.data[r + l] += bias[o] } } }
        return z
    }

    /// Majorant test for the Taylor sigmoid: Σ_{p≥1} |δ^[p]| ≥ √(y0² + π²) means ε = 1 may lie outside its radius.
    func countPoleViolations(_ z: GradedSignal, run: inout GradedRun) {
        let n = z.count
        run.sigmoidInputs += n
        guard z.order >= 1 else { return }
        for i in 0..<n {
            var m = 0.0
            for p in 1...z.order { m += abs(z.data[p * n + i]) }
            let y0 = z.data[i]
            if m >= (y0 * y0 + Double.pi * Double.pi).squareRoot() { run.sigmoidOutsideRadius += 1 }
        }
    }

    /// Graded norm of layer i. A BatchNorm (evaluation) is affine: each degree goes through the model's BatchNorm with
    /// r_μ = 0 and β = 0 (s·x^[p]), and t = β − s·r_μ is added to degree 0; no norm is the identity. A LayerNorm (see
    /// the header for the two gain treatments) goes through the model's LayerNorm: frozen, it is linear, so each degree
    /// goes through it with the given gains (β on degree 0 only); the series gain centres each degree with gains 1 and
    /// γ 1 (c = x − mean_h x), then multiplies by the expanded gain.
    func normaliseGraded(_ x: GradedSignal, layer i: Int, samples S: Int, length L: Int, gain: GainTreatment,
                         frozen: [Double]?, run: inout GradedRun) throws -> GradedSignal {
        let H = channels, P = x.order, n = x.count, blocks = (P + 1) * S
        let zeros = [Double](repeating: 0, count: H)
        var out = GradedSignal(order: P, count: n)
        let gamma: [Double], beta: [Double], eps: Double
        switch self.blocks[i].norm {
        case .none: return x
        case .batch(let p):
            out.data = BatchNorm.forward(x.data, weight: p.weight, bias: zeros, runningMean: zeros, runningVariance: p.runningVariance,
                                         batch: blocks, channels: H, length: L).0   // s·x^[p]
            let t = p.affine.shift
            for s in 0..<S { for h in 0..<H { let o = (s * H + h) * L; for l in 0..<L { out.data[o + l] += t[h] } } }   // + t on degree 0
            try out.requireFinite("BatchNorm output of layer \(i)")
            return out
        case .layer(let p): (gamma, beta, eps) = (p.weight, p.bias, p.epsilon)
        }
        switch gain {
        case .frozen:
            let G = frozen ?? []
            let repeated = (0...P).flatMap { _ in G }                        // the same gains for every degree
            out.data = LayerNorm.forward(x.data, weight: gamma, bias: zeros, batch: blocks, channels: H, length: L,
                                         gains: repeated, epsilon: eps).0             // γ G (x^[p] − mean_h x^[p])
        case .series:
            let ones = [Double](repeating: 1, count: H)
            var c = x
            c.data = LayerNorm.forward(x.data, weight: ones, bias: zeros, batch: blocks, channels: H, length: L,
                                       gains: [Double](repeating: 1, count: blocks * L)).0   // c^[p] = x^[p] − mean_h x^[p]
            // v = (1/H) Σ_h c² as a graded signal of shape (S, L)
            let sq = c * c
            var v = GradedSignal(order: P, count: S * L)
            for p in 0...P { for s in 0..<S { for h in 0..<H {
                let o = p * n + (s * H + h) * L
                for l in 0..<L { v.data[p * S * L + s * L + l] += sq.data[o + l] / Double(H) }
            } } }
            var a = [Double](repeating: 0, count: (P + 1) * S * L)
            for j in 0..<(S * L) {
                let base = v.data[j] + eps
                var coef = 1 / base.squareRoot()                              // binom(−1/2, 0)·base^{−1/2}
                for k in 0...P {
                    a[k * S * L + j] = coef
                    coef *= (-0.5 - Double(k)) / Double(k + 1) / base         // binom(−1/2, k+1)/binom(−1/2, k) / base
                }
                if P >= 1 {
                    var m = 0.0
                    for p in 1...P { m += abs(v.data[p * S * L + j]) }
                    if m >= base { run.gainOutsideRadius += 1 }
                }
            }
            let g = v.composed(coefficients: a)
            var gb = GradedSignal(order: P, count: n)                         // broadcast over h
            for p in 0...P { for s in 0..<S { for h in 0..<H {
                let o = p * n + (s * H + h) * L
                for l in 0..<L { gb.data[o + l] = g.data[p * S * L + s * L + l] }
            } } }
            let gc = gb * c
            for p in 0...P { for s in 0..<S { for h in 0..<H {
                let o = p * n + (s * H + h) * L, w = gamma[h]
                for l in 0..<L { out.data[o + l] = w * gc.data[o + l] }
            } } }
        }
        for s in 0..<S { for h in 0..<H { let o = (s * H + h) * L; for l in 0..<L { out.data[o + l] += beta[h] } } }   // + β on degree 0
        try out.requireFinite("LayerNorm output of layer \(i)")
        return out
    }
}
