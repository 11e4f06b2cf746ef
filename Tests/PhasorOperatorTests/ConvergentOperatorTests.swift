// The convergent operator (issue 13) on tiny seeded models (Double): per-channel surrogates (fits equal an
// independent per-channel fit, exact outside the range, converge with the order, pure-polynomial graded identity),
// frequency bands (players sum to the SSM output, band rules), the band decomposition (exact at full order, GELU and
// gate), the logit attribution (sums to the logits, equals a direct Möbius computation), and the table.
import Foundation
import Testing
import PhasorModels
import PhasorNumerics
@testable import PhasorOperator

@Suite struct ConvergentOperatorTests {
    @Test func stageHookWithTheExactFunctionsIsTheModel() throws {
        let m = try tinyModel(layers: 2, prenorm: true)
        let B = 3, L = 11, u = randomInputs(B * L * 2, seed: 61)
        let (g, s) = exact(m)
        let stages = ForwardStages(gelu: { c in c.ssmOutput.map { GELU.value($0) } }, gate: { _, z2 in z2.map { Sigmoid.value($0) } })
        let hooked = try m.plainForward(inputs: u, batch: B, length: L, lengths: [11, 7, 3], gelu: g, sigmoid: s, stages: stages).logits
        let ref = try m.model.logits(inputs: u, batch: B, length: L, lengths: [11, 7, 3])
        #expect(maxAbsDiff(hooked, ref) <= 1e-12)
        let wrong = ForwardStages(gelu: { c in Array(c.ssmOutput.dropLast()) })
        #expect(throws: OperatorError.self) { try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s, stages: wrong) }
    }

    @Test func channelFitsAreEachChannelsOwnLeastSquaresFit() throws {
        let m = try tinyModel(layers: 2)
        let B = 5, L = 12, u = randomInputs(B * L * 2, seed: 62)
        let lens = [12, 12, 9, 12, 4]
        let sur = try ChannelSurrogates(model: m, inputs: u, batch: B, length: L, lengths: lens, maxOrder: 6, floor: 0.02, maxSamples: 100_000)
        // independent: record the pre-activations, take channel h of layer i at valid positions, fit
        let (g, s) = exact(m)
        let rec = try m.plainForward(inputs: u, batch: B, length: L, lengths: lens, gelu: g, sigmoid: s, record: true)
        for (f, recorded) in [(BlockFunction.gelu, rec.geluInputs), (.gate, rec.sigmoidInputs)] {
            for i in 0..<2 { for h in 0..<m.channels {
                var x: [Double] = []
                for b in 0..<B { for l in 0..<lens[b] { x.append(recorded[i][(b * m.channels + h) * L + l]) } }
                let direct = try EmpiricalOrthonormalPolynomials.fit(f == .gelu ? GELU.value : Sigmoid.value, samples: x, floor: 0.02, degree: 6, lower: x.min()!, upper: x.max()!)
                let mine = sur.fit(f, layer: i, channel: h)
                #expect(mine.basis.lower == x.min()! && mine.basis.upper == x.max()!)
                #expect(maxAbsDiff(mine.coefficients, direct.coefficients) <= 1e-12)
            } }
        }
        // outside the channel's range the exact function is used; inside, the polynomial
        let fit = sur.fit(.gelu, layer: 1, channel: 2)
        let above = fit.basis.upper + 3, inside = (fit.basis.lower + fit.basis.upper) / 2
        #expect(sur.value(.gelu, layer: 1, channel: 2, above, order: 3) == GELU.value(above))
        #expect(sur.value(.gelu, layer: 1, channel: 2, inside, order: 3) == fit(inside, order: 3))
        #expect(sur.value(.gelu, layer: 1, channel: 2, above, order: 3, exactOutside: false) == fit(above, order: 3))
    }

    @Test func quantileRangesLeaveTheTailsToTheExactFunction() throws {
        let m = try tinyModel(layers: 1)
        let B = 6, L = 20, u = randomInputs(B * L * 2, seed: 74)
        let q = 0.05
        let sur = try ChannelSurrogates(model: m, inputs: u, batch: B, length: L, maxOrder: 4, maxSamples: 100_000, rangeQuantile: q)
        let (g, s) = exact(m)
        let rec = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s, record: true)
        for h in 0..<m.channels {
            var x: [Double] = []
            for b in 0..<B { let o = (b * m.channels + h) * L; x += rec.geluInputs[0][o ..< o + L] }
            x.sort()
            let n = Double(x.count - 1), fit = sur.fit(.gelu, layer: 0, channel: h)
            #expect(fit.basis.lower == x[Int((q * n).rounded())])
            #expect(fit.basis.upper == x[Int(((1 - q) * n).rounded())])
        }
        // on the training inputs themselves about 2q of the evaluations are exact (both functions, one layer)
        let counter = OutsideCounter()
        _ = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s, stages: sur.stages(order: 4, counter: counter))
        #expect(counter.fraction > q && counter.fraction < 3 * q)
        #expect(throws: OperatorError.self) { try ChannelSurrogates(model: m, inputs: u, batch: B, length: L, rangeQuantile: 0.5) }
    }

    @Test func channelSurrogatesConvergeAndCountTheInputsOutsideTheirRange() throws {
        let m = try tinyModel(layers: 2, h: 6, n: 8)
        let B = 8, L = 16, u = randomInputs(B * L * 2, seed: 63)
        let sur = try ChannelSurrogates(model: m, inputs: u, batch: B, length: L, maxOrder: 14)
        let (g, s) = exact(m)
        let ref = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s).logits
        var errors: [Double] = []
        for k in [1, 3, 6, 10, 14] {
            let counter = OutsideCounter()
            let out = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s, stages: sur.stages(order: k, counter: counter)).logits
            errors.append(OperatorAnalysis.relativeError(out, ref))
            // every valid position of both functions of both layers is counted; the exact model's inputs are inside
            // the ranges by construction, the surrogate model's (upstream replaced) leave them rarely
            #expect(counter.evaluated == 2 * 2 * B * 6 * L && counter.fraction < 0.05)
        }
        for i in 1..<errors.count { #expect(errors[i] < errors[i - 1]) }
        // the model's own per-channel hooks give the same forward pass as the stages
        let viaModel = try m.model.evaluate(inputs: u, batch: B, length: L, options: EvaluationOptions(pointwise: sur.overrides(order: 6), record: false)).logits
        let viaStages = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s, stages: sur.stages(order: 6)).logits
        #expect(maxAbsDiff(viaModel, viaStages) <= 1e-12 * max(1, viaStages.map { abs($0) }.max()!))
        #expect(errors.last! < 1e-4)
        // larger held-out inputs leave the ranges: counted, and the exact function keeps the output finite
        let big = randomInputs(B * L * 2, seed: 64, scale: 4)
        let counter = OutsideCounter()
        _ = try m.plainForward(inputs: big, batch: B, length: L, gelu: g, sigmoid: s, stages: sur.stages(order: 10, counter: counter))
        #expect(counter.outside > 0 && counter.fraction < 1)
    }

    @Test(arguments: [false, true])
    func pureChannelPolynomialsHaveTheGradedIdentity(prenorm: Bool) throws {
        let m = try tinyModel(layers: 1, prenorm: prenorm)
        let B = 4, L = 10, u = randomInputs(B * L * 2, seed: 65)
        let sur = try ChannelSurrogates(model: m, inputs: u, batch: B, length: L, maxOrder: 4)
        let k = 2, D = sur.totalDegree(order: k)
        #expect(D == 6)
        let (g, s) = exact(m)
        let gains = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s).gains
        let (pg, ps) = sur.expansions(order: k)
        // the Chebyshev form (plain forward) against the orthonormal recurrence (stages, no exact switch)
        let cheb = try m.plainForward(inputs: u, batch: B, length: L, gelu: pg, sigmoid: ps, frozenGains: gains).logits
        let recur = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s, frozenGains: gains,
                                       stages: sur.stages(order: k, exactOutside: false)).logits
        let scale = max(1, cheb.map { abs($0) }.max()!)
        #expect(maxAbsDiff(cheb, recur) <= 1e-12 * scale)
        let run = try m.gradedForward(inputs: u, batch: B, length: L, order: D + 1, gelu: pg, sigmoid: ps, frozenGains: gains).logits
        #expect(maxAbsDiff(run.sum(through: D), cheb) <= 1e-12 * scale)
        #expect(run.component(D + 1).map { abs($0) }.max()! <= 1e-13 * scale)
        #expect(run.component(D).map { abs($0) }.max()! > 1e-10)
    }

    @Test func bandPlayersSumToTheSSMOutputAndFollowTheRule() throws {
        let m = try tinyModel(layers: 1, h: 3, n: 32)                                 // M = 16 modes per channel
        let B = 2, L = 20, u = randomInputs(B * L * 2, seed: 66)
        let core = m.blocks[0].core
        let z = m.encode(u, batch: B, length: L).enumerated().map { $0.element + m.encoderMap.bias[($0.offset / L) % m.channels] }
        let y = try core.output(z, batch: B, length: L, lengths: [L, L])
        for rule in BandRule.allCases {
            let bands = try WaveBands(core, rule: rule)
            #expect(bands.bands == 8 && bands.players == 9)
            let p = bands.players(input: z, batch: B, length: L)
            let sum = (0..<y.count).map { e in p.reduce(0) { $0 + $1[e] } }
            #expect(maxAbsDiff(sum, y) <= 1e-12 * max(1, y.map { abs($0) }.max()!))
            for h in 0..<3 {
                let modes = (0..<16).map { h * 16 + $0 }
                // slower modes never sit in a faster band
                for a in modes { for b in modes where bands.frequencies[a] < bands.frequencies[b] {
                    #expect(bands.assignment[a] <= bands.assignment[b])
                } }
                if rule == .channel {
                    for band in 0..<8 { #expect(modes.filter { bands.assignment[$0] == band }.count == 2) }
                }
            }
        }
        // fewer modes than 8: one band per mode
        let small = try tinyModel(layers: 1, h: 2, n: 6)
        #expect(try WaveBands(small.blocks[0].core, rule: .channel).bands == 3)
    }

    @Test(arguments: BandRule.allCases)
    func bandDecompositionAtFullOrderIsTheModel(rule: BandRule) throws {
        let m = try tinyModel(layers: 2, h: 4, n: 8)                                  // 4 bands + skip = 5 players
        let B = 4, L = 12, u = randomInputs(B * L * 2, seed: 67)
        let dec = try BandDecomposition(model: m, inputs: u, batch: B, length: L, rule: rule)
        let n = dec.bands.map(\.players).max()!
        #expect(n == (rule == .channel ? 5 : 9))
        let test = randomInputs(3 * L * 2, seed: 68)
        let ref = try m.model.logits(inputs: test, batch: 3, length: L, lengths: [12, 8, 12])
        let (g, s) = exact(m)
        func logits(_ k: Int, gate: Bool) throws -> [Double] {
            try m.plainForward(inputs: test, batch: 3, length: L, lengths: [12, 8, 12], gelu: g, sigmoid: s,
                               stages: dec.stages(model: m, order: k, gate: gate)).logits
        }
        let scale = max(1, ref.map { abs($0) }.max()!)
        for gate in [false, true] {
            #expect(maxAbsDiff(try logits(n, gate: gate), ref) <= 1e-12 * scale)
            #expect(maxAbsDiff(try logits(1, gate: gate), ref) > 1e-6)
        }
    }

    @Test func logitDividendsSumToTheLogitsAndEqualADirectMobiusComputation() throws {
        let m = try tinyModel(layers: 2, h: 3, n: 8)
        let B = 4, L = 10, u = randomInputs(B * L * 2, seed: 69)
        let dec = try BandDecomposition(model: m, inputs: u, batch: B, length: L)
        let x = randomInputs(2 * L * 2, seed: 70)
        for layer in 0..<2 {
            let full = try dec.dividends(model: m, inputs: x, batch: 2, length: L, layer: layer, maxOrder: 5)
            let ref = try m.model.logits(inputs: x, batch: 2, length: L)
            let sums = (0..<2).flatMap { full.partialSum(sample: $0, through: 5) }
            #expect(maxAbsDiff(sums, ref) <= 1e-12 * max(1, ref.map { abs($0) }.max()!))
            #expect(full.remainder(through: 5) <= 1e-12)
            let pairs = try dec.dividends(model: m, inputs: x, batch: 2, length: L, layer: layer, maxOrder: 2)
            #expect(pairs.subsets.count == 1 + 5 + 10)
            for (k, mask) in pairs.subsets.enumerated() {
                let j = full.subsets.firstIndex(of: mask)!
                for b in 0..<2 { #expect(maxAbsDiff(Array(pairs.terms[b][k * 3 ..< (k + 1) * 3]), Array(full.terms[b][j * 3 ..< (j + 1) * 3])) <= 1e-12) }
            }
            // direct: F(T) through the generic decomposition with the layer's players of sample 1 as the function's input
            let (g, s) = exact(m)
            let one = Array(x[L * 2 ..< 2 * L * 2])
            var captured: (w: [[Double]], a: [[Double]])? = nil
            _ = try m.plainForward(inputs: one, batch: 1, length: L, gelu: g, sigmoid: s, stages: ForwardStages(gelu: { c in
                if c.layer == layer { let p = dec.players(layer: layer, context: c); captured = (p.players, p.anchors) }
                return c.ssmOutput.map { GELU.value($0) }
            }))
            let (masks, direct) = try AnchoredDecomposition.terms(players: captured!.w, anchors: captured!.a, maxOrder: 2) { y in
                try m.plainForward(inputs: one, batch: 1, length: L, gelu: g, sigmoid: s, stages: ForwardStages(gelu: { c in
                    (c.layer == layer ? y : c.ssmOutput).map { GELU.value($0) }
                })).logits
            }
            for (k, mask) in masks.enumerated() {
                let j = pairs.subsets.firstIndex(of: mask)!
                #expect(maxAbsDiff(direct[k], Array(pairs.terms[1][j * 3 ..< (j + 1) * 3])) <= 1e-12)
            }
            #expect(pairs.topPairs(class: 0, samples: [0, 1], count: 3).count == 3)
        }
    }

    @Test func ablationEffectsAreTheModelWithoutEachTerm() throws {
        let m = try tinyModel(layers: 2, h: 3, n: 6)                                  // 3 bands + skip = 4 players
        let B = 4, L = 9, u = randomInputs(B * L * 2, seed: 72)
        let dec = try BandDecomposition(model: m, inputs: u, batch: B, length: L)
        let x = randomInputs(3 * L * 2, seed: 73)
        let (g, s) = exact(m)
        for layer in 0..<2 {
            let ab = try dec.ablation(model: m, inputs: x, batch: 3, length: L, lengths: [9, 6, 9], layer: layer, chunk: 2)
            #expect(ab.subsets.count == 4 + 6 && ab.kind == .ablation)
            let ref = try m.model.logits(inputs: x, batch: 3, length: L, lengths: [9, 6, 9])
            #expect(maxAbsDiff(ab.logits.flatMap { $0 }, ref) <= 1e-12 * max(1, ref.map { abs($0) }.max()!))
            // independent: the terms Δ_S of every element by the generic decomposition, removed in a direct forward pass
            for b in [0, 1] {
                let one = Array(x[b * L * 2 ..< (b + 1) * L * 2]), len = [9, 6, 9][b]
                var captured: (w: [[Double]], a: [[Double]])? = nil
                _ = try m.plainForward(inputs: one, batch: 1, length: L, lengths: [len], gelu: g, sigmoid: s, stages: ForwardStages(gelu: { c in
                    if c.layer == layer { let p = dec.players(layer: layer, context: c); captured = (p.players, p.anchors) }
                    return c.ssmOutput.map { GELU.value($0) }
                }))
                let (masks, delta) = try AnchoredDecomposition.terms(players: captured!.w, anchors: captured!.a, maxOrder: 2) { $0.map { GELU.value($0) } }
                func without(_ removed: [Int]) throws -> [Double] {
                    try m.plainForward(inputs: one, batch: 1, length: L, lengths: [len], gelu: g, sigmoid: s, stages: ForwardStages(gelu: { c in
                        guard c.layer == layer else { return c.ssmOutput.map { GELU.value($0) } }
                        var out = c.ssmOutput.map { GELU.value($0) }
                        for r in removed { let d = delta[masks.firstIndex(of: r)!]; for e in out.indices { out[e] -= d[e] } }
                        return out
                    })).logits
                }
                let full = try without([])
                for (k, mask) in ab.subsets.enumerated() {
                    let effect = zip(full, try without([mask])).map { $0 - $1 }
                    #expect(maxAbsDiff(effect, Array(ab.terms[b][k * 3 ..< (k + 1) * 3])) <= 1e-12)
                }
                let all = zip(full, try without(ab.subsets.filter { $0.nonzeroBitCount == 2 })).map { $0 - $1 }
                #expect(maxAbsDiff(all, ab.allPairs![b]) <= 1e-12)
            }
            #expect(ab.nonAdditivity!.isFinite)
            let mapped = ab.map(class: 1, samples: [0, 2])
            #expect(mapped[1][3] == (ab.term(sample: 0, 1, 3, class: 1) + ab.term(sample: 2, 3, 1, class: 1)) / 2)
        }
    }

    @Test func tableAndHeadline() throws {
        let m = try tinyModel(layers: 1, h: 4, n: 8)
        let B = 12, L = 10, u = randomInputs(B * L * 2, seed: 71)
        let labels = (0..<B).map { $0 % 3 }
        let dec = try BandDecomposition(model: m, inputs: u, batch: B, length: L)
        let (g, s) = exact(m)
        let table = try ConvergenceTable(method: "bands", model: m, inputs: u, batch: B, length: L, labels: labels, orders: [1, 2, 5], chunk: 5) {
            ReplacedForward(gelu: g, sigmoid: s, stages: dec.stages(model: m, order: $0))
        }
        let ref = try m.model.logits(inputs: u, batch: B, length: L)
        #expect(table.fullAccuracy == OperatorAnalysis.accuracy(ref, labels: labels, classes: 3))
        let top = table.rows.last!
        #expect(top.relativeError <= 1e-12 && top.agreement == 1 && top.accuracyRatio == 1)
        #expect(table.headlineOrder() == table.rows.first { $0.agreement >= 0.99 && $0.accuracyRatio >= 0.99 && $0.relativeError <= 0.1 }!.order)
        let data = try JSONEncoder().encode(table)
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect((json["orders"] as! [[String: Any]]).map { $0["order"] as! Int } == [1, 2, 5])
    }
}
