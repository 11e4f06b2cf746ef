// The convergent operator's report (ConvergentPipeline) as data — the JSON of `phasor operator` (snake_case keys).
// The contract of the other formulations is kept: `full_accuracy`, `orders` [{order, relative_error, accuracy,
// agreement, …}], `explained_accuracy`, `surrogate` {identity_error, total_degree, …}; added: `headline_order`
// (null when no order ≤ K reaches agreement ≥ 0.99, ratio ≥ 0.99 and error ≤ 0.1 — written, not left out),
// `outside_fraction`, and `attribution` (the band decomposition).
import Foundation
import PhasorFigures

public struct ConvergentReport: Sendable, Encodable {
    /// The graded identity of the pure polynomial surrogate at `order` (total degree `totalDegree` ≤ 25).
    public struct Identity: Sendable, Encodable, Equatable {
        public var order: Int
        public var totalDegree: Int
        /// max |Σ_p ℓ^[p] − ℓ_surrogate| / max(|ℓ_surrogate|, |ℓ^[p]|) over the samples and degrees.
        public var error: Double
        public var samples: Int
    }

    /// One player of a layer's band decomposition: band b (modes per channel, their periods 2π/θ in samples over all
    /// channels: median, min, max of the finite ones — nil for a band of real poles only) or the skip D·z.
    public struct Band: Sendable, Encodable, Equatable {
        public var band: Int
        public var label: String
        public var modes: Int
        public var periodMedian: Double?
        public var periodMin: Double?
        public var periodMax: Double?
        enum CodingKeys: String, CodingKey {
            case band, label, modes, periodMedian = "period_median", periodMin = "period_min", periodMax = "period_max"
        }
    }

    /// A top band pair of one class: the mean ablation effect on the class logit over the class's samples.
    public struct BandPair: Sendable, Codable, Equatable {
        public var `class`: Int
        public var first: Int
        public var second: Int
        public var firstPeriod: Double?
        public var secondPeriod: Double?
        public var effect: Double
        enum CodingKeys: String, CodingKey {
            case `class`, first, second, firstPeriod = "first_period", secondPeriod = "second_period", effect
        }
    }

    public struct LayerBands: Sendable, Encodable {
        public var layer: Int
        public var bands: [Band]
        public var topPairs: [BandPair]
        /// [class][p][q]: mean ablation effect of pair {p, q} (diagonal: band p alone) on logit c over class-c samples.
        public var pairMaps: [[[Double]]]
        public var ablationNonAdditivity: Double?
        enum CodingKeys: String, CodingKey {
            case layer, bands, topPairs = "top_pairs", pairMaps = "pair_maps", ablationNonAdditivity = "ablation_non_additivity"
        }
    }

    public struct Attribution: Sendable, Encodable {
        public var rule: String
        public var players: Int
        public var samples: Int
        public var fullAccuracy: Double
        /// The band truncation Σ_{|S|≤k} Δ_S at every layer's GELU, per k.
        public var orders: [ConvergenceRow]
        public var headlineOrder: Int?
        /// Layer 0's logit dividends on one sample: max |Σ_S D_S − ℓ| / max |ℓ|.
        public var dividendSumError: Double
        public var layers: [LayerBands]
        enum CodingKeys: String, CodingKey {
            case rule, players, samples, fullAccuracy = "full_accuracy", orders, headlineOrder = "headline_order"
            case dividendSumError = "dividend_sum_error", layers
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rule, forKey: .rule); try c.encode(players, forKey: .players); try c.encode(samples, forKey: .samples)
            try c.encode(fullAccuracy, forKey: .fullAccuracy); try c.encode(orders, forKey: .orders)
            try c.encode(headlineOrder, forKey: .headlineOrder)                 // null when none
            try c.encode(dividendSumError, forKey: .dividendSumError); try c.encode(layers, forKey: .layers)
        }
    }

    public struct Surrogate: Sendable, Encodable {
        public var maxOrder: Int
        public var floor: Double
        public var identity: Identity?
        /// Total degree in u of the pure surrogate at K (capped at 10⁶).
        public var totalDegreeAtMaxOrder: Int
        enum CodingKeys: String, CodingKey {
            case maxOrder = "max_order", floor, identityError = "identity_error", identityOrder = "identity_order"
            case totalDegree = "total_degree", identitySamples = "identity_samples", totalDegreeAtMaxOrder = "total_degree_at_max_order"
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(maxOrder, forKey: .maxOrder); try c.encode(floor, forKey: .floor)
            try c.encode(identity?.error, forKey: .identityError); try c.encode(identity?.order, forKey: .identityOrder)
            try c.encode(identity?.totalDegree, forKey: .totalDegree); try c.encode(identity?.samples, forKey: .identitySamples)
            try c.encode(totalDegreeAtMaxOrder, forKey: .totalDegreeAtMaxOrder)
        }
    }

    public let formulation = "convergent"
    public let exact = false
    public var samples: Int
    public var fullAccuracy: Double
    public var orders: [ConvergenceRow]
    public var headlineOrder: Int?
    /// The accuracy ratio at the headline order (or at K when there is none).
    public var explainedAccuracy: Double
    public var explainedOrder: Int
    /// Fraction of pointwise evaluations outside the channels' ranges at K.
    public var outsideFraction: Double
    public var surrogate: Surrogate
    public var attribution: Attribution?
    /// Why there is no attribution (a model whose cores are not S4D), if so.
    public var attributionNote: String?
    public var plainCPUSeconds: Double
    /// Process CPU time of the order-k operator over the plain forward pass (best of 5, ≤ 64 samples), when timed.
    public var timing: [OperatorReport.TimingRow]?

    enum CodingKeys: String, CodingKey {
        case formulation, exact, samples, fullAccuracy = "full_accuracy", orders, headlineOrder = "headline_order"
        case explainedAccuracy = "explained_accuracy", explainedOrder = "explained_order", outsideFraction = "outside_fraction"
        case surrogate, attribution, attributionNote = "attribution_note", plainCPUSeconds = "plain_cpu_seconds", timing, headline
    }

    public init(table: ConvergenceTable, surrogates: ChannelSurrogates, identity: Identity?, attribution: Attribution?,
                timing: [OperatorReport.TimingRow]?) {
        samples = table.samples; fullAccuracy = table.fullAccuracy; orders = table.rows
        let headline = table.headlineOrder()
        headlineOrder = headline
        let row = table.rows.first { $0.order == headline } ?? table.rows.last
        explainedAccuracy = row?.accuracyRatio ?? 0; explainedOrder = row?.order ?? 0
        outsideFraction = table.rows.last?.outsideFraction ?? 0
        surrogate = Surrogate(maxOrder: surrogates.maxOrder, floor: surrogates.floor, identity: identity,
                              totalDegreeAtMaxOrder: min(surrogates.totalDegree(order: surrogates.maxOrder), 1_000_000))
        self.attribution = attribution
        plainCPUSeconds = table.plainCPUSeconds
        self.timing = timing
    }

    /// The one-line verdict: the headline order, or plainly that none of 1…K reaches it, with the last row's numbers.
    public var headline: String {
        let criterion = "agreement ≥ 0.99, accuracy ratio ≥ 0.99, relative logit error ≤ 0.1"
        if let k = headlineOrder, let r = orders.first(where: { $0.order == k }) {
            return "headline order \(k) (first with \(criterion)): ratio \(Self.f(r.accuracyRatio)), agreement \(Self.f(r.agreement)), error \(Self.f(r.relativeError))"
        }
        guard let r = orders.last else { return "no orders evaluated" }
        return "no order ≤ \(r.order) reaches \(criterion); at order \(r.order): ratio \(Self.f(r.accuracyRatio)), agreement \(Self.f(r.agreement)), error \(Self.f(r.relativeError))"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(formulation, forKey: .formulation); try c.encode(exact, forKey: .exact); try c.encode(samples, forKey: .samples)
        try c.encode(fullAccuracy, forKey: .fullAccuracy); try c.encode(orders, forKey: .orders)
        try c.encode(headlineOrder, forKey: .headlineOrder)                     // null when none
        try c.encode(headline, forKey: .headline)
        try c.encode(explainedAccuracy, forKey: .explainedAccuracy); try c.encode(explainedOrder, forKey: .explainedOrder)
        try c.encode(outsideFraction, forKey: .outsideFraction); try c.encode(surrogate, forKey: .surrogate)
        try c.encodeIfPresent(attribution, forKey: .attribution); try c.encodeIfPresent(attributionNote, forKey: .attributionNote)
        try c.encode(plainCPUSeconds, forKey: .plainCPUSeconds)
        try c.encodeIfPresent(timing, forKey: .timing)
    }

    static func f(_ x: Double) -> String { String(format: x != 0 && abs(x) < 1e-3 ? "%.2e" : "%.3f", x) }

    /// Axis labels of layer i's players: "T≈<median period>" per band (samples), "∞" for a band of real poles, "skip".
    public func bandLabels(layer i: Int) -> [String] {
        guard let layer = attribution?.layers.first(where: { $0.layer == i }) else { return [] }
        return layer.bands.map { b in
            if b.label == "skip" { return "skip" }
            guard let p = b.periodMedian else { return "T=∞" }                   // real poles only
            return "T≈" + String(format: p >= 10 ? "%.0f" : "%.1f", p)
        }
    }

    /// Layer i's band-pair map: class c's map, or (nil) the mean |effect| over the classes.
    public func pairMap(layer i: Int, class c: Int? = nil) -> [[Double]]? {
        guard let layer = attribution?.layers.first(where: { $0.layer == i }), !layer.pairMaps.isEmpty else { return nil }
        if let c { return c < layer.pairMaps.count ? layer.pairMaps[c] : nil }
        let n = layer.bands.count
        var m = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for map in layer.pairMaps { for p in 0..<n { for q in 0..<n { m[p][q] += abs(map[p][q]) / Double(layer.pairMaps.count) } } }
        return m
    }

    /// The converging curve: accuracy ratio, agreement and relative logit error by order (log axis), one chart.
    public func convergenceFigure(title: String = "explicit operator: convergence with the order k") throws -> String {
        let x = orders.map { Double($0.order) }
        return try Charts.line(title: title, x: FigureAxis("order k (surrogate degree per channel)", integer: true),
                               y: FigureAxis("ratio, agreement, error", log: true),
                               series: [FigureSeries("accuracy ratio", x: x, y: orders.map(\.accuracyRatio)),
                                        FigureSeries("agreement", x: x, y: orders.map(\.agreement)),
                                        FigureSeries("logit error", x: x, y: orders.map(\.relativeError))], markers: true)
    }

    /// The figures `phasor operator --plot` writes: the converging curve, the band truncation's curve and each layer's
    /// band-pair map (mean |ablation effect| over classes, band periods on the axes).
    public func figures() throws -> [(name: String, svg: String)] {
        var out = [("operator-convergence.svg", try convergenceFigure())]
        if let a = attribution {
            let x = a.orders.map { Double($0.order) }
            out.append(("band-truncation.svg", try Charts.line(title: "band decomposition truncated at |S| ≤ k (every GELU)",
                x: FigureAxis("order k (bands per term)", integer: true), y: FigureAxis("ratio, agreement, error", log: true),
                series: [FigureSeries("accuracy ratio", x: x, y: a.orders.map(\.accuracyRatio)),
                         FigureSeries("agreement", x: x, y: a.orders.map(\.agreement)),
                         FigureSeries("logit error", x: x, y: a.orders.map(\.relativeError))], markers: true)))
            for l in a.layers {
                guard let m = pairMap(layer: l.layer) else { continue }
                out.append(("band-pairs-layer\(l.layer).svg", try Charts.matrix(m, labels: bandLabels(layer: l.layer),
                    title: "layer \(l.layer): band pairs, mean |Δ logit| when the pair term is removed")))
            }
        }
        return out
    }
}
