// Attribution of the LOGITS to sets of frequency bands of one layer — what "top wave pairs" and pair maps show
// (issue 13). The rest of the network is nonlinear (GLU gate, later GELUs, LayerNorm), so a GELU-level term Δ_S
// cannot be pushed to the logits by linearity. Instead the same anchored decomposition is applied to the logits
// themselves, as a function of layer ℓ's band players (player p = band p of every channel, or the skip):
//     F_ℓ(T) = logits of the EXACT model in which layer ℓ's SSM output is replaced by A + Σ_{p∈T}(w_p − a_p)
//              (everything upstream, the residual stream into layer ℓ and everything downstream exact)
//     Δ^ℓ_S[c] = Σ_{T⊆S} (−1)^{|S|−|T|} F_ℓ(T)[c]
// Σ_S Δ^ℓ_S = F_ℓ(all) = the model's logits, exactly (tested to 1e-12), for every layer ℓ separately; Δ^ℓ_∅ is the
// logits at the anchored (data-mean) waves, Δ^ℓ_{p} band p's own effect, Δ^ℓ_{p,q} the pure interaction of bands p
// and q through everything downstream, and a band that sits at its anchor gets nothing. With maxOrder 2 only the
// 1 + n + n(n−1)/2 evaluations of F_ℓ those terms need are made (46 forward passes for 9 players); the remainder
// Σ_{|S|≥3} Δ^ℓ_S = logits − Σ_{|S|≤2} Δ^ℓ_S is reported, not hidden.
import Foundation
import PhasorModels
import PhasorNumerics

/// Δ^ℓ_S of every sample's logits for the subsets |S| ≤ maxOrder of layer ℓ's players.
public struct BandAttribution: Sendable {
    public let layer: Int
    public let maxOrder: Int
    /// Number of players n (bands + skip).
    public let players: Int
    /// The subsets as bit masks (bit p = player p; bit n−1 = the skip).
    public let subsets: [Int]
    public let classes: Int
    /// terms[sample][subset·classes + c].
    public let terms: [[Double]]
    /// The model's logits per sample (classes each).
    public let logits: [[Double]]

    /// Σ_{|S| ≤ order} Δ^ℓ_S for one sample (classes values).
    public func partialSum(sample b: Int, through order: Int) -> [Double] {
        var out = [Double](repeating: 0, count: classes)
        for (k, m) in subsets.enumerated() where m.nonzeroBitCount <= order {
            for c in 0..<classes { out[c] += terms[b][k * classes + c] }
        }
        return out
    }

    /// ‖logits − Σ_{|S|≤order} Δ‖_F / ‖logits‖_F over the samples: what the terms up to `order` leave out.
    public func remainder(through order: Int) -> Double {
        OperatorAnalysis.relativeError((0..<terms.count).flatMap { partialSum(sample: $0, through: order) }, logits.flatMap { $0 })
    }

    /// Δ^ℓ_{p,q}[c] (p ≠ q) or Δ^ℓ_{p}[c] (p = q) of sample b.
    public func term(sample b: Int, _ p: Int, _ q: Int, class c: Int) -> Double {
        let mask = (1 << p) | (1 << q)
        guard let k = subsets.firstIndex(of: mask) else { return 0 }
        return terms[b][k * classes + c]
    }

    /// The n×n map of mean Δ^ℓ_{p,q}[c] over `samples` (diagonal: Δ^ℓ_{p}[c]).
    public func map(class c: Int, samples: [Int]) -> [[Double]] {
        var m = [[Double]](repeating: [Double](repeating: 0, count: players), count: players)
        guard !samples.isEmpty else { return m }
        for p in 0..<players { for q in 0..<players {
            m[p][q] = samples.reduce(0) { $0 + term(sample: $1, p, q, class: c) } / Double(samples.count)
        } }
        return m
    }

    /// The `count` pairs p < q of largest |mean Δ^ℓ_{p,q}[c]| over `samples`.
    public func topPairs(class c: Int, samples: [Int], count: Int) -> [(first: Int, second: Int, contribution: Double)] {
        let m = map(class: c, samples: samples)
        var pairs: [(first: Int, second: Int, contribution: Double)] = []
        for p in 0..<players { for q in (p + 1)..<players { pairs.append((p, q, m[p][q])) } }
        return Array(pairs.sorted { abs($0.contribution) > abs($1.contribution) }.prefix(count))
    }
}

extension BandDecomposition {
    /// The attribution of the logits of the (B, L, d_in) `inputs` to layer ℓ's band sets |S| ≤ maxOrder (see header).
    /// Costs (number of subsets) forward passes per sample; samples go in chunks of `chunk`.
    public func attribution(model: OperatorModel, inputs: [Double], batch B: Int, length L: Int, lengths: [Int]? = nil,
                            layer: Int, maxOrder k: Int = 2, chunk: Int = 4) throws -> BandAttribution {
        guard layer >= 0, layer < bands.count else { throw OperatorError.invalid("layer \(layer) is not in 0…\(bands.count - 1)") }
        let lens = try model.checkedLengths(inputs: inputs, batch: B, length: L, lengths: lengths)
        let n = bands[layer].players, C = model.configuration.classes, d = model.configuration.dInput, nl = model.layers.count
        let masks = AnchoredDecomposition.subsets(players: n, maxOrder: k)
        let m = masks.count
        var terms: [[Double]] = [], logits: [[Double]] = []
        var start = 0
        while start < B {
            let s = min(chunk, B - start)
            let x = Array(inputs[start * L * d ..< (start + s) * L * d])
            var replicated: [Double] = []
            replicated.reserveCapacity(m * x.count)
            for _ in 0..<m { replicated += x }                                      // batch index q = r·s + b
            let stages = ForwardStages(gelu: { c in
                guard c.layer == layer else { return c.ssmOutput.map { GELU.value($0) } }
                let (w, a) = players(layer: layer, skip: model.layers[layer].D, context: c)
                let H = c.channels, per = H * L
                var out = [Double](repeating: 0, count: c.ssmOutput.count)
                for r in 0..<m {
                    let mask = masks[r]
                    for b in 0..<s {
                        let o = (r * s + b) * per
                        for e in o ..< o + per {                                    // x_T = A + Σ_{p∈T}(w_p − a_p)
                            var v = 0.0
                            for p in 0..<n { v += mask & (1 << p) != 0 ? w[p][e] : a[p][e] }
                            out[e] = GELU.value(v)
                        }
                    }
                }
                return out
            })
            let exactG = [PointwiseExpansion](repeating: .gelu, count: nl), exactS = [PointwiseExpansion](repeating: .sigmoid, count: nl)
            let chunkLens = Array(lens[start ..< start + s])
            let lensRep = (0..<m).flatMap { _ in chunkLens }
            let rec = try model.plainForward(inputs: replicated, batch: m * s, length: L, lengths: lensRep,
                                             gelu: exactG, sigmoid: exactS, stages: stages)
            let full = try model.plainForward(inputs: x, batch: s, length: L, lengths: chunkLens, gelu: exactG, sigmoid: exactS)
            for b in 0..<s {
                var values = (0..<m).map { r in Array(rec.logits[(r * s + b) * C ..< (r * s + b + 1) * C]) }
                AnchoredDecomposition.mobius(&values, masks: masks, players: n)
                terms.append(values.flatMap { $0 })
                logits.append(Array(full.logits[b * C ..< (b + 1) * C]))
            }
            start += s
        }
        return BandAttribution(layer: layer, maxOrder: k, players: n, subsets: masks, classes: C, terms: terms, logits: logits)
    }
}
