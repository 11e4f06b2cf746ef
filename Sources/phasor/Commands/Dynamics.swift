import ArgumentParser
import Foundation
import PhasorAnalysis
import PhasorData
import PhasorFigures

// `phasor dynamics`: phases of learning and dominant modes of a tracked run (TrainingTracker's run directory).

struct Dynamics: ParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        abstract: "Learning phases and dominant modes from a run tracked with `phasor train --track DIR`.",
        discussion: """
        Spectral velocity v_k = Σ|Δ(Δλ)| per optimiser step between records; phases are maximal runs with v/max v ≥ 0.5 \
        ("fast reorganisation"), < 0.05 ("frozen") or in between ("refinement"). Dominant modes have the largest total \
        movement of Δλ (docs/analysis.md).
        """
    )

    @Option(name: .customLong("run"), help: "Run directory with tracking-meta.json and tracking.jsonl.") var runDirectory: String
    @Option(help: "Number of dominant modes to list.") var top = 10
    @Option(help: "Write the spectral velocity as an SVG to this path.") var plot: String?
    @Flag(help: "Print the result as JSON on stdout.") var json = false

    var outputs: [OutputFile] { [.file("--plot", plot)] }

    func run() throws {
        let (meta, records) = try TrainingTracker.load(directory: runDirectory)
        let d = try TrainingDynamics(meta: meta, records: records, top: top)
        if let plot { try AtomicFile.write(Charts.file(try d.figure()), to: plot) }
        if json { try JSONOutput.print(d); return }
        print("\(d.records) records, steps \(d.steps.first ?? 0)…\(d.steps.last ?? 0)")
        for p in d.phases {
            print("\(p.label): steps \(p.startStep)–\(p.endStep) (\(p.intervals) intervals, mean velocity \(p.meanVelocity))")
        }
        for m in d.dominantModes {
            print("layer \(m.layer) channel \(m.channel) mode \(m.mode): moved \(m.movement), cumulative |∂L/∂z| \(m.cumulativeGradient)")
        }
        for w in d.warnings { print("warning: \(w)") }
    }
}
