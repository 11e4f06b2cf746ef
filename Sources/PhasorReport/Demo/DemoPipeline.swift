// The main job (`phasor demo`): train → map → ring → operator → the exact (bilinear) model → the other SSM families →
// analyses → design → report. Each stage is one
// function below that calls the layer that owns the computation (PhasorModels' Trainer, PhasorCorrespondence's
// Ring/TravellingWave/OscillatorDesign, PhasorOperator, PhasorAnalysis); this file only wires them and times them.
import Foundation
import PhasorAnalysis
import PhasorCorrespondence
import PhasorData
import PhasorModels
import PhasorNumerics
import PhasorOperator

/// Progress callbacks: a line per stage, and per-epoch lines from the trainer (run name, epoch summary).
public struct DemoProgress: Sendable {
    public var stage: @Sendable (String) -> Void
    public var epoch: @Sendable (String, EpochSummary) -> Void
    public var batch: @Sendable (String, BatchProgress) -> Void
    public init(stage: @escaping @Sendable (String) -> Void = { _ in },
                epoch: @escaping @Sendable (String, EpochSummary) -> Void = { _, _ in },
                batch: @escaping @Sendable (String, BatchProgress) -> Void = { _, _ in }) {
        self.stage = stage
        self.epoch = epoch
        self.batch = batch
    }
}

public enum DemoPipeline {
    /// Runs every stage, writes `output`/index.html, `output`/summary.json and the checkpoints, returns the summary.
    public static func run(settings: DemoSettings, dataPath: String, output: String,
                           progress: DemoProgress = DemoProgress()) throws -> DemoSummary {
        try settings.validate()
        let started = Date()
        do { try AtomicFile.createFolder(atPath: output) } catch let error as FileWriteError {
            throw ReportError.stageFailed(stage: "output", reason: "cannot create \(output): \(error.reason)")
        }
        var times: [(String, Double)] = []
        func timed<T>(_ name: String, _ body: () throws -> T) throws -> T {
            progress.stage("[\(times.count + 1)/8] \(name)…")
            let t0 = Date()
            do {
                let value = try body()
                times.append((name, Date().timeIntervalSince(t0)))
                return value
            } catch let e as ReportError { throw e } catch {
                throw ReportError.stageFailed(stage: name, reason: "\(error)")
            }
        }
        let (trainSet, testSet, training) = try timed("load data and train") {
            let (trainSet, testSet) = try loadData(dataPath, settings: settings)
            return (trainSet, testSet, try train(trainSet, testSet, settings: settings, output: output, progress: progress, dataPath: dataPath))
        }
        let model = training.checkpoint.model
        let map = try timed("map onto oscillators and rings") { try mapToRings(training, testSet: testSet) }
        let op = try timed("explicit operator") { try explicitOperator(training, trainSet: trainSet, testSet: testSet, settings: settings) }
        let exact = try timed("exact-by-construction model") {
            try exactModel(trainSet, testSet, settings: settings, output: output, progress: progress)
        }
        let families = try timed("other SSM families") {
            try familySpectra(trainSet, testSet, settings: settings, output: output, progress: progress)
        }
        let (analysis, analysisSeconds) = try timed("analyses") { () -> (ModelAnalysisReport, Double) in
            let t0 = Date()
            return (try analyses(model, trainSet: trainSet, checkpoint: training.checkpoint, settings: settings),
                    Date().timeIntervalSince(t0))
        }
        let design = try timed("design and compare") {
            try designComparison(analysis, trainSet: trainSet, testSet: testSet, settings: settings, output: output, progress: progress)
        }
        let results = DemoResults(settings: settings, training: training, map: map, operatorStage: op, exact: exact, families: families, analysis: analysis,
                                  analysisSeconds: analysisSeconds, design: design, stageSeconds: times.map { ($0.0, $0.1) })
        return try timed("write report") {
            let summary = DemoSummaryBuilder.summary(results, totalSeconds: Date().timeIntervalSince(started))
            let html = try HTMLReport.render(results, summary: summary)
            try AtomicFile.write(html, to: (output as NSString).appendingPathComponent("index.html"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let json = try encoder.encode(summary)
            try AtomicFile.write(String(decoding: json, as: UTF8.self), to: (output as NSString).appendingPathComponent("summary.json"))
            return summary
        }
    }

    // MARK: stage 1 — data and training

    /// The digits CSV, reduced to `samplesPerClass` if set, split 80/20 stratified with the seed.
    static func loadData(_ path: String, settings: DemoSettings) throws -> (SequenceDataset, SequenceDataset) {
        var all = try DatasetLoader.load(path: path).train
        if let k = settings.samplesPerClass {
            var seen = [Int](repeating: 0, count: all.classNames.count)
            all.samples = all.samples.filter { s in seen[s.label] += 1; return seen[s.label] <= k }
        }
        let parts = try all.stratifiedSplit(validationFraction: 0.2, seed: settings.seed)
        return (parts.train, parts.validation)
    }

    static func train(_ trainSet: SequenceDataset, _ testSet: SequenceDataset, settings: DemoSettings, output: String,
                      progress: DemoProgress, dataPath: String) throws -> TrainingStageResult {
        let t0 = Date()
        let data = try TrainingData(dataset: trainSet, validationFraction: 0.2, seed: settings.seed &+ 1)
        let config = settings.configuration(classes: trainSet.classNames.count, channels: trainSet.channels)
        let path = (output as NSString).appendingPathComponent("model.safetensors")
        let outcome = try runTrainer(name: "default init", config: config, options: settings.trainingOptions(epochs: settings.epochs),
                                     data: data, output: path, initial: nil, progress: progress)
        let test = try outcome.best.evaluate(try BatchSource(dataset: testSet, classNames: trainSet.classNames),
                                             batchSize: 64, threads: settings.threads)
        return TrainingStageResult(dataPath: dataPath, classNames: trainSet.classNames, trainSamples: data.train.count,
                                   validationSamples: data.validation?.count ?? 0, testSamples: testSet.samples.count,
                                   history: outcome.history, bestEpoch: outcome.bestEpoch, test: test,
                                   checkpoint: outcome.best, checkpointPath: path, seconds: Date().timeIntervalSince(t0))
    }

    /// One Trainer run with progress forwarding; the resume state file is removed afterwards (the demo never resumes).
    static func runTrainer(name: String, config: S4ModelConfiguration, options: TrainingOptions, data: TrainingData,
                           output: String, initial: S4Model?, progress: DemoProgress) throws -> TrainingOutcome {
        let outcome = try Trainer.train(configuration: config, options: options, data: data, output: output,
                                        initialModel: initial,
                                        onBatch: { progress.batch(name, $0) }, onEpoch: { progress.epoch(name, $0) })
        try? FileManager.default.removeItem(atPath: output + ".resume.safetensors")
        return outcome
    }

    /// The first `perClass` sample indices of each class (class order).
    static func perClass(_ set: SequenceDataset, _ perClass: Int) -> [Int] {
        var out: [Int] = []
        for c in set.classNames.indices {
            out += set.samples.indices.filter { set.samples[$0].label == c }.prefix(perClass)
        }
        return out
    }
}
