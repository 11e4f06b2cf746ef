// Exact-by-construction models (every head bilinear): the graded evaluation at order 2ⁿ is the model — checked against
// the model's own forward pass (S4Model.logits, an independent computation) — with BatchNorm, no norm, or LayerNorm at
// frozen gains; the model is a polynomial of degree 2ⁿ in its input (logits(εu) = Σ_p ε^p ℓ^[p](u)) with BatchNorm or
// no norm, and NOT with LayerNorm (its gain depends on the input); layer-0 pair terms sum to the degree-2 logits.
import Foundation
import Testing
import PhasorModels
import PhasorNumerics
@testable import PhasorOperator

/// A seeded bilinear model; BatchNorm buffers set to non-trivial values (the affine map must carry them).
func bilinearModel(layers: Int, norm: NormKind, prenorm: Bool = false, h: Int = 4, n: Int = 4, dIn: Int = 2,
                   seed: UInt64 = 7) throws -> OperatorModel {
    let c = S4ModelConfiguration(dInput: dIn, dModel: h, dState: n, layers: layers, classes: 3, prenorm: prenorm,
                                 dropout: 0, norm: norm, head: .bilinear)
    var model = try S4Model(configuration: c, seed: seed)
    if norm == .batch {
        var g = SeededGenerator(seed: seed + 1)
        for i in 0..<layers {
            var b = model.block(i)
            b.norm = .batch(try BatchNormParameters(weight: (0..<h).map { _ in 1 + 0.3 * g.normal() },
                                                    bias: (0..<h).map { _ in 0.2 * g.normal() },
                                                    runningMean: (0..<h).map { _ in 0.5 * g.normal() },
                                                    runningVariance: (0..<h).map { _ in 0.5 + g.uniform() }, batchesTracked: 9))
            try model.setBlock(i, b)
        }
    }
    return try OperatorModel(model)
}

@Suite struct ExactOperatorTests {
    @Test(arguments: [1, 2, 3], [NormKind.batch, .none, .layer])
    func fullOrderIsTheModel(layers: Int, norm: NormKind) throws {
        for prenorm in [false, true] {
            let m = try bilinearModel(layers: layers, norm: norm, prenorm: prenorm)
            #expect(m.exactDegree == 1 << layers && m.exactNeedsFrozenGains == (norm == .layer))
            let B = 5, L = 9, u = randomInputs(B * L * 2, seed: 3), lengths = [9, 7, 9, 2, 5], labels = [0, 1, 2, 1, 0]
            let P = 1 << layers
            let s = try OperatorAnalysis.run(model: m, inputs: u, batch: B, length: L, lengths: lengths, labels: labels,
                                             maxOrder: P, formulation: .exact(degree: P), chunk: 2)
            let model = try m.model.logits(inputs: u, batch: B, length: L, lengths: lengths)   // the model's own forward
            let run = try m.gradedForward(inputs: u, batch: B, length: L, lengths: lengths, order: P, gelu: exact(m).0,
                                          sigmoid: exact(m).1,
                                          frozenGains: try m.plainForward(inputs: u, batch: B, length: L, lengths: lengths,
                                                                          gelu: exact(m).0, sigmoid: exact(m).1).gains)
            let scale = model.map { abs($0) }.max()!
            #expect(maxAbsDiff(run.logits.sum(through: P), model) <= 1e-12 * scale, "\(layers) \(norm) \(prenorm)")
            #expect(try #require(s.identityError) <= 1e-12)
            #expect(s.orders.map(\.order) == Array(1...P) && s.surrogateTotalDegree == P)
            #expect(s.orders.last!.agreement == 1 && s.orders.last!.relativeError <= 1e-12)
            #expect(s.orders.last!.accuracy == s.fullAccuracy && !s.radiusBelowOne && s.homogeneityError <= 1e-12)
            if P > 1 { #expect(s.orders[0].relativeError > 1e-6) }                // order 1 alone is not the model
        }
    }

    /// logits(εu) = Σ_{p ≤ 2ⁿ} ε^p ℓ^[p](u) at ε far from 1: the model IS a polynomial of degree 2ⁿ in its input —
    /// with BatchNorm or no norm; with LayerNorm it is not (the gain 1/√(var + ε) changes with the input).
    @Test(arguments: [(1, NormKind.batch), (1, .none), (2, .batch), (2, .none), (2, .layer)])
    func thePolynomialInTheInput(case c: (layers: Int, norm: NormKind)) throws {
        let m = try bilinearModel(layers: c.layers, norm: c.norm, prenorm: true)
        let B = 3, L = 8, u = randomInputs(B * L * 2, seed: 5), P = 1 << c.layers
        let gains = try m.plainForward(inputs: u, batch: B, length: L, gelu: exact(m).0, sigmoid: exact(m).1).gains
        let run = try m.gradedForward(inputs: u, batch: B, length: L, order: P, gelu: exact(m).0, sigmoid: exact(m).1, frozenGains: gains)
        for epsilon in [0.37, 2.5] {
            let scaled = try m.model.logits(inputs: u.map { epsilon * $0 }, batch: B, length: L)
            var series = [Double](repeating: 0, count: scaled.count)
            for p in 0...P { let f = Foundation.pow(epsilon, Double(p)); for (i, v) in run.logits.component(p).enumerated() { series[i] += f * v } }
            let gap = maxAbsDiff(series, scaled) / scaled.map { abs($0) }.max()!
            if c.norm == .layer { #expect(gap > 1e-4, "LayerNorm at ε = \(epsilon)") } else { #expect(gap <= 1e-12, "\(c) at ε = \(epsilon)") }
        }
    }

    @Test(arguments: [NormKind.batch, .layer], InteractionBasis.allCases)
    func pairsSumToTheDegreeTwoLogitsOfOneBilinearLayer(norm: NormKind, basis: InteractionBasis) throws {
        for centred in [false, true] {
            let m = try bilinearModel(layers: 1, norm: norm, h: 3)
            let B = 2, L = 9, u = randomInputs(B * L * 2, seed: 13)
            let ref: [Double]? = centred ? randomInputs(L * 2, seed: 14) : nil
            let (g, s) = exact(m)
            let gains = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s).gains
            let whole = try m.gradedForward(inputs: u, batch: B, length: L, order: 2, gelu: g, sigmoid: s, frozenGains: gains, reference: ref)
            let pi = try m.pairInteractions(inputs: u, batch: B, length: L, gelu: g, sigmoid: s, basis: basis, frozenGains: gains, reference: ref)
            let C = 3, ell2 = whole.logits.component(2)
            #expect(ell2.map { abs($0) }.max()! > 1e-6)
            for b in 0..<B { for c in 0..<C {
                let total = (0..<pi.pairs.count).reduce(0.0) { $0 + pi.contributions[b][$1 * C + c] }
                #expect(abs(total - ell2[b * C + c]) <= 1e-12 * max(1, abs(ell2[b * C + c])))
            } }
        }
    }

    @Test func thePipelineDetectsExactModelsAndReportsAgreementForAll() throws {
        let B = 6, L = 7
        let u = randomInputs(B * L * 2, seed: 8), labels = [0, 1, 2, 0, 1, 2]
        let batch = try BatchSource(sequences: (0..<B).map { Array(u[$0 * L * 2 ..< ($0 + 1) * L * 2]) },
                                    lengths: [Int](repeating: L, count: B), labels: labels, channels: 2).batch(Array(0..<B)[...])
        var settings = OperatorSettings()
        settings.maxOrder = 3; settings.degree = 2; settings.interactionSamples = 2
        for norm in [NormKind.batch, .none, .layer] {
            let m = try bilinearModel(layers: 2, norm: norm)
            let out = try OperatorPipeline.run(model: m.model, fit: batch, evaluation: batch, settings: settings)
            let r = out.report
            #expect(r.exact && r.formulation == "exact" && r.exactDegree == 4 && r.orders.count == 4)
            #expect((r.exactCondition != nil) == (norm == .layer))
            #expect(try #require(r.surrogate?.identityError) <= 1e-12 && r.surrogate?.totalDegree == 4 && r.surrogate?.degree == nil)
            #expect(r.orders.last!.agreement == 1)
            let json = try #require(JSONSerialization.jsonObject(with: Data(try r.json().utf8)) as? [String: Any])
            #expect(json["exact"] as? Bool == true && json["exact_degree"] as? Int == 4)
            #expect(!r.interactions.isEmpty)
        }
        // a GELU model: not exact, and each row's agreement is the share of samples predicted as the model predicts
        let glu = try tinyModel(layers: 1)
        let out = try OperatorPipeline.run(model: glu.model, fit: batch, evaluation: batch, settings: settings)
        #expect(!out.report.exact && out.report.exactDegree == nil && out.report.formulation == "chebyshev")
        let full = try glu.model.logits(inputs: u, batch: B, length: L)
        let sur = try RangeSurrogate(model: glu, inputs: u, batch: B, length: L, degree: 2)
        let run = try glu.gradedForward(inputs: u, batch: B, length: L, order: 3, gelu: sur.geluExpansions, sigmoid: sur.sigmoidExpansions,
                                        frozenGains: try glu.plainForward(inputs: u, batch: B, length: L, gelu: exact(glu).0, sigmoid: exact(glu).1).gains)
        func argmax(_ x: [Double], _ b: Int) -> Int { (0..<3).max { x[b * 3 + $0] < x[b * 3 + $1] }! }
        for p in 1...3 {
            let partial = run.logits.sum(through: p)
            let same = (0..<B).filter { argmax(partial, $0) == argmax(full, $0) }.count
            #expect(out.report.orders[p - 1].agreement == Double(same) / Double(B))
        }
        let json = try #require(JSONSerialization.jsonObject(with: Data(try out.report.json().utf8)) as? [String: Any])
        #expect(json["exact"] as? Bool == false)
        #expect((json["orders"] as? [[String: Any]])?.allSatisfy { $0["agreement"] is Double } == true)
    }

    @Test func tooManyBilinearBlocksAreRefusedWithTheReason() throws {
        let m = try bilinearModel(layers: 7, norm: .batch, h: 2, n: 2, dIn: 1)
        let batch = try BatchSource(sequences: [[1, 2, 3]], lengths: [3], labels: [0], channels: 1).batch([0][...])
        #expect(throws: OperatorError.self) { _ = try OperatorPipeline.run(model: m.model, fit: batch, evaluation: batch, settings: OperatorSettings()) }
    }
}
