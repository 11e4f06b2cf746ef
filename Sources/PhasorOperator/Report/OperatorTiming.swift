// Cost of the graded evaluation relative to the model's plain forward pass on the same batch: the wall-time ratio
// t(graded, order P) / t(S4Model.logits) for each P, the best of `repeats` runs each (release builds only mean much).
import Foundation

public enum OperatorTiming {
    /// (order, ratio) for each requested order.
    public static func ratios(model: OperatorModel, inputs: [Double], batch: Int, length: Int, lengths: [Int]? = nil,
                              orders: [Int], formulation: OperatorFormulation, repeats: Int = 3) throws -> [(order: Int, ratio: Double)] {
        let eg = model.exactGELU, es = model.exactGate
        let (g, s) = formulation.expansions(model: model)
        let gains = try model.plainForward(inputs: inputs, batch: batch, length: length, lengths: lengths, gelu: eg, sigmoid: es).gains
        func best(_ body: () throws -> Void) rethrows -> Double {
            var t = Double.infinity
            for _ in 0..<max(repeats, 1) { let t0 = Date(); try body(); t = min(t, Date().timeIntervalSince(t0)) }
            return t
        }
        let plain = try best { _ = try model.model.logits(inputs: inputs, batch: batch, length: length, lengths: lengths) }
        return try orders.map { P in
            let t = try best { _ = try model.gradedForward(inputs: inputs, batch: batch, length: length, lengths: lengths, order: P,
                                                           gelu: g, sigmoid: s, frozenGains: gains) }
            return (P, t / plain)
        }
    }
}
