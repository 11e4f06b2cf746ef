// BatchNorm (Layers/BatchNorm.swift): PyTorch's nn.BatchNorm1d itself as the reference (Tests/Fixtures/batchnorm, made by
// make_batchnorm.py with torch: training output, running statistics after the momentum update with the unbiased
// variance, evaluation output), padding left out of the statistics, and both backward passes against finite differences.
import Foundation
import Testing
import PhasorData
@testable import PhasorModels
import PhasorNumerics

@Suite struct BatchNormTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/batchnorm/batchnorm.safetensors").path

    @Test func matchesPyTorch() throws {
        let f = try SafeTensorsFile(contentsOf: Self.fixture)
        func v(_ k: String) throws -> [Double] { try #require(f.tensors[k]).asDoubles() }
        let x = try v("x"), B = 3, H = 4, L = 5
        let p = try BatchNormParameters(weight: v("weight"), bias: v("bias"), runningMean: v("running_mean0"),
                                        runningVariance: v("running_var0"), batchesTracked: 7)
        let (train, _, stats) = try BatchNorm.forward(x, weight: p.weight, bias: p.bias, batch: B, channels: H, length: L,
                                                     lengths: [L, L, L])
        #expect(maxAbsDiff(train, try v("out_train")) <= 1e-13)
        let after = p.updated(with: stats)
        #expect(maxAbsDiff(after.runningMean, try v("running_mean1")) <= 1e-14)
        #expect(maxAbsDiff(after.runningVariance, try v("running_var1")) <= 1e-14)
        #expect(Double(after.batchesTracked) == (try v("num_batches_tracked"))[0])
        #expect(try #require(f.tensors["num_batches_tracked"]).dtype == .int64)
        let (eval, _) = BatchNorm.forward(x, weight: p.weight, bias: p.bias, runningMean: after.runningMean,
                                          runningVariance: after.runningVariance, batch: B, channels: H, length: L)
        #expect(maxAbsDiff(eval, try v("out_eval")) <= 1e-13)
        // the evaluation map is the affine s⊙x + t
        let (s, t) = after.affine
        let affine = x.indices.map { i in s[(i / L) % H] * x[i] + t[(i / L) % H] }
        #expect(maxAbsDiff(eval, affine) <= 1e-13)
    }

    @Test func paddingIsLeftOutOfTheStatistics() throws {
        // Sample 1 is valid for 2 of 5 steps: its padding must not move the statistics or any valid output, and the
        // statistics must be those of the valid values gathered into one list.
        let B = 2, H = 3, L = 5, lengths = [5, 2]
        let x = randomVector(B * H * L, seed: 3), w = randomVector(H, seed: 4), b = randomVector(H, seed: 5)
        var other = x
        for h in 0..<H { for l in 2..<L { other[(H + h) * L + l] = 100 * Double(l + h) } }
        let (a, _, sa) = try BatchNorm.forward(x, weight: w, bias: b, batch: B, channels: H, length: L, lengths: lengths)
        let (c, _, sc) = try BatchNorm.forward(other, weight: w, bias: b, batch: B, channels: H, length: L, lengths: lengths)
        #expect(sa == sc)
        #expect(sa.count == 7)
        for bb in 0..<B { for h in 0..<H { for l in 0..<lengths[bb] { #expect(a[(bb * H + h) * L + l] == c[(bb * H + h) * L + l]) } } }
        for h in 0..<H {
            let values = (0..<B).flatMap { bb in (0..<lengths[bb]).map { x[(bb * H + h) * L + $0] } }
            let mean = values.reduce(0, +) / 7
            let unbiased = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6
            #expect(abs(sa.mean[h] - mean) <= 1e-15 && abs(sa.variance[h] - unbiased) <= 1e-14)
        }
    }

    @Test func oneValuePerChannelIsRefused() {
        #expect(throws: ModelError.self) {
            _ = try BatchNorm.forward([1, 2], weight: [1, 1], bias: [0, 0], batch: 1, channels: 2, length: 1, lengths: [1])
        }
    }

    @Test(arguments: [false, true])
    func backward(training: Bool) throws {
        let B = 3, H = 2, L = 4, lengths = [4, 1, 3]             // padding in two samples
        let x = randomVector(B * H * L, seed: 11, scale: 1.5), w = randomVector(H, seed: 12), b = randomVector(H, seed: 13)
        let g = randomVector(B * H * L, seed: 14)                 // non-zero on padded positions too
        let rm = [0.3, -0.2], rv = [0.7, 1.8]
        func out(_ x: [Double], _ w: [Double], _ b: [Double]) throws -> ([Double], BatchNorm.Tape) {
            if training {
                let r = try BatchNorm.forward(x, weight: w, bias: b, batch: B, channels: H, length: L, lengths: lengths)
                return (r.0, r.1)
            }
            return BatchNorm.forward(x, weight: w, bias: b, runningMean: rm, runningVariance: rv, batch: B, channels: H, length: L)
        }
        let tape = try out(x, w, b).1
        let a = BatchNorm.backward(g, tape: tape, weight: w, batch: B, channels: H, length: L)
        func f(_ x: [Double], _ w: [Double], _ b: [Double]) throws -> Double { dot(try out(x, w, b).0, g) }
        #expect(relativeError(a.input, try numericalGradient(x) { try f($0, w, b) }) <= 1e-6)
        #expect(relativeError(a.weight, try numericalGradient(w) { try f(x, $0, b) }) <= 1e-6)
        #expect(relativeError(a.bias, try numericalGradient(b) { try f(x, w, $0) }) <= 1e-6)
    }
}
