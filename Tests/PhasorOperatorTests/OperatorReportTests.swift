// The report: the JSON of the command line carries the analysis' numbers, per-order rows 1…P, and its figures.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import PhasorOperator

@Suite struct OperatorReportTests {
    @Test func reportJSONAndPlots() throws {
        let m = try tinyModel(layers: 1)
        let B = 4, L = 8, u = randomInputs(B * L * 2, seed: 21)
        let sur = try RangeSurrogate(model: m, inputs: u, batch: B, length: L, degree: 2)
        let labels = [0, 1, 2, 1]
        let s = try OperatorAnalysis.run(model: m, inputs: u, batch: B, length: L, labels: labels, maxOrder: 6, formulation: .chebyshev(sur))
        #expect(s.orders.map(\.order) == Array(1...6))
        #expect(try #require(s.identityError) <= 1e-12)                     // P = 6 = total degree
        #expect(s.homogeneityError <= 1e-12)
        #expect(s.layerDegreeRMS.count == 1 && s.layerDegreeRMS[0].count == 7 && s.channelDegreeShare.count == 7)
        // channel shares bound the degree-p logits: Σ_{s,c} |ℓ^[p]| ≤ B · Σ_h share[p][h] (triangle inequality)
        let run = try m.gradedForward(inputs: u, batch: B, length: L, order: 6, gelu: sur.geluExpansions, sigmoid: sur.sigmoidExpansions,
                                      frozenGains: try m.plainForward(inputs: u, batch: B, length: L, gelu: exact(m).0, sigmoid: exact(m).1).gains)
        for p in 1...6 {
            let lhs = run.logits.component(p).map { abs($0) }.reduce(0, +)
            #expect(lhs <= Double(B) * s.channelDegreeShare[p].reduce(0, +) * (1 + 1e-12))
            #expect(lhs > 0)
        }
        let (g, sg) = exact(m)
        let gains = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: sg).gains
        let pi = try m.pairInteractions(inputs: Array(u[0 ..< 2 * L * 2]), batch: 2, length: L, gelu: sur.geluExpansions, sigmoid: sur.sigmoidExpansions,
                                        basis: .modes, frozenGains: gains.map { Array($0[0 ..< 2 * L]) })
        let r = OperatorReport(summary: s, formulation: .chebyshev(sur), interactions: [pi], topPerClass: 2)
        #expect(r.interactions.count == 6)
        let obj = try #require(JSONSerialization.jsonObject(with: Data(try r.json().utf8)) as? [String: Any])
        func close(_ a: Double?, _ b: Double?) -> Bool { guard let a, let b else { return false }; return abs(a - b) <= 1e-15 * max(abs(b), 1e-300) }
        #expect(close(obj["full_accuracy"] as? Double, s.fullAccuracy))
        let rows = try #require(obj["orders"] as? [[String: Any]])
        #expect(rows.compactMap { $0["order"] as? Int } == Array(1...6))
        #expect(zip(rows.compactMap { $0["relative_error"] as? Double }, s.orders.map(\.relativeError)).allSatisfy { close($0, $1) })
        let surrogate = try #require(obj["surrogate"] as? [String: Any])
        #expect(close(surrogate["identity_error"] as? Double, s.identityError) && surrogate["total_degree"] as? Int == 6)
        #expect((obj["interactions"] as? [[String: Any]])?.count == 6)
        // figures: error and accuracy vs order (one marker per order and series) and the interaction matrix
        let figures = try r.figures(interactions: [pi])
        #expect(figures.map(\.name) == ["operator-error.svg", "operator-accuracy.svg", "interactions-modes.svg"])
        for (_, svg) in figures { #expect(svg.hasPrefix("<svg ") && XMLParser(data: Data(svg.utf8)).parse()) }
        #expect(figures[0].svg.components(separatedBy: "<circle").count - 1 == 6)
        #expect(figures[1].svg.components(separatedBy: "<circle").count - 1 == 12)
        let n = pi.labels.count
        #expect(figures[2].svg.components(separatedBy: "<rect").count - 1 == n * n + 1)   // cells + background
    }
}
