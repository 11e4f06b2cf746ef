// Degree-2 interactions of the first layer, attributed to pairs of waves (DESIGN.md §7).
// The layer-0 core output is linear in u: y^[1]_h = Σ_n w_hn + D_h z_h with the mode waves (S4D; the MIMO cores'
// waves are in layer0Components)
//     w_hn[l] = 2·Re( C̃_hn Σ_{s≤l} μ_hn^{l−s} z_h[s] )            (z = the layer's degree-1 input)
// or, split by lag bins β = [s_a, s_b):  v_hβ[l] = Σ_{s∈β} K_h[s] z_h[l−s]   (+ D_h z_h in the lag-0 bin).
// GELU's degree-2 output is a_2(y0)·(y^[1])² = Σ_{i≤j} T_ij with T_ij = (2 − [i=j])·a_2(y0)·c_i·c_j (c = the
// components). Its effect on the logits is EXACT at degree 2: degree-2 logits are linear in degree-2 activations
// (a product with a degree-2 factor and any degree ≥ 1 factor has degree ≥ 3), so we evaluate the graded network
// at order 2 with u = ū (degree-1 parts vanish) and layer 0's GELU output replaced by [a^[0], 0, T_ij]: the result
// ℓ^[2] is T_ij's whole contribution to the order-2 logits, and Σ_{i≤j} of them is layer 0's GELU share of ℓ^[2].
// A bilinear layer 0 (out = z₁⊙z₂, z = W y + b) has out^[2] = (W₁y^[1])⊙(W₂y^[1]) = Σ_{i≤j} T_ij with
// T_ij = (W₁c_i)⊙(W₂c_j) + (W₁c_j)⊙(W₂c_i) (i < j), T_ii = (W₁c_i)⊙(W₂c_i), injected in place of its product: the
// pair terms then sum to layer 0's whole share of ℓ^[2] exactly (and, for one layer, to ℓ^[2] itself).
import Foundation
import PhasorCorrespondence
import PhasorModels
import PhasorNumerics

/// How the layer-0 SSM output is split into components.
public enum InteractionBasis: String, Sendable, CaseIterable {
    /// One component per complex mode n (its conjugate included by 2·Re), plus the skip D·z as the last one.
    case modes
    /// Lag bins [0,1), [1,2), [2,4), [4,8), … (the skip D·z sits in lag 0).
    case lags
}

/// Contributions of every component pair (i ≤ j) to every class logit, per sample.
public struct PairInteractions: Sendable {
    public var basis: InteractionBasis
    /// Component names ("mode 3", "skip", "lags 4–7").
    public var labels: [String]
    /// The pairs (i, j), i ≤ j.
    public var pairs: [(Int, Int)]
    /// contributions[sample][pair·classes + c].
    public var contributions: [[Double]]
    public var classes: Int

    /// Mean contribution of each pair to class c over the samples.
    public func meanContribution(class c: Int) -> [Double] {
        var out = [Double](repeating: 0, count: pairs.count)
        for row in contributions { for k in 0..<pairs.count { out[k] += row[k * classes + c] / Double(contributions.count) } }
        return out
    }

    /// The `count` pairs of largest |mean contribution| to class c.
    public func top(class c: Int, count: Int) -> [(pair: (Int, Int), contribution: Double)] {
        let m = meanContribution(class: c)
        return m.indices.sorted { abs(m[$0]) > abs(m[$1]) }.prefix(count).map { (pairs[$0], m[$0]) }
    }

    /// The `count` pairs of largest |contribution| to class c for one sample.
    public func top(sample b: Int, class c: Int, count: Int) -> [(pair: (Int, Int), contribution: Double)] {
        let row = contributions[b]
        return pairs.indices.sorted { abs(row[$0 * classes + c]) > abs(row[$1 * classes + c]) }.prefix(count)
            .map { (pairs[$0], row[$0 * classes + c]) }
    }
}

extension OperatorModel {
    /// Layer-0 components (H, L) each, for one sample's degree-1 core input z (H, L). The mode waves come from the
    /// core's diagonal systems (PhasorCorrespondence's one conversion per core, CoreSystems.swift), the lag bins from
    /// its kernel. A MIMO mode p (S5, LRU) is one wave on every output channel: f·Re(C̃_·p x_p) with
    /// x_p,l = μ_p x_p,l−1 + B̄_p·z_l; a bidirectional S5's mode also carries its anti-causal wave, and its lag bins
    /// have future lags (the anti-causal kernel at j ≥ 0 steps ahead) besides the past ones.
    func layer0Components(_ z: [Double], length L: Int, basis: InteractionBasis) throws -> (labels: [String], parts: [[Double]]) {
        let core = blocks[0].core, H = channels
        let systems = try core.diagonalSystems()
        switch (basis, systems) {
        case (.modes, .channels(let channels)):
            guard case .s4d(let s4d) = core else { preconditionFailure("per-channel systems are S4D's") }
            let M = s4d.modes
            var parts = [[Double]](repeating: [Double](repeating: 0, count: H * L), count: M + 1)
            for h in 0..<H {
                let ssm = channels[h].ssm
                for n in 0..<M {                                              // 2·Re(C̃ x), x_l = μ x_{l−1} + z_l
                    WaveBands.addModeWave(pole: ssm.modes[n], readout: ssm.output[n], input: z, inputOffset: h * L,
                                          into: &parts[n], offset: h * L, length: L)
                }
                for l in 0..<L { parts[M][h * L + l] = s4d.D[h] * z[h * L + l] }
            }
            return ((0..<M).map { "mode \($0)" } + ["skip"], parts)
        case (.modes, .mimo(let causal, let anticausal)):
            let P = causal.modes.count, f = causal.outputFactor
            var parts = [[Double]](repeating: [Double](repeating: 0, count: H * L), count: P + 1)
            for (p, mode) in causal.modes.enumerated() {
                for (reading, reverse) in [(causal, false), (anticausal, true)] {
                    guard let r = reading else { continue }
                    let m = r.modes[p]
                    var x = Complex<Double>.zero
                    for k in 0..<L {
                        let l = reverse ? L - 1 - k : k
                        var drive = Complex<Double>.zero
                        for j in 0..<H { drive += m.drive[j] * Complex(z[j * L + l]) }   // B̄_p·z_l
                        x = m.mu * x + drive                                           // x_l = μ x_{l∓1} + B̄_p·z_l
                        for i in 0..<H { parts[p][i * L + l] += f * (m.readout[i] * x).real }   // f·Re(C̃_ip x_l)
                    }
                }
                _ = mode
            }
            for i in 0..<H { for l in 0..<L { parts[P][i * L + l] = causal.direct[i] * z[i * L + l] } }
            return ((0..<P).map { "mode \($0)" } + ["skip"], parts)
        case (.modes, .oscillators(let reading, let systems)):
            // LinOSS: one component per mode (Re(C̃_·p x_p), f = 1), one per oscillator without an eigen-reading
            // (its own 2×2 recurrence), and the skip D⊙z
            guard case .linoss(let linoss) = core else { preconditionFailure("oscillator systems are LinOSS's") }
            var labels: [String] = [], parts: [[Double]] = []
            for (p, m) in (reading?.modes ?? []).enumerated() {
                var part = [Double](repeating: 0, count: H * L), x = Complex<Double>.zero
                for l in 0..<L {
                    var drive = Complex<Double>.zero
                    for j in 0..<H { drive += m.drive[j] * Complex(z[j * L + l]) }       // B̄_p·z_l
                    x = m.mu * x + drive                                                 // x_l = μ x_{l−1} + B̄_p·z_l
                    for i in 0..<H { part[i * L + l] = (m.readout[i] * x).real }         // Re(C̃_ip x_l)
                }
                parts.append(part)
                labels.append("oscillator \(systems.modalOscillators[p / 2]) μ\(p % 2 == 0 ? "+" : "−")")
            }
            for q in systems.integratorOscillators {
                let single = try LinOSSLayer(aDiag: [linoss.aDiag[q]], b: (0..<H).map { linoss.b[q * H + $0] },
                                             c: (0..<H).map { linoss.c[$0 * linoss.oscillators + q] },
                                             d: [Double](repeating: 0, count: H), steps: [linoss.steps[q]], scheme: linoss.scheme)
                parts.append(try single.forward(z, length: L))
                labels.append("oscillator \(q) (integrator)")
            }
            parts.append((0..<(H * L)).map { linoss.d[$0 / L] * z[$0] })
            return (labels + ["skip"], parts)
        case (.lags, _):
            var edges = [0, 1]
            while edges.last! < L { edges.append(min(2 * edges.last!, L)) }
            let bins = edges.count - 1
            func label(_ k: Int, _ prefix: String) -> String {
                edges[k + 1] - edges[k] == 1 ? "\(prefix)lag \(edges[k])" : "\(prefix)lags \(edges[k])–\(edges[k + 1] - 1)"
            }
            switch systems {
            case .channels:
                guard case .s4d(let s4d) = core else { preconditionFailure("per-channel systems are S4D's") }
                let K = try s4d.kernel(length: L)
                var parts = [[Double]](repeating: [Double](repeating: 0, count: H * L), count: bins)
                for h in 0..<H { for k in 0..<bins {
                    for l in 0..<L {
                        var acc = k == 0 ? s4d.D[h] * z[h * L + l] : 0
                        for s in Swift.stride(from: edges[k], to: min(edges[k + 1], l + 1), by: 1) { acc += K[h * L + s] * z[h * L + l - s] }
                        parts[k][h * L + l] = acc
                    }
                } }
                return ((0..<bins).map { label($0, "") }, parts)
            case .mimo(let causal, let anticausal):
                // y_l = Σ_s K_s z_{l−s} + D z_l (+ Σ_s K′_s z_{l+s}), K_s = f·Re(C̃ μ^s B̄) (H × H), binned by s
                var labels = (0..<bins).map { label($0, "") }
                var parts = [[Double]](repeating: [Double](repeating: 0, count: H * L), count: bins)
                let K = try causal.system.kernel(length: L)
                for k in 0..<bins { for i in 0..<H { for l in 0..<L {
                    var acc = k == 0 ? causal.direct[i] * z[i * L + l] : 0
                    for s in Swift.stride(from: edges[k], to: min(edges[k + 1], l + 1), by: 1) {
                        for j in 0..<H { acc += K[(s * H + i) * H + j] * z[j * L + l - s] }
                    }
                    parts[k][i * L + l] = acc
                } } }
                if let a = anticausal {
                    let Kf = try a.system.kernel(length: L)
                    labels += (0..<bins).map { label($0, "future ") }
                    for k in 0..<bins {
                        var part = [Double](repeating: 0, count: H * L)
                        for i in 0..<H { for l in 0..<L {
                            var acc = 0.0
                            for s in Swift.stride(from: edges[k], to: min(edges[k + 1], L - l), by: 1) {
                                for j in 0..<H { acc += Kf[(s * H + i) * H + j] * z[j * L + l + s] }
                            }
                            part[i * L + l] = acc
                        } }
                        parts.append(part)
                    }
                }
                return (labels, parts)
            case .oscillators:
                // LinOSS: y_l = Σ_s K_s z_{l−s} + D z_l, K_s[i, j] = Σ_p (M_p^s F_p)_y Re(C_ip B_pj) — the layer's own
                // kernel (Jordan oscillators included), binned by s
                guard case .linoss(let linoss) = core else { preconditionFailure("oscillator systems are LinOSS's") }
                let K = try linoss.kernel(length: L)
                var parts = [[Double]](repeating: [Double](repeating: 0, count: H * L), count: bins)
                for k in 0..<bins { for i in 0..<H { for l in 0..<L {
                    var acc = k == 0 ? linoss.d[i] * z[i * L + l] : 0
                    for s in Swift.stride(from: edges[k], to: min(edges[k + 1], l + 1), by: 1) {
                        for j in 0..<H { acc += K[(s * H + i) * H + j] * z[j * L + l - s] }
                    }
                    parts[k][i * L + l] = acc
                } } }
                return ((0..<bins).map { label($0, "") }, parts)
            }
        }
    }

    /// Pair contributions to the degree-2 logits for each of the (B, L, d_in) samples (see the header).
    public func pairInteractions(inputs: [Double], batch B: Int, length L: Int, lengths: [Int]? = nil,
                                 gelu: [PointwiseExpansion], sigmoid: [PointwiseExpansion], basis: InteractionBasis,
                                 frozenGains: [[Double]], reference: [Double]? = nil) throws -> PairInteractions {
        guard !blocks.isEmpty else { throw OperatorError.unsupported("interactions of a model without blocks") }
        let lens = try checkedLengths(inputs: inputs, batch: B, length: L, lengths: lengths)
        let H = channels, d = configuration.dInput, C = configuration.classes
        // degree-0 SSM output of layer 0 (u = 0): the same for every sample except through a pre-norm gain
        var result = PairInteractions(basis: basis, labels: [], pairs: [], contributions: [], classes: C)
        for b in 0..<B {
            let u = Array(inputs[b * L * d ..< (b + 1) * L * d])
            let gains = frozenGains.map { $0.isEmpty ? [] : Array($0[b * L ..< (b + 1) * L]) }   // empty: no LayerNorm
            // degree-0 and degree-1 of layer 0's SSM input, by the graded machinery at order 1 up to that point
            let ref = reference ?? [Double](repeating: 0, count: L * d)
            guard ref.count == L * d else { throw OperatorError.invalid("the reference input must have L·d_input = \(L * d) values") }
            var z1 = encode(zip(u, ref).map { $0 - $1 }, batch: 1, length: L)           // W(u − ū)
            var z0 = encode(ref, batch: 1, length: L)                                    // W ū + bias
            for h in 0..<H { for l in 0..<L { z0[h * L + l] += encoderMap.bias[h] } }
            if configuration.prenorm {
                var run = GradedRun(logits: GradedSignal(order: 1, count: 1))
                let xs = try GradedSignal(order: 1, components: [z0, z1])
                let n = try normaliseGraded(xs, layer: 0, samples: 1, length: L, gain: .frozen, frozen: gains[0], run: &run)
                z0 = n.component(0); z1 = n.component(1)
            }
            let (labels, parts) = try layer0Components(z1, length: L, basis: basis)
            let K = parts.count
            var pairs: [(Int, Int)] = []
            for i in 0..<K { for j in i..<K { pairs.append((i, j)) } }
            let S = pairs.count, n = H * L
            var inject = [Double](repeating: 0, count: S * n)
            if blocks[0].head.kind == .bilinear {
                // (W₁c_i, W₂c_i) for every component: rows 0..<H and H..<2H of W·c_i
                let wc = OperatorModel.channelMap(parts.flatMap { $0 }, weight: blocks[0].head.weight, samples: K,
                                                  inChannels: H, outChannels: 2 * H, length: L)
                for (k, (i, j)) in pairs.enumerated() {
                    let ai = i * 2 * n, aj = j * 2 * n
                    for e in 0..<n {
                        var t = wc[ai + e] * wc[aj + n + e]                                       // (W₁c_i)(W₂c_j)
                        if i != j { t += wc[aj + e] * wc[ai + n + e] }                             // + (W₁c_j)(W₂c_i)
                        inject[k * n + e] = t
                    }
                }
            } else {
                let y0 = try blocks[0].core.output(z0, batch: 1, length: L, lengths: [lens[b]])
                let a2 = gelu[0].table(order: 2, length: L).coefficients(at: y0[...])   // a_k(y0), k = 0, 1, 2
                for (k, (i, j)) in pairs.enumerated() {
                    let w = i == j ? 1.0 : 2.0
                    for e in 0..<n { inject[k * n + e] = w * a2[2 * n + e] * parts[i][e] * parts[j][e] }   // T_ij
                }
            }
            let rep = gains.map { g in (0..<S).flatMap { _ in g } }
            let run = try gradedForward(inputs: (0..<S).flatMap { _ in ref }, batch: S, length: L,
                                        lengths: [Int](repeating: lens[b], count: S), order: 2, gelu: gelu, sigmoid: sigmoid,
                                        gain: .frozen, frozenGains: rep, reference: ref,
                                        layer0Nonlinearity: { a in
                                            var out = a
                                            for e in 0..<(S * n) { out.data[S * n + e] = 0; out.data[2 * S * n + e] = inject[e] }
                                            return out
                                        })
            result.labels = labels; result.pairs = pairs
            result.contributions.append(run.logits.component(2))
        }
        return result
    }
}
