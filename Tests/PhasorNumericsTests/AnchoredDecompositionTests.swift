// The anchored (Harsanyi/Möbius) decomposition: the full order sums to f(Σ w) (direct evaluation), the terms invert
// back to every f(x_T) (zeta transform computed here by brute force), a player at its anchor gets nothing, the
// weighted truncation equals the sum of the terms it keeps, and the known terms of a square.
import Foundation
import Testing
import PhasorNumerics

@Suite struct AnchoredDecompositionTests {
    /// A coupled, non-polynomial map R^m → R^m: GELU of each element plus a sigmoid of the mean.
    static func coupled(_ x: [Double]) -> [Double] {
        let mean = x.reduce(0, +) / Double(x.count)
        return x.map { GELU.value($0) + 0.5 * Sigmoid.value(3 * mean) * $0 }
    }

    static func players(_ n: Int, size m: Int, seed: UInt64) -> (w: [[Double]], a: [[Double]]) {
        var g = SeededGenerator(seed: seed)
        let w = (0..<n).map { _ in (0..<m).map { _ in 2 * g.normal() } }
        let a = (0..<n).map { _ in (0..<m).map { _ in 0.3 * g.normal() } }
        return (w, a)
    }

    @Test func fullOrderSumsToTheDirectValueAndInvertsBack() throws {
        let (w, a) = Self.players(9, size: 7, seed: 51)
        let (masks, terms) = try AnchoredDecomposition.terms(players: w, anchors: a, maxOrder: 9, Self.coupled)
        #expect(masks.count == 512)
        var direct = [Double](repeating: 0, count: 7)
        for i in 0..<9 { for e in 0..<7 { direct[e] += w[i][e] } }
        let target = Self.coupled(direct)
        for e in 0..<7 {
            let sum = terms.reduce(0) { $0 + $1[e] }
            #expect(abs(sum - target[e]) <= 1e-12 * max(1, abs(target[e])))
        }
        // zeta: f(x_T) = Σ_{S⊆T} Δ_S for every T
        for (p, t) in masks.enumerated() where p % 7 == 0 {
            let value = Self.coupled(AnchoredDecomposition.point(players: w, anchors: a, subset: t))
            for e in 0..<7 {
                var s = 0.0
                for (q, m) in masks.enumerated() where m & ~t == 0 { s += terms[q][e] }
                #expect(abs(s - value[e]) <= 1e-12 * max(1, abs(value[e])))
            }
        }
    }

    @Test func aPlayerAtItsAnchorGetsNothing() throws {
        var (w, a) = Self.players(6, size: 5, seed: 52)
        w[2] = a[2]
        let (masks, terms) = try AnchoredDecomposition.terms(players: w, anchors: a, maxOrder: 6, Self.coupled)
        for (p, m) in masks.enumerated() where m & (1 << 2) != 0 {
            #expect(terms[p].allSatisfy { abs($0) <= 1e-15 }, "subset \(m)")
        }
        #expect(masks.enumerated().contains { $0.element & 4 == 0 && $0.element != 0 && terms[$0.offset].contains { abs($0) > 1e-3 } })
    }

    @Test func truncationEqualsTheSumOfTheTermsItKeeps() throws {
        let (w, a) = Self.players(9, size: 4, seed: 53)
        let (masks, terms) = try AnchoredDecomposition.terms(players: w, anchors: a, maxOrder: 9, Self.coupled)
        let g = { (x: Double) in GELU.value(x) * Foundation.sin(x) }
        let (_, gTerms) = try AnchoredDecomposition.terms(players: w, anchors: a, maxOrder: 9) { $0.map(g) }
        for k in 0...10 {
            let elementwise = try AnchoredDecomposition.elementwiseTruncation(players: w, anchors: a, order: k, g)
            for e in 0..<4 {
                var s = 0.0
                for (p, m) in masks.enumerated() where m.nonzeroBitCount <= k { s += gTerms[p][e] }
                #expect(abs(elementwise[e] - s) <= 1e-11 * max(1, abs(s)), "elementwise, order \(k)")
            }
        }
        for k in 0...9 {
            let fast = try AnchoredDecomposition.truncation(players: w, anchors: a, order: k, Self.coupled)
            for e in 0..<4 {
                var s = 0.0
                for (p, m) in masks.enumerated() where m.nonzeroBitCount <= k { s += terms[p][e] }
                #expect(abs(fast[e] - s) <= 1e-11 * max(1, abs(s)), "order \(k)")
            }
        }
        // the lower-order terms do not depend on the order asked for
        let (masks3, terms3) = try AnchoredDecomposition.terms(players: w, anchors: a, maxOrder: 3, Self.coupled)
        #expect(masks3.count == 1 + 9 + 36 + 84)
        for (p, m) in masks3.enumerated() { #expect(zip(terms3[p], terms[masks.firstIndex(of: m)!]).allSatisfy { abs($0 - $1) <= 1e-12 }) }
    }

    @Test func termsOfASquareAreKnown() throws {
        // f(x) = x²: Δ_∅ = A², Δ_{i} = 2A·d_i + d_i², Δ_{ij} = 2 d_i d_j, nothing above order 2
        let (w, a) = Self.players(4, size: 3, seed: 54)
        let (masks, terms) = try AnchoredDecomposition.terms(players: w, anchors: a, maxOrder: 4) { $0.map { $0 * $0 } }
        for e in 0..<3 {
            let A = a.reduce(0) { $0 + $1[e] }, d = (0..<4).map { w[$0][e] - a[$0][e] }
            for (p, m) in masks.enumerated() {
                let members = (0..<4).filter { m & (1 << $0) != 0 }
                let expected: Double
                switch members.count {
                case 0: expected = A * A
                case 1: expected = 2 * A * d[members[0]] + d[members[0]] * d[members[0]]
                case 2: expected = 2 * d[members[0]] * d[members[1]]
                default: expected = 0
                }
                #expect(abs(terms[p][e] - expected) <= 1e-12 * max(1, abs(expected)))
            }
        }
    }

    @Test func weightsAndBadInput() throws {
        // ω_{9,3}: t = 0…3 → −C(8,3), C(7,2), −C(6,1), C(5,0)
        #expect(AnchoredDecomposition.truncationWeights(players: 9, order: 3) == [-56, 21, -6, 1])
        #expect(AnchoredDecomposition.truncationWeights(players: 3, order: 5) == [0, 0, 0, 1])
        #expect(throws: DecompositionError.players(0)) { try AnchoredDecomposition.truncation(players: [], anchors: [], order: 1) { $0 } }
        #expect(throws: DecompositionError.shapes("players and anchors must all have 2 values")) {
            try AnchoredDecomposition.truncation(players: [[1, 2], [3]], anchors: [[0, 0], [0]], order: 1) { $0 }
        }
    }
}
