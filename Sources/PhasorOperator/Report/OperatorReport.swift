// The `phasor operator` report as data: per-order table, surrogate summary, top interactions — Codable to the JSON
// of the command line (snake_case keys), plus its figures (drawn with the figure kit).
import Foundation
import PhasorFigures

/// One top interaction of layer 0.
public struct InteractionEntry: Sendable, Codable, Equatable {
    public var basis: String
    public var `class`: Int
    public var first: String
    public var second: String
    /// Mean contribution to the class logit's degree-2 component over the analysed samples.
    public var contribution: Double
}

/// Surrogate block of the report. For an exact model there is no surrogate (degree, sigmoid degree, range and the
/// surrogate's own error and accuracy are absent): the identity is the graded sum at order 2ⁿ against the model's logits.
public struct SurrogateEntry: Sendable, Codable, Equatable {
    public var degree: Int?
    public var sigmoidDegree: Int?
    public var range: [Double]?
    public var identityError: Double?
    public var totalDegree: Int?
    public var homogeneityError: Double
    public var relativeError: Double?
    public var accuracy: Double?
    public var uniformErrors: [String: Double]
    enum CodingKeys: String, CodingKey {
        case degree, sigmoidDegree = "sigmoid_degree", range, identityError = "identity_error", totalDegree = "total_degree", homogeneityError = "homogeneity_error"
        case relativeError = "relative_error", accuracy, uniformErrors = "uniform_errors"
    }
}

/// The whole report.
public struct OperatorReport: Sendable, Codable {
    public var formulation: String
    /// True when the model is a polynomial in its input (every head bilinear) and the operator at `exact_degree` is
    /// the model itself, with no surrogate.
    public var exact: Bool
    /// 2ⁿ for an exact model of n blocks.
    public var exactDegree: Int?
    /// When exactness holds only under a condition (LayerNorm: gains frozen at the input), what it is.
    public var exactCondition: String?
    public var samples: Int
    public var fullAccuracy: Double
    public var orders: [OrderRow]
    public var explainedAccuracy: Double
    public var radiusEstimate: Double?
    public var radiusBelowOne: Bool
    public var sigmoidOutsideRadius: Double
    public var surrogate: SurrogateEntry?
    public var interactions: [InteractionEntry]
    /// [layer][p]: RMS of block i's output at degree p.
    public var layerDegreeRMS: [[Double]]
    /// [p][h]: channel h's share of the degree-p logits (mean over samples of Σ_c |W_dec[c,h] pooled^[p]_h|).
    public var channelDegreeShare: [[Double]]
    public var gradedSeconds: Double
    public var plainSeconds: Double
    /// Wall-time ratio graded(P) / plain forward per order, when timed.
    public var timing: [TimingRow]?
    public struct TimingRow: Sendable, Codable, Equatable {
        public var order: Int
        public var ratio: Double
    }
    enum CodingKeys: String, CodingKey {
        case formulation, exact, exactDegree = "exact_degree", exactCondition = "exact_condition"
        case samples, fullAccuracy = "full_accuracy", orders, explainedAccuracy = "explained_accuracy"
        case radiusEstimate = "radius_estimate", radiusBelowOne = "radius_below_one", sigmoidOutsideRadius = "sigmoid_outside_radius"
        case surrogate, interactions, gradedSeconds = "graded_seconds", plainSeconds = "plain_seconds"
        case layerDegreeRMS = "layer_degree_rms", channelDegreeShare = "channel_degree_share", timing
    }

    /// The report of a run; `frozenGains` says that the model's LayerNorm gains were frozen at the input (what an
    /// exact model with LayerNorms needs; see `exactCondition`).
    public init(summary s: OperatorSummary, formulation: OperatorFormulation, interactions: [PairInteractions], topPerClass: Int = 3,
                frozenGains: Bool = false) {
        exact = false; exactDegree = nil; exactCondition = nil
        switch formulation {
        case .taylor: self.formulation = "taylor"; surrogate = nil
        case .exact(let degree):
            self.formulation = "exact"
            exact = true; exactDegree = degree
            if frozenGains {
                exactCondition = "LayerNorm gains frozen at the input: the gain 1/√(var + ε) is not polynomial, so the operator is exact at each input but is not one polynomial of the input (BatchNorm or no norm makes it one)"
            }
            surrogate = SurrogateEntry(degree: nil, sigmoidDegree: nil, range: nil, identityError: s.identityError,
                                       totalDegree: s.surrogateTotalDegree, homogeneityError: s.homogeneityError,
                                       relativeError: nil, accuracy: nil, uniformErrors: [:])
        case .chebyshev(let r):
            self.formulation = "chebyshev"
            var errs: [String: Double] = [:]
            for g in r.gelu + r.sigmoid { errs["\(g.function).\(g.layer)"] = g.uniformError }
            surrogate = SurrogateEntry(degree: r.degree, sigmoidDegree: r.sigmoidDegree, range: [r.range.lower, r.range.upper], identityError: s.identityError,
                                       totalDegree: s.surrogateTotalDegree, homogeneityError: s.homogeneityError,
                                       relativeError: s.surrogateRelativeError, accuracy: s.surrogateAccuracy, uniformErrors: errs)
        }
        samples = s.samples; fullAccuracy = s.fullAccuracy; orders = s.orders; explainedAccuracy = s.explainedAccuracy
        radiusEstimate = s.radiusEstimate.isFinite ? s.radiusEstimate : nil
        radiusBelowOne = s.radiusBelowOne; sigmoidOutsideRadius = s.sigmoidOutsideRadius
        gradedSeconds = s.gradedSeconds; plainSeconds = s.plainSeconds
        layerDegreeRMS = s.layerDegreeRMS; channelDegreeShare = s.channelDegreeShare
        var entries: [InteractionEntry] = []
        for pi in interactions {
            for c in 0..<pi.classes {
                for t in pi.top(class: c, count: topPerClass) {
                    entries.append(InteractionEntry(basis: pi.basis.rawValue, class: c, first: pi.labels[t.pair.0],
                                                    second: pi.labels[t.pair.1], contribution: t.contribution))
                }
            }
        }
        self.interactions = entries
    }

    /// Pretty JSON.
    public func json() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try e.encode(self), as: UTF8.self)
    }

    /// The figures of the report: error vs order, accuracy vs order and one interaction map per basis (mean
    /// |contribution| summed over classes, symmetric), each as (file name, SVG).
    public func figures(interactions: [PairInteractions]) throws -> [(name: String, svg: String)] {
        let x = orders.map { Double($0.order) }
        let order = FigureAxis("order p (waves per term)", integer: true)
        var out: [(String, String)] = [
            ("operator-error.svg", try Charts.line(title: "relative logits error vs order (\(formulation))", x: order,
                                                   y: FigureAxis("relative error", log: true),
                                                   series: [FigureSeries("operator", x: x, y: orders.map(\.relativeError))], markers: true)),
            ("operator-accuracy.svg", try Charts.line(title: "accuracy vs order (\(formulation))", x: order,
                                                      y: FigureAxis("accuracy (fraction)", range: 0...1),
                                                      series: [FigureSeries("operator", x: x, y: orders.map(\.accuracy)),
                                                               FigureSeries("full model", x: x, y: orders.map { _ in fullAccuracy })],
                                                      markers: true)),
        ]
        for pi in interactions {
            let n = pi.labels.count
            var m = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            for (k, (i, j)) in pi.pairs.enumerated() {
                var v = 0.0
                for row in pi.contributions { for c in 0..<pi.classes { v += abs(row[k * pi.classes + c]) } }
                v /= Double(max(pi.contributions.count, 1))
                m[i][j] = v; m[j][i] = v
            }
            out.append(("interactions-\(pi.basis.rawValue).svg",
                        try Charts.matrix(m, labels: pi.labels, title: "layer-0 pair interactions (\(pi.basis.rawValue)): mean |Δ logit|")))
        }
        return out
    }
}
