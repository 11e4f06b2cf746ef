import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PhasorCorrespondence
import PhasorNumerics
import Testing

@Suite struct TravellingWaveTests {
    @Test func s4dLinTravelsAtHalfMDeltaAndDecaysByExpMinusHalfDelta() throws {
        let m = 16
        let ssm = try S4DChannelParameters.lin(modes: m, dt: 0.1).ssm()
        let dt = ssm.step
        let wave = try TravellingWave.impulse(Ring(ssm), length: 10)
        #expect(abs(wave.speed - Double(m) * dt / 2) <= 1e-12)                 // s = MΔ/2
        #expect(abs(wave.dampingPerStep - Double.exp(-dt / 2)) <= 1e-12)       // e^{−Δ/2}
        for (k, position) in wave.positions.enumerated() {
            var expected = -Double(m) * dt * Double(k) / 2                      // bump at j = −MΔk/2 mod M
            expected -= Double(m) * (expected / Double(m)).rounded(.down)
            var error = abs(position - expected)
            error = min(error, Double(m) - error)
            #expect(error <= 1e-11)
            // the peak node is the nearest node to the sub-node position
            var gap = abs(Double(wave.peakNodes[k]) - expected)
            gap = min(gap, Double(m) - gap)
            #expect(gap <= 0.5 + 1e-9)
        }
        #expect(wave.warnings.isEmpty)
        let v = try TravellingWave.dispersion(ssm)
        #expect(v.allSatisfy { abs($0 - Double(m) * dt / 2) <= 1e-12 })
    }

    @Test func warnsWhenTheWaveLapsTheRing() throws {
        let ssm = try S4DChannelParameters.lin(modes: 8, dt: 0.25).ssm()   // s = 1 node per step
        let short = try TravellingWave.impulse(Ring(ssm), length: 6)
        #expect(short.warnings.isEmpty)
        let long = try TravellingWave.impulse(Ring(ssm), length: 12)
        #expect(abs(long.speed - 1) <= 1e-12)
        #expect(long.warnings.contains { $0.contains("laps the ring") })
    }

    @Test func dispersionOfAGeneralSpectrumIsTheScaledPhaseSlope() throws {
        // arg μ_n = a n² (within (−π, π]): v(n) = (M/2π)·2an (central differences are exact for a quadratic)
        let m = 10, a = 0.02
        let mu = (0..<m).map { n in Complex.exp(Complex(-0.01, a * Double(n * n))) }
        let ssm = try DiagonalSSM(modes: mu, input: Array(repeating: .one, count: m),
                                  output: Array(repeating: .one, count: m), direct: 0, step: 1)
        let v = try TravellingWave.dispersion(ssm)
        for n in 1..<(m - 1) { #expect(abs(v[n] - Double(m) / (2 * Double.pi) * 2 * a * Double(n)) <= 1e-12) }
        #expect(throws: CorrespondenceError.self) {
            try TravellingWave.dispersion(DiagonalSSM(modes: [.one], input: [.one], output: [.one], direct: 0, step: 1))
        }
    }
}

final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        counts[elementName, default: 0] += 1
    }
}
