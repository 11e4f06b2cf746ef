// `phasor operator` as one library call: fit the surrogate's ranges on one batch (the training data), evaluate the
// graded operator order by order on another (the test data), attribute layer-0 pair interactions in both bases on
// the first few evaluated samples, optionally time the graded evaluation — and return the report. Inputs are batches
// as the model sees them (`Checkpoint.modelInputs(_:)` cut by `BatchSource.batch`).
// A model whose every head is bilinear is detected (OperatorModel.exactDegree): it gets no surrogate, whatever the
// settings ask, and its table runs to its full order 2ⁿ, where the operator is the model (identity ~1e-12).
import PhasorModels
import PhasorNumerics

/// The choices of one operator run.
public struct OperatorSettings: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case chebyshev, taylor }
    /// Maximum interaction order P (1…25).
    public var maxOrder = 5
    public var kind = Kind.chebyshev
    /// Chebyshev degree d of each GELU surrogate, and d_σ of the gate's (nil: d).
    public var degree = 9
    public var sigmoidDegree: Int?
    /// Weight floor and ridge of the Chebyshev fit.
    public var floor = 0.02
    public var ridge = 0.0
    /// Expand around the fit data's mean input ū instead of u = 0 (needs equal lengths).
    public var centreOnMean = false
    /// Samples used for the pair-interaction attribution (0: none).
    public var interactionSamples = 4
    /// Also time the graded evaluation for P = 1…maxOrder.
    public var timing = false

    public init() {}

    /// Memory and work of `OperatorPipeline.run` for a model of `configuration`: the surrogate's fit runs the model once
    /// over all `fitSamples` as one batch, and the graded evaluation carries P + 1 degree components of every
    /// activation of the `evaluationSamples` (one batch, sequences of up to `length` steps) — each a forward pass of
    /// the model's size (S4ModelConfiguration.jobEstimate); the P³ cost of the series products multiplies the work.
    public func jobEstimate(configuration: S4ModelConfiguration, fitSamples: Int, evaluationSamples: Int, length: Int) -> JobEstimate {
        let p = Double(maxOrder)
        let fit = configuration.jobEstimate(samples: fitSamples, batch: fitSamples, length: length, work: .inference)
        let pass = configuration.jobEstimate(samples: evaluationSamples, batch: evaluationSamples, length: length, work: .inference)
        let graded = JobEstimate(parts: [("graded activations (P + 1 degrees)", (p + 1) * pass.bytes)],
                                 operations: p * p * p * pass.operations)
        return fit + graded
    }
}

/// What an operator run produced.
public struct OperatorOutcome: Sendable {
    public var report: OperatorReport
    public var summary: OperatorSummary
    public var interactions: [PairInteractions]
}

public enum OperatorPipeline {
    public static func run(model: S4Model, fit: Batch, evaluation: Batch, settings: OperatorSettings) throws -> OperatorOutcome {
        guard (1...25).contains(settings.maxOrder) else {
            throw OperatorError.invalidOrder(settings.maxOrder, "the maximum order must be in 1…25 (the cost grows as P³ and high powers overflow)")
        }
        guard evaluation.batch > 0 else { throw OperatorError.invalid("no samples to evaluate") }
        let op = try OperatorModel(model)
        var maxOrder = settings.maxOrder
        let exactDegree = op.exactDegree
        if let degree = exactDegree {
            guard degree <= OperatorModel.maximumExactDegree else {
                throw OperatorError.unsupported("the exact operator of \(model.configuration.layers) bilinear blocks (a polynomial of degree 2^\(model.configuration.layers)): "
                    + "the graded evaluation runs up to degree \(OperatorModel.maximumExactDegree) (6 blocks)")
            }
            maxOrder = degree
        }
        let d = model.configuration.dInput
        var reference: [Double]? = nil
        if settings.centreOnMean {
            guard fit.length == evaluation.length, Set(fit.lengths + evaluation.lengths).count == 1 else {
                throw OperatorError.invalid("expanding around the mean input needs sequences of one length")
            }
            var r = [Double](repeating: 0, count: fit.length * d)                     // ū = (1/B) Σ_b u_b
            for b in 0..<fit.batch { for i in 0..<r.count { r[i] += fit.inputs[b * r.count + i] / Double(fit.batch) } }
            reference = r
        }
        let formulation: OperatorFormulation
        switch settings.kind {
        case _ where exactDegree != nil: formulation = .exact(degree: maxOrder)
        case .taylor: formulation = .taylor
        case .chebyshev:
            formulation = .chebyshev(try RangeSurrogate(model: op, inputs: fit.inputs, batch: fit.batch, length: fit.length,
                                                        lengths: fit.lengths, degree: settings.degree,
                                                        sigmoidDegree: settings.sigmoidDegree, floor: settings.floor,
                                                        ridge: settings.ridge))
        }
        let summary = try OperatorAnalysis.run(model: op, inputs: evaluation.inputs, batch: evaluation.batch,
                                               length: evaluation.length, lengths: evaluation.lengths, labels: evaluation.labels,
                                               maxOrder: maxOrder, formulation: formulation, reference: reference)
        var interactions: [PairInteractions] = []
        let k = min(settings.interactionSamples, evaluation.batch), n = evaluation.length * d
        if k > 0 {
            let x = Array(evaluation.inputs[0 ..< k * n]), lens = Array(evaluation.lengths[0 ..< k])
            let gains = try op.plainForward(inputs: x, batch: k, length: evaluation.length, lengths: lens, gelu: op.exactGELU,
                                            sigmoid: op.exactGate).gains
            let (g, s) = formulation.expansions(model: op)
            for basis in InteractionBasis.allCases {
                interactions.append(try op.pairInteractions(inputs: x, batch: k, length: evaluation.length, lengths: lens,
                                                            gelu: g, sigmoid: s, basis: basis, frozenGains: gains,
                                                            reference: reference))
            }
        }
        var report = OperatorReport(summary: summary, formulation: formulation, interactions: interactions,
                                    frozenGains: op.exactNeedsFrozenGains)
        if settings.timing {
            let b = min(evaluation.batch, 64)
            report.timing = try OperatorTiming.ratios(model: op, inputs: Array(evaluation.inputs[0 ..< b * n]), batch: b,
                                                      length: evaluation.length, lengths: Array(evaluation.lengths[0 ..< b]),
                                                      orders: exactDegree.map { [$0] } ?? Array(1...maxOrder), formulation: formulation)
                .map { OperatorReport.TimingRow(order: $0.order, ratio: $0.ratio) }
        }
        return OperatorOutcome(report: report, summary: summary, interactions: interactions)
    }
}

extension OperatorFormulation {
    /// The per-layer expansions of GELU and the gate this formulation evaluates with.
    public func expansions(model: OperatorModel) -> (gelu: [PointwiseExpansion], sigmoid: [PointwiseExpansion]) {
        switch self {
        case .chebyshev(let r): return (r.geluExpansions, r.sigmoidExpansions)
        case .taylor, .exact: return (model.exactGELU, model.exactGate)          // exact: bilinear layers use none
        }
    }
}
