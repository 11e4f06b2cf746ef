// Stage 3: the explicit operator (PhasorOperator). Chebyshev range surrogates fitted on training inputs, the graded
// evaluation order by order on test digits (error, accuracy, explained accuracy), and layer-0 mode-pair interactions
// per class: the mean contribution of wave pair (i, j) to logit c over test samples of class c.
import Foundation
import PhasorData
import PhasorModels
import PhasorOperator

extension DemoPipeline {
    static func explicitOperator(_ training: TrainingStageResult, trainSet: SequenceDataset, testSet: SequenceDataset,
                                 settings: DemoSettings) throws -> OperatorStageResult {
        let t0 = Date()
        let ck = training.checkpoint
        let op = try OperatorModel(ck.model)
        let fit = try ck.modelInputs(trainSet).batch(Array(trainSet.samples.indices.prefix(256))[...])
        let surrogate = try RangeSurrogate(model: op, inputs: fit.inputs, batch: fit.batch, length: fit.length,
                                           lengths: fit.lengths, degree: settings.surrogateDegree)
        let form = OperatorFormulation.chebyshev(surrogate)
        // Test samples spread over the classes (round-robin), at most `operatorSamples`.
        let perClassLists = testSet.classNames.indices.map { c in testSet.samples.indices.filter { testSet.samples[$0].label == c } }
        var order: [Int] = []
        var k = 0
        while order.count < min(settings.operatorSamples, testSet.samples.count) {
            for list in perClassLists where k < list.count && order.count < settings.operatorSamples { order.append(list[k]) }
            k += 1
        }
        let testInputs = try ck.modelInputs(testSet)
        let evalSet = testInputs.batch(order[...])
        let summary = try OperatorAnalysis.run(model: op, inputs: evalSet.inputs, batch: evalSet.batch, length: evalSet.length,
                                               lengths: evalSet.lengths, labels: evalSet.labels, maxOrder: settings.maxOrder,
                                               formulation: form)
        // Pair interactions on a few samples per class.
        let chosen = perClass(testSet, settings.interactionSamplesPerClass)
        let pairSet = testInputs.batch(chosen[...])
        let nl = ck.model.configuration.layers
        let gains = try op.plainForward(inputs: pairSet.inputs, batch: pairSet.batch, length: pairSet.length, lengths: pairSet.lengths,
                                        gelu: Array(repeating: .gelu, count: nl), sigmoid: Array(repeating: .sigmoid, count: nl)).gains
        let pairs = try op.pairInteractions(inputs: pairSet.inputs, batch: pairSet.batch, length: pairSet.length, lengths: pairSet.lengths,
                                            gelu: surrogate.geluExpansions, sigmoid: surrogate.sigmoidExpansions,
                                            basis: .modes, frozenGains: gains)
        let K = pairs.labels.count
        var maps: [(className: String, matrix: [[Double]])] = []
        for c in testSet.classNames.indices {
            let rows = pairSet.labels.indices.filter { pairSet.labels[$0] == c }
            guard !rows.isEmpty else { continue }
            var m = [[Double]](repeating: [Double](repeating: 0, count: K), count: K)
            for (p, (i, j)) in pairs.pairs.enumerated() {
                let v = rows.reduce(0) { $0 + pairs.contributions[$1][p * pairs.classes + c] } / Double(rows.count)
                m[i][j] = v
                m[j][i] = v
            }
            maps.append((testSet.classNames[c], m))
        }
        let report = OperatorReport(summary: summary, formulation: form, interactions: [pairs], topPerClass: 3)
        return OperatorStageResult(report: report, classMaps: maps, componentLabels: pairs.labels,
                                   seconds: Date().timeIntervalSince(t0))
    }
}
