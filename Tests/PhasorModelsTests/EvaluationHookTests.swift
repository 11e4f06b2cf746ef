// The evaluation pass's hooks, each checked against a model built independently to compute the same thing:
//   • the exact functions passed as overrides reproduce the plain pass;
//   • GELU replaced by 0 on ONE channel h of one layer ≡ the model whose 1×1 conv ignores that channel (column h of
//     W set to 0) — and no other channel or layer is touched;
//   • the gate replaced by 1 on one channel ≡ the model whose gate row for it has W = 0, bias = 40 (σ(40) = 1 − 4e-18);
//   • frozen gains equal to the pass's own reproduce it, doubled gains change exactly what a doubled γ would;
//   • recorded pre-activations are the GELU and gate inputs the layer API computes.
import Foundation
import Testing
import PhasorNumerics
@testable import PhasorModels

@Suite struct EvaluationHookTests {
    static func model(prenorm: Bool) throws -> S4Model {
        try S4Model(configuration: S4ModelConfiguration(dInput: 2, dModel: 4, dState: 4, layers: 2, classes: 3, prenorm: prenorm,
                                                        dropout: 0), seed: 12)
    }
    static let B = 3, L = 11
    static let x = randomVector(B * L * 2, seed: 13)

    static func replacingHead(_ model: S4Model, layer i: Int, _ change: (inout ActivationHead) -> Void) throws -> S4Model {
        var m = model, block = model.block(i), head = block.head
        change(&head)
        block.head = head
        try m.setBlock(i, block)
        return m
    }

    @Test(arguments: [false, true])
    func exactFunctionsReproduceThePlainPass(prenorm: Bool) throws {
        let m = try Self.model(prenorm: prenorm)
        let plain = try m.logits(inputs: Self.x, batch: Self.B, length: Self.L)
        let hooks = PointwiseOverrides(activation: { _, _, v in v.map(GELU.value) }, gate: { _, _, v in v.map(Sigmoid.value) })
        let hooked = try m.evaluate(inputs: Self.x, batch: Self.B, length: Self.L, options: EvaluationOptions(pointwise: hooks))
        #expect(maxAbsDiff(hooked.logits, plain) <= 1e-14)
    }

    @Test(arguments: [false, true])
    func oneChannelsActivationIsReplacedAndNothingElse(prenorm: Bool) throws {
        let m = try Self.model(prenorm: prenorm), H = 4, target = (layer: 1, channel: 2)
        let calls = Counter()
        let hooks = PointwiseOverrides(activation: { i, h, v in
            calls.add(i, h)
            return i == target.layer && h == target.channel ? v.map { _ in 0 } : v.map(GELU.value)
        })
        let hooked = try m.evaluate(inputs: Self.x, batch: Self.B, length: Self.L, options: EvaluationOptions(pointwise: hooks))
        let reference = try Self.replacingHead(m, layer: target.layer) { head in
            for o in 0..<(2 * H) { head.weight[o * H + target.channel] = 0 }            // W[:, h] = 0
        }
        #expect(maxAbsDiff(hooked.logits, try reference.logits(inputs: Self.x, batch: Self.B, length: Self.L)) <= 1e-14)
        #expect(calls.all == Set((0..<2).flatMap { i in (0..<H).map { [i, $0] } }))     // every (layer, channel), each sample
        #expect(calls.count == 2 * H * Self.B)
    }

    @Test func oneChannelsGateIsReplaced() throws {
        let m = try Self.model(prenorm: false), H = 4
        let hooks = PointwiseOverrides(gate: { i, h, v in i == 0 && h == 1 ? v.map { _ in 1 } : v.map(Sigmoid.value) })
        let hooked = try m.evaluate(inputs: Self.x, batch: Self.B, length: Self.L, options: EvaluationOptions(pointwise: hooks))
        let reference = try Self.replacingHead(m, layer: 0) { head in
            for k in 0..<H { head.weight[(H + 1) * H + k] = 0 }                         // gate row of channel 1
            head.bias[H + 1] = 40
        }
        #expect(maxAbsDiff(hooked.logits, try reference.logits(inputs: Self.x, batch: Self.B, length: Self.L)) <= 1e-14)
    }

    @Test(arguments: [false, true])
    func frozenGainsAndRecordedPreActivations(prenorm: Bool) throws {
        let m = try Self.model(prenorm: prenorm), B = Self.B, L = Self.L
        let own = try m.evaluate(inputs: Self.x, batch: B, length: L)
        #expect(own.gains.count == 2 && own.gains.allSatisfy { $0.count == B * L && $0.allSatisfy { $0 > 0 } })
        let frozen = try m.evaluate(inputs: Self.x, batch: B, length: L, options: EvaluationOptions(frozenGains: own.gains))
        #expect(maxAbsDiff(frozen.logits, own.logits) <= 1e-14)
        // doubling layer 1's gains = doubling its γ (the norm is γ·G·(x − mean) + β)
        let doubled = try m.evaluate(inputs: Self.x, batch: B, length: L,
                                     options: EvaluationOptions(frozenGains: [own.gains[0], own.gains[1].map { 2 * $0 }]))
        var wide = m, block = m.block(1), norm = try #require(block.layerNorm)
        norm.weight = norm.weight.map { 2 * $0 }
        block.norm = .layer(norm)
        try wide.setBlock(1, block)
        #expect(maxAbsDiff(doubled.logits, try wide.logits(inputs: Self.x, batch: B, length: L)) <= 1e-13)
        // the recorded GELU and gate inputs are what the block computes from its recorded input
        for i in 0..<2 {
            let layer = try m.layer(i), t = own.layers[i]
            #expect(maxAbsDiff(t.ssmOutput, try layer.ssmOutput(input: t.blockInput, batch: B, length: L)) <= 1e-14)
            let H = 4, a: [Double] = t.ssmOutput.map(GELU.value), head = m.block(i).head
            var worst = 0.0
            for b in 0..<B { for h in 0..<H { for l in 0..<L {
                var z2 = head.bias[H + h]
                for k in 0..<H { z2 += head.weight[(H + h) * H + k] * a[(b * H + k) * L + l] }       // (W a + bias)[H + h]
                worst = max(worst, abs(z2 - t.gateInput[(b * H + h) * L + l]))
            } } }
            #expect(worst <= 1e-13)
        }
        #expect(throws: ModelError.self) {
            try m.evaluate(inputs: Self.x, batch: B, length: L, options: EvaluationOptions(frozenGains: [own.gains[0]]))
        }
    }
}

/// (layer, channel) pairs seen by a hook, from any thread.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [[Int]] = []
    func add(_ i: Int, _ h: Int) { lock.lock(); seen.append([i, h]); lock.unlock() }
    var all: Set<[Int]> { lock.lock(); defer { lock.unlock() }; return Set(seen) }
    var count: Int { lock.lock(); defer { lock.unlock() }; return seen.count }
}
