// Stage 4: the analyses of DESIGN.md §8 (PhasorAnalysis.ModelAnalysis): timescales, impulse-response correlation,
// closed-form memory capacity, state entropy, empirical Rademacher complexity of the read-out and the PAC-Bayes
// bound with the Gaussian prior centred at the initialisation θ₀ (rebuilt from the training seed).
import PhasorAnalysis
import PhasorData
import PhasorModels

extension DemoPipeline {
    static func analyses(_ model: S4Model, trainSet: SequenceDataset, checkpoint: Checkpoint,
                         settings: DemoSettings) throws -> ModelAnalysisReport {
        let source = try checkpoint.modelInputs(trainSet)
        let L = trainSet.maxLength
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
