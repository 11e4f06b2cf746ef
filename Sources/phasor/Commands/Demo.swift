import ArgumentParser
import Foundation
import PhasorModels
import PhasorReport

// `phasor demo`: the main job on the bundled digits (train → map → ring → operator → analyses → design → report).
// Thin: locates the data, picks the settings, forwards progress to stderr, prints the summary table on stdout.

struct Demo: ParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        abstract: "The main job on the bundled data: train → map → ring → operator → analyses → report.",
        discussion: """
        Trains an S4Model on the bundled sequential digits (Data/digits/digits.csv, L = 64, stratified 80/20 \
        train/test split with --seed), maps it onto oscillators and rings, evaluates the explicit operator order by \
        order, runs the analyses, designs an initialisation from the measured timescales and compares it briefly with \
        the default one. Writes DIR/index.html (one self-contained file), DIR/summary.json and the checkpoints.
        """
    )

    @Flag(help: "A smoke-test run that finishes in under a minute (release build).")
    var quick = false
    @Option(help: "Output folder.") var out = "phasor-report"
    @Option(help: "Seed of the split, initialisation, shuffling and Monte-Carlo estimates.") var seed: UInt64 = 0
    @Option(help: "The digits CSV (default: Data/digits/digits.csv found from the current directory or the executable).")
    var data: String?
    @Flag(help: "Print the summary as JSON on stdout.") var json = false

    var outputs: [OutputFile] { [.folder("--out", out)] }

    func run() throws {
        let path = try DataLocator.digits(explicit: data)
        let settings = quick ? DemoSettings.quick(seed: seed) : DemoSettings.standard(seed: seed)
        Terminal.status("demo: \(path) → \(out)/ (\(quick ? "quick" : "default") run)")
        final class Bars: @unchecked Sendable { var bar: ProgressBar? }
        let bars = Bars()
        let progress = DemoProgress(
            stage: { Terminal.progress($0) },
            epoch: { name, s in
                let v = s.validationAccuracy.map { String(format: " val_loss %.4f val_acc %.4f", s.validationLoss ?? 0, $0) } ?? ""
                let line = String(format: "loss %.4f acc %.4f", s.trainLoss, s.trainAccuracy) + v
                (bars.bar ?? ProgressBar(total: 1, label: "\(name): epoch \(s.epoch)/\(s.epochs)")).finish(line)
                bars.bar = nil
            },
            batch: { name, p in
                if bars.bar == nil || p.batch == 1 { bars.bar = ProgressBar(total: p.batches, label: "\(name): epoch \(p.epoch)/\(p.epochs)") }
                bars.bar?.update(done: p.batch, detail: String(format: "loss %.4f acc %.3f", p.loss, p.accuracy))
            })
        let summary = try DemoPipeline.run(settings: settings, dataPath: path, output: out, progress: progress)
        if json { try JSONOutput.print(summary); return }
        let width = summary.table.map(\.name.count).max() ?? 0
        for row in summary.table { print(row.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + row.value) }
        print("report: \((out as NSString).appendingPathComponent("index.html"))")
    }
}
