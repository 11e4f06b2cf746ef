// How a pointwise nonlinearity is expanded on graded signals: its Taylor coefficients a_k(y0) = f^{(k)}(y0)/k! at
// the actual degree-0 value y0, k = 0…P (consumed by `GradedSignal.composed`). Four kinds:
//   • a Chebyshev polynomial p(x) = Σ c_j T_j(t(x)) of degree d (the range formulation), or one per channel (the
//     per-channel surrogates): a_k = p^{(k)}(y0)/k!, exact and 0 for k > d — the derivative series by
//     c'_{j−1} = c'_{j+1} + 2j·c_j (ChebyshevSeries.derivative);
//   • GELU g = xΦ (Taylor formulation): g^{(k)} = x·Φ^{(k)} + k·Φ^{(k−1)},  Φ^{(j)} = (−1)^{j−1} He_{j−1}(x) φ(x) (j ≥ 1),
//     He_{m+1} = x He_m − m He_{m−1} (probabilists' Hermite);
//   • GELU, tanh form (the JAX codes' GELU; S5 and LRU reference models): GELUTanh.taylorCoefficients (tanh's series
//     by T′ = (1 − T²)w′ on the cubic w), radius limited by tanh's poles;
//   • sigmoid s = σ (Taylor formulation): s′ = s − s², so with s(y0 + t) = Σ a_k t^k:
//     (k+1)·a_{k+1} = a_k − Σ_{j=0}^{k} a_j a_{k−j}.  Radius: the poles at ±iπ(2m+1) give √(y0² + π²).
import Foundation
import PhasorNumerics

/// A pointwise function together with the way its local Taylor coefficients are computed.
public enum PointwiseExpansion: Sendable {
    /// A polynomial surrogate (Chebyshev series on the data's range).
    case polynomial(ChebyshevSeries)
    /// GELU (erf form), expanded by its own Taylor series at y0.
    case gelu
    /// GELU (tanh form), expanded by its own Taylor series at y0.
    case geluTanh
    /// The logistic sigmoid, expanded by its own Taylor series at y0 (radius √(y0² + π²)).
    case sigmoid
    /// One polynomial per channel h, applied to the elements (·, h, ·) of (B, H, L) arrays (the pure-polynomial form
    /// of the per-channel surrogates, `ChannelSurrogates`).
    case channelPolynomials([ChebyshevSeries])

    /// f(x) on a number of channel h.
    public func value(_ x: Double, channel h: Int = 0) -> Double {
        switch self {
        case .polynomial(let p): return p(x)
        case .gelu: return GELU.value(x)
        case .geluTanh: return GELUTanh.value(x)
        case .sigmoid: return Sigmoid.value(x)
        case .channelPolynomials(let p): return p[h](x)
        }
    }

    /// The precomputed form used on many elements of (·, H, L) arrays with sequence length L.
    func table(order P: Int, length L: Int = 1) -> ExpansionTable { ExpansionTable(self, order: P, length: L) }
}

/// Per-order data for `PointwiseExpansion` (the derivative series of a polynomial, divided by k!).
struct ExpansionTable {
    let kind: PointwiseExpansion
    let order: Int
    /// For polynomials (one, or one per channel): coefficients of p^{(k)}/k! as Chebyshev series on the same
    /// interval, k = 0…min(P, d), and the intervals.
    let derivatives: [[[Double]]]
    let lower: [Double], upper: [Double]
    /// The sequence length L of the (·, H, L) arrays (to find an element's channel).
    let length: Int

    init(_ kind: PointwiseExpansion, order P: Int, length L: Int) {
        self.kind = kind
        order = P
        length = L
        func table(_ p: ChebyshevSeries) -> [[Double]] {
            var series: [[Double]] = []
            var s = p, fact = 1.0
            for k in 0...min(P, p.degree) {
                if k > 0 { s = s.derivative(); fact *= Double(k) }
                series.append(s.coefficients.map { $0 / fact })            // p^{(k)}/k!
            }
            return series
        }
        let polynomials: [ChebyshevSeries]
        switch kind {
        case .polynomial(let p): polynomials = [p]
        case .channelPolynomials(let p): polynomials = p
        case .gelu, .geluTanh, .sigmoid: polynomials = []
        }
        derivatives = polynomials.map(table)
        lower = polynomials.map(\.lower); upper = polynomials.map(\.upper)
    }

    /// a_k(y0) for k = 0…P, layout a[k·n + i], for every element y0[i].
    func coefficients(at y0: ArraySlice<Double>) -> [Double] {
        let n = y0.count, P = order
        var a = [Double](repeating: 0, count: (P + 1) * n)
        let base = y0.startIndex
        switch kind {
        case .polynomial, .channelPolynomials:
            let H = derivatives.count
            for i in 0..<n {
                let h = H == 1 ? 0 : (i / length) % H                           // element (·, h, ·) of (·, H, L)
                let t = (2 * y0[base + i] - lower[h] - upper[h]) / (upper[h] - lower[h])
                for (k, c) in derivatives[h].enumerated() { a[k * n + i] = ChebyshevSeries.clenshaw(c, t) }
            }
        case .gelu:
            var he = [Double](repeating: 0, count: P + 1)
            for i in 0..<n {
                let x = y0[base + i]
                let phi = StandardNormal.density(x), cdf = StandardNormal.cdf(x)
                // He_0…He_{P−1}
                if P >= 1 { he[0] = 1 }
                if P >= 2 { he[1] = x }
                if P >= 3 { for m in 1..<(P - 1) { he[m + 1] = x * he[m] - Double(m) * he[m - 1] } }
                // Φ^{(j)}/j! for j = 0…P, then g^{(k)}/k! = x·Φ^{(k)}/k! + Φ^{(k−1)}/(k−1)!
                var prev = cdf                                              // Φ^{(0)}/0!
                a[i] = x * cdf
                var fact = 1.0
                for k in 1...max(P, 1) where k <= P {
                    fact *= Double(k)
                    let sign: Double = (k - 1) % 2 == 0 ? 1 : -1
                    let dk = sign * he[k - 1] * phi / fact                   // Φ^{(k)}/k!
                    a[k * n + i] = x * dk + prev                             // (xΦ)^{(k)}/k!
                    prev = dk
                }
            }
        case .geluTanh:
            for i in 0..<n {
                let c = GELUTanh.taylorCoefficients(at: y0[base + i], through: P)
                for k in 0...P { a[k * n + i] = c[k] }
            }
        case .sigmoid:
            var s = [Double](repeating: 0, count: P + 1)
            for i in 0..<n {
                s[0] = Sigmoid.value(y0[base + i])
                if P >= 1 {
                    for k in 0..<P {                                         // (k+1) a_{k+1} = a_k − Σ a_j a_{k−j}
                        var conv = 0.0
                        for j in 0...k { conv += s[j] * s[k - j] }
                        s[k + 1] = (s[k] - conv) / Double(k + 1)
                    }
                }
                for k in 0...P { a[k * n + i] = s[k] }
            }
        }
        return a
    }
}

extension GradedSignal {
    /// f applied to this graded signal: f(y0 + δ) = Σ_k a_k(y0) δ^k truncated at P (see SeriesComposition.swift).
    func applying(_ table: ExpansionTable) -> GradedSignal {
        composed(coefficients: table.coefficients(at: data[0..<count]))
    }
}
