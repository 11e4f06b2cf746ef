import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorIdentification
import PhasorNumerics
import Testing

/// The bundled catalogue, found from this file's place in the repository.
enum BundledCatalogue {
    static var path: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(AttractorCatalogue.relativePath).path
    }
}

@Suite struct HAVOKTests {
    /// HAVOK on the Lorenz x-coordinate (Δ = 0.01, 200 time units, q = 20 delays spanning 0.2, r = 11): the linear part
    /// is nearly neutral, and the forcing's large excursions (|v_11| > 2.5 std) fall around the lobe switches (sign changes of
    /// x) — the switches are computed from x itself, independently of the SVD. Windows: 0.3 before to 0.1 after a
    /// switch. Numbers of this run are in docs/identification.md.
    @Test func forcingBurstsMarkTheLorenzLobeSwitches() throws {
        let lorenz = try AttractorCatalogue(contentsOf: BundledCatalogue.path)
            .series("Lorenz", length: 20_000, step: 0.01)
        let x = try TimeSeries(name: "x", channels: 1, values: lorenz.channel(0))
        let havok = try HAVOK(x, delays: 20, rank: .fixed(11), step: 0.01)
        #expect(havok.rank == 11)
        // the linear part is a set of nearly neutral oscillators (Brunton et al.: A is close to skew-symmetric)
        let mus = try havok.a.eigen().values
        #expect(mus.allSatisfy { abs($0.length - 1) < 1e-3 })
        #expect(havok.regressionResidual < 1e-2)
        let newest = Array(x.values[19...])  // x at the newest sample of each window
        let agreement = try SwitchingAgreement(forcing: havok.forcing, observable: newest, thresholdSigmas: 2.5,
                                               before: 30, after: 10)
        #expect(agreement.switches > 100)
        #expect(agreement.precision >= 0.9 && agreement.baseRate <= 0.3)
        #expect(agreement.recall >= 2 * agreement.chanceRecall)
        // the linear model driven by the measured forcing follows x over all 200 time units (this run: 0.096)
        let rebuilt = try havok.reconstruction()
        let error = zip(rebuilt, newest).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        let spread = newest.map { $0 * $0 }.reduce(0, +)
        #expect((error / spread).squareRoot() < 0.15)
        // its ZOH form continuises to Brunton's dv/dt = A_c v + B_c f, which samples back to (Ā, B₀ + B₁)
        let system = try havok.system()
        let continuous = try system.continuised(method: .zoh).system
        let back = try continuous.discretised(step: 0.01, method: .zoh).system
        #expect(try (back.a - system.a).frobeniusNorm <= 1e-10 * system.a.frobeniusNorm)
        #expect(try (back.b - system.b).frobeniusNorm <= 1e-10 * system.b.frobeniusNorm)
    }
}
