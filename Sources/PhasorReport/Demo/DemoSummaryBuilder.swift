// DemoResults → DemoSummary: the numbers of summary.json and the short table the command prints.
import Foundation
import PhasorAnalysis
import PhasorFigures

enum DemoSummaryBuilder {
    static func median(_ d: TimescaleDistribution) -> Double? {
        guard let i = d.probabilities.firstIndex(of: 0.5), i < d.quantiles.count, d.quantiles[i].isFinite else { return nil }
        return d.quantiles[i]
    }

    static func summary(_ r: DemoResults, totalSeconds: Double) -> DemoSummary {
        let t = r.training, op = r.operatorStage.report, a = r.analysis, s = r.settings
        let mc = a.layers.compactMap { $0.memory?.meanTotal }
        let f = { (v: Double) in FigureNumber.text(v) }
        let pct = { (v: Double) in String(format: "%.1f%%", 100 * v) }
        let pairs = op.attribution?.layers.first?.topPairs ?? []
        let top = pairs.sorted { abs($0.effect) > abs($1.effect) }
        let labels = op.bandLabels(layer: 0)
        var table: [DemoSummary.Row] = [
            .init(name: "data", value: "\(t.trainSamples) train / \(t.validationSamples) validation / \(t.testSamples) test digits, L = 64"),
            .init(name: "model", value: "S4Model \(s.layers) layers, H = \(s.dModel), N = \(s.dState) (\(s.dState / 2) modes/channel), \(s.epochs) epochs"),
            .init(name: "test accuracy", value: "\(pct(t.test.accuracy)) (loss \(f(t.test.loss)), best epoch \(t.bestEpoch))"),
            .init(name: "timescales", value: "\(a.timescales.modes.count) modes; median τ/Δ = \(median(a.timescales.decaySteps).map(f) ?? "–") steps, median T/Δ = \(median(a.timescales.periodSteps).map(f) ?? "–") steps"),
            .init(name: "ring ≡ S4D", value: "max relative error \(f(r.map.worstRingError)) on real test inputs"),
            .init(name: "explicit operator", value: op.headline + (op.headlineOrder == nil ? "" : op.orders.last.map { "; at k = \($0.order): error \(f($0.relativeError))" } ?? "")),
        ]
        if let a = op.attribution, let last = a.orders.last {
            let k = a.headlineOrder.map { "reaches the headline rule at |S| ≤ \($0)" } ?? "does not reach the headline rule below \(last.order)"
            table.append(.init(name: "band decomposition", value: "\(a.players) players per channel, exact at |S| ≤ \(last.order) (error \(f(last.relativeError))); \(k)"))
        }
        if let e = top.first, e.first < labels.count, e.second < labels.count {
            table.append(.init(name: "top band pair", value: "layer 0: \(labels[e.first]) × \(labels[e.second]) (periods in samples) → class \(t.classNames[e.class]) logit \(f(e.effect)) when removed"))
        }
        let ex = r.exact
        table.append(.init(name: "exact model", value: "bilinear head + BatchNorm, same sizes and training: \(pct(ex.test.accuracy)) test accuracy; its operator of order \(ex.degree) is the model (identity \(f(ex.identityError)), agreement \(f(ex.orders.last?.agreement ?? 0)))" + (ex.orders.first { $0.agreement >= 0.99 && $0.order < ex.degree }.map { "; order \($0.order) already agrees on \(pct($0.agreement))" } ?? "")))
        table.append(.init(name: "other families", value: "1 layer, H = N = \(s.familyWidth), \(s.familyEpochs) epochs each, test accuracy: "
            + r.families.families.map { "\($0.core.rawValue) \(pct($0.testAccuracy))" }.joined(separator: ", ")))
        table.append(.init(name: "memory capacity", value: mc.enumerated().map { "layer \($0): \(f($1))" }.joined(separator: ", ") + " of N = \(s.dState)"))
        if let p = a.pacBayes { table.append(.init(name: "PAC-Bayes bound", value: "\(f(p.bound)) (δ = \(p.delta), σ = \(f(p.bestSigma)))")) }
        table.append(.init(name: "designed init", value: "\(s.designEpochs) epochs: default \(pct(r.design.defaultTest.accuracy)) vs designed \(pct(r.design.designedTest.accuracy)) test accuracy"))
        table.append(.init(name: "wall time", value: String(format: "%.1f s", totalSeconds)))
        return DemoSummary(
            settings: s, data: t.dataPath, trainSamples: t.trainSamples, validationSamples: t.validationSamples,
            testSamples: t.testSamples, bestEpoch: t.bestEpoch, testAccuracy: t.test.accuracy, testLoss: t.test.loss,
            epochs: t.history, modes: a.timescales.modes.count, medianDecaySteps: median(a.timescales.decaySteps),
            medianPeriodSteps: median(a.timescales.periodSteps), ringIdentityError: r.map.worstRingError,
            impulseSpeedNodesPerStep: r.map.impulseSpeed.isFinite ? r.map.impulseSpeed : 0, operatorOrders: op.orders,
            headlineOrder: op.headlineOrder, explainedAccuracy: op.explainedAccuracy, bandOrders: op.attribution?.orders ?? [],
            topBandPairs: Array(top.prefix(10)),
            memoryCapacity: mc, memoryStateDimension: s.dState, entropy: a.layers.compactMap { $0.entropy?.entropy },
            rademacher: a.rademacher?.value, pacBayesBound: a.pacBayes?.bound, heuristic: a.heuristic?.value,
            exactTestAccuracy: r.exact.test.accuracy, exactOrders: r.exact.orders, exactIdentityError: r.exact.identityError,
            familyTestAccuracy: Dictionary(r.families.families.map { ($0.core.rawValue, $0.testAccuracy) }, uniquingKeysWith: { a, _ in a }),
            designDefaultTestAccuracy: r.design.defaultTest.accuracy, designDesignedTestAccuracy: r.design.designedTest.accuracy,
            stageSeconds: Dictionary(r.stageSeconds.map { ($0.stage, $0.seconds) }, uniquingKeysWith: { a, _ in a }),
            totalSeconds: totalSeconds, table: table)
    }
}
