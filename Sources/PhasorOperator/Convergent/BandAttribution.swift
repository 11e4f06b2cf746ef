// Attribution of the LOGITS to frequency bands of one layer ℓ and to their pairs (issue 13): what "top wave pairs"
// and the pair maps show. The GELU-level terms Δ^{(h,l)}_S of the band decomposition sum exactly to each GELU output,
// but the rest of the network (GLU gate across channels, LayerNorm, later layers) is nonlinear, so a logit number
// per band set needs a definition. Two are computed, both exact (no linearisation, no truncation downstream):
//
// • ablation (the demo's default): the effect of removing the term Δ_S (|S| = 1: a band's own term; |S| = 2: a pair's
//   interaction) from EVERY channel and position of layer ℓ's GELU, everything else exact:
//       E^ℓ_S[c] = ℓ_c(model) − ℓ_c(model with a_{h,l} → a_{h,l} − Δ^{(h,l)}_S for all h, l)
//   An exact counterfactual of one interaction through the whole network. Effects need not add up; the gap is
//   measured: nonAdditivity = ‖Σ_{|S|=2} E^ℓ_S − E^ℓ_{all pairs}‖ / ‖E^ℓ_{all pairs}‖ (E_{all pairs}: all pair terms
//   removed at once). Cost: 1 + n + n(n−1)/2 + 1 forward passes per sample (47 for 9 players).
// • dividends: the anchored decomposition applied to the logits as a function of layer ℓ's players (player p = band
//   p of every channel, the skip last): F_ℓ(T) = logits with layer ℓ's SSM output replaced by A + Σ_{p∈T}(w_p − a_p),
//       D^ℓ_S = Σ_{T⊆S} (−1)^{|S|−|T|} F_ℓ(T),   Σ_S D^ℓ_S = logits exactly (tested to 1e-12).
//   Additive, but measured on trained models it is NOT low-order (the band sets interact across channels through
//   the gate and LayerNorm: Σ_{|S|≤2} D^ℓ_S misses 14–140% of the logits), so its pairs are a diagnostic, not the map.
import Foundation
import PhasorModels
import PhasorNumerics

/// Logit attributions of layer ℓ's band sets per sample (see the header for the two kinds).
public struct BandAttribution: Sendable {
    public enum Kind: String, Sendable, Codable { case ablation, dividends }

    public let kind: Kind
    public let layer: Int
    /// Number of players n (bands + skip; the skip is player n − 1).
    public let players: Int
    /// The band sets as bit masks (bit p = player p).
    public let subsets: [Int]
    public let classes: Int
    /// terms[sample][subset·classes + c]: E^ℓ_S[c] (ablation) or D^ℓ_S[c] (dividends).
    public let terms: [[Double]]
    /// The model's logits per sample.
    public let logits: [[Double]]
    /// Ablation only: E^ℓ_{all pairs} per sample.
    public let allPairs: [[Double]]?

    /// Dividends: Σ_{|S| ≤ order} D^ℓ_S of one sample.
    public func partialSum(sample b: Int, through order: Int) -> [Double] {
        var out = [Double](repeating: 0, count: classes)
        for (k, m) in subsets.enumerated() where m.nonzeroBitCount <= order {
            for c in 0..<classes { out[c] += terms[b][k * classes + c] }
        }
        return out
    }

    /// Dividends: ‖logits − Σ_{|S|≤order} D‖_F / ‖logits‖_F over the samples (what the orders ≤ `order` leave out).
    public func remainder(through order: Int) -> Double {
        OperatorAnalysis.relativeError((0..<terms.count).flatMap { partialSum(sample: $0, through: order) }, logits.flatMap { $0 })
    }

    /// Ablation: ‖Σ_{|S|=2} E_S − E_{all pairs}‖_F / ‖E_{all pairs}‖_F over the samples.
    public var nonAdditivity: Double? {
        guard let all = allPairs else { return nil }
        let sums = terms.map { row in (0..<classes).map { c in
            subsets.indices.filter { subsets[$0].nonzeroBitCount == 2 }.reduce(0) { $0 + row[$1 * classes + c] }
        } }
        return OperatorAnalysis.relativeError(sums.flatMap { $0 }, all.flatMap { $0 })
    }

    /// The term of {p, q} (p ≠ q) or {p} (p = q) for sample b and class c (0 if not computed).
    public func term(sample b: Int, _ p: Int, _ q: Int, class c: Int) -> Double {
        guard let k = subsets.firstIndex(of: (1 << p) | (1 << q)) else { return 0 }
        return terms[b][k * classes + c]
    }

    /// The n×n map of mean terms over `samples`: off-diagonal pairs {p, q}, diagonal single bands {p}.
    public func map(class c: Int, samples: [Int]) -> [[Double]] {
        var m = [[Double]](repeating: [Double](repeating: 0, count: players), count: players)
        guard !samples.isEmpty else { return m }
        for p in 0..<players { for q in 0..<players {
            m[p][q] = samples.reduce(0) { $0 + term(sample: $1, p, q, class: c) } / Double(samples.count)
        } }
        return m
    }

    /// The `count` pairs p < q of largest |mean term| for class c over `samples`.
    public func topPairs(class c: Int, samples: [Int], count: Int) -> [(first: Int, second: Int, contribution: Double)] {
        let m = map(class: c, samples: samples)
        var pairs: [(first: Int, second: Int, contribution: Double)] = []
        for p in 0..<players { for q in (p + 1)..<players { pairs.append((p, q, m[p][q])) } }
        return Array(pairs.sorted { abs($0.contribution) > abs($1.contribution) }.prefix(count))
    }
}

extension BandDecomposition {
    /// The ablation effects E^ℓ_S (|S| ∈ {1, 2}) and E^ℓ_{all pairs} for the (B, L, d_in) `inputs` (see the header).
    public func ablation(model: OperatorModel, inputs: [Double], batch B: Int, length L: Int, lengths: [Int]? = nil,
                         layer: Int, chunk: Int = 4) throws -> BandAttribution {
        let n = try checkedPlayers(layer: layer)
        let terms = AnchoredDecomposition.subsets(players: n, maxOrder: 2).filter { $0 != 0 }
        let pairs = terms.filter { $0.nonzeroBitCount == 2 }
        // replica 0: nothing removed (the model); 1…|terms|: one term removed; last: all pair terms removed
        let removed: [[Int]] = [[]] + terms.map { [$0] } + [pairs]
        let (logits, _) = try replicatedForward(model: model, inputs: inputs, batch: B, length: L, lengths: lengths, layer: layer,
                                                replicas: removed.count, chunk: chunk) { w, a in
            // Δ_p = f(A + d_p) − f(A),  Δ_pq = f(A + d_p + d_q) − f(A + d_p) − f(A + d_q) + f(A);  copy r: f(Σw) − Σ_{S removed} Δ_S
            let count = w[0].count
            var out = [[Double]](repeating: [Double](repeating: 0, count: count), count: removed.count)
            var d = [Double](repeating: 0, count: n), fp = d
            var delta = [Double](repeating: 0, count: terms.count)
            let gelu = geluForms[layer]
            for e in 0..<count {
                var base = 0.0, total = 0.0
                for p in 0..<n { base += a[p][e]; total += w[p][e]; d[p] = w[p][e] - a[p][e] }
                let f0 = gelu.value(base)
                for p in 0..<n { fp[p] = gelu.value(base + d[p]) }
                for (k, m) in terms.enumerated() {
                    let p = m.trailingZeroBitCount
                    if m.nonzeroBitCount == 1 { delta[k] = fp[p] - f0; continue }
                    let q = (m & (m - 1)).trailingZeroBitCount
                    delta[k] = gelu.value(base + d[p] + d[q]) - fp[p] - fp[q] + f0
                }
                let value = gelu.value(total)
                out[0][e] = value
                var pairSum = 0.0
                for k in terms.indices {
                    out[k + 1][e] = value - delta[k]
                    if terms[k].nonzeroBitCount == 2 { pairSum += delta[k] }
                }
                out[removed.count - 1][e] = value - pairSum
            }
            return out
        }
        let C = model.configuration.classes
        var effects: [[Double]] = [], all: [[Double]] = [], model0: [[Double]] = []
        for row in logits {
            let base = Array(row[0 ..< C])
            model0.append(base)
            effects.append((1...terms.count).flatMap { r in (0..<C).map { base[$0] - row[r * C + $0] } })
            all.append((0..<C).map { base[$0] - row[(removed.count - 1) * C + $0] })
        }
        return BandAttribution(kind: .ablation, layer: layer, players: n, subsets: terms, classes: C, terms: effects,
                               logits: model0, allPairs: all)
    }

    /// The dividends D^ℓ_S of the logits for |S| ≤ maxOrder (see the header); (number of subsets) passes per sample.
    public func dividends(model: OperatorModel, inputs: [Double], batch B: Int, length L: Int, lengths: [Int]? = nil,
                          layer: Int, maxOrder k: Int = 2, chunk: Int = 4) throws -> BandAttribution {
        let n = try checkedPlayers(layer: layer)
        let masks = AnchoredDecomposition.subsets(players: n, maxOrder: k)
        let (logits, exact) = try replicatedForward(model: model, inputs: inputs, batch: B, length: L, lengths: lengths, layer: layer,
                                                    replicas: masks.count, chunk: chunk) { w, a in
            masks.map { mask in (0..<w[0].count).map { e in                     // GELU(x_T), x_T = A + Σ_{p∈T}(w_p − a_p)
                var v = 0.0
                for p in 0..<n { v += mask & (1 << p) != 0 ? w[p][e] : a[p][e] }
                return self.geluForms[layer].value(v)
            } }
        }
        let C = model.configuration.classes
        let terms = logits.map { row -> [Double] in
            var values = (0..<masks.count).map { Array(row[$0 * C ..< ($0 + 1) * C]) }
            AnchoredDecomposition.mobius(&values, masks: masks, players: n)
            return values.flatMap { $0 }
        }
        return BandAttribution(kind: .dividends, layer: layer, players: n, subsets: masks, classes: C, terms: terms,
                               logits: exact, allPairs: nil)
    }

    func checkedPlayers(layer: Int) throws -> Int {
        guard layer >= 0, layer < bands.count else { throw OperatorError.invalid("layer \(layer) is not in 0…\(bands.count - 1)") }
        return bands[layer].players
    }

    /// Runs the exact model on `replicas` copies of each chunk of samples; layer ℓ's GELU outputs of the copies
    /// are `gelu(players, anchors)` (one (s, H, L) array per copy) from the chunk's players (each (s, H, L)).
    /// Returns per sample the copies' logits concatenated (replicas·classes) and the exact model's logits.
    func replicatedForward(model: OperatorModel, inputs: [Double], batch B: Int, length L: Int, lengths: [Int]?, layer: Int,
                           replicas m: Int, chunk: Int,
                           gelu: @escaping ([[Double]], [[Double]]) -> [[Double]]) throws -> (logits: [[Double]], exact: [[Double]]) {
        let lens = try model.checkedLengths(inputs: inputs, batch: B, length: L, lengths: lengths)
        let C = model.configuration.classes, d = model.configuration.dInput, forms = geluForms
        let exactG = model.exactGELU, exactS = model.exactGate
        var logits: [[Double]] = [], exact: [[Double]] = []
        var start = 0
        while start < B {
            let s = min(chunk, B - start)
            let x = Array(inputs[start * L * d ..< (start + s) * L * d])
            let chunkLens = Array(lens[start ..< start + s])
            let stages = ForwardStages(gelu: { c in
                guard c.layer == layer else { return c.ssmOutput.map { forms[c.layer].value($0) } }
                let per = s * c.channels * L                                    // copy r occupies [r·per, (r+1)·per)
                var first = c
                first.batch = s; first.lengths = chunkLens
                first.ssmInput = Array(c.ssmInput[0 ..< per]); first.ssmOutput = Array(c.ssmOutput[0 ..< per])
                let (w, a) = players(layer: layer, context: first)                // the same in every copy
                return gelu(w, a).flatMap { $0 }
            })
            let rec = try model.plainForward(inputs: (0..<m).flatMap { _ in x }, batch: m * s, length: L,
                                             lengths: (0..<m).flatMap { _ in chunkLens }, gelu: exactG, sigmoid: exactS, stages: stages)
            let full = try model.plainForward(inputs: x, batch: s, length: L, lengths: chunkLens, gelu: exactG, sigmoid: exactS)
            for b in 0..<s {
                var row: [Double] = []
                for r in 0..<m { let o = (r * s + b) * C; row += rec.logits[o ..< o + C] }
                logits.append(row)
                exact.append(Array(full.logits[b * C ..< (b + 1) * C]))
            }
            start += s
        }
        return (logits, exact)
    }
}
