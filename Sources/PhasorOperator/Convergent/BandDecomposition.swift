// Exact wave-interaction decomposition of every layer's GELU over frequency bands (issue 13, DESIGN.md §7).
// Layer i, channel h, position l: the GELU input is the sum of n ≤ 9 players (WaveBands: ≤ 8 band waves + skip),
//     y = Σ_p w_p,   anchors a_p = the training mean of w_p at (h, l) (exact model, valid positions),
//     GELU(y) = Σ_{S ⊆ players} Δ_S,   Δ_S = Σ_{T⊆S} (−1)^{|S|−|T|} GELU(A + Σ_{p∈T}(w_p − a_p))   (AnchoredDecomposition)
// exactly. The ORDER-k model keeps Σ_{|S|≤k} Δ_S at every channel of every layer (computed as Σ_{|T|≤k} ω(|T|)·GELU(x_T),
// Σ_{t≤k} C(n, t) GELU evaluations per element); at k = n it is the model itself. Upstream truncation changes the
// waves of later layers (their players are computed from the truncated model's own SSM input); the anchors stay
// those of the exact model.
// The gate (optional, `gate: true`): σ(z2) with z2 = W2·GELU(y) + b2 is a function of ALL of the layer's players
// (player p = band p of every channel), decomposed the same way — Σ_{|T|≤k} ω(|T|)·σ(W2·GELU(x_T) + b2).
import Foundation
import PhasorModels
import PhasorNumerics

/// Bands, anchors and the truncated stages of the band decomposition of a model.
public struct BandDecomposition: Sendable {
    public let rule: BandRule
    /// bands[i]: layer i's band assignment.
    public let bands: [WaveBands]
    /// anchors[i][p]: mean of player p's wave over the training samples, (H, L_fit); beyond L_fit the channel's mean.
    public let anchors: [[[Double]]]
    /// The length L_fit of the anchors.
    public let anchorLength: Int
    /// Each layer's own GELU (erf or tanh form, `OperatorModel.exactGELU`).
    public let geluForms: [PointwiseExpansion]

    /// Bands by `rule` and anchors from the exact model on the (B, L, d_in) training inputs.
    public init(model: OperatorModel, inputs: [Double], batch: Int, length L: Int, lengths: [Int]? = nil,
                rule: BandRule = .channel, maxBands: Int = 8, chunk: Int = 64) throws {
        guard (1...8).contains(maxBands) else { throw OperatorError.invalid("the number of bands must be in 1…8 (got \(maxBands))") }
        let lens = try model.checkedLengths(inputs: inputs, batch: batch, length: L, lengths: lengths)
        self.rule = rule
        bands = try model.blocks.map { try WaveBands($0.core, rule: rule, maxBands: maxBands) }
        anchorLength = L
        geluForms = model.exactGELU
        let H = model.channels, d = model.configuration.dInput, forms = geluForms
        var sums = bands.map { [[Double]](repeating: [Double](repeating: 0, count: H * L), count: $0.players) }
        var counts = [Double](repeating: 0, count: L)
        for b in 0..<batch { for l in 0..<lens[b] { counts[l] += 1 } }
        var start = 0
        let bandsCopy = bands
        while start < batch {
            let s = min(chunk, batch - start)
            let chunkLens = Array(lens[start ..< start + s])
            let stages = ForwardStages(gelu: { c in                          // record the players, keep the exact GELU
                let p = bandsCopy[c.layer].players(input: c.ssmInput, batch: c.batch, length: L)
                for (k, w) in p.enumerated() { for b in 0..<c.batch { for h in 0..<H { for l in 0..<chunkLens[b] {
                    sums[c.layer][k][h * L + l] += w[(b * H + h) * L + l]
                } } } }
                return c.ssmOutput.map { forms[c.layer].value($0) }
            })
            _ = try model.plainForward(inputs: Array(inputs[start * L * d ..< (start + s) * L * d]), batch: s, length: L,
                                       lengths: chunkLens, gelu: model.exactGELU, sigmoid: model.exactGate, stages: stages)
            start += s
        }
        anchors = sums.map { layer in layer.map { w in
            var a = w
            for h in 0..<H { for l in 0..<L { a[h * L + l] = counts[l] > 0 ? w[h * L + l] / counts[l] : 0 } }   // mean over valid samples
            return a
        } }
    }

    /// Layer i's players for a stage context (each (B, H, L)) and the anchors broadcast to the same shape.
    public func players(layer i: Int, context c: StageContext) -> (players: [[Double]], anchors: [[Double]]) {
        let w = bands[i].players(input: c.ssmInput, batch: c.batch, length: c.length)
        let H = c.channels, L = c.length, La = anchorLength
        let a = anchors[i].map { anchor -> [Double] in
            var out = [Double](repeating: 0, count: c.batch * H * L)
            for h in 0..<H {
                let tail = anchor[h * La ..< (h + 1) * La].reduce(0, +) / Double(La)   // beyond L_fit: the channel's mean
                for l in 0..<L {
                    let v = l < La ? anchor[h * La + l] : tail
                    for b in 0..<c.batch { out[(b * H + h) * L + l] = v }
                }
            }
            return out
        }
        return (w, a)
    }

    /// The stages of the order-k band decomposition: every layer's GELU as Σ_{|S|≤k} Δ_S over its channel's players;
    /// with `gate`, every layer's gate as Σ_{|S|≤k} Δ_S of σ(W2·GELU(·) + b2) over the layer's players.
    public func stages(model: OperatorModel, order k: Int, gate: Bool = false) -> ForwardStages {
        var last: (layer: Int, players: [[Double]], anchors: [[Double]])? = nil
        let H = model.channels
        let gelu: (StageContext) throws -> [Double] = { c in
            let (w, a) = players(layer: c.layer, context: c)
            last = (c.layer, w, a)
            let f = geluForms[c.layer]
            return try AnchoredDecomposition.elementwiseTruncation(players: w, anchors: a, order: k) { f.value($0) }
        }
        guard gate else { return ForwardStages(gelu: gelu) }
        return ForwardStages(gelu: gelu, gate: { c, _ in
            guard let p = last, p.layer == c.layer else { throw OperatorError.invalid("gate stage without its layer's players") }
            guard case .gatedGELU(let head) = model.blocks[c.layer].head else {
                throw OperatorError.unsupported("the band decomposition of the gate needs the GLU head (GELU → 2H → z₁ ⊙ σ(z₂))")
            }
            let f = geluForms[c.layer]
            return try AnchoredDecomposition.truncation(players: p.players, anchors: p.anchors, order: k) { x in
                let a = x.map { f.value($0) }
                let zz = OperatorModel.channelMap(a, weight: head.weight, samples: c.batch, inChannels: H, outChannels: 2 * H, length: c.length)
                var s = [Double](repeating: 0, count: x.count)
                for b in 0..<c.batch { for h in 0..<H {
                    let go = (b * 2 * H + H + h) * c.length, oo = (b * H + h) * c.length
                    for l in 0..<c.length { s[oo + l] = Sigmoid.value(zz[go + l] + head.bias[H + h]) }   // σ(W2 a + b2)
                } }
                return s
            }
        })
    }
}
