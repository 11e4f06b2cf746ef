import ArgumentParser
import Foundation
import PhasorData
import PhasorFigures
import PhasorModels
import PhasorNumerics
import PhasorOperator

// `phasor operator`: the explicit operator of a checkpoint's whole forward pass. By default the CONVERGENT order
// (ConvergentPipeline): per-channel surrogates of degree k = 1…K of every GELU and gate, fitted on the training part,
// the table on the test part, the band decomposition's attribution. `--formulation chebyshev|taylor` gives the old
// one-range / Taylor ε-series (OperatorPipeline) as diagnostics; bilinear models are exact (OperatorPipeline).

struct Operator: ParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        abstract: "Explicit operator of a model's forward pass: accuracy ratio, agreement and logit error per order, band attribution.",
        discussion: """
        Default (--formulation convergent): order k means every GELU and GLU gate of every layer is replaced, channel \
        by channel, by its degree-k least-squares polynomial in the orthonormal basis of that channel's own training \
        pre-activations, with the exact function outside the channel's training range (the fraction outside is \
        reported). The table gives for k = 1…K the accuracy ratio, the agreement with the model's predictions and the \
        relative logit error; the headline order is the first k with agreement ≥ 0.99, ratio ≥ 0.99 and error ≤ 0.1. \
        The attribution writes every layer's GELU exactly as a sum of terms over sets of frequency bands of its \
        channel's modes (≤ 8 bands + the skip), truncated at |S| ≤ k, and names the band pairs that matter per class. \
        --formulation chebyshev (one Chebyshev polynomial of --degree per layer and function, on one range) or taylor \
        gives the homogeneous ε-order series with its exact graded components, as diagnostics (docs/operator.md). \
        A model whose every block has a bilinear head (phasor train --block bilinear) has no nonlinearity to replace: \
        it is detected, no surrogate is used, and the table runs to its full order 2^layers, where the operator is \
        the model itself ("exact": true; with LayerNorm, at the frozen gains). \
        With --tokens (int64 ids, (L)) the model is a Mamba language model and the operator is one selective layer's \
        hidden attention y_t = Σ_s K_{t,s} u_s + D u_t along the tokens: identity error against the scan, heat maps per \
        channel group (--plot), range of influence per token (docs/mamba.md). An S6 classifier is not LTI either: its \
        operator is the same kernel of layer --layer on the first evaluated sample of --data (the polynomial operator \
        needs a fixed linear map per layer: S4D, S5, LRU, LinOSS).
        """
    )

    @Option(help: "Checkpoint (.safetensors).") var model: String
    @OptionGroup var loading: LoadingOptions
    @Option(help: "Dataset: .ts file, folder with *_TRAIN.ts/*_TEST.ts, or CSV with the label last.") var data: String?
    @Option(help: "Token ids (.npy int64, (L)) for a Mamba language model (instead of --data).") var tokens: String?
    @Option(help: "With --tokens or an S6 model: the layer whose hidden attention is computed.") var layer = 0
    @Option(help: "With --tokens or an S6 model: channel groups (one heat map each).") var groups = 8
    @Option(help: "With --tokens or an S6 model: fraction of Σ_s |K u| the range of influence covers.") var mass = 0.9
    @Option(help: "Separate test file (optional).") var test: String?
    @Option(help: "Held-out test part of a single file (same value and --seed as in training).") var testFraction: Double?
    @OptionGroup var dataset: DatasetOptions
    @Option(help: "Seed of the --test-fraction split.") var seed: UInt64 = 0
    @Option(help: "Maximum order K (1…25; default 9 for convergent, 5 for the ε-order series).") var maxOrder: Int?
    @Option(help: "convergent (default), chebyshev or taylor (the ε-order series, diagnostics).") var formulation: Formulation = .convergent
    @Option(help: "Convergent: bands of each channel's modes, by the channel's own spectrum (channel) or the layer's (layer).")
    var bands: BandRule?
    @Option(help: "Convergent: narrow each channel's range to its [q, 1 − q] quantiles (tails exact; 0: [min, max]).")
    var rangeQuantile: Double?
    @Option(help: "Convergent: test samples of the band truncation table (0: no attribution).") var attributionSamples: Int?
    @Option(help: "Convergent: samples (round-robin over classes) of the band-pair ablation per layer.") var pairSamples: Int?
    @Option(help: "Chebyshev: degree d of each surrogate (1…64; default 9).") var degree: Int?
    @Option(help: "Degree d_σ of the GLU-gate (sigmoid) surrogates, 0…64 (default: --degree). A 1-layer model's surrogate has total degree d·(1 + d_σ).")
    var sigmoidDegree: Int?
    @Option(help: "Weight floor of the Chebyshev fit (fraction of the weight on Chebyshev points over the whole range).")
    var floor: Double = 0.02
    @Option(help: "Chebyshev: ridge λ of the fit (λ·Σ c_k², default 0: none).") var ridge: Double?
    @Option(help: "Chebyshev/taylor: expansion point, zero input (default) or the training data's mean input (ε scales u − ū).")
    var center: Center?
    @Option(help: "At most this many evaluated samples (0: all).") var samples: Int = 0
    @Option(help: "Chebyshev/taylor: samples of the layer-0 pair interactions (default 4; 0: none).") var interactionSamples: Int?
    @Flag(help: "Also time each order against the plain forward pass (convergent: process CPU, best of 5, ≤ 64 samples).") var timing = false
    @Option(help: "Write the convergence curve and band-pair maps (convergent) or error/accuracy/interaction SVGs into this folder.") var plot: String?
    @Flag(help: "Print the result as JSON on stdout.") var json = false

    enum Center: String, ExpressibleByArgument, CaseIterable { case zero, mean }
    enum Formulation: String, ExpressibleByArgument, CaseIterable { case convergent, chebyshev, taylor }

    var outputs: [OutputFile] { [.folder("--plot", plot)] }

    func run() throws {
        if let tokens {
            try loading.requireNoneForLanguageModel()
            return try MambaOperatorCommand.run(model: model, tokens: tokens, layer: layer, groups: groups, mass: mass, plot: plot, json: json)
        }
        guard let data else { throw CLIError("give --data (or --tokens for a Mamba language model)") }
        let maxOrder = self.maxOrder ?? (formulation == .convergent ? 9 : 5)
        guard maxOrder >= 1, maxOrder <= 25 else {
            throw CLIError("--max-order \(maxOrder) is outside 1…25 (the cost grows as P³ and high powers overflow)")
        }
        let degree = self.degree ?? 9, rangeQuantile = self.rangeQuantile ?? 0
        guard degree <= 64 else { throw CLIError("--degree \(degree) is too high (≤ 64): the graded evaluation's degree grows as d^layers") }
        guard rangeQuantile >= 0, rangeQuantile < 0.5 else { throw CLIError("--range-quantile \(rangeQuantile) is outside [0, 0.5)") }
        let checkpoint = try loading.checkpoint(model)
        let (trainSet, testSet) = try DataSplits.load(data: data, test: test, testFraction: testFraction, seed: seed, options: dataset)
        let fitInputs = try checkpoint.modelInputs(trainSet)
        let evalInputs = try testSet.map { try checkpoint.modelInputs($0) } ?? fitInputs
        let evaluated = samples > 0 ? min(samples, evalInputs.count) : evalInputs.count
        if checkpoint.model.configuration.core == .s6 {
            // not LTI: the operator is the data-dependent kernel K_t,s of layer --layer on the first evaluated sample
            guard evaluated > 0 else { throw CLIError("\(data) has no samples to evaluate") }
            let first = evalInputs.batch([0][...])
            let n = first.lengths[0], d = checkpoint.model.configuration.dInput
            let report = try HiddenAttentionReport(source: model, model: checkpoint.model, input: Array(first.inputs[0 ..< n * d]),
                                                   length: n, layer: layer, groups: groups, mass: mass)
            return try MambaOperatorCommand.present(report, what: "S6 layer \(layer)'s \(checkpoint.model.configuration.dModel) channels "
                + "over the \(n) steps of the first evaluated sample", plot: plot, json: json)
        }
        let exact = try OperatorModel(checkpoint.model).exactDegree != nil
        try refuseOptionsOfTheOtherFormulation(convergent: formulation == .convergent && !exact, exact: exact)
        if formulation == .convergent, !exact {
            return try runConvergent(checkpoint: checkpoint, fitInputs: fitInputs, evalInputs: evalInputs, evaluated: evaluated,
                                     maxOrder: maxOrder, data: data)
        }
        var settings = OperatorSettings()
        settings.maxOrder = maxOrder; settings.kind = formulation == .taylor ? .taylor : .chebyshev; settings.degree = degree
        settings.sigmoidDegree = sigmoidDegree; settings.floor = floor; settings.ridge = ridge ?? 0
        settings.centreOnMean = center == .mean; settings.interactionSamples = interactionSamples ?? 4; settings.timing = timing
        let (fit, evaluation) = try batches(checkpoint, fitInputs, evalInputs, evaluated: evaluated, data: data) {
            settings.jobEstimate(configuration: checkpoint.model.configuration, fitSamples: $0, evaluationSamples: $1, length: $2)
        }
        let outcome = try OperatorPipeline.run(model: checkpoint.model, fit: fit, evaluation: evaluation, settings: settings)
        let report = outcome.report, summary = outcome.summary
        let written = try write(plot == nil ? [] : try report.figures(interactions: outcome.interactions))
        if json {
            try JSONOutput.print(report)
        } else {
            print("full model accuracy \(summary.fullAccuracy) on \(summary.samples) samples (\(report.formulation))")
            if report.exact, let degree = report.exactDegree {
                print("exact: every head is bilinear, so the model is a polynomial of degree \(degree) in its input; no surrogate, the table runs to order \(degree)"
                      + (report.exactCondition.map { " (\($0))" } ?? ""))
                print("identity error at P=\(degree) against the model's own logits: \(report.surrogate?.identityError ?? .nan), homogeneity error \(report.surrogate?.homogeneityError ?? .nan)")
            } else if let sur = report.surrogate, let degree = sur.degree, let range = sur.range {
                print("surrogate degree \(degree) (gate \(sur.sigmoidDegree ?? degree)), range [\(range[0]), \(range[1])], total degree \(sur.totalDegree ?? 0), surrogate accuracy \(sur.accuracy ?? 0), identity error at P=\(maxOrder): \(sur.identityError ?? .nan), homogeneity error \(sur.homogeneityError)")
            }
            if summary.radiusBelowOne {
                print("radius < 1: the series in ε diverges at ε = 1 (estimated radius \(summary.radiusEstimate)); partial sums below are not converging")
            }
            print("order  relative_error  accuracy  agreement")
            for r in summary.orders { print("\(r.order)  \(r.relativeError)  \(r.accuracy)  \(r.agreement)") }
            print("explained accuracy (order \(summary.orders.last?.order ?? maxOrder)): \(summary.explainedAccuracy)")
            for t in report.timing ?? [] { print("timing P=\(t.order): \(t.ratio)× the plain forward") }
            for f in written { print("wrote \(f)") }
        }
    }
}

extension Operator {
    /// Options of one formulation given with the other are refused, not ignored. The exact operator of a bilinear
    /// model takes the series' options (its pair interactions), none of the convergent order's.
    func refuseOptionsOfTheOtherFormulation(convergent: Bool, exact: Bool) throws {
        let seriesOnly = [degree.map { _ in "--degree" }, sigmoidDegree.map { _ in "--sigmoid-degree" }, ridge.map { _ in "--ridge" },
                          center.map { _ in "--center" }, interactionSamples.map { _ in "--interaction-samples" }].compactMap { $0 }
        let convergentOnly = [bands.map { _ in "--bands" }, rangeQuantile.map { _ in "--range-quantile" },
                              attributionSamples.map { _ in "--attribution-samples" }, pairSamples.map { _ in "--pair-samples" }].compactMap { $0 }
        func belong(_ names: [String]) -> String { names.joined(separator: ", ") + (names.count == 1 ? " belongs" : " belong") }
        if convergent, !seriesOnly.isEmpty {
            throw CLIError("\(belong(seriesOnly)) to the ε-order series (--formulation chebyshev or taylor), not to the convergent "
                + "order (the default): add --formulation chebyshev or leave " + (seriesOnly.count == 1 ? "it" : "them") + " out")
        }
        if !convergent, !convergentOnly.isEmpty {
            throw CLIError("\(belong(convergentOnly)) to the convergent order (the default formulation), not to "
                + (exact ? "the exact operator of a model whose every head is bilinear" : "--formulation \(formulation.rawValue)"))
        }
    }

    /// The convergent order (the default for every model that is not exact by construction).
    func runConvergent(checkpoint: Checkpoint, fitInputs: BatchSource, evalInputs: BatchSource, evaluated: Int, maxOrder: Int,
                       data: String) throws {
        var settings = ConvergentSettings()
        settings.maxOrder = maxOrder; settings.floor = floor; settings.rangeQuantile = rangeQuantile ?? 0; settings.bandRule = bands ?? .channel
        settings.attributionSamples = attributionSamples ?? 32; settings.pairSamples = pairSamples ?? 8; settings.timing = timing
        let (fit, evaluation) = try batches(checkpoint, fitInputs, evalInputs, evaluated: evaluated, data: data) {
            settings.jobEstimate(configuration: checkpoint.model.configuration, fitSamples: $0, evaluationSamples: $1, length: $2)
        }
        let report = try ConvergentPipeline.run(model: checkpoint.model, fit: fit, evaluation: evaluation, settings: settings,
                                                progress: { Terminal.progress("operator: " + $0) })
        let written = try write(plot == nil ? [] : try report.figures())
        if json { return try JSONOutput.print(report) }
        func f(_ x: Double) -> String { String(format: x != 0 && abs(x) < 1e-3 ? "%9.2e" : "%9.4f", x) }
        print("full model accuracy \(report.fullAccuracy) on \(report.samples) samples (convergent order: per-channel surrogates of degree k, exact outside each channel's range)")
        print("  k  accuracy_ratio  agreement  rel_error  outside" + (report.timing == nil ? "" : "  cpu/plain"))
        for r in report.orders {
            var line = String(format: "%3d", r.order) + "  " + f(r.accuracyRatio) + "      " + f(r.agreement) + "  " + f(r.relativeError)
            line += "  " + String(format: "%.1e", r.outsideFraction ?? 0)
            if let t = report.timing?.first(where: { $0.order == r.order }) { line += String(format: "  %8.1f×", t.ratio) }
            print(line)
        }
        print(report.headline)
        if let id = report.surrogate.identity {
            print("identity: graded components of the pure order-\(id.order) surrogate (total degree \(id.totalDegree)) sum to its forward pass within \(id.error)")
        }
        if let a = report.attribution {
            print("band decomposition (\(a.players) players per channel, \(a.rule) rule, \(a.samples) samples): Σ of all terms = logits within \(a.dividendSumError) (layer 0, one sample)")
            print("  k  accuracy_ratio  agreement  rel_error")
            for r in a.orders { print(String(format: "%3d", r.order) + "  " + f(r.accuracyRatio) + "      " + f(r.agreement) + "  " + f(r.relativeError)) }
            for l in a.layers where !l.topPairs.isEmpty {
                let labels = report.bandLabels(layer: l.layer)
                let pairs = l.topPairs.map { (p: ConvergentReport.BandPair) -> String in
                    "\(p.class): " + labels[p.first] + "×" + labels[p.second] + " " + String(format: "%+.3g", p.effect)
                }
                print("layer \(l.layer) top band pairs (class: bands, effect on its logit): " + pairs.joined(separator: "; "))
            }
        }
        for f in written { print("wrote \(f)") }
    }
}

extension Operator {
    /// The fit and evaluation batches, after checking the job's estimate (fit samples, evaluated samples, length).
    func batches(_ checkpoint: Checkpoint, _ fitInputs: BatchSource, _ evalInputs: BatchSource, evaluated: Int, data: String,
                 estimate: (Int, Int, Int) -> JobEstimate) throws -> (fit: Batch, evaluation: Batch) {
        let length = max(fitInputs.lengths.max() ?? 1, evalInputs.lengths.max() ?? 1)
        try ResourceLimits.require(estimate(fitInputs.count, evaluated, length), job: "operator", limitWork: false,
                                   fix: "evaluate fewer samples (--samples) or a lower --max-order")
        let evaluation = evalInputs.batch(Array(0..<evaluated)[...])
        guard evaluation.batch > 0 else { throw CLIError("\(data) has no samples to evaluate") }
        return (fitInputs.batch(Array(0..<fitInputs.count)[...]), evaluation)
    }

    /// Writes the figures into --plot (created if missing); returns the paths.
    func write(_ figures: [(name: String, svg: String)]) throws -> [String] {
        guard let plot else { return [] }
        try AtomicFile.createFolder(atPath: plot)
        return try figures.map { name, svg in
            let path = (plot as NSString).appendingPathComponent(name)
            try AtomicFile.write(Charts.file(svg), to: path)
            return path
        }
    }
}

extension BandRule: ExpressibleByArgument {}
