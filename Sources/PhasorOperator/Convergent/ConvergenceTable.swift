// The convergent order's table (issue 13): for each order k, the model with its pointwise stages replaced at order k
// (per-channel surrogates, band decomposition, or a range surrogate) against the model itself, on the same inputs:
//     relative logit error e_k = ‖ℓ_k − ℓ‖_F / ‖ℓ‖_F,   accuracy a_k = mean[argmax ℓ_k = label],
//     accuracy ratio a_k / a_model,   agreement g_k = mean[argmax ℓ_k = argmax ℓ]   (first argmax on ties)
// The accuracy ratio alone misleads (a truncation can gain accuracy on some samples and lose it on others), hence
// all three. Headline order: the first k with g_k ≥ 0.99, a_k/a_model ≥ 0.99 and e_k ≤ 0.1.
import Foundation

/// One order of a convergence table.
public struct ConvergenceRow: Sendable, Codable, Equatable {
    public var order: Int
    public var relativeError: Double
    public var accuracy: Double
    public var accuracyRatio: Double
    public var agreement: Double
    /// Per-channel surrogates only: fraction of pointwise evaluations (valid positions) outside the channel's range.
    public var outsideFraction: Double?
    /// Process CPU time (all threads) of the replaced forward pass over all samples at this order — a cost that a
    /// shared machine's load does not inflate, unlike wall time.
    public var cpuSeconds: Double

    enum CodingKeys: String, CodingKey {
        case order, relativeError = "relative_error", accuracy, accuracyRatio = "accuracy_ratio", agreement
        case outsideFraction = "outside_fraction", cpuSeconds = "cpu_seconds"
    }
}

/// A method's rows, the model's accuracy and the cost of a plain forward pass on the same samples.
public struct ConvergenceTable: Sendable, Codable {
    public var method: String
    public var samples: Int
    public var fullAccuracy: Double
    public var rows: [ConvergenceRow]
    /// Process CPU time of the exact `plainForward` (same code path, no replacement) over all samples, best of 3.
    public var plainCPUSeconds: Double
    /// Process CPU time of `S4Model.logits` over all samples.
    public var modelCPUSeconds: Double

    /// The first order with agreement ≥ `agreement`, accuracy ratio ≥ `ratio` and relative error ≤ `error`.
    public func headlineOrder(agreement g: Double = 0.99, ratio: Double = 0.99, error: Double = 0.1) -> Int? {
        rows.first { $0.agreement >= g && $0.accuracyRatio >= ratio && $0.relativeError <= error }?.order
    }

    enum CodingKeys: String, CodingKey {
        case method, samples, fullAccuracy = "full_accuracy", rows = "orders", plainCPUSeconds = "plain_cpu_seconds"
        case modelCPUSeconds = "model_cpu_seconds"
    }
}

/// How the model is evaluated at one order: pointwise expansions per layer, optional stage replacements and a
/// counter of evaluations outside the surrogates' ranges.
public struct ReplacedForward {
    public var gelu: [PointwiseExpansion]
    public var sigmoid: [PointwiseExpansion]
    public var stages: ForwardStages?
    public var counter: OutsideCounter?

    public init(gelu: [PointwiseExpansion], sigmoid: [PointwiseExpansion], stages: ForwardStages? = nil, counter: OutsideCounter? = nil) {
        self.gelu = gelu; self.sigmoid = sigmoid; self.stages = stages; self.counter = counter
    }

    /// The exact model (no replacement: each layer's own GELU form and σ).
    public static func exact(_ model: OperatorModel) -> ReplacedForward {
        ReplacedForward(gelu: model.exactGELU, sigmoid: model.exactGate)
    }
}

extension ConvergenceTable {
    /// Evaluates `forward(k)` for every k in `orders` on (B, L, d_in) inputs in chunks, against the exact model.
    public init(method: String, model: OperatorModel, inputs: [Double], batch B: Int, length L: Int, lengths: [Int]? = nil,
                labels: [Int], orders: [Int], chunk: Int = 64, forward: (Int) throws -> ReplacedForward) throws {
        guard labels.count == B else { throw OperatorError.invalid("got \(labels.count) labels for \(B) samples") }
        let lens = try model.checkedLengths(inputs: inputs, batch: B, length: L, lengths: lengths)
        let d = model.configuration.dInput, C = model.configuration.classes
        func run(_ f: ReplacedForward) throws -> (logits: [Double], seconds: Double) {
            var out: [Double] = [], seconds = 0.0, start = 0
            while start < B {
                let s = min(chunk, B - start)
                let t0 = Self.processCPUSeconds()
                out += try model.plainForward(inputs: Array(inputs[start * L * d ..< (start + s) * L * d]), batch: s, length: L,
                                              lengths: Array(lens[start ..< start + s]), gelu: f.gelu, sigmoid: f.sigmoid,
                                              stages: f.stages).logits
                seconds += Self.processCPUSeconds() - t0
                start += s
            }
            return (out, seconds)
        }
        var modelSeconds = 0.0, start = 0
        while start < B {
            let s = min(chunk, B - start)
            let t0 = Self.processCPUSeconds()
            _ = try model.model.logits(inputs: Array(inputs[start * L * d ..< (start + s) * L * d]), batch: s, length: L,
                                       lengths: Array(lens[start ..< start + s]))
            modelSeconds += Self.processCPUSeconds() - t0
            start += s
        }
        var exact = try run(.exact(model))
        for _ in 0..<2 { exact.seconds = min(exact.seconds, try run(.exact(model)).seconds) }   // best of 3
        let full = OperatorAnalysis.accuracy(exact.logits, labels: labels, classes: C)
        let predicted = Self.argmax(exact.logits, classes: C)
        var rows: [ConvergenceRow] = []
        for k in orders {
            let f = try forward(k)
            let r = try run(f)
            let acc = OperatorAnalysis.accuracy(r.logits, labels: labels, classes: C)
            rows.append(ConvergenceRow(order: k, relativeError: OperatorAnalysis.relativeError(r.logits, exact.logits), accuracy: acc,
                                       accuracyRatio: full > 0 ? acc / full : 0,
                                       agreement: OperatorAnalysis.accuracy(r.logits, labels: predicted, classes: C),
                                       outsideFraction: f.counter?.fraction, cpuSeconds: r.seconds))
        }
        self.init(method: method, samples: B, fullAccuracy: full, rows: rows, plainCPUSeconds: exact.seconds, modelCPUSeconds: modelSeconds)
    }

    /// CPU time of this process (all threads) in seconds.
    static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// First argmax of each row of (samples, classes) logits.
    static func argmax(_ logits: [Double], classes C: Int) -> [Int] {
        (0..<(logits.count / C)).map { b in
            var arg = 0
            for c in 1..<C where logits[b * C + c] > logits[b * C + arg] { arg = c }
            return arg
        }
    }
}
