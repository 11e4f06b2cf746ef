import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorModels
import PhasorNumerics
import Testing

@Suite struct FileTests {
    @Test func systemsRoundTripThroughSafeTensors() throws {
        for complex in [false, true] {
            let s = try randomStableSystem(n: 3, m: 2, p: 2, complex: complex, seed: complex ? 71 : 72)
            for system in [s, try s.discretised(step: 0.25, method: .zoh).system] {
                let bytes = try system.safeTensors().serialized()
                let back = try LTISystem(safeTensors: try SafeTensorsFile(bytes: bytes))
                #expect(back == system)
            }
        }
    }

    /// A designed layer written under state-spaces' names reads back through the model door as the same core, with
    /// its discretisation from the metadata; a file with no S4D layer is refused.
    @Test func s4dLayersRoundTripThroughSafeTensors() throws {
        let design = try OscillatorDesign(periods: [10, 40], memories: [30, 300], step: 0.5)
        var core = try design.s4dCore(channels: 2)
        core.discretization = .bilinear
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("layer-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafeTensorsFile(tensors: try CheckpointLayout.coreParameters([core]).tensors(),
                            metadata: [ModelFile.discretizationKey: "bilinear"]).write(to: path)
        let read = try ModelFile.loadCores(path: path)
        #expect(read.cores == [.s4d(core)] && read.checkpoint == nil && read.notes.isEmpty)
        #expect(try read.cores[0].requireS4D(for: "this test").diagonalSystem(channel: 1) == (try core.diagonalSystem(channel: 1)))
        try SafeTensorsFile().write(to: path)
        #expect(throws: ModelError.self) { try ModelFile.loadCores(path: path) }
    }

    @Test func s4dRatesBeyondNyquistAreKeptAndReported() throws {
        // S4D-Lin, M = 8, Δ = 0.5: modes n ≥ 3 have πnΔ > π and fold when sampled
        let p = S4DChannelParameters.lin(modes: 8, dt: 0.5)
        let ssm = try p.ssm()
        let rates = (0..<8).map { Complex(-0.5, Double.pi * Double($0)) }
        let reading = try OscillatorReading(diagonal: ssm, rates: rates)
        #expect(zip(reading.modes, rates).allSatisfy { $0.lambda == $1 })
        #expect(reading.warnings.count == 1 && reading.warnings[0].contains("5 mode(s)"))
        let folded = try OscillatorReading(diagonal: ssm)
        #expect(folded.modes.allSatisfy { abs($0.frequency) * ssm.step <= Double.pi })
        #expect(throws: CorrespondenceError.self) {
            try OscillatorReading(diagonal: ssm, rates: rates.map { $0 + Complex(0.1, 0) })
        }
    }
}
