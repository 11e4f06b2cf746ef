// The explicit operator of S5, LRU and LinOSS classifiers: the plain forward is the model's own, the graded components of the
// polynomial surrogate sum to the surrogate's forward pass (≤ 1e-12) and vanish above its total degree — for every
// S5 activation (half_glu2 gates the un-activated core output: a product of the core's degree-1 wave and the gate),
// BatchNorm (affine at inference) and LayerNorm (frozen gains), mean and last pooling, the bidirectional (non-causal)
// core and padded sequences, LinOSS (IM and IMEX) with a relu-clamped oscillator (no eigen-reading: its own component);
// the tanh GELU's local Taylor coefficients are its own; the mode components of a MIMO core sum to its output.
import Foundation
import PhasorNumerics
import Testing
@testable import PhasorModels
@testable import PhasorOperator

@Suite struct CoreOperatorTests {
    static func model(core: CoreKind, skeleton: ReferenceSkeleton, head: HeadKind = .glu, norm: NormKind = .layer,
                      pooling: Pooling = .mean, prenorm: Bool = true, bidirectional: Bool = false, seed: UInt64 = 7) throws -> OperatorModel {
        let c = S4ModelConfiguration(core: core, skeleton: skeleton, dInput: 2, dModel: 3, dState: 4, layers: 1, classes: 3,
                                     prenorm: prenorm, dropout: 0, head: head, norm: norm, pooling: pooling,
                                     s5: S5Options(bidirectional: bidirectional, stepRescale: 3),
                                     lru: LRUOptions(rMin: 0.3, rMax: 0.9, maxPhase: 3))
        var m = try S4Model(configuration: c, seed: seed)
        var g = SeededGenerator(seed: seed &+ 1)
        var params = m.parameters
        for p in params.parameters where !S4ModelConfiguration.isBuffer(p.name) {
            try params.setValues(p.name, p.values.map { $0 + 0.3 * g.normal() })        // no zero bias, no unit scale
        }
        m = try S4Model(configuration: c, parameters: params)
        if case .linoss(var osc) = m.block(0).core {                                     // one Jordan-block oscillator
            var block = m.block(0)
            osc.aDiag[1] = -0.4
            block.core = .linoss(osc)
            try m.setBlock(0, block)
        }
        return try OperatorModel(m)
    }

    static let cases: [(CoreKind, ReferenceSkeleton, HeadKind, NormKind, Pooling, Bool, Bool)] = [
        (.s5, .s5Flax, .glu, .layer, .mean, true, false),
        (.s5, .s5Flax, .halfGLU1, .batch, .last, false, false),
        (.s5, .s5Flax, .halfGLU2, .layer, .mean, false, true),
        (.s5, .s5Flax, .gelu, .batch, .mean, true, true),
        (.s5, .linossRepo, .glu, .batch, .mean, true, false),
        (.lru, .minimalLRU, .glu, .layer, .last, false, false),
        (.lru, .linossRepo, .glu, .batch, .mean, true, false),
        (.linossIM, .linossRepo, .glu, .batch, .mean, true, false),
        (.linossIMEX, .linossRepo, .glu, .batch, .mean, true, false),
    ]

    @Test(arguments: 0..<cases.count)
    func gradedSumEqualsSurrogateForward(_ k: Int) throws {
        let (core, sk, head, norm, pooling, prenorm, bidirectional) = Self.cases[k]
        let m = try Self.model(core: core, skeleton: sk, head: head, norm: norm, pooling: pooling, prenorm: prenorm,
                               bidirectional: bidirectional)
        let B = 3, L = 9, u = randomInputs(B * L * 2, seed: 3), lengths = [9, 6, 9]
        // the plain forward with the model's own functions is the model
        let own = try m.plainForward(inputs: u, batch: B, length: L, lengths: lengths, gelu: m.exactGELU, sigmoid: m.exactGate)
        #expect(maxAbsDiff(own.logits, try m.model.logits(inputs: u, batch: B, length: L, lengths: lengths)) <= 1e-12)
        let sur = try RangeSurrogate(model: m, inputs: u, batch: B, length: L, lengths: lengths, degree: 2, sigmoidDegree: 1)
        let P = sur.totalDegree
        let run = try m.gradedForward(inputs: u, batch: B, length: L, lengths: lengths, order: P + 1, gelu: sur.geluExpansions,
                                      sigmoid: sur.sigmoidExpansions, frozenGains: own.gains).logits
        let plain = try m.plainForward(inputs: u, batch: B, length: L, lengths: lengths, gelu: sur.geluExpansions,
                                       sigmoid: sur.sigmoidExpansions, frozenGains: own.gains).logits
        let scale = max(1, plain.map { abs($0) }.max()!)
        #expect(maxAbsDiff(run.sum(through: P), plain) <= 1e-12 * scale)
        #expect(run.component(P + 1).map { abs($0) }.max()! <= 1e-13 * scale)
        #expect(run.component(P).map { abs($0) }.max()! > 1e-10)                     // the total degree is reached
    }

    @Test func tanhGELUTaylorCoefficientsAreItsOwn() throws {
        for y0 in [-2.1, 0, 0.8, 1.7] {
            let a = PointwiseExpansion.geluTanh.table(order: 16).coefficients(at: [y0][...])
            for t in [-0.1, 0.12] {
                let series = a.enumerated().reduce(0.0) { $0 + $1.element * Foundation.pow(t, Double($1.offset)) }
                #expect(abs(series - GELUTanh.value(y0 + t)) <= 1e-13)
            }
            let h = 1e-4, d = (GELUTanh.value(y0 + h) - GELUTanh.value(y0 - h)) / (2 * h)
            #expect(abs(a[1] - d) <= 1e-8 && abs(GELUTanh.derivative(y0) - d) <= 1e-8)
        }
    }

    @Test(arguments: [(CoreKind.s5, false), (.s5, true), (.lru, false), (.linossIM, false), (.linossIMEX, false)],
          InteractionBasis.allCases)
    func componentsSumToTheCoreOutput(core: (CoreKind, Bool), basis: InteractionBasis) throws {
        let sk = ReferenceSkeleton.default(for: core.0)
        let m = try Self.model(core: core.0, skeleton: sk, norm: sk.norms[0], bidirectional: core.1)
        let L = 11, z = randomInputs(3 * L, seed: 12)
        let (_, parts) = try m.layer0Components(z, length: L, basis: basis)
        var sum = [Double](repeating: 0, count: z.count)
        for p in parts { for i in sum.indices { sum[i] += p[i] } }
        #expect(maxAbsDiff(sum, try m.blocks[0].core.output(z, batch: 1, length: L)) <= 1e-12)
    }

    /// Pair interactions of a MIMO core (its modes, or past and future lag bins): with a constant gate the degree-2
    /// logits of a one-block model are exactly layer 0's GELU pairs, and the pairs sum to them.
    @Test(arguments: [(CoreKind.s5, false), (.s5, true), (.lru, false), (.linossIM, false)], InteractionBasis.allCases)
    func pairsSumToTheDegreeTwoLogits(core: (CoreKind, Bool), basis: InteractionBasis) throws {
        let sk = ReferenceSkeleton.default(for: core.0)
        let m = try Self.model(core: core.0, skeleton: sk, head: .glu, norm: sk.norms[0], bidirectional: core.1)
        let B = 2, L = 8, u = randomInputs(B * L * 2, seed: 21)
        let sur = try RangeSurrogate(model: m, inputs: u, batch: B, length: L, degree: 3, sigmoidDegree: 0)   // constant gate
        let gains = try m.plainForward(inputs: u, batch: B, length: L, gelu: m.exactGELU, sigmoid: m.exactGate).gains
        let whole = try m.gradedForward(inputs: u, batch: B, length: L, order: 2, gelu: sur.geluExpansions,
                                        sigmoid: sur.sigmoidExpansions, frozenGains: gains)
        let pi = try m.pairInteractions(inputs: u, batch: B, length: L, gelu: sur.geluExpansions, sigmoid: sur.sigmoidExpansions,
                                        basis: basis, frozenGains: gains)
        let C = 3, ell2 = whole.logits.component(2)
        #expect(ell2.map { abs($0) }.max()! > 1e-6)
        for b in 0..<B { for c in 0..<C {
            let total = (0..<pi.pairs.count).reduce(0.0) { $0 + pi.contributions[b][$1 * C + c] }
            #expect(abs(total - ell2[b * C + c]) <= 1e-12)
        } }
    }
}
