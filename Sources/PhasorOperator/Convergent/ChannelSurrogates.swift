// Per-channel surrogates of every GELU and GLU gate — the convergent order of the explicit operator (issue 13).
// For layer i, channel h and f ∈ {GELU, σ}: the channel's training pre-activations x (all valid positions of the
// training inputs, through the exact model) define the measure μ_ih (EmpiricalOrthonormalPolynomials: the samples
// plus a floor φ on Chebyshev points of the channel's range [min x, max x]) and
//     f ≈ s_k(x) = Σ_{j≤k} c_j P_j(x),   c_j = ⟨f, P_j⟩_μ   (the μ-least-squares polynomial of degree k; nested in k)
// The ORDER k of the operator is this degree, the same for every GELU and gate of every layer. Used in the model:
//     s_k^exact(x) = s_k(x) on [min x, max x],  f(x) outside (the fraction of evaluations outside is reported)
// — a polynomial where the channel has been seen, the function itself elsewhere (a pure polynomial extrapolated
// past the range is not a surrogate: measured, it blows up on deep models). The pure polynomial s_k (no switch) is
// the form for the graded evaluation: `expansions(order:)` → one Chebyshev series per channel.
import Foundation
import PhasorModels
import PhasorNumerics

/// The two pointwise functions of a block.
public enum BlockFunction: String, Sendable, CaseIterable, Codable {
    case gelu, gate
}

/// Counts of pointwise evaluations and of those outside the channel's range (valid positions only).
public final class OutsideCounter: @unchecked Sendable {
    public private(set) var evaluated = 0
    public private(set) var outside = 0
    public init() {}
    func add(evaluated e: Int, outside o: Int) { evaluated += e; outside += o }
    public var fraction: Double { evaluated > 0 ? Double(outside) / Double(evaluated) : 0 }
}

/// Per-layer, per-channel nested surrogates of GELU and the GLU gate.
public struct ChannelSurrogates: Sendable {
    /// The highest order K fitted (orders 0…K are available).
    public let maxOrder: Int
    public let floor: Double
    /// fits[function][layer][channel].
    public let fits: [BlockFunction: [[OrthonormalExpansion]]]
    /// Each layer's own GELU (erf or tanh form, `OperatorModel.exactGELU`).
    public let geluForms: [PointwiseExpansion]

    public init(maxOrder: Int, floor: Double, fits: [BlockFunction: [[OrthonormalExpansion]]], geluForms: [PointwiseExpansion]) {
        self.maxOrder = maxOrder
        self.floor = floor
        self.fits = fits
        self.geluForms = geluForms
    }

    /// The exact function f of layer i: the layer's GELU or the logistic sigmoid.
    public func exact(_ f: BlockFunction, layer i: Int, _ x: Double) -> Double {
        f == .gelu ? geluForms[i].value(x) : Sigmoid.value(x)
    }

    /// The fit of f in layer i, channel h.
    public func fit(_ f: BlockFunction, layer i: Int, channel h: Int) -> OrthonormalExpansion { fits[f]![i][h] }

    /// Fits every channel on the pre-activations the exact model produces on (B, L, d_in) `inputs` (valid positions
    /// only, in chunks of `chunk` samples). At most `maxSamples` values per channel enter the measure (an even stride
    /// through all of them); the range always uses all of them. `floor` is φ; orders 0…`maxOrder` are fitted.
    /// `rangeQuantile` q > 0 narrows each range to the [q, 1 − q] quantiles of the strided values (the exact function
    /// then covers the tails; the outside fraction grows accordingly); q = 0 is [min, max].
    public init(model: OperatorModel, inputs: [Double], batch: Int, length L: Int, lengths: [Int]? = nil,
                maxOrder K: Int = 15, floor: Double = 0.02, maxSamples: Int = 10000, rangeQuantile q: Double = 0,
                chunk: Int = 64) throws {
        guard (1...30).contains(K) else { throw OperatorError.invalidOrder(K, "the surrogate order must be in 1…30") }
        guard q >= 0, q < 0.5 else { throw OperatorError.invalid("the range quantile must be in [0, 0.5) (got \(q))") }
        let lens = try model.checkedLengths(inputs: inputs, batch: batch, length: L, lengths: lengths)
        let H = model.channels, nl = model.blocks.count, d = model.configuration.dInput
        let total = lens.reduce(0, +)
        let stride = max(1, (total + maxSamples - 1) / maxSamples)
        // samples[function][layer][channel], ranges likewise
        var samples = [BlockFunction: [[[Double]]]](), lower = [BlockFunction: [[Double]]](), upper = lower
        for f in BlockFunction.allCases {
            samples[f] = [[[Double]]](repeating: [[Double]](repeating: [], count: H), count: nl)
            lower[f] = [[Double]](repeating: [Double](repeating: .infinity, count: H), count: nl)
            upper[f] = [[Double]](repeating: [Double](repeating: -.infinity, count: H), count: nl)
        }
        var start = 0, position = 0
        while start < batch {
            let s = min(chunk, batch - start)
            let rec = try model.plainForward(inputs: Array(inputs[start * L * d ..< (start + s) * L * d]), batch: s, length: L,
                                             lengths: Array(lens[start ..< start + s]), gelu: model.exactGELU, sigmoid: model.exactGate, record: true)
            for b in 0..<s {
                let n = lens[start + b]
                for (f, recorded) in [(BlockFunction.gelu, rec.geluInputs), (.gate, rec.sigmoidInputs)] {
                    for i in 0..<nl where !recorded[i].isEmpty { for h in 0..<H {          // empty: no such function
                        let o = (b * H + h) * L
                        for l in 0..<n {
                            let v = recorded[i][o + l]
                            lower[f]![i][h] = min(lower[f]![i][h], v); upper[f]![i][h] = max(upper[f]![i][h], v)
                            if (position + l) % stride == 0 { samples[f]![i][h].append(v) }
                        }
                    } }
                }
                position += n
            }
            start += s
        }
        var fits = [BlockFunction: [[OrthonormalExpansion]]]()
        let forms = model.exactGELU
        for f in BlockFunction.allCases {
            let exact: (Int) -> (Double) -> Double = { i in f == .gelu ? { forms[i].value($0) } : { Sigmoid.value($0) } }
            fits[f] = try (0..<nl).map { i in try (0..<H).map { h in
                var lo = lower[f]![i][h], hi = upper[f]![i][h], x = samples[f]![i][h]
                if x.isEmpty { lo = -1; hi = 1 }                                 // a layer without this function: unused
                if q > 0, x.count > 1 {                                          // [q, 1 − q] quantiles; tails exact
                    let sorted = x.sorted()
                    lo = sorted[Int((q * Double(sorted.count - 1)).rounded())]
                    hi = sorted[Int(((1 - q) * Double(sorted.count - 1)).rounded())]
                    x = x.filter { $0 >= lo && $0 <= hi }
                }
                if hi - lo < 1e-9 { lo -= 1e-3; hi += 1e-3 }                   // a constant channel: a small interval
                return try EmpiricalOrthonormalPolynomials.fit(exact(i), samples: x, floor: floor, degree: K, lower: lo, upper: hi)
            } }
        }
        self.init(maxOrder: K, floor: floor, fits: fits, geluForms: forms)
    }

    /// s_k(x) in the channel's range, f(x) outside (`exactOutside`), or the pure polynomial s_k everywhere.
    public func value(_ f: BlockFunction, layer i: Int, channel h: Int, _ x: Double, order k: Int, exactOutside: Bool = true) -> Double {
        let e = fits[f]![i][h]
        if exactOutside, x < e.basis.lower || x > e.basis.upper { return exact(f, layer: i, x) }
        return e(x, order: k)
    }

    /// f applied to a (B, H, L) array of layer i at order k; counts valid positions outside the ranges.
    func apply(_ f: BlockFunction, layer i: Int, _ y: [Double], context c: StageContext, order k: Int, exactOutside: Bool,
               counter: OutsideCounter?) -> [Double] {
        let H = c.channels, L = c.length
        var out = [Double](repeating: 0, count: y.count)
        var evaluated = 0, outside = 0
        for b in 0..<c.batch { for h in 0..<H {
            let e = fits[f]![i][h], lo = e.basis.lower, hi = e.basis.upper
            let o = (b * H + h) * L
            for l in 0..<L {
                let x = y[o + l]
                let isOutside = x < lo || x > hi
                if l < c.lengths[b] { evaluated += 1; if isOutside { outside += 1 } }
                out[o + l] = exactOutside && isOutside ? exact(f, layer: i, x) : e(x, order: k)
            }
        } }
        counter?.add(evaluated: evaluated, outside: outside)
        return out
    }

    /// The stages that put the order-k surrogates into `OperatorModel.plainForward` (GELU and gate of every layer).
    public func stages(order k: Int, exactOutside: Bool = true, counter: OutsideCounter? = nil) -> ForwardStages {
        ForwardStages(gelu: { c in apply(.gelu, layer: c.layer, c.ssmOutput, context: c, order: k, exactOutside: exactOutside, counter: counter) },
                      gate: { c, z2 in apply(.gate, layer: c.layer, z2, context: c, order: k, exactOutside: exactOutside, counter: counter) })
    }

    /// The same order-k surrogates as the model's own per-channel hooks (`S4Model.evaluate`): what a caller uses
    /// when it needs no count of the evaluations outside the ranges.
    public func overrides(order k: Int, exactOutside: Bool = true) -> PointwiseOverrides {
        let surrogate = self
        return PointwiseOverrides(
            activation: { i, h, v in v.map { surrogate.value(.gelu, layer: i, channel: h, $0, order: k, exactOutside: exactOutside) } },
            gate: { i, h, v in v.map { surrogate.value(.gate, layer: i, channel: h, $0, order: k, exactOutside: exactOutside) } })
    }

    /// The pure order-k polynomials as one Chebyshev series per channel, per layer (for the graded evaluation).
    public func expansions(order k: Int) -> (gelu: [PointwiseExpansion], sigmoid: [PointwiseExpansion]) {
        func form(_ f: BlockFunction) -> [PointwiseExpansion] {
            fits[f]!.map { layer in .channelPolynomials(layer.map { $0.chebyshevSeries(order: k) }) }
        }
        return (form(.gelu), form(.gate))
    }

    /// The total degree in u of the order-k pure-polynomial surrogate (frozen LayerNorm gains): per block
    /// deg ← max(deg, k·deg·(1 + k)).
    public func totalDegree(order k: Int) -> Int {
        var deg = 1
        for _ in 0..<(fits[.gelu]?.count ?? 0) {
            deg = max(deg, k * deg * (1 + k))
            if deg > 1_000_000 { return deg }
        }
        return deg
    }
}
