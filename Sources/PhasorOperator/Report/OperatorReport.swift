// The `phasor operator` report as data: per-order table, surrogate summary, top interactions — Codable to the JSON
// of the command line (snake_case keys), plus the SVG figures.
import Foundation
import PhasorData
import PhasorOscillators

/// One top interaction of layer 0.
public struct InteractionEntry: Sendable, Codable, Equatable {
    public var basis: String
    public var `class`: Int
    public var first: String
    public var second: String
    /// Mean contribution to the class logit's degree-2 component over the analysed samples.
    public var contribution: Double
}

/// Surrogate block of the report.
public struct SurrogateEntry: Sendable, Codable, Equatable {
    public var degree: Int
    public var sigmoidDegree: Int
    public var range: [Double]
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
    enum CodingKeys: String, CodingKey {
        case formulation, samples, fullAccuracy = "full_accuracy", orders, explainedAccuracy = "explained_accuracy"
        case radiusEstimate = "radius_estimate", radiusBelowOne = "radius_below_one", sigmoidOutsideRadius = "sigmoid_outside_radius"
        case surrogate, interactions, gradedSeconds = "graded_seconds", plainSeconds = "plain_seconds"
        case layerDegreeRMS = "layer_degree_rms", channelDegreeShare = "channel_degree_share"
    }

    public init(summary s: OperatorSummary, formulation: OperatorFormulation, interactions: [PairInteractions], topPerClass: Int = 3) {
        switch formulation {
        case .taylor: self.formulation = "taylor"; surrogate = nil
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

    /// Writes error-vs-order, accuracy-vs-order and one interaction map per basis (mean |contribution| summed over
    /// classes, symmetric) into `directory`; returns the paths written.
    public func writePlots(to directory: String, interactions: [PairInteractions]) throws -> [String] {
        try AtomicFile.createFolder(atPath: directory)
        let x = orders.map { Double($0.order) }
        var written: [String] = []
        func put(_ name: String, _ text: String) throws {
            let path = (directory as NSString).appendingPathComponent(name)
            try AtomicFile.write(text, to: path); written.append(path)
        }
        let error = PlotPanel(title: "Relative logits error vs order (\(formulation))", xLabel: "order p",
                              yLabel: "relative error",
                              series: [PlotSeries(x: x, y: orders.map(\.relativeError), label: "operator")], logY: true)
        let accuracy = PlotPanel(title: "Accuracy vs order (\(formulation))", xLabel: "order p", yLabel: "accuracy",
                                 series: [PlotSeries(x: x, y: orders.map(\.accuracy), label: "operator"),
                                          PlotSeries(x: x, y: orders.map { _ in fullAccuracy }, label: "full model")])
        try put("operator-error.svg", SVGPlot.render([error]))
        try put("operator-accuracy.svg", SVGPlot.render([accuracy]))
        for pi in interactions {
            let n = pi.labels.count
            var m = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            for (k, (i, j)) in pi.pairs.enumerated() {
                var v = 0.0
                for row in pi.contributions { for c in 0..<pi.classes { v += abs(row[k * pi.classes + c]) } }
                v /= Double(max(pi.contributions.count, 1))
                m[i][j] = v; m[j][i] = v
            }
            try put("interactions-\(pi.basis.rawValue).svg", InteractionHeatMap.svg(title: "Layer-0 pair interactions (\(pi.basis.rawValue)): mean |Δ logit|", labels: pi.labels, values: m))
        }
        return written
    }
}
