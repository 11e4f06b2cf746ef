// Stage 3: the explicit operator (PhasorOperator), at the convergent order: per-channel surrogates of every GELU and
// gate fitted on the training digits, the order table k = 1…K on test digits (accuracy ratio, agreement, logit
// error), and the exact band decomposition — its truncation table and, per class, the layer-0 band-pair map: the
// mean effect on the class's logit of removing the joint term of two frequency bands, over test digits of that class.
import Foundation
import PhasorData
import PhasorModels
import PhasorOperator

extension DemoPipeline {
    static func explicitOperator(_ training: TrainingStageResult, trainSet: SequenceDataset, testSet: SequenceDataset,
                                 settings: DemoSettings) throws -> OperatorStageResult {
        let t0 = Date()
        let ck = training.checkpoint
        let fit = try ck.modelInputs(trainSet).batch(Array(trainSet.samples.indices)[...])
        // Test samples spread over the classes (round-robin), at most `operatorSamples`.
        let perClassLists = testSet.classNames.indices.map { c in testSet.samples.indices.filter { testSet.samples[$0].label == c } }
        var order: [Int] = []
        var k = 0
        while order.count < min(settings.operatorSamples, testSet.samples.count) {
            for list in perClassLists where k < list.count && order.count < settings.operatorSamples { order.append(list[k]) }
            k += 1
        }
        let evalSet = try ck.modelInputs(testSet).batch(order[...])
        var s = ConvergentSettings()
        s.maxOrder = settings.maxOrder
        s.attributionSamples = settings.attributionSamples
        s.pairSamples = settings.interactionSamplesPerClass * testSet.classNames.count
        let report = try ConvergentPipeline.run(model: ck.model, fit: fit, evaluation: evalSet, settings: s)
        var maps: [(className: String, matrix: [[Double]])] = []
        for c in testSet.classNames.indices {
            guard evalSet.labels.prefix(s.pairSamples).contains(c), let m = report.pairMap(layer: 0, class: c) else { continue }
            maps.append((testSet.classNames[c], m))
        }
        return OperatorStageResult(report: report, classMaps: maps, bandLabels: report.bandLabels(layer: 0),
                                   seconds: Date().timeIntervalSince(t0))
    }
}
