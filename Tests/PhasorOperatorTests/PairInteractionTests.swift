// Pair interactions of layer 0: the components sum to the SSM's own output, and with a constant gate (so the only
// degree-2 source is layer 0's GELU) the pair contributions sum to the whole degree-2 logits component.
import Foundation
import Testing
import PhasorModels
import PhasorNumerics
@testable import PhasorOperator

@Suite struct PairInteractionTests {
    @Test(arguments: InteractionBasis.allCases)
    func componentsSumToTheSSMOutput(basis: InteractionBasis) throws {
        let m = try tinyModel(layers: 1, h: 3, n: 6)
        let L = 11, z = randomInputs(3 * L, seed: 12)
        let (_, parts) = try m.layer0Components(z, length: L, basis: basis)
        var sum = [Double](repeating: 0, count: z.count)
        for p in parts { for i in sum.indices { sum[i] += p[i] } }
        let ref = try m.blocks[0].core.output(z, batch: 1, length: L)
        #expect(maxAbsDiff(sum, ref) <= 1e-12)
    }

    @Test(arguments: [(false, false), (true, false), (false, true)], InteractionBasis.allCases)
    func pairsSumToTheDegreeTwoLogits(options: (prenorm: Bool, centred: Bool), basis: InteractionBasis) throws {
        let prenorm = options.prenorm
        let m = try tinyModel(layers: 1, prenorm: prenorm, h: 3, n: 4)
        let B = 2, L = 9, u = randomInputs(B * L * 2, seed: 13)
        let ref: [Double]? = options.centred ? randomInputs(L * 2, seed: 14) : nil
        let sur = try RangeSurrogate(model: m, inputs: u, batch: B, length: L, degree: 3)
        let flat = try sur.sigmoid.map { PointwiseExpansion.polynomial(try ChebyshevSeries(coefficients: [$0.series.coefficients[0]], lower: $0.series.lower, upper: $0.series.upper)) }
        let (g, s) = exact(m)
        let gains = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s).gains
        let whole = try m.gradedForward(inputs: u, batch: B, length: L, order: 2, gelu: sur.geluExpansions, sigmoid: flat, frozenGains: gains, reference: ref)
        let pi = try m.pairInteractions(inputs: u, batch: B, length: L, gelu: sur.geluExpansions, sigmoid: flat, basis: basis, frozenGains: gains, reference: ref)
        let C = 3, ell2 = whole.logits.component(2)
        #expect(ell2.map { abs($0) }.max()! > 1e-6)
        for b in 0..<B { for c in 0..<C {
            let total = (0..<pi.pairs.count).reduce(0.0) { $0 + pi.contributions[b][$1 * C + c] }
            #expect(abs(total - ell2[b * C + c]) <= 1e-12)
        } }
    }
}
