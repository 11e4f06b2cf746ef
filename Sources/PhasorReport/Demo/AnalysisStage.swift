// Stage 4: the analyses of DESIGN.md §8 (PhasorAnalysis.ModelAnalysis): timescales, impulse-response correlation,
// closed-form memory capacity, state entropy, empirical Rademacher complexity of the read-out and the PAC-Bayes
// bound with the Gaussian prior centred at the initialisation θ₀ (rebuilt from the training seed).
import PhasorAnalysis
import PhasorData
import PhasorModels

extension DemoPipeline {
    static func analyses(_ model: S4Model, trainSet: SequenceDataset, checkpoint: Checkpoint,
                         settings: DemoSettings) throws -> ModelAnalysisReport {
        let x = try inputs(trainSet, checkpoint: checkpoint, indices: Array(trainSet.samples.indices))
        let L = x.length, d = trainSet.channels
        let sequences = (0..<x.batch).map { Array(x.x[$0 * L * d ..< ($0 + 1) * L * d]) }
        let source = try BatchSource(sequences: sequences, lengths: Array(repeating: L, count: x.batch), labels: x.labels,
                                     channels: d)
        var options = ModelAnalysisOptions()
        options.kernelLength = L
        options.maxLag = L
        options.memoryLags = L
        options.rademacherDraws = settings.rademacherDraws
        options.pacBayesDraws = settings.pacBayesDraws
        options.seed = settings.seed
        let initial = try S4Model(configuration: model.configuration, seed: settings.seed).parameters
        return try ModelAnalysis.run(model: model, data: source, initial: initial, options: options)
    }
}
