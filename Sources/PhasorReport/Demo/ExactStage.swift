// Stage 4: the exact-by-construction model beside the GELU one — the same sizes and training with the bilinear head
// and BatchNorm (`phasor train --block bilinear --norm batch`), whose explicit operator of order 2^layers IS the model
// (PhasorOperator's exact path: no surrogate; the identity is against the model's own logits).
import Foundation
import PhasorData
import PhasorModels
import PhasorOperator

extension DemoPipeline {
    static func exactModel(_ trainSet: SequenceDataset, _ testSet: SequenceDataset, settings: DemoSettings, output: String,
                           progress: DemoProgress) throws -> ExactStageResult {
        let t0 = Date()
        let data = try TrainingData(dataset: trainSet, validationFraction: 0.2, seed: settings.seed &+ 1)
        var config = settings.configuration(classes: trainSet.classNames.count, channels: trainSet.channels)
        config.head = .bilinear
        config.norm = .batch
        let path = (output as NSString).appendingPathComponent("model-bilinear.safetensors")
        let outcome = try runTrainer(name: "bilinear head", config: config, options: settings.trainingOptions(epochs: settings.epochs),
                                     data: data, output: path, initial: nil, progress: progress)
        let test = try outcome.best.evaluate(try BatchSource(dataset: testSet, classNames: trainSet.classNames),
                                             batchSize: 64, threads: settings.threads)
        let ck = outcome.best
        let fit = try ck.modelInputs(trainSet).batch(Array(trainSet.samples.indices)[...])
        let evaluation = try ck.modelInputs(testSet).batch(Array(testSet.samples.indices.prefix(settings.operatorSamples))[...])
        var s = OperatorSettings()
        s.interactionSamples = 0
        let report = try OperatorPipeline.run(model: ck.model, fit: fit, evaluation: evaluation, settings: s).report
        guard report.exact, let degree = report.exactDegree, let identity = report.surrogate?.identityError else {
            throw ReportError.stageFailed(stage: "exact model", reason: "the bilinear model was not detected as exact")
        }
        return ExactStageResult(test: test, degree: degree, orders: report.orders, fullAccuracy: report.fullAccuracy, samples: evaluation.batch,
                                identityError: identity, checkpointPath: path, seconds: Date().timeIntervalSince(t0))
    }
}
