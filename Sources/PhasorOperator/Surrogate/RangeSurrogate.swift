// The range formulation (DESIGN.md §7): each GELU and GLU sigmoid of each layer is replaced by a Chebyshev
// polynomial of degree d fitted on the interval its inputs reach on the data, weighted by the data's own
// distribution, with a weight floor φ over the whole interval (ChebyshevSeries.weightedFit) so the fit stays bounded
// where the data are sparse. The model then becomes a polynomial in u (with frozen LayerNorm gains), of total degree
// at most d^{2·layers}·… (each block multiplies degrees by d_GELU·(1 + d_σ)), whose graded components are exact.
// The gate's degree d_σ may differ from the GELU's degree d: a 1-layer block has total degree d·(1 + d_σ), so a
// lower gate degree buys a higher GELU degree at the same total degree (d_σ = 0: constant gate, total degree d).
import Foundation
import PhasorModels
import PhasorNumerics

/// One fitted nonlinearity with its range and its uniform error there.
public struct FittedNonlinearity: Sendable {
    public var layer: Int
    /// "gelu" or "sigmoid".
    public var function: String
    public var series: ChebyshevSeries
    /// max |f − p| on [lower, upper] (4001-point grid).
    public var uniformError: Double
    /// Number of data samples the fit saw.
    public var samples: Int
}

/// The polynomial surrogate of a model: one Chebyshev fit per nonlinearity per layer.
public struct RangeSurrogate: Sendable {
    /// Degree d of the GELU surrogates.
    public var degree: Int
    /// Degree d_σ of the GLU-gate (sigmoid) surrogates (equal to `degree` unless chosen separately).
    public var sigmoidDegree: Int
    public var floor: Double
    public var gelu: [FittedNonlinearity]
    /// The gates' fits, for the layers whose head has a gate.
    public var sigmoid: [FittedNonlinearity]
    /// Each layer's activation (which decides where the gate sits and the degree it gives).
    public var activations: [HeadKind]

    /// The smallest and largest end over all fitted intervals.
    public var range: (lower: Double, upper: Double) {
        let all = gelu + sigmoid
        return (all.map(\.series.lower).min() ?? 0, all.map(\.series.upper).max() ?? 0)
    }

    public var geluExpansions: [PointwiseExpansion] { gelu.map { .polynomial($0.series) } }
    /// One per layer: the gate's polynomial, or σ itself for a layer without a gate (never evaluated there).
    public var sigmoidExpansions: [PointwiseExpansion] {
        activations.indices.map { i in sigmoid.first { $0.layer == i }.map { .polynomial($0.series) } ?? .sigmoid }
    }

    /// Fits degree-d surrogates on the pre-activations the model produces on `inputs` (B, L, d_in). At most
    /// `maxSamples` values per nonlinearity are used (an even stride through the recorded values; the range always
    /// uses all of them). `floor` is the weight-floor fraction φ. The interval is the observed range widened by
    /// `rangePadding` of its width on each side, so held-out inputs slightly beyond it are not extrapolated.
    /// `ridge` adds λ·Σ_k c_k² (shrinks high Chebyshev coefficients, and with them the local Taylor coefficients).
    /// `sigmoidDegree` (0…64, default d) is the degree of the gate surrogates.
    public init(model: OperatorModel, inputs: [Double], batch: Int, length: Int, lengths: [Int]? = nil, degree d: Int,
                sigmoidDegree: Int? = nil,
                floor: Double = 0.02, maxSamples: Int = 20000, rangePadding: Double = 0.05, ridge: Double = 0) throws {
        guard d >= 1 else { throw OperatorError.invalid("the surrogate degree must be ≥ 1 (got \(d))") }
        guard d <= 64 else { throw OperatorError.invalid("surrogate degree \(d) is too high (≤ 64): the graded evaluation's degree grows as d^layers") }
        let ds = sigmoidDegree ?? d
        guard (0...64).contains(ds) else { throw OperatorError.invalid("the sigmoid surrogate degree must be in 0…64 (got \(ds))") }
        let nl = model.blocks.count
        let exact = model.exactGELU, sig = model.exactGate
        let rec = try model.plainForward(inputs: inputs, batch: batch, length: length, lengths: lengths, gelu: exact, sigmoid: sig, record: true)
        let lens = lengths ?? [Int](repeating: length, count: batch)
        let H = model.channels
        func valid(_ values: [Double]) -> [Double] {                          // only positions inside each sample's length
            var out: [Double] = []
            for b in 0..<batch { for h in 0..<H { let o = (b * H + h) * length; out += values[o ..< o + lens[b]] } }
            return out
        }
        func fit(_ values: [Double], _ f: @escaping (Double) -> Double, name: String, layer: Int, degree d: Int) throws -> FittedNonlinearity {
            let v = valid(values)
            guard var lo = v.min(), var hi = v.max() else { throw OperatorError.invalid("no \(name) inputs recorded") }
            let pad = max(1e-3, rangePadding * (hi - lo)); lo -= pad; hi += pad          // room for unseen inputs
            let stride = max(1, v.count / maxSamples)
            let sample = Swift.stride(from: 0, to: v.count, by: stride).map { v[$0] }
            let series = try ChebyshevSeries.weightedFit(f, samples: sample, degree: d, lower: lo, upper: hi, floor: floor, ridge: ridge)
            let err = series.maxError(against: f).error
            return FittedNonlinearity(layer: layer, function: name, series: series, uniformError: err, samples: sample.count)
        }
        self.degree = d
        self.sigmoidDegree = ds
        self.floor = floor
        gelu = try (0..<nl).map { i in try fit(rec.geluInputs[i], { exact[i].value($0) }, name: "gelu", layer: i, degree: d) }
        sigmoid = try (0..<nl).filter { !rec.sigmoidInputs[$0].isEmpty }
            .map { try fit(rec.sigmoidInputs[$0], { Sigmoid.value($0) }, name: "sigmoid", layer: $0, degree: ds) }
        activations = model.blocks.map(\.head.kind)
    }

    /// The total degree in u of the surrogate: encoder degree 1; per block x ↦ x + head(core(x)), the core linear:
    /// a = GELU output (degree d_g·deg); full_glu / half_glu1 a + d_σ·a; half_glu2 deg + d_σ·a; gelu a.
    public var totalDegree: Int {
        var deg = 1
        for i in 0..<gelu.count {
            let dg = gelu[i].series.degree, ds = sigmoid.first { $0.layer == i }?.series.degree ?? 0
            let a = dg * deg                                                  // GELU output
            switch activations[i] {
            case .glu, .halfGLU1: deg = max(deg, a + ds * a)                  // z1·σ(z2): a + d_σ·a
            case .halfGLU2: deg = max(deg, deg + ds * a)                      // y·σ(z2)
            case .gelu: deg = max(deg, a)
            case .bilinear: deg = max(deg, 2 * deg)                           // z1·z2 of y
            }
            if deg > 1_000_000 { return deg }
        }
        return deg
    }
}
