// The whole-model report: channel maps against the model's own kernels, every estimator present and sane, bad
// channels turned into warnings, plots well formed.
import Foundation
import PhasorCorrespondence
import PhasorModels
import PhasorNumerics
import Testing
@testable import PhasorAnalysis

@Suite struct ModelAnalysisTests {
    @Test(arguments: [Discretization.zoh, .bilinear])
    func channelKernelsMatchTheModel(_ method: Discretization) throws {
        let config = S4ModelConfiguration(dInput: 1, dModel: 3, dState: 6, layers: 1, classes: 2, dropout: 0,
                                          discretization: method)
        let model = try S4Model(configuration: config, seed: 11)
        let core = model.block(0).core.s4d!
        let reference = try core.kernel.discretised(method).kernel(length: 40)   // the model's kernel, (H, L) row-major
        let channels = try core.diagonalSystems().map(\.ssm)                     // the conversion the analyses read
        for (h, ssm) in channels.enumerated() {
            let mine = ssm.kernel(length: 40)
            let scale = mine.map(abs).max() ?? 1
            for l in 0..<40 { #expect(abs(mine[l] - reference[h * 40 + l]) < 1e-12 * max(1, scale)) }
        }
    }

    @Test func fullReportOnATrainedModel() throws {
        let f = try TrainedFixture.make(steps: 5)
        var options = ModelAnalysisOptions()
        options.kernelLength = 16; options.maxLag = 15; options.memoryLags = 16
        options.rademacherDraws = 50; options.pacBayesSigmas = [1e-2, 1e-1]; options.pacBayesDraws = 3
        let report = try ModelAnalysis.run(model: f.trained, data: f.data, initial: f.initial.parameters, options: options)
        #expect(report.timescales.modes.count == 4 * 2)
        let layer = try #require(report.layers.first)
        #expect(layer.correlation?.mean.rho.first == 1)
        let memory = try #require(layer.memory)
        #expect(memory.meanTotal <= Double(memory.stateDimension) + 1e-9 && memory.meanRank <= Double(memory.stateDimension) + 1e-6)
        #expect(memory.meanPerLag.allSatisfy { $0 >= -1e-12 && $0 <= 1 + 1e-12 })
        let entropy = try #require(layer.entropy)
        #expect(entropy.entropy >= 0 && entropy.entropy <= Double.log(Double(4 * 4)) + 1e-12)
        #expect(report.heuristic?.label.hasPrefix("HEURISTIC") == true)
        let r = try #require(report.rademacher)
        #expect(r.value > 0 && r.value <= r.upperBound + 1e-12)
        let pb = try #require(report.pacBayes)
        #expect(pb.bound >= 0 && pb.bound <= 1)
        let json = try JSONEncoder().encode(report)
        let text = String(decoding: json, as: UTF8.self)
        #expect(!text.contains("nan") && !text.contains("inf"))
        let figures = try report.figures()
        #expect(figures.map(\.name) == ["timescales.svg", "autocorrelation.svg", "memory.svg"])
        // one bar per non-empty bin of the decay-time histogram (+ the background)
        #expect(figures[0].svg.components(separatedBy: "<rect").count - 1 == report.timescales.decaySteps.bins.filter { $0 > 0 }.count + 1)
    }

    @Test func aModeAtTheStabilityEdgeIsAWarning() throws {
        // γ = e^{−60}: μ = e^{−γΔ} rounds to exactly 1, so that channel has no stationary covariance.
        let f = try TrainedFixture.make(steps: 1)
        var model = f.trained
        var block = model.block(0), core = block.core.s4d!
        core.kernel.logAReal[2] = -60   // channel 1, mode 0
        block.core = .s4d(core)
        try model.setBlock(0, block)
        var options = ModelAnalysisOptions()
        options.kernelLength = 16; options.maxLag = 8; options.memoryLags = 8
        let report = try ModelAnalysis.run(model: model, options: options)
        #expect(report.layers[0].memory?.channels[1] == nil)
        #expect(report.layers[0].channelEntropies[1] == nil)
        #expect(report.warnings.contains { $0.contains("channel 1") && $0.contains("unstable") })
        #expect(report.warnings.contains { $0.contains("PAC-Bayes") } == false)   // no data: data estimators simply absent
        #expect(report.rademacher == nil && report.pacBayes == nil)
        let text = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(!text.contains("nan"))
    }
}
