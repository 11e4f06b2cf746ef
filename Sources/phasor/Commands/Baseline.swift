import ArgumentParser
import Foundation
import PhasorModels

// `phasor baseline`: the 1-nearest-neighbour DTW classifier (NearestNeighbourDTW) on a dataset's test part, with the
// whole training part as reference — the yardstick docs/training.md compares trained models against.

struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Test accuracy of 1-nearest-neighbour dependent DTW (the UCR/UEA baseline) on a dataset.",
        discussion: """
        Every test sample takes the label of its nearest training sample under dynamic time warping (one path for \
        all channels; values as they are in the files; variable lengths allowed). --window r bands the path to \
        |i − j| ≤ max(⌊r·max(m, n)⌋, |m − n|) (Sakoe–Chiba); 1 is full DTW. The test part is chosen as in `train`.
        """
    )

    @Option(help: "Training data: a .ts file, a folder with *_TRAIN.ts/*_TEST.ts, or a CSV with the label last.")
    var data: String
    @Option(help: "Separate test file (optional).") var test: String?
    @Option(help: "For a single file without test split: the stratified fraction held out as test set (as in train).")
    var testFraction: Double?
    @OptionGroup var dataset: DatasetOptions
    @Option(help: "Seed of the --test-fraction split (the training run's --seed gives the same test part).")
    var seed: UInt64 = 0
    @Option(help: "Sakoe–Chiba band as a fraction of the longer sequence, in [0, 1] (1: full DTW), or 'learned': the fraction of 0, 0.01, …, 0.2, 1 with the best leave-one-out accuracy on the training part.")
    var window: DTWWindow = .fraction(1)
    @Option(help: "Threads.") var threads = 2
    @Flag(help: "Print the result as JSON on stdout.") var json = false

    func run() throws {
        let started = Date()
        let (trainSet, testSet) = try DataSplits.load(data: data, test: test, testFraction: testFraction, seed: seed,
                                                      options: dataset)
        guard let testSet else {
            throw CLIError("\(data) has no test part: give --test, a folder with *_TEST.ts, or --test-fraction")
        }
        guard (1...64).contains(threads) else { throw CLIError("threads must be in 1…64 (got \(threads))") }
        let reference = try BatchSource(dataset: trainSet)
        let classifier: NearestNeighbourDTW
        switch window {
        case .fraction(let r): classifier = try NearestNeighbourDTW(reference: reference, window: r)
        case .learned: classifier = try NearestNeighbourDTW.learned(reference: reference, threads: threads)
        }
        let e = try classifier.evaluate(try BatchSource(dataset: testSet, classNames: trainSet.classNames),
                                        classes: trainSet.classNames.count, threads: threads)
        let report = BaselineReport(classes: trainSet.classNames, referenceCount: trainSet.samples.count, evaluation: e,
                                    seconds: Date().timeIntervalSince(started))
        if json {
            try JSONOutput.print(report)
        } else {
            let band = "window \(e.window)" + (window == .learned ? ", learned on the training part" : "")
            print("1-NN dependent DTW (\(band)): test accuracy " + String(format: "%.4f", e.accuracy)
                  + " (\(e.count) test, \(trainSet.samples.count) training samples)")
        }
    }
}

/// `--window`: a fixed band fraction or the learned one.
enum DTWWindow: ExpressibleByArgument, Equatable {
    case fraction(Double)
    case learned

    init?(argument: String) {
        if argument == "learned" { self = .learned; return }
        guard let r = Double(argument) else { return nil }
        self = .fraction(r)
    }
}
