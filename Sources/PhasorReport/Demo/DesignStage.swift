// Stage 5: design an initialisation from what training found, and test it. Per layer, the trained modes' decay
// times τ/Δ and periods T/Δ (in steps, from the timescale analysis) are summarised by H·M quantiles of each marginal
// (M = N/2 modes, H channels); channel h takes the levels q_k = (k·H + h + ½)/(H·M), k = 0…M−1, so every channel
// spans the whole measured range and the channels interleave (as S4D's log-uniform Δ spreads them); OscillatorDesign turns (T_k, τ_k) into S4D parameters with Δ = 1
// (log_A_real = −log τ, A_imag = 2π/T), which replace log_dt, log_A_real and A_imag of a fresh seeded model (C, D and
// all other weights stay the seed's). Default and designed models are then trained for the same few epochs on the
// same data with the same seed, so the only difference is the spectrum they start from.
import Foundation
import PhasorAnalysis
import PhasorCorrespondence
import PhasorData
import PhasorModels

extension DemoPipeline {
    /// The designed targets of one layer from measured mode timescales (steps).
    static func designTargets(_ modes: [ModeTimescale], layer: Int, count m: Int, channel h: Int = 0, of channels: Int = 1) throws
        -> (periods: [Double], memories: [Double]) {
        let own = modes.filter { $0.layer == layer }
        let taus = own.compactMap(\.decaySteps).filter { $0.isFinite && $0 > 0 }.sorted()
        let periods = own.compactMap(\.periodSteps).filter { $0.isFinite && $0 > 2 }.sorted()
        guard !taus.isEmpty else {
            throw ReportError.stageFailed(stage: "design", reason: "layer \(layer) has no stable mode to take a memory from")
        }
        func quantile(_ sorted: [Double], _ q: Double) -> Double {
            let pos = q * Double(sorted.count - 1), lo = Int(pos.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
            return sorted[lo] + (pos - Double(lo)) * (sorted[hi] - sorted[lo])
        }
        let qs = (0..<m).map { (Double($0 * channels + h) + 0.5) / Double(m * channels) }
        let memories = qs.map { quantile(taus, $0) }
        // Periods sorted descending so mode n's frequency grows with n, as in S4D-Lin; no oscillating mode → T = ∞.
        let designed = periods.isEmpty ? Array(repeating: Double.infinity, count: m) : qs.reversed().map { max(quantile(periods, $0), 2.001) }
        return (designed, memories)
    }

    static func designComparison(_ analysis: ModelAnalysisReport, trainSet: SequenceDataset, testSet: SequenceDataset,
                                 settings: DemoSettings, output: String, progress: DemoProgress) throws -> DesignStageResult {
        let t0 = Date()
        let config = settings.configuration(classes: trainSet.classNames.count, channels: trainSet.channels)
        var designed = try S4Model(configuration: config, seed: settings.seed)
        var allPeriods: [[Double]] = [], allMemories: [[Double]] = []
        for i in 0..<config.layers {
            var block = designed.block(i)
            var core = try block.core.requireS4D(for: "the demo's spectrum design")
            let m = config.dState / 2
            for h in 0..<config.dModel {
                let (periods, memories) = try designTargets(analysis.timescales.modes, layer: i, count: m,
                                                            channel: h, of: config.dModel)
                let k = try OscillatorDesign(periods: periods, memories: memories, step: 1).s4dCore(channels: 1).kernel
                core.kernel.logDt[h] = k.logDt[0]                                  // Δ, λ of channel h; C, D stay the seed's
                core.kernel.logAReal.replaceSubrange(h * m ..< (h + 1) * m, with: k.logAReal)
                core.kernel.AImag.replaceSubrange(h * m ..< (h + 1) * m, with: k.AImag)
                allPeriods.append(periods)
                allMemories.append(memories)
            }
            block.core = .s4d(core)
            try designed.setBlock(i, block)
        }
        let data = try TrainingData(dataset: trainSet, validationFraction: 0.2, seed: settings.seed &+ 1)
        let options = settings.trainingOptions(epochs: settings.designEpochs)
        let testSource = try BatchSource(dataset: testSet, classNames: trainSet.classNames)
        let base = output as NSString
        let plain = try runTrainer(name: "brief, default init", config: config, options: options, data: data,
                                   output: base.appendingPathComponent("brief-default.safetensors"), initial: nil, progress: progress)
        let tuned = try runTrainer(name: "brief, designed init", config: config, options: options, data: data,
                                   output: base.appendingPathComponent("brief-designed.safetensors"), initial: designed, progress: progress)
        return DesignStageResult(periods: allPeriods, memories: allMemories,
                                 defaultHistory: plain.history, designedHistory: tuned.history,
                                 defaultTest: try plain.best.evaluate(testSource, batchSize: 64, threads: settings.threads),
                                 designedTest: try tuned.best.evaluate(testSource, batchSize: 64, threads: settings.threads),
                                 seconds: Date().timeIntervalSince(t0))
    }
}
