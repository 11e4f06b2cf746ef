// `ConvergentPipeline` (the default of `phasor operator`) on tiny seeded models of 1 and 3 layers: the order table
// is the per-channel surrogates' own table, the headline rule, the pure surrogate's graded identity against an
// independent plain forward, the band decomposition at full order is the model, all band-set dividends of layer 0
// sum to the logits, top pairs carry their bands' periods, and the JSON keeps the contract (null headline written).
import Foundation
import Testing
import PhasorModels
import PhasorNumerics
@testable import PhasorOperator

@Suite struct ConvergentPipelineTests {
    func batch(_ m: OperatorModel, samples B: Int, length L: Int, seed: UInt64) throws -> Batch {
        let lengths = (0..<B).map { $0 % 3 == 2 ? L - 3 : L }
        let source = try BatchSource(sequences: (0..<B).map { randomInputs(lengths[$0] * 2, seed: seed + UInt64($0)) }, lengths: lengths,
                                     labels: (0..<B).map { $0 % 3 }, channels: 2)
        return source.batch(Array(0..<B)[...])
    }

    @Test(arguments: [1, 3])
    func pipelineTableIdentityAndAttribution(layers: Int) throws {
        let m = try tinyModel(layers: layers, prenorm: layers == 3, h: 3, n: 8)            // 4 bands + skip
        let fit = try batch(m, samples: 9, length: 10, seed: 81), eval = try batch(m, samples: 6, length: 10, seed: 82)
        var settings = ConvergentSettings()
        settings.maxOrder = 4; settings.attributionSamples = 6; settings.pairSamples = 3
        let report = try ConvergentPipeline.run(model: m.model, fit: fit, evaluation: eval, settings: settings)
        // the order table is the surrogates' own, evaluated independently here
        let sur = try ChannelSurrogates(model: m, inputs: fit.inputs, batch: fit.batch, length: fit.length, lengths: fit.lengths, maxOrder: 4)
        let (g, s) = exact(m)
        let ref = try m.model.logits(inputs: eval.inputs, batch: 6, length: 10, lengths: eval.lengths)
        #expect(report.orders.map(\.order) == [1, 2, 3, 4])
        for r in report.orders {
            let k3 = try m.plainForward(inputs: eval.inputs, batch: 6, length: 10, lengths: eval.lengths, gelu: g, sigmoid: s,
                                        stages: sur.stages(order: r.order)).logits
            #expect(abs(r.relativeError - OperatorAnalysis.relativeError(k3, ref)) <= 1e-12)
        }
        let rule = report.orders.first { $0.agreement >= 0.99 && $0.accuracyRatio >= 0.99 && $0.relativeError <= 0.1 }
        #expect(report.headlineOrder == rule?.order)
        #expect(report.explainedOrder == (rule?.order ?? 4))
        // identity: the pure polynomial surrogate's graded components sum to its forward pass
        let id = try #require(report.surrogate.identity)
        #expect(id.totalDegree == sur.totalDegree(order: id.order) && id.totalDegree <= 25)
        #expect(id.order == (layers == 1 ? 4 : 1))                                       // 1 layer: 4·5 = 20; 3 layers: 2³ = 8
        #expect(id.error <= 1e-12)
        // attribution: k = n is the model; all band-set dividends sum to the logits
        let a = try #require(report.attribution)
        #expect(a.players == 5 && a.orders.map(\.order) == [1, 2, 3, 4, 5])
        #expect(a.orders.last!.relativeError <= 1e-12 && a.orders.last!.agreement == 1)
        #expect(a.dividendSumError <= 1e-12)
        #expect(a.layers.count == layers)
        let bands = try WaveBands(m.blocks[0].core, rule: .channel)
        for p in a.layers[0].topPairs {
            #expect(p.first < p.second && p.second <= 4)
            let periods = bands.periods(band: p.first).filter(\.isFinite)
            #expect(p.firstPeriod == (p.first == 4 || periods.isEmpty ? nil : periods[periods.count / 2]))
        }
        #expect(a.layers[0].pairMaps.count == 3 && a.layers[0].pairMaps[0].count == 5)
        #expect(report.bandLabels(layer: 0).last == "skip")
        // JSON: the contract's keys; a missing headline is written as null
        var none = report
        none.headlineOrder = nil
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(none)) as? [String: Any])
        #expect(json["headline_order"] is NSNull && json["formulation"] as? String == "convergent")
        #expect((json["headline"] as? String)?.hasPrefix("no order ≤ 4 reaches") == true)
        let orders = try #require(json["orders"] as? [[String: Any]])
        #expect(orders.allSatisfy { $0["agreement"] is Double && $0["relative_error"] is Double && $0["accuracy"] is Double })
        #expect(abs(try #require((json["surrogate"] as? [String: Any])?["identity_error"] as? Double) - id.error) <= 1e-20)
        #expect(try report.figures().map(\.name).contains("band-pairs-layer0.svg"))
    }

    /// S5, LRU and LinOSS cores with every head (GLU, half GLUs, GELU alone), erf and tanh GELUs: the stage adapter
    /// with the exact functions is the model, the convergent table runs, the pure surrogate's identity holds, and the
    /// attribution is absent with its reason (bands are S4D's).
    @Test(arguments: 0..<CoreOperatorTests.cases.count)
    func otherLTICoresGetTheConvergentOrder(_ c: Int) throws {
        let (core, sk, head, norm, pooling, prenorm, bidirectional) = CoreOperatorTests.cases[c]
        let m = try CoreOperatorTests.model(core: core, skeleton: sk, head: head, norm: norm, pooling: pooling, prenorm: prenorm,
                                            bidirectional: bidirectional)
        let B = 6, L = 9, u = randomInputs(B * L * 2, seed: 91), lengths = [9, 6, 9, 9, 7, 9]
        let forms = m.exactGELU
        let exactStages = ForwardStages(gelu: { c in c.ssmOutput.map { forms[c.layer].value($0) } }, gate: { _, z2 in z2.map { Sigmoid.value($0) } })
        let hooked = try m.plainForward(inputs: u, batch: B, length: L, lengths: lengths, gelu: m.exactGELU, sigmoid: m.exactGate,
                                        stages: exactStages).logits
        #expect(maxAbsDiff(hooked, try m.model.logits(inputs: u, batch: B, length: L, lengths: lengths)) <= 1e-12)
        let source = try BatchSource(sequences: (0..<B).map { Array(u[$0 * L * 2 ..< ($0 * L + lengths[$0]) * 2]) }, lengths: lengths,
                                     labels: (0..<B).map { $0 % 3 }, channels: 2)
        let batch = source.batch(Array(0..<B)[...])
        var settings = ConvergentSettings()
        settings.maxOrder = 6
        let report = try ConvergentPipeline.run(model: m.model, fit: batch, evaluation: batch, settings: settings)
        #expect(report.orders.map(\.order) == Array(1...6))
        #expect(report.orders.last!.relativeError < report.orders.first!.relativeError)
        #expect(try #require(report.surrogate.identity).error <= 1e-12, "\(report.surrogate.identity!)")
        #expect(report.attribution == nil && report.attributionNote?.contains("S4D") == true)
    }
}
