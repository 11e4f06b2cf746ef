// Per-order report of the explicit operator on a data set (DESIGN.md §7):
//   ℓ_{≤p} = Σ_{q≤p} ℓ^[q]   (logits of the operator truncated at interaction order p, summed at ε = 1)
//   relative error e_p = ‖ℓ_{≤p} − ℓ_model‖_F / ‖ℓ_model‖_F,   accuracy a_p = mean[argmax ℓ_{≤p} = label],
//   agreement g_p = mean[argmax ℓ_{≤p} = argmax ℓ_model],   explained accuracy = a_P / a_model.
// Exact models (every head bilinear; OperatorModel.exactDegree = 2ⁿ): no surrogate — the graded evaluation at order
// P = 2ⁿ is the model itself, so the identity is checked against the model's own forward pass (its logits ℓ_model).
// Convergence at ε = 1 (Cauchy–Hadamard): for each logit, r̂ = min_{p ∈ [⌈P/2⌉, P]} |ℓ^[p]|^{−1/p} estimates the
// radius of Σ_p ε^p ℓ^[p]; a median r̂ < 1 is reported as "radius < 1" (the printed partial sums then diverge).
// Surrogate identity: with P ≥ the surrogate's total degree, Σ_p ℓ^[p] equals the surrogate's own plain forward;
// homogeneity (any P): ℓ^[p](ū + ε(u − ū)) = ε^p ℓ^[p](u), checked at ε = 0.3 with the same frozen gains (ε = 1/2
// would be bit-exact in binary floating point and so check nothing about rounding).
import Foundation
import PhasorNumerics

/// Which nonlinearity expansion the operator uses.
public enum OperatorFormulation: Sendable {
    /// Chebyshev polynomials on the data's range (exact graded components of a polynomial surrogate).
    case chebyshev(RangeSurrogate)
    /// Taylor series of GELU and σ at the degree-0 values (may diverge at ε = 1; detected).
    case taylor
    /// No nonlinearity to expand (every head bilinear): the model is a polynomial of this degree (2ⁿ) in its input.
    case exact(degree: Int)
}

/// One row of the per-order table.
public struct OrderRow: Sendable, Codable, Equatable {
    public var order: Int
    public var relativeError: Double
    public var accuracy: Double
    /// Fraction of samples whose predicted class (argmax) is the model's.
    public var agreement: Double
    enum CodingKeys: String, CodingKey { case order, relativeError = "relative_error", accuracy, agreement }
}

/// Everything the per-order analysis measured.
public struct OperatorSummary: Sendable {
    public var samples: Int
    public var fullAccuracy: Double
    public var orders: [OrderRow]
    /// a_P / a_model.
    public var explainedAccuracy: Double
    /// Median Cauchy–Hadamard radius estimate over logits, and whether it is < 1.
    public var radiusEstimate: Double
    public var radiusBelowOne: Bool
    /// Fraction of sigmoid inputs outside the pole-distance majorant (Taylor) — 0 for Chebyshev.
    public var sigmoidOutsideRadius: Double
    /// Max |ℓ^[p](ū + 0.3(u − ū)) − 0.3^p ℓ^[p](u)| / max|ℓ^[p](u)| over p (first chunk).
    public var homogeneityError: Double
    /// Chebyshev: ‖Σ_{p≤P} ℓ^[p] − ℓ_surrogate‖_∞ / ‖ℓ_surrogate‖_∞ (an identity only when P ≥ total degree);
    /// exact: the same against the model's own logits (P = 2ⁿ).
    public var identityError: Double?
    public var surrogateTotalDegree: Int?
    /// Chebyshev only: relative logits error of the surrogate itself and its accuracy.
    public var surrogateRelativeError: Double?
    public var surrogateAccuracy: Double?
    /// RMS of each layer's block output per degree, [layer][p] (all samples, channels, positions).
    public var layerDegreeRMS: [[Double]]
    /// Mean over samples of Σ_c |W_dec[c,h]·pooled^[p]_h|, [p][h]: each channel's share of the degree-p logits.
    public var channelDegreeShare: [[Double]]
    /// Mean wall time of the graded evaluation and of the model's plain forward over the same chunks (seconds).
    public var gradedSeconds: Double
    public var plainSeconds: Double
}

public enum OperatorAnalysis {
    /// Runs the graded evaluation at order `maxOrder` on (B, L, d_in) inputs in chunks of `chunk` samples.
    public static func run(model: OperatorModel, inputs: [Double], batch: Int, length: Int, lengths: [Int]? = nil,
                           labels: [Int], maxOrder P: Int, formulation: OperatorFormulation,
                           gain: GainTreatment = .frozen, reference: [Double]? = nil, chunk: Int = 64) throws -> OperatorSummary {
        guard P >= 1 else { throw OperatorError.invalidOrder(P, "the maximum order must be ≥ 1") }
        if case .exact = formulation {} else {
            guard P <= 25 else { throw OperatorError.invalidOrder(P, "orders above 25 are not evaluated (cost grows as P³ and the terms overflow); use ≤ 25") }
        }
        guard labels.count == batch else { throw OperatorError.invalid("got \(labels.count) labels for \(batch) samples") }
        let d = model.configuration.dInput, C = model.configuration.classes
        let lens = try model.checkedLengths(inputs: inputs, batch: batch, length: length, lengths: lengths)
        let exactG = model.exactGELU, exactS = model.exactGate
        let (gelu, sig) = formulation.expansions(model: model)
        var chunk = chunk
        if case .exact(let degree) = formulation {
            guard degree == model.exactDegree else {
                throw OperatorError.invalid("the exact formulation needs a model whose every head is bilinear, at its degree 2ⁿ")
            }
            guard P == degree else { throw OperatorError.invalidOrder(P, "an exact model of degree \(degree) is evaluated at order \(degree)") }
            // (P + 1)·chunk·H·L values per graded signal: at most ~2M (16 MB) of them
            chunk = max(1, min(chunk, 2_000_000 / max(1, (P + 1) * model.channels * length)))
        }
        var full: [Double] = [], partial = [[Double]](repeating: [], count: P + 1), surrogate: [Double] = []
        var radii: [Double] = []
        var outside = 0, examined = 0, homogeneity = 0.0
        var gradedTime = 0.0, plainTime = 0.0
        var blockSquares: [[Double]] = [], channelShare: [[Double]] = []
        var elements = 0
        var start = 0
        while start < batch {
            let s = min(chunk, batch - start)
            let x = Array(inputs[start * length * d ..< (start + s) * length * d])
            let l = Array(lens[start ..< start + s])
            var t0 = Date()
            _ = try model.model.logits(inputs: x, batch: s, length: length, lengths: l)
            plainTime += Date().timeIntervalSince(t0)
            let rec = try model.plainForward(inputs: x, batch: s, length: length, lengths: l, gelu: exactG, sigmoid: exactS)
            full += rec.logits
            t0 = Date()
            let run = try model.gradedForward(inputs: x, batch: s, length: length, lengths: l, order: P, gelu: gelu, sigmoid: sig,
                                              gain: gain, frozenGains: rec.gains, reference: reference)
            gradedTime += Date().timeIntervalSince(t0)
            outside += run.sigmoidOutsideRadius; examined += run.sigmoidInputs
            if blockSquares.isEmpty { blockSquares = run.blockDegreeSquares.map { $0.map { _ in 0 } }; channelShare = run.channelDegreeShare.map { $0.map { _ in 0 } } }
            for i in blockSquares.indices { for p in blockSquares[i].indices { blockSquares[i][p] += run.blockDegreeSquares[i][p] } }
            for p in channelShare.indices { for h in channelShare[p].indices { channelShare[p][h] += run.channelDegreeShare[p][h] } }
            elements += s * model.channels * length
            for p in 0...P { partial[p] += run.logits.sum(through: p) }
            for e in 0..<(s * C) {                                            // Cauchy–Hadamard per logit
                var r = Double.infinity
                for p in max(1, (P + 1) / 2)...P {
                    let c = abs(run.logits.data[p * s * C + e])
                    if c > 0 { r = min(r, Foundation.pow(c, -1 / Double(p))) }
                }
                radii.append(r)
            }
            if case .chebyshev = formulation {
                surrogate += try model.plainForward(inputs: x, batch: s, length: length, lengths: l, gelu: gelu, sigmoid: sig,
                                                    frozenGains: rec.gains).logits
            }
            if start == 0 {                                                   // homogeneity at ε = 0.3
                let ref = reference ?? [Double](repeating: 0, count: length * d)
                let halfway = x.indices.map { ref[$0 % (length * d)] + 0.3 * (x[$0] - ref[$0 % (length * d)]) }   // ū + ε(u − ū)
                let half = try model.gradedForward(inputs: halfway, batch: s, length: length, lengths: l, order: P,
                                                   gelu: gelu, sigmoid: sig, gain: gain, frozenGains: rec.gains, reference: reference)
                if gain == .frozen {
                    for p in 0...P {
                        let a = run.logits.component(p), b = half.logits.component(p)
                        let scale = max(a.map { abs($0) }.max() ?? 0, Double.leastNormalMagnitude)
                        let f = Foundation.pow(0.3, Double(p))
                        homogeneity = max(homogeneity, zip(a, b).map { abs($1 - f * $0) }.max()! / scale)
                    }
                } else { homogeneity = .nan }
            }
            start += s
        }
        let fullAcc = accuracy(full, labels: labels, classes: C)
        var rows: [OrderRow] = []
        for p in 1...P {
            rows.append(OrderRow(order: p, relativeError: relativeError(partial[p], full), accuracy: accuracy(partial[p], labels: labels, classes: C),
                                 agreement: agreement(partial[p], full, classes: C)))
        }
        let sortedR = radii.sorted()
        let median = sortedR.isEmpty ? .infinity : sortedR[sortedR.count / 2]
        var summary = OperatorSummary(samples: batch, fullAccuracy: fullAcc, orders: rows,
                                      explainedAccuracy: fullAcc > 0 ? rows.last!.accuracy / fullAcc : 0,
                                      radiusEstimate: median, radiusBelowOne: median < 1,
                                      sigmoidOutsideRadius: examined > 0 ? Double(outside) / Double(examined) : 0,
                                      homogeneityError: homogeneity, identityError: nil, surrogateTotalDegree: nil,
                                      surrogateRelativeError: nil, surrogateAccuracy: nil,
                                      layerDegreeRMS: blockSquares.map { $0.map { ($0 / Double(max(elements, 1))).squareRoot() } },
                                      channelDegreeShare: channelShare.map { $0.map { $0 / Double(batch) } },
                                      gradedSeconds: gradedTime, plainSeconds: plainTime)
        switch formulation {
        case .chebyshev(let s):
            let scale = max(surrogate.map { abs($0) }.max() ?? 0, Double.leastNormalMagnitude)
            summary.identityError = zip(partial[P], surrogate).map { abs($0 - $1) }.max()! / scale
            summary.surrogateTotalDegree = s.totalDegree
            summary.surrogateRelativeError = relativeError(surrogate, full)
            summary.surrogateAccuracy = accuracy(surrogate, labels: labels, classes: C)
        case .exact(let degree):
            let scale = max(full.map { abs($0) }.max() ?? 0, Double.leastNormalMagnitude)
            summary.identityError = zip(partial[P], full).map { abs($0 - $1) }.max()! / scale   // against the model itself
            summary.surrogateTotalDegree = degree
            summary.radiusEstimate = .infinity; summary.radiusBelowOne = false            // a polynomial: no radius
        case .taylor: break
        }
        return summary
    }

    /// Fraction of rows whose first argmax is the same in `a` and in `b` (the operator's predicted class is the model's).
    public static func agreement(_ a: [Double], _ b: [Double], classes C: Int) -> Double {
        let pa = predictions(a, classes: C), pb = predictions(b, classes: C)
        guard !pa.isEmpty, pa.count == pb.count else { return 0 }
        return Double(zip(pa, pb).filter { $0 == $1 }.count) / Double(pa.count)
    }

    /// The first argmax of each row of (rows, C) logits.
    static func predictions(_ logits: [Double], classes C: Int) -> [Int] {
        (0..<(logits.count / C)).map { b in
            var arg = 0
            for c in 1..<C where logits[b * C + c] > logits[b * C + arg] { arg = c }
            return arg
        }
    }

    /// ‖a − b‖_F / ‖b‖_F.
    public static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        var num = 0.0, den = 0.0
        for i in 0..<min(a.count, b.count) { num += (a[i] - b[i]) * (a[i] - b[i]); den += b[i] * b[i] }
        return (num / max(den, Double.leastNormalMagnitude)).squareRoot()
    }

    /// Fraction of rows whose first argmax equals the label.
    public static func accuracy(_ logits: [Double], labels: [Int], classes C: Int) -> Double {
        guard !labels.isEmpty else { return 0 }
        return Double(zip(predictions(logits, classes: C), labels).filter { $0 == $1 }.count) / Double(labels.count)
    }
}
