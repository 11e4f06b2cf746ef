// Identities of the explicit operator on tiny seeded models (Double): plain forward vs S4Model, graded sum vs the
// surrogate's own forward, homogeneity, exact linearity for degree-1 surrogates, local Taylor coefficients, overflow.
import Foundation
import Testing
import PhasorModels
import PhasorNumerics
@testable import PhasorOperator

func tinyModel(layers: Int = 1, prenorm: Bool = false, h: Int = 4, n: Int = 4, dIn: Int = 2, seed: UInt64 = 7) throws -> OperatorModel {
    let c = S4ModelConfiguration(dInput: dIn, dModel: h, dState: n, layers: layers, classes: 3, prenorm: prenorm, dropout: 0)
    return try OperatorModel(S4Model(configuration: c, seed: seed))
}

func randomInputs(_ count: Int, seed: UInt64, scale: Double = 1) -> [Double] {
    var g = SeededGenerator(seed: seed)
    return (0..<count).map { _ in scale * g.normal() }
}

func exact(_ m: OperatorModel) -> ([PointwiseExpansion], [PointwiseExpansion]) {
    (m.exactGELU, m.exactGate)
}

func maxAbsDiff(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }

@Suite struct GradedOperatorTests {
    @Test(arguments: [false, true], [8, 40])
    func plainForwardIsTheModel(prenorm: Bool, length: Int) throws {
        let m = try tinyModel(layers: 2, prenorm: prenorm)
        let B = 3, u = randomInputs(B * length * 2, seed: 1)
        let (g, s) = exact(m)
        let mine = try m.plainForward(inputs: u, batch: B, length: length, lengths: [length, length - 3, 5], gelu: g, sigmoid: s).logits
        let ref = try m.model.logits(inputs: u, batch: B, length: length, lengths: [length, length - 3, 5])
        #expect(maxAbsDiff(mine, ref) <= 1e-12)
    }

    @Test func cauchyProductMatchesPolynomialProduct() throws {
        // (1 + 2ε + 3ε²)(4 − ε) = 4 + 7ε + 10ε² (+ 3ε³ dropped at P = 2)
        let x = try GradedSignal(order: 2, components: [[1], [2], [3]]), y = try GradedSignal(order: 2, components: [[4], [-1]])
        #expect((x * y).data == [4, 7, 10])
    }

    @Test func localTaylorCoefficientsMatchTheSeriesAtZeroAndTheFunctionNearby() throws {
        let P = 12
        let g0 = PointwiseExpansion.gelu.table(order: P).coefficients(at: [0.0][...])
        let s0 = PointwiseExpansion.sigmoid.table(order: P).coefficients(at: [0.0][...])
        #expect(maxAbsDiff(g0, GELU.taylorCoefficients(through: P)) <= 1e-15)
        #expect(maxAbsDiff(s0, Sigmoid.taylorCoefficients(through: P)) <= 1e-15)
        for (f, value) in [(PointwiseExpansion.gelu, { GELU.value($0) } as (Double) -> Double), (.sigmoid, { Sigmoid.value($0) })] {
            for y0 in [-2.3, 0.7, 1.9] {
                let a = f.table(order: 20).coefficients(at: [y0][...])
                let t = 0.15
                let series = a.enumerated().reduce(0.0) { $0 + $1.element * Foundation.pow(t, Double($1.offset)) }
                #expect(abs(series - value(y0 + t)) <= 1e-14)
            }
        }
    }

    @Test func chebyshevLocalCoefficientsAreExactPolynomialShifts() throws {
        let p = try ChebyshevSeries(coefficients: [0.3, -1.2, 0.5, 0.25], lower: -2, upper: 3)
        let a = PointwiseExpansion.polynomial(p).table(order: 5).coefficients(at: [0.4][...])
        #expect(a[4] == 0 && a[5] == 0)                                      // degree 3
        for t in [-0.7, 0.2, 1.1] {
            let shifted = (0...3).reduce(0.0) { $0 + a[$1] * Foundation.pow(t, Double($1)) }
            #expect(abs(shifted - p(0.4 + t)) <= 1e-13)
        }
    }

    @Test(arguments: [false, true], [false, true])
    func gradedSumEqualsSurrogateForward(prenorm: Bool, centred: Bool) throws {
        let m = try tinyModel(layers: 1, prenorm: prenorm)
        let B = 4, L = 10, u = randomInputs(B * L * 2, seed: 3)
        let ref: [Double]? = centred ? randomInputs(L * 2, seed: 33, scale: 0.5) : nil
        let sur = try RangeSurrogate(model: m, inputs: u, batch: B, length: L, degree: 2)
        let (g, s) = exact(m)
        let gains = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s).gains
        let P = sur.totalDegree
        #expect(P == 6)
        func graded(_ x: [Double], _ order: Int) throws -> GradedSignal {
            try m.gradedForward(inputs: x, batch: B, length: L, order: order, gelu: sur.geluExpansions, sigmoid: sur.sigmoidExpansions,
                                frozenGains: gains, reference: ref).logits
        }
        let run = try graded(u, P)
        let ref0 = try m.plainForward(inputs: u, batch: B, length: L, gelu: sur.geluExpansions, sigmoid: sur.sigmoidExpansions, frozenGains: gains).logits
        #expect(maxAbsDiff(run.sum(), ref0) <= 1e-12 * max(1, ref0.map { abs($0) }.max()!))
        // one order more adds an exactly zero component
        #expect(try graded(u, P + 1).component(P + 1).map { abs($0) }.max()! <= 1e-13)
        // homogeneity in the deviation: ℓ^[p](ū + (u − ū)/2) = 2^{−p} ℓ^[p](u)
        let r = ref ?? [Double](repeating: 0, count: L * 2)
        for eps in [0.5, 0.3] {
            let scaled = try graded(u.indices.map { r[$0 % (L * 2)] + eps * (u[$0] - r[$0 % (L * 2)]) }, P)
            for p in 0...P {
                let a = run.component(p), b = scaled.component(p)
                #expect(maxAbsDiff(b, a.map { $0 * Foundation.pow(eps, Double(p)) }) <= 1e-13)
            }
        }
    }

    /// A separate gate degree d_σ: total degree d·(1 + d_σ) on one layer (3·(1 + 2) = 9, and 4 with a constant gate),
    /// Σ_{p≤D} ℓ^[p] is the surrogate's own forward, ℓ^[D+1] ≡ 0, and the gate fit really has degree d_σ.
    @Test(arguments: [(3, 2, 9), (4, 0, 4)])
    func separateGateDegreeKeepsTheIdentity(gelu d: Int, gate ds: Int, total: Int) throws {
        let m = try tinyModel(layers: 1, prenorm: true)
        let B = 3, L = 9, u = randomInputs(B * L * 2, seed: 5)
        let ref = randomInputs(L * 2, seed: 55, scale: 0.5)
        let sur = try RangeSurrogate(model: m, inputs: u, batch: B, length: L, degree: d, sigmoidDegree: ds)
        #expect(sur.totalDegree == total && sur.sigmoid[0].series.degree == ds && sur.gelu[0].series.degree == d)
        let (g, s) = exact(m)
        let gains = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s).gains
        let run = try m.gradedForward(inputs: u, batch: B, length: L, order: total + 1, gelu: sur.geluExpansions,
                                      sigmoid: sur.sigmoidExpansions, frozenGains: gains, reference: ref).logits
        let plain = try m.plainForward(inputs: u, batch: B, length: L, gelu: sur.geluExpansions, sigmoid: sur.sigmoidExpansions,
                                       frozenGains: gains).logits
        let scale = max(1, plain.map { abs($0) }.max()!)
        #expect(maxAbsDiff(run.sum(through: total), plain) <= 1e-12 * scale)
        #expect(run.component(total + 1).map { abs($0) }.max()! <= 1e-13 * scale)
        #expect(run.component(total).map { abs($0) }.max()! > 1e-8)              // the top degree is really reached
        #expect(throws: OperatorError.self) { try RangeSurrogate(model: m, inputs: u, batch: B, length: L, degree: 2, sigmoidDegree: -1) }
    }

    @Test func degreeOneSurrogateIsExactlyAffine() throws {
        let m = try tinyModel(layers: 2)
        let B = 2, L = 12, u = randomInputs(B * L * 2, seed: 4)
        let sur = try RangeSurrogate(model: m, inputs: u, batch: B, length: L, degree: 1)
        let (g, s) = exact(m)
        let gains = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s).gains
        // degree-1 σ makes GLU quadratic; replace σ by its constant so the block is affine: deg 1 everywhere
        let flat = try sur.sigmoid.map { PointwiseExpansion.polynomial(try ChebyshevSeries(coefficients: [$0.series.coefficients[0]], lower: $0.series.lower, upper: $0.series.upper)) }
        let run = try m.gradedForward(inputs: u, batch: B, length: L, order: 3, gelu: sur.geluExpansions, sigmoid: flat, frozenGains: gains)
        #expect(run.logits.component(2).map { abs($0) }.max()! == 0 && run.logits.component(3).map { abs($0) }.max()! == 0)
        let f = { (x: [Double]) in try m.plainForward(inputs: x, batch: B, length: L, gelu: sur.geluExpansions, sigmoid: flat, frozenGains: gains).logits }
        let zero = try f([Double](repeating: 0, count: u.count)), at = try f(u)
        #expect(maxAbsDiff(run.logits.component(0), zero) <= 1e-13)
        #expect(maxAbsDiff(run.logits.component(1), zip(at, zero).map { $0 - $1 }) <= 1e-12)
    }

    @Test func taylorFirstOrderIsTheLinearisationAtZero() throws {
        let m = try tinyModel(layers: 2)
        let B = 2, L = 9, u = randomInputs(B * L * 2, seed: 5, scale: 0.3)
        let (g, s) = exact(m)
        let gains = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s).gains
        let run = try m.gradedForward(inputs: u, batch: B, length: L, order: 1, gelu: g, sigmoid: s, frozenGains: gains)
        let h = 1e-5
        let f = { (e: Double) in try m.plainForward(inputs: u.map { e * $0 }, batch: B, length: L, gelu: g, sigmoid: s, frozenGains: gains).logits }
        let fd = zip(try f(h), try f(-h)).map { ($0 - $1) / (2 * h) }          // d/dε ℓ(εu) at ε = 0
        #expect(maxAbsDiff(run.logits.component(1), fd) <= 1e-8)
        #expect(maxAbsDiff(run.logits.component(0), try f(0)) <= 1e-13)
    }

    @Test func seriesGainMatchesTheNormalisedModelNearZero() throws {
        // with the gain expanded, Σ_p ℓ^[p](εu) → the model (gain recomputed) as P grows, for small ε
        let m = try tinyModel(layers: 1)
        let B = 2, L = 8, u = randomInputs(B * L * 2, seed: 6, scale: 0.05)
        let (g, s) = exact(m)
        let ref = try m.model.logits(inputs: u, batch: B, length: L)
        let run = try m.gradedForward(inputs: u, batch: B, length: L, order: 14, gelu: g, sigmoid: s, gain: .series)
        #expect(run.gainOutsideRadius == 0)
        #expect(maxAbsDiff(run.logits.sum(), ref) <= 1e-9)
    }

    @Test func taylorDivergenceIsReported() throws {
        let m = try tinyModel(layers: 2)
        let B = 6, L = 10, u = randomInputs(B * L * 2, seed: 8, scale: 25)
        let r = try OperatorAnalysis.run(model: m, inputs: u, batch: B, length: L, labels: [0, 1, 2, 0, 1, 2], maxOrder: 9, formulation: .taylor)
        #expect(r.radiusBelowOne)
        #expect(r.sigmoidOutsideRadius > 0)
    }

    @Test func surrogateConvergesAsDegreeGrows() throws {
        let m = try tinyModel(layers: 2, h: 6)
        let B = 8, L = 12, u = randomInputs(B * L * 2, seed: 9, scale: 2)
        let (g, s) = exact(m)
        let rec = try m.plainForward(inputs: u, batch: B, length: L, gelu: g, sigmoid: s)
        var errors: [Double] = []
        for d in [2, 5, 9, 15] {
            let sur = try RangeSurrogate(model: m, inputs: u, batch: B, length: L, degree: d)
            let l = try m.plainForward(inputs: u, batch: B, length: L, gelu: sur.geluExpansions, sigmoid: sur.sigmoidExpansions, frozenGains: rec.gains).logits
            errors.append(OperatorAnalysis.relativeError(l, rec.logits))
        }
        #expect(errors[3] < errors[1] && errors[1] < errors[0])
        #expect(errors[3] < 1e-3)
    }

    @Test func weightFloorKeepsTheFitBoundedOnOutliers() throws {
        // data concentrated near 0 plus two rare outliers at the range's ends: the fit must stay near f on the range
        var x = randomInputs(4000, seed: 10, scale: 0.5); x += [-25, 25]
        for d in [5, 9, 13] {
            let p = try ChebyshevSeries.weightedFit({ Sigmoid.value($0) }, samples: x, degree: d, lower: -25.01, upper: 25.01, floor: 0.02)
            let grid = (0...4000).map { -25.01 + 50.02 * Double($0) / 4000 }
            #expect(grid.map { abs(p($0)) }.max()! < 2)                        // σ ∈ (0, 1): bounded, no explosion
            let bare = try ChebyshevSeries.weightedFit({ Sigmoid.value($0) }, samples: x, degree: d, lower: -25.01, upper: 25.01, floor: 0)
            #expect(grid.map { abs(bare($0)) }.max()! > 10)                    // without the floor it does explode
        }
    }

    @Test func overflowIsReportedNotPrinted() throws {
        let y = try GradedSignal(order: 3, components: [[0], [1e200], [1e200]])
        let out = y.composed(coefficients: [1, 1e200, 1e200, 1e200])
        #expect(throws: OperatorError.self) { try out.requireFinite("test") }
        let m = try tinyModel()
        #expect(throws: OperatorError.invalidOrder(30, "orders above 25 are not evaluated (cost grows as P³ and the terms overflow); use ≤ 25")) {
            try OperatorAnalysis.run(model: m, inputs: [Double](repeating: 0, count: 16), batch: 1, length: 8, labels: [0], maxOrder: 30, formulation: .taylor)
        }
        #expect(throws: OperatorError.invalidOrder(-1, "the truncation order must be ≥ 0")) {
            try m.gradedForward(inputs: [Double](repeating: 0, count: 16), batch: 1, length: 8, order: -1, gelu: exact(m).0,
                                sigmoid: exact(m).1, frozenGains: [[Double](repeating: 1, count: 8)])
        }
        #expect(throws: OperatorError.self) {
            try OperatorAnalysis.run(model: m, inputs: [Double](repeating: 0, count: 24), batch: 1, length: 8, labels: [0], maxOrder: 2, formulation: .taylor)
        }
    }
}
