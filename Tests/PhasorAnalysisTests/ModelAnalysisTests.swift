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
        let p = model.parameters
        let k = try S4DKernelParameters(channels: 3, modes: 3, logDt: p.values("s4_layers.0.kernel.log_dt"),
                                        C: p.values("s4_layers.0.kernel.C"), logAReal: p.values("s4_layers.0.kernel.log_A_real"),
                                        AImag: p.values("s4_layers.0.kernel.A_imag"))
        let reference = try k.discretised(method).kernel(length: 40)   // (H, L) row-major
        let channels = try S4DChannels.channels(model, layer: 0)
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
        #expect(AnalysisPlots.histogram(report.timescales.decaySteps, title: "τ/Δ").contains("<rect"))
        let curve = AnalysisPlots.curves([("layer 0", memory.meanPerLag)], title: "MC_k", xLabel: "k", yLabel: "MC")
        #expect(curve.contains("<line") && curve.contains("</svg>"))
    }

    @Test func aModeAtTheStabilityEdgeIsAWarning() throws {
        // γ = e^{−60}: μ = e^{−γΔ} rounds to exactly 1, so that channel has no stationary covariance.
        let f = try TrainedFixture.make(steps: 1)
        var model = f.trained
        var a = try model.parameters.values("s4_layers.0.kernel.log_A_real")
        a[2] = -60   // channel 1, mode 0
        try model.parameters.setValues("s4_layers.0.kernel.log_A_real", a)
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
