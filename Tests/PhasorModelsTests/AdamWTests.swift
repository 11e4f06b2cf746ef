// AdamW against updates written out by hand, the schedule at its landmarks, clipping, and exact resumption.
import Foundation
import Testing
@testable import PhasorModels

@Suite struct AdamWTests {
    func store(_ w: [Double], _ dt: [Double]) throws -> ParameterStore {
        try ParameterStore([Parameter(name: "encoder.weight", shape: [2], values: w),
                            Parameter(name: "s4_layers.0.kernel.log_dt", shape: [1], values: dt)])
    }

    @Test func twoStepsByHand() throws {
        var params = try store([1, -2], [0.3])
        var opt = AdamW(parameters: params, configuration: AdamWConfiguration())
        opt.step(&params, gradients: try store([0.5, -0.1], [0.2]), learningRateScale: 1)
        // step 1: m̂ = g, v̂ = g² → θ = θ(1 − lr·wd) − lr·g/(|g| + ε)
        let w1 = [1 * (1 - 0.01 * 0.01) - 0.01 * 0.5 / (0.5 + 1e-8), -2 * (1 - 0.01 * 0.01) + 0.01 * 0.1 / (0.1 + 1e-8)]
        let dt1 = 0.3 - 0.001 * 0.2 / (0.2 + 1e-8)                     // SSM group: lr 0.001, no decay
        #expect(maxAbsDiff(try params.values("encoder.weight"), w1) <= 1e-15)
        #expect(abs(try params.values("s4_layers.0.kernel.log_dt")[0] - dt1) <= 1e-15)
        // step 2 with scale ½ and g₂: m = 0.09g₁ + 0.1g₂, v = 0.999·0.001g₁² + 0.001g₂²
        opt.step(&params, gradients: try store([-0.3, 0.4], [0.1]), learningRateScale: 0.5)
        func expected(_ theta: Double, _ g1: Double, _ g2: Double, lr: Double, wd: Double) -> Double {
            let m = 0.9 * 0.1 * g1 + 0.1 * g2, v = 0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2
            let mh = m / (1 - 0.81), vh = v / (1 - 0.999 * 0.999)
            return theta * (1 - lr * wd) - lr * mh / (vh.squareRoot() + 1e-8)
        }
        let w2 = [expected(w1[0], 0.5, -0.3, lr: 0.005, wd: 0.01), expected(w1[1], -0.1, 0.4, lr: 0.005, wd: 0.01)]
        #expect(maxAbsDiff(try params.values("encoder.weight"), w2) <= 1e-15)
        #expect(abs(try params.values("s4_layers.0.kernel.log_dt")[0] - expected(dt1, 0.2, 0.1, lr: 0.0005, wd: 0)) <= 1e-15)
        #expect(opt.step == 2)
    }

    @Test func resumesExactly() throws {
        var a = try store([1, -2], [0.3])
        var optA = AdamW(parameters: a, configuration: AdamWConfiguration(gradientClip: 1))
        let grads = [try store([0.5, -0.1], [0.2]), try store([3, 4], [-1]), try store([0.1, 0.2], [0.3])]
        optA.step(&a, gradients: grads[0], learningRateScale: 1)
        var b = a
        var optB = try AdamW(parameters: b, configuration: optA.configuration, state: optA.state, step: optA.step)
        for g in grads.dropFirst() {
            optA.step(&a, gradients: g, learningRateScale: 0.7)
            optB.step(&b, gradients: g, learningRateScale: 0.7)
        }
        #expect(a == b)
        #expect(optA.state == optB.state)
        #expect(optA.state.names.first == "exp_avg.encoder.weight")
    }

    @Test func clipping() throws {
        var g = try store([3, 0], [4])
        let norm = clipGradientNorm(&g, maxNorm: 1)
        #expect(norm == 5)
        #expect(maxAbsDiff(try g.values("encoder.weight") + g.values("s4_layers.0.kernel.log_dt"), [3, 0, 4].map { $0 / (5 + 1e-6) }) <= 1e-15)
        var small = try store([0.1, 0], [0])
        clipGradientNorm(&small, maxNorm: 1)
        #expect(try small.values("encoder.weight") == [0.1, 0])
    }

    @Test func cosineSchedule() {
        let s = CosineSchedule(totalSteps: 110, warmupSteps: 10)
        #expect(s.scale(step: 0) == 0.1)
        #expect(s.scale(step: 9) == 1)
        #expect(s.scale(step: 10) == 1)
        #expect(abs(s.scale(step: 60) - 0.5) <= 1e-15)
        #expect(abs(s.scale(step: 35) - 0.5 * (1 + Foundation.cos(Double.pi / 4))) <= 1e-15)
        #expect(s.scale(step: 110) == 0)
        #expect(CosineSchedule(totalSteps: 4).scale(step: 0) == 1)
    }
}
