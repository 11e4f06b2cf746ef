import PhasorIdentification
import PhasorNumerics
import Testing

@Suite struct RankRuleTests {
    /// Gavish & Donoho (2014) report ω(1) ≈ 2.858 and fit ω(β) ≈ 0.56β³ − 0.95β² + 1.82β + 1.43 (accurate to a few 1e-3).
    @Test func optimalThresholdCoefficientMatchesThePublishedValues() {
        #expect(abs(RankRule.omega(beta: 1) - 2.858) <= 5e-4)
        #expect(abs(RankRule.lambdaStar(beta: 1) - 4 / 3.0.squareRoot()) <= 1e-14)
        for beta in stride(from: 0.05, through: 1.0, by: 0.05) {
            let fit = 0.56 * beta * beta * beta - 0.95 * beta * beta + 1.82 * beta + 1.43
            #expect(abs(RankRule.omega(beta: beta) - fit) <= 0.01, "β = \(beta)")
        }
    }

    /// The Marchenko–Pastur median against a sampled noise matrix: σ_i²/n of a 150×600 Gaussian matrix (β = 1/4).
    @Test func marchenkoPasturMedianMatchesANoiseMatrix() throws {
        var g = SeededGenerator(seed: 5)
        let m = 150, n = 600
        let noise = try ComplexMatrix(real: (0..<m).map { _ in (0..<n).map { _ in g.normal() } })
        let squares = try noise.singularValues().map { $0 * $0 / Double(n) }.sorted()
        let sampled = (squares[m / 2 - 1] + squares[m / 2]) / 2
        #expect(abs(sampled / RankRule.marchenkoPasturMedian(beta: 0.25) - 1) <= 0.03)
        // and the threshold then keeps none of the noise singular values
        let (rank, _) = try RankRule.optimalHardThreshold.rank(singularValues: try noise.singularValues(), rows: m, columns: n)
        #expect(rank == 1)  // the rule keeps at least one
    }

    @Test func energyAndFixedRulesAndTheRoundingCap() throws {
        let s = [4.0, 2, 1, 1e-3]  // energies 16, 4, 1, 1e-6 of 21.000001
        #expect(try RankRule.energy(0.7).rank(singularValues: s, rows: 4, columns: 10).rank == 1)
        #expect(try RankRule.energy(0.9).rank(singularValues: s, rows: 4, columns: 10).rank == 2)
        #expect(try RankRule.energy(0.99).rank(singularValues: s, rows: 4, columns: 10).rank == 3)
        #expect(try RankRule.energy(1).rank(singularValues: s, rows: 4, columns: 10).rank == 4)
        #expect(try RankRule.fixed(3).rank(singularValues: s, rows: 4, columns: 10).rank == 3)
        let capped = try RankRule.fixed(3).rank(singularValues: [1, 0.5, 1e-17], rows: 3, columns: 10)
        #expect(capped.rank == 2 && capped.note != nil)
        #expect(throws: IdentificationError.self) { try RankRule.fixed(5).rank(singularValues: s, rows: 4, columns: 10) }
        #expect(throws: IdentificationError.self) { try RankRule.energy(0).rank(singularValues: s, rows: 4, columns: 10) }
        #expect(throws: IdentificationError.self) { try RankRule.energy(1.5).rank(singularValues: s, rows: 4, columns: 10) }
    }
}
