// `phasor operator`'s default: the CONVERGENT order (issue 13, DESIGN.md §7, docs/operator.md "The convergent order")
// as one library call. On the fit batch (training data): per-channel surrogates of every GELU and gate
// (ChannelSurrogates, orders 0…K) and the frequency bands with their anchors (BandDecomposition). On the evaluation
// batch (test data):
//   • the order table k = 1…K (ConvergenceTable): the model with every GELU and gate replaced by its order-k
//     per-channel surrogate (exact function outside the channel's training range) — accuracy ratio, agreement,
//     relative logit error, the fraction of evaluations outside the ranges, CPU time of each order's pass;
//     headline order = first k with agreement ≥ 0.99, ratio ≥ 0.99 and error ≤ 0.1 (nil if none);
//   • the surrogate's identity: the graded components of the PURE order-k polynomial surrogate (frozen LayerNorm
//     gains) sum to its own plain forward pass, at the highest k ≤ K whose total degree is ≤ 25 (the graded
//     evaluation's limit) on ≤ 4 samples, relative to max(|ℓ|, |ℓ^[p]|) (rounding scales with the terms summed);
//   • the exact wave-interaction attribution: every layer's GELU as Σ_{|S|≤k} Δ_S over its channel's ≤ 9 band
//     players, k = 1…n (the same three numbers; k = n is the model itself), the logit dividends of layer 0 on one
//     sample (Σ_S D_S = logits, the sum error reported), and per layer the top band pairs per class by ablation
//     (BandAttribution) with the bands' periods in samples. S4D cores only: the other LTI cores (S5, LRU, LinOSS) get
//     the order table and the identity (their cores run through the same graded pass); their attribution is null with
//     a note (their modes are shared by all channels — a band rule for MIMO modes is not built).
// The exact-by-construction models (every head bilinear) do not come here: OperatorPipeline handles them.
import Foundation
import PhasorModels
import PhasorNumerics

/// The choices of one convergent-operator run.
public struct ConvergentSettings: Sendable {
    /// Highest surrogate order K (1…30).
    public var maxOrder = 9
    /// Weight floor φ of the per-channel fits, values per channel entering a fit, and the range quantile q.
    public var floor = 0.02
    public var fitSamplesPerChannel = 10000
    public var rangeQuantile = 0.0
    /// Band rule and the number of evaluation samples of the band truncation table (0: no attribution).
    public var bandRule = BandRule.channel
    public var attributionSamples = 32
    /// Band truncation orders evaluated (nil: 1…n).
    public var attributionOrders: [Int]? = nil
    /// Samples (round-robin over classes) of the band-pair ablation per layer (0: none), and pairs per class kept.
    public var pairSamples = 8
    public var topPairs = 3
    /// Also time each order (process CPU, best of 5, ≤ 64 samples) against the plain forward pass.
    public var timing = false

    public init() {}

    /// Memory and work: the fits run the model once over the fit samples (chunks of 64), the table runs it K + 4
    /// times over the evaluation samples, the attribution a few dozen times over a few samples.
    public func jobEstimate(configuration: S4ModelConfiguration, fitSamples: Int, evaluationSamples: Int, length: Int) -> JobEstimate {
        let fit = configuration.jobEstimate(samples: fitSamples, batch: min(fitSamples, 64), length: length, work: .inference)
        let pass = configuration.jobEstimate(samples: evaluationSamples, batch: min(evaluationSamples, 64), length: length, work: .inference)
        let replicas = configuration.jobEstimate(samples: 47 * 4, batch: 47 * 4, length: length, work: .inference)
        return JobEstimate(parts: [("fits and order table", fit.bytes + pass.bytes), ("band ablation copies", replicas.bytes)],
                           operations: fit.operations + Double(maxOrder + 4) * pass.operations)
    }
}

public enum ConvergentPipeline {
    /// The graded evaluation's highest order (as for the other formulations).
    public static let maximumIdentityDegree = 25

    public static func run(model: S4Model, fit: Batch, evaluation: Batch, settings: ConvergentSettings,
                           progress: ((String) -> Void)? = nil) throws -> ConvergentReport {
        guard (1...30).contains(settings.maxOrder) else {
            throw OperatorError.invalidOrder(settings.maxOrder, "the maximum order of the convergent operator must be in 1…30")
        }
        guard fit.batch > 0, evaluation.batch > 0 else { throw OperatorError.invalid("no samples to fit or to evaluate") }
        let op = try OperatorModel(model)
        let K = settings.maxOrder, nl = op.blocks.count
        let exactG = op.exactGELU, exactS = op.exactGate
        progress?("fitting per-channel surrogates (orders 0…\(K)) on \(fit.batch) training samples")
        let surrogates = try ChannelSurrogates(model: op, inputs: fit.inputs, batch: fit.batch, length: fit.length, lengths: fit.lengths,
                                               maxOrder: K, floor: settings.floor, maxSamples: settings.fitSamplesPerChannel,
                                               rangeQuantile: settings.rangeQuantile)
        progress?("order table k = 1…\(K) on \(evaluation.batch) samples")
        let table = try ConvergenceTable(method: "per-channel surrogates", model: op, inputs: evaluation.inputs, batch: evaluation.batch,
                                         length: evaluation.length, lengths: evaluation.lengths, labels: evaluation.labels,
                                         orders: Array(1...K)) { k in
            let counter = OutsideCounter()
            return ReplacedForward(gelu: exactG, sigmoid: exactS, stages: surrogates.stages(order: k, counter: counter), counter: counter)
        }
        let identity = try surrogateIdentity(op, surrogates, evaluation: evaluation)
        var attribution: ConvergentReport.Attribution? = nil, note: String? = nil
        if let other = op.blocks.first(where: { $0.core.s4d == nil }) {
            note = "the band decomposition needs S4D cores (one diagonal system per channel); this model's cores are \(other.core.kind.rawValue)"
        } else if settings.attributionSamples > 0 {
            progress?("band decomposition (\(settings.bandRule.rawValue) rule) and its attribution")
            attribution = try bandAttribution(op, fit: fit, evaluation: evaluation, settings: settings)
        }
        var timing: [OperatorReport.TimingRow]? = nil
        if settings.timing {
            progress?("timing orders 1…\(K) against the plain forward pass")
            timing = try costs(op, surrogates, evaluation: evaluation, orders: Array(1...K))
        }
        var report = ConvergentReport(table: table, surrogates: surrogates, identity: identity, attribution: attribution, timing: timing)
        report.attributionNote = note
        return report
    }

    /// The graded identity of the pure order-k polynomial surrogate at the highest k with total degree ≤ 25.
    static func surrogateIdentity(_ op: OperatorModel, _ surrogates: ChannelSurrogates, evaluation e: Batch) throws -> ConvergentReport.Identity? {
        guard let k = (1...surrogates.maxOrder).last(where: { surrogates.totalDegree(order: $0) <= maximumIdentityDegree }) else { return nil }
        let D = surrogates.totalDegree(order: k), nl = op.blocks.count
        let b = min(e.batch, 4), w = e.length * op.configuration.dInput
        let x = Array(e.inputs[0 ..< b * w]), lens = Array(e.lengths[0 ..< b])
        let gains = try op.plainForward(inputs: x, batch: b, length: e.length, lengths: lens, gelu: op.exactGELU, sigmoid: op.exactGate).gains
        let (g, s) = surrogates.expansions(order: k)
        let plain = try op.plainForward(inputs: x, batch: b, length: e.length, lengths: lens, gelu: g, sigmoid: s, frozenGains: gains).logits
        let run = try op.gradedForward(inputs: x, batch: b, length: e.length, lengths: lens, order: D, gelu: g, sigmoid: s,
                                       frozenGains: gains).logits
        let graded = run.sum()
        // relative to the largest of the logits and of the summed components (rounding scales with the terms summed)
        let scale = max(plain.map { abs($0) }.max() ?? 0, run.data.map { abs($0) }.max() ?? 0)
        let error = zip(graded, plain).map { abs($0 - $1) }.max() ?? 0
        return .init(order: k, totalDegree: D, error: scale > 0 ? error / scale : error, samples: b)
    }

    /// Band truncation table, layer-0 logit dividends on one sample, top band pairs per layer and class.
    static func bandAttribution(_ op: OperatorModel, fit: Batch, evaluation e: Batch, settings: ConvergentSettings) throws -> ConvergentReport.Attribution {
        let nl = op.blocks.count, C = op.configuration.classes, w = e.length * op.configuration.dInput
        let exactG = op.exactGELU, exactS = op.exactGate
        let bands = try BandDecomposition(model: op, inputs: fit.inputs, batch: fit.batch, length: fit.length, lengths: fit.lengths,
                                          rule: settings.bandRule)
        let n = bands.bands.map(\.players).max() ?? 1
        let chosen = roundRobin(labels: e.labels, classes: C, count: min(settings.attributionSamples, e.batch))
        let a = subset(e, chosen, width: w)
        let orders = (settings.attributionOrders ?? Array(1...n)).filter { (1...n).contains($0) }
        let table = try ConvergenceTable(method: "band decomposition of every GELU", model: op, inputs: a.inputs, batch: a.batch,
                                         length: a.length, lengths: a.lengths, labels: a.labels, orders: orders) { k in
            ReplacedForward(gelu: exactG, sigmoid: exactS, stages: bands.stages(model: op, order: k))
        }
        // Σ_S D^0_S = the logits (all 2ⁿ band sets of layer 0, one sample)
        let one = subset(e, [chosen[0]], width: w)
        let dividends = try bands.dividends(model: op, inputs: one.inputs, batch: 1, length: one.length, lengths: one.lengths,
                                            layer: 0, maxOrder: n)
        let sums = dividends.partialSum(sample: 0, through: n), logits = dividends.logits[0]
        let scale = logits.map { abs($0) }.max() ?? 0
        let sumError = zip(sums, logits).map { abs($0 - $1) }.max() ?? 0
        var layers: [ConvergentReport.LayerBands] = []
        for (i, b) in bands.bands.enumerated() {
            let labels = (0..<b.players).map { p -> ConvergentReport.Band in
                if p == b.bands { return .init(band: p, label: "skip", modes: 0, periodMedian: nil, periodMin: nil, periodMax: nil) }
                let periods = b.periods(band: p), finite = periods.filter(\.isFinite)       // real poles: period ∞, left out
                return .init(band: p, label: "b\(p)", modes: periods.count / max(b.channels, 1),
                             periodMedian: finite.isEmpty ? nil : finite[finite.count / 2], periodMin: finite.min(), periodMax: finite.max())
            }
            var top: [ConvergentReport.BandPair] = [], maps: [[[Double]]] = [], nonAdditivity: Double? = nil
            if settings.pairSamples > 0 {
                let rows = roundRobin(labels: e.labels, classes: C, count: min(settings.pairSamples, e.batch))
                let p = subset(e, rows, width: w)
                let ablation = try bands.ablation(model: op, inputs: p.inputs, batch: p.batch, length: p.length, lengths: p.lengths, layer: i)
                nonAdditivity = ablation.nonAdditivity
                for c in 0..<C {
                    let samples = p.labels.indices.filter { p.labels[$0] == c }
                    maps.append(ablation.map(class: c, samples: samples))
                    guard !samples.isEmpty else { continue }
                    for t in ablation.topPairs(class: c, samples: samples, count: settings.topPairs) {
                        top.append(.init(class: c, first: t.first, second: t.second, firstPeriod: labels[t.first].periodMedian,
                                         secondPeriod: labels[t.second].periodMedian, effect: t.contribution))
                    }
                }
            }
            layers.append(.init(layer: i, bands: labels, topPairs: top, pairMaps: maps, ablationNonAdditivity: nonAdditivity))
        }
        return .init(rule: settings.bandRule.rawValue, players: n, samples: a.batch, fullAccuracy: table.fullAccuracy,
                     orders: table.rows, headlineOrder: table.headlineOrder(), dividendSumError: scale > 0 ? sumError / scale : sumError,
                     layers: layers)
    }

    /// Process CPU time, best of 5, of the order-k operator over the plain forward pass on ≤ 64 samples.
    static func costs(_ op: OperatorModel, _ surrogates: ChannelSurrogates, evaluation e: Batch, orders: [Int]) throws -> [OperatorReport.TimingRow] {
        let nl = op.blocks.count, b = min(e.batch, 64), w = e.length * op.configuration.dInput
        let exactG = op.exactGELU, exactS = op.exactGate
        let x = Array(e.inputs[0 ..< b * w]), lens = Array(e.lengths[0 ..< b])
        func best(_ stages: ForwardStages?) throws -> Double {
            var t = Double.infinity
            for _ in 0..<5 {
                let t0 = ConvergenceTable.processCPUSeconds()
                _ = try op.plainForward(inputs: x, batch: b, length: e.length, lengths: lens, gelu: exactG, sigmoid: exactS, stages: stages)
                t = min(t, ConvergenceTable.processCPUSeconds() - t0)
            }
            return t
        }
        let plain = try best(nil)
        return try orders.map { OperatorReport.TimingRow(order: $0, ratio: try best(surrogates.stages(order: $0)) / plain) }
    }

    /// `count` sample indices taken in turn from each class (0, 1, …, C − 1, 0, …).
    static func roundRobin(labels: [Int], classes C: Int, count: Int) -> [Int] {
        let lists = (0..<C).map { c in labels.indices.filter { labels[$0] == c } }
        var out: [Int] = [], k = 0
        while out.count < count, k < labels.count {
            for l in lists where k < l.count && out.count < count { out.append(l[k]) }
            k += 1
        }
        return out
    }

    /// The samples `rows` of a batch (padded to the batch's length).
    static func subset(_ e: Batch, _ rows: [Int], width w: Int) -> Batch {
        var b = e
        b.inputs = rows.flatMap { e.inputs[$0 * w ..< ($0 + 1) * w] }
        b.batch = rows.count; b.lengths = rows.map { e.lengths[$0] }; b.labels = rows.map { e.labels[$0] }
        return b
    }
}
