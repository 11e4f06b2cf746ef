import ArgumentParser
import Foundation
import PhasorAnalysis
import PhasorData
import PhasorFigures
import PhasorModels

// `phasor analyze`: every analysis of DESIGN.md §8 for one checkpoint (docs/analysis.md has the formulas):
// checkpoint → ModelAnalysis.run → JSON on stdout (or a short summary) and optional SVG figures.

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Timescales, correlation, memory capacity, entropy, Rademacher complexity and PAC-Bayes bound of a model.",
        discussion: """
        Without --data only the model-intrinsic analyses run (timescales, impulse-response correlation and coherence, \
        memory capacity, state entropy). With --data (the data the model was trained on; --test-fraction and --seed \
        rebuild the training part of a single file exactly as `phasor train` split it) the pooled features give the \
        empirical Rademacher complexity and the seed's heuristic (labelled HEURISTIC). The PAC-Bayes bound also needs \
        the initialisation θ₀: --init-seed (the --seed of `phasor train`, which draws θ₀ from it) or --init CHECKPOINT.
        """
    )

    @Option(help: "Checkpoint (.safetensors).") var model: String
    @OptionGroup var loading: LoadingOptions
    @Option(help: "Training data: .ts file, folder with *_TRAIN.ts/*_TEST.ts, or CSV with the label last.") var data: String?
    @Option(help: "The --test-fraction used in training (its held-out part is left out here).") var testFraction: Double?
    @OptionGroup var dataset: DatasetOptions
    @Option(help: "Seed of that split (the training --seed).") var seed: UInt64 = 0
    @Option(help: "Rebuild the initialisation θ₀ from this seed (the training --seed) for the PAC-Bayes prior.")
    var initSeed: UInt64?
    @Option(help: "Checkpoint holding the initialisation θ₀ (instead of --init-seed).") var `init`: String?
    @Option(help: "S4D initialisation the model was trained from (lin, inv or real; checkpoints do not store it), used by --init-seed.")
    var s4dInit: S4DInit = .lin
    @Option(help: "Kernel length L for the correlations (default: the data's longest sequence, else 256).")
    var kernelLength: Int?
    @Option(help: "Largest lag of the autocorrelation and coherence.") var maxLag = 128
    @Option(help: "Number of lags K of the memory curve MC_k.") var memoryLags = 64
    @Option(help: "Monte-Carlo draws of the Rademacher signs.") var rademacherDraws = 200
    @Option(help: "Parameter draws per σ for the PAC-Bayes empirical risk.") var pacDraws = 20
    @Option(help: "Confidence δ of the PAC-Bayes bound.") var delta = 0.05
    @Option(help: "Seed of the Monte-Carlo estimates.") var mcSeed: UInt64 = 0
    @Option(help: "Folder for SVG figures (timescale histogram, autocorrelation, memory capacity).") var plot: String?
    @Flag(help: "Print the full report as JSON on stdout.") var json = false

    func run() throws {
        let checkpoint = try loading.checkpoint(model)
        let m = checkpoint.model
        var source: BatchSource?
        if let data {
            let (train, _) = try DataSplits.load(data: data, test: nil, testFraction: testFraction, seed: seed, options: dataset)
            source = try checkpoint.modelInputs(train)
        }
        if initSeed != nil, `init` != nil { throw CLIError("give either --init-seed or --init, not both") }
        var initial: ParameterStore?
        if let initSeed {
            // θ₀ exactly as `phasor train --seed initSeed --init s4dInit` drew it (any data-independent θ₀ gives a valid
            // bound; the true one gives the smallest KL).
            var configuration = m.configuration
            configuration.initialisation = s4dInit
            initial = try S4Model(configuration: configuration, seed: initSeed).parameters
        }
        if let path = `init` {
            let other = try loading.checkpoint(path).model
            guard other.configuration.parameterShapes.map(\.shape) == m.configuration.parameterShapes.map(\.shape) else {
                throw CLIError("--init \(path) has different sizes than --model \(model)")
            }
            initial = other.parameters
        }
        if initial != nil, source == nil { throw CLIError("the PAC-Bayes bound needs --data (the training samples)") }
        var options = ModelAnalysisOptions()
        options.kernelLength = kernelLength ?? source?.lengths.max() ?? 256
        options.maxLag = maxLag
        options.memoryLags = memoryLags
        options.rademacherDraws = rademacherDraws
        options.pacBayesDraws = pacDraws
        options.delta = delta
        options.seed = mcSeed
        let report = try ModelAnalysis.run(model: m, data: source, initial: initial, options: options)
        if let plot { try writePlots(report, to: plot) }
        if json { try JSONOutput.print(report); return }
        let t = report.timescales
        print("\(t.modes.count) modes; decay time τ/Δ median \(t.decaySteps.quantiles.count > 3 ? t.decaySteps.quantiles[3] : .nan) steps, "
            + "period T/Δ median \(t.periodSteps.quantiles.count > 3 ? t.periodSteps.quantiles[3] : .nan) steps")
        for l in report.layers {
            let xi = l.correlation.map { "\($0.mean.correlationLength)\($0.mean.censored ? "+" : "")" } ?? "–"
            let mc = l.memory.map { String(format: "%.3f of %d", $0.meanTotal, $0.stateDimension) } ?? "–"
            let s = l.entropy.map { String(format: "%.3f (e^S = %.1f)", $0.entropy, $0.effectiveOscillators) } ?? "–"
            print("layer \(l.layer): correlation length \(xi) steps; mean MC(\(memoryLags)) \(mc); entropy \(s)")
        }
        if let h = report.heuristic { print("\(h.label) = \(h.value)") }
        if let r = report.rademacher { print("empirical Rademacher of the read-out: \(r.value) ± \(r.standardError)") }
        if let p = report.pacBayes { print("PAC-Bayes bound (Maurer, δ = \(p.delta), σ = \(p.bestSigma)): \(p.bound)") }
        for w in report.warnings { print("warning: \(w)") }
    }

    func writePlots(_ report: ModelAnalysisReport, to folder: String) throws {
        try OutputPaths.createFolder(folder)
        for (name, svg) in try report.figures() {
            try AtomicFile.write(Charts.file(svg), to: (folder as NSString).appendingPathComponent(name))
        }
    }
}
