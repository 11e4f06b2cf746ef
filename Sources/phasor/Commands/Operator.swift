import ArgumentParser
import Foundation
import PhasorData
import PhasorModels
import PhasorOperator

// `phasor operator`: the explicit operator of a checkpoint's whole forward pass, truncated at interaction order P —
// per-order logits error and accuracy, the polynomial surrogate's identity checks, and layer-0 pair interactions.
// The surrogate's ranges are measured on the training part; the table is computed on the test part (or all data).

struct Operator: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explicit operator of a model's forward pass: error and accuracy per interaction order, pair interactions.",
        discussion: """
        Each nonlinearity is replaced by a Chebyshev polynomial of --degree fitted on the range its inputs reach on the \
        training data (default; exact graded components), or expanded in its Taylor series (--formulation taylor, \
        divergence is detected and reported). LayerNorm gains are taken from the model's own forward pass (exact). \
        With --tokens (int64 ids, (L)) the model is a Mamba language model and the operator is one selective layer's \
        hidden attention y_t = Σ_s K_{t,s} u_s + D u_t along the tokens: identity error against the scan, heat maps per \
        channel group (--plot), range of influence per token (docs/mamba.md).
        """
    )

    enum Formulation: String, ExpressibleByArgument, CaseIterable { case chebyshev, taylor }
    enum Center: String, ExpressibleByArgument, CaseIterable { case zero, mean }

    @Option(help: "Checkpoint (.safetensors).") var model: String
    @Option(help: "Dataset: .ts file, folder with *_TRAIN.ts/*_TEST.ts, or CSV with the label last.") var data: String?
    @Option(help: "Token ids (.npy int64, (L)) for a Mamba language model (instead of --data).") var tokens: String?
    @Option(help: "With --tokens: the layer whose hidden attention is computed.") var layer = 0
    @Option(help: "With --tokens: channel groups (one heat map each).") var groups = 8
    @Option(help: "With --tokens: fraction of Σ_s |K u| the range of influence covers.") var mass = 0.9
    @Option(help: "Separate test file (optional).") var test: String?
    @Option(help: "Held-out test part of a single file (same value and --seed as in training).") var testFraction: Double?
    @Option(help: "Seed of the --test-fraction split.") var seed: UInt64 = 0
    @Option(help: "Maximum interaction order P (1…25).") var maxOrder: Int = 5
    @Option(help: "chebyshev (default) or taylor.") var formulation: Formulation = .chebyshev
    @Option(help: "Degree d of each Chebyshev surrogate (1…64).") var degree: Int = 9
    @Option(help: "Degree d_σ of the GLU-gate (sigmoid) surrogates, 0…64 (default: --degree). A 1-layer model's surrogate has total degree d·(1 + d_σ).")
    var sigmoidDegree: Int?
    @Option(help: "Weight floor of the Chebyshev fit (fraction of the weight on Chebyshev points over the whole range).")
    var floor: Double = 0.02
    @Option(help: "Ridge λ of the Chebyshev fit (λ·Σ c_k², 0: none).") var ridge: Double = 0
    @Option(help: "Expansion point: zero input (default) or the training data's mean input (ε scales u − ū).")
    var center: Center = .zero
    @Option(help: "At most this many evaluated samples (0: all).") var samples: Int = 0
    @Option(help: "Samples used for the pair-interaction attribution (0: none).") var interactionSamples: Int = 4
    @Flag(help: "Also time the graded evaluation against the plain forward pass for P = 1…max-order.") var timing = false
    @Option(help: "Write error-vs-order, accuracy-vs-order and interaction-map SVGs into this folder.") var plot: String?
    @Flag(help: "Print the result as JSON on stdout.") var json = false

    struct Output: Encodable {
        var report: OperatorReport
        var timing: [TimingRow]?
        func encode(to encoder: Encoder) throws {
            try report.encode(to: encoder)
            if let timing {
                var c = encoder.container(keyedBy: Key.self)
                try c.encode(timing, forKey: .timing)
            }
        }
        enum Key: String, CodingKey { case timing }
    }
    struct TimingRow: Encodable { var order: Int; var ratio: Double }

    /// (B, L, d) inputs padded with zeros, lengths and labels of a dataset, standardised as the checkpoint says.
    static func arrays(_ set: SequenceDataset, checkpoint: Checkpoint, classes: [String], limit: Int) throws
        -> (inputs: [Double], batch: Int, length: Int, lengths: [Int], labels: [Int]) {
        let d = set.channels
        let position = Dictionary(classes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let chosen = limit > 0 ? Array(set.samples.prefix(limit)) : set.samples
        let L = chosen.map(\.length).max() ?? 0
        var x = [Double](repeating: 0, count: chosen.count * L * d)
        var labels: [Int] = []
        for (b, s) in chosen.enumerated() {
            var v = s.values
            try checkpoint.standardisation?.apply(to: &v)
            x.replaceSubrange(b * L * d ..< b * L * d + v.count, with: v)
            guard let k = position[set.classNames[s.label]] else {
                throw CLIError("class '\(set.classNames[s.label])' of \(set.name) is not one of the model's classes")
            }
            labels.append(k)
        }
        return (x, chosen.count, L, chosen.map(\.length), labels)
    }

    func run() throws {
        if let tokens {
            return try MambaOperatorCommand.run(model: model, tokens: tokens, layer: layer, groups: groups, mass: mass, plot: plot, json: json)
        }
        guard let data else { throw CLIError("give --data (or --tokens for a Mamba language model)") }
        guard maxOrder >= 1, maxOrder <= 25 else {
            throw CLIError("--max-order \(maxOrder) is outside 1…25 (the cost grows as P³ and high powers overflow)")
        }
        let checkpoint = try Checkpoint.load(path: model)
        let cfg = checkpoint.model.configuration
        let (trainSet, testSet) = try DataSplits.load(data: data, test: test, testFraction: testFraction, seed: seed)
        guard trainSet.channels == cfg.dInput else {
            throw CLIError("\(data) has \(trainSet.channels) input channels but the model expects d_input = \(cfg.dInput)")
        }
        let classes = checkpoint.classNames ?? trainSet.classNames
        guard classes.count == cfg.classes else {
            throw CLIError("\(data) has \(classes.count) classes but the model has \(cfg.classes)")
        }
        let op = try OperatorModel(checkpoint.model)
        let fitSet = try Self.arrays(trainSet, checkpoint: checkpoint, classes: classes, limit: 0)
        let evalSet = try Self.arrays(testSet ?? trainSet, checkpoint: checkpoint, classes: classes, limit: samples)
        guard evalSet.batch > 0 else { throw CLIError("\(data) has no samples to evaluate") }
        var reference: [Double]? = nil
        if center == .mean {
            guard fitSet.length == evalSet.length else { throw CLIError("--center mean needs equal-length sequences") }
            var r = [Double](repeating: 0, count: fitSet.length * cfg.dInput)
            for b in 0..<fitSet.batch { for i in 0..<r.count { r[i] += fitSet.inputs[b * r.count + i] / Double(fitSet.batch) } }
            reference = r
        }
        let form: OperatorFormulation
        switch formulation {
        case .taylor: form = .taylor
        case .chebyshev:
            form = .chebyshev(try RangeSurrogate(model: op, inputs: fitSet.inputs, batch: fitSet.batch, length: fitSet.length,
                                                 lengths: fitSet.lengths, degree: degree, sigmoidDegree: sigmoidDegree, floor: floor, ridge: ridge))
        }
        let summary = try OperatorAnalysis.run(model: op, inputs: evalSet.inputs, batch: evalSet.batch, length: evalSet.length,
                                               lengths: evalSet.lengths, labels: evalSet.labels, maxOrder: maxOrder,
                                               formulation: form, reference: reference)
        var interactions: [PairInteractions] = []
        let k = min(interactionSamples, evalSet.batch)
        if k > 0 {
            let n = evalSet.length * cfg.dInput
            let x = Array(evalSet.inputs[0 ..< k * n])
            let lens = Array(evalSet.lengths[0 ..< k])
            let nl = cfg.layers
            let eg = [PointwiseExpansion](repeating: .gelu, count: nl), es = [PointwiseExpansion](repeating: .sigmoid, count: nl)
            let gains = try op.plainForward(inputs: x, batch: k, length: evalSet.length, lengths: lens, gelu: eg, sigmoid: es).gains
            let (g, s): ([PointwiseExpansion], [PointwiseExpansion])
            if case .chebyshev(let r) = form { (g, s) = (r.geluExpansions, r.sigmoidExpansions) } else { (g, s) = (eg, es) }
            for basis in InteractionBasis.allCases {
                interactions.append(try op.pairInteractions(inputs: x, batch: k, length: evalSet.length, lengths: lens, gelu: g, sigmoid: s,
                                                            basis: basis, frozenGains: gains, reference: reference))
            }
        }
        let report = OperatorReport(summary: summary, formulation: form, interactions: interactions)
        var timingRows: [TimingRow]? = nil
        if timing {
            let b = min(evalSet.batch, 64), n = evalSet.length * cfg.dInput
            timingRows = try OperatorTiming.ratios(model: op, inputs: Array(evalSet.inputs[0 ..< b * n]), batch: b, length: evalSet.length,
                                                   lengths: Array(evalSet.lengths[0 ..< b]), orders: Array(1...maxOrder), formulation: form)
                .map { TimingRow(order: $0.order, ratio: $0.ratio) }
        }
        var written: [String] = []
        if let plot { written = try report.writePlots(to: plot, interactions: interactions) }
        if json {
            try JSONOutput.print(Output(report: report, timing: timingRows))
        } else {
            print("full model accuracy \(summary.fullAccuracy) on \(summary.samples) samples (\(report.formulation))")
            if let sur = report.surrogate {
                print("surrogate degree \(sur.degree) (gate \(sur.sigmoidDegree)), range [\(sur.range[0]), \(sur.range[1])], total degree \(sur.totalDegree ?? 0), surrogate accuracy \(sur.accuracy ?? 0), identity error at P=\(maxOrder): \(sur.identityError ?? .nan), homogeneity error \(sur.homogeneityError)")
            }
            if summary.radiusBelowOne {
                print("radius < 1: the series in ε diverges at ε = 1 (estimated radius \(summary.radiusEstimate)); partial sums below are not converging")
            }
            print("order  relative_error  accuracy")
            for r in summary.orders { print("\(r.order)  \(r.relativeError)  \(r.accuracy)") }
            print("explained accuracy (order \(maxOrder)): \(summary.explainedAccuracy)")
            for t in timingRows ?? [] { print("timing P=\(t.order): \(t.ratio)× the plain forward") }
            for f in written { print("wrote \(f)") }
        }
    }
}
