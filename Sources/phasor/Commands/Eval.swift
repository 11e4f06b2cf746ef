import ArgumentParser
import PhasorData
import PhasorModels

// `phasor eval`: accuracy, loss and confusion matrix of a checkpoint on a dataset.

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Accuracy, mean cross-entropy and confusion matrix of a checkpoint on a dataset.",
        discussion: """
        Evaluates on the test split when the data has one (--test, or *_TEST.ts beside *_TRAIN.ts, or --test-fraction \
        with the training --seed to rebuild a single file's held-out part), else on the whole file. Labels are matched \
        to the checkpoint's classes by name when it stores class_names.
        """
    )

    @Option(help: "Checkpoint (.safetensors).") var model: String
    @OptionGroup var loading: LoadingOptions
    @Option(help: "Dataset: .ts file, folder with *_TRAIN.ts/*_TEST.ts, or CSV with the label last.") var data: String
    @Option(help: "Separate test file (optional).") var test: String?
    @Option(help: "Rebuild the held-out test part of a single file (same value and --seed as in training).")
    var testFraction: Double?
    @OptionGroup var dataset: DatasetOptions
    @Option(help: "Seed of the --test-fraction split.") var seed: UInt64 = 0
    @Option(help: "Batch size.") var batch = 64
    @Option(help: "Threads.") var threads = 2
    @Flag(help: "Print the result as JSON on stdout.") var json = false

    func run() throws {
        let checkpoint = try loading.checkpoint(model)
        let (trainSet, testSet) = try DataSplits.load(data: data, test: test, testFraction: testFraction, seed: seed, options: dataset)
        let set = testSet ?? trainSet
        let source = try checkpoint.labelledSource(set)
        let e = try checkpoint.evaluate(source, batchSize: batch, threads: threads)
        let report = EvaluationReport(split: testSet == nil ? "all" : "test", classes: try checkpoint.classNames(for: set), evaluation: e)
        if json {
            try JSONOutput.print(report)
        } else {
            print("\(report.split): \(e.count) samples, accuracy \(e.accuracy), loss \(e.loss)")
            print("confusion (rows: true \(report.classes.joined(separator: " ")); columns: predicted)")
            for row in e.confusion { print(row.map(String.init).joined(separator: " ")) }
        }
    }
}
