// Stage 5: the SSM families on the same data — one small model per core (S5, LRU, LinOSS-IM, LinOSS-IMEX, S6), each in
// its reference skeleton with its published recipe except the learning rate (0.01 for every group, the demo's own: the
// recipes' 1e-3 and 5e-4 are set for hundreds of epochs), trained briefly on the training digits; their spectra λΔ per step
// come from the one conversion of each core to diagonal systems (PhasorCorrespondence's CoreSystems). S6 is not LTI:
// its points are λ_n Δ with λ_n = −exp(A_log[h,n]) and Δ = softplus(dt_proj bias[h]) — the step when the projected
// token is zero, around which the input moves it.
import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorModels

extension DemoPipeline {
    static let families: [CoreKind] = [.s5, .lru, .linossIM, .linossIMEX, .s6]
    /// One learning rate for every parameter group of the families' short runs.
    static let familyLearningRate = 0.01

    static func familySpectra(_ trainSet: SequenceDataset, _ testSet: SequenceDataset, settings: DemoSettings,
                              output: String, progress: DemoProgress) throws -> FamiliesStageResult {
        let t0 = Date()
        let data = try TrainingData(dataset: trainSet, validationFraction: 0.2, seed: settings.seed &+ 1)
        let test = try BatchSource(dataset: testSet, classNames: trainSet.classNames)
        var rows: [FamilySpectrum] = []
        for core in families {
            let skeleton = ReferenceSkeleton.default(for: core)
            let recipe = TrainingRecipe.published(core: core, skeleton: skeleton)
            let config = S4ModelConfiguration(core: core, dInput: trainSet.channels, dModel: settings.familyWidth,
                                              dState: settings.familyWidth, layers: 1, classes: trainSet.classNames.count,
                                              dropout: recipe.dropout)
            let options = TrainingOptions(epochs: settings.familyEpochs, batchSize: settings.batchSize,
                                          learningRate: familyLearningRate, ssmLearningRate: familyLearningRate,
                                          weightDecay: recipe.weightDecay, gradientClip: recipe.gradientClip,
                                          validationFraction: 0.2, seed: settings.seed, threads: settings.threads,
                                          schedule: recipe.schedule)
            let path = (output as NSString).appendingPathComponent("family-\(core.rawValue).safetensors")
            let outcome = try runTrainer(name: core.rawValue, config: config, options: options, data: data, output: path,
                                         initial: nil, progress: progress)
            try? FileManager.default.removeItem(atPath: path)                 // the report keeps the numbers only
            let accuracy = try outcome.best.evaluate(test, batchSize: 64, threads: settings.threads).accuracy
            rows.append(FamilySpectrum(core: core, skeleton: skeleton, testAccuracy: accuracy,
                                       points: try spectrum(of: outcome.best.model.blocks[0].core)))
        }
        return FamiliesStageResult(families: rows, seconds: Date().timeIntervalSince(t0))
    }

    /// λΔ per step of every mode of one core (S6: at a zero projected token, see the file comment).
    static func spectrum(of core: SequenceCore) throws -> [(re: Double, im: Double)] {
        if case .s6(let s) = core {
            let n = s.states
            return s.aLog.indices.map { i in
                let b = s.dtProjBias[i / n]
                let step = b > 20 ? b : log1p(exp(b))                             // softplus
                return (-exp(s.aLog[i]) * step, 0)                                // λΔ, real
            }
        }
        return try core.diagonalSystems().modes.map { ($0.rate.real * $0.step, $0.rate.imaginary * $0.step) }
    }
}
