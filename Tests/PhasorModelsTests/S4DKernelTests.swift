// The S4D kernel against independent computations: blocked powers vs one exp per entry, convolution vs the
// streaming recurrence, and the golden numbers of the official PyTorch module.
import Foundation
import Testing
@testable import PhasorModels
import PhasorNumerics

func randomLayer(channels: Int, state: Int, initialisation: S4DInit = .lin, method: Discretization = .zoh,
                 head: HeadKind = .glu, seed: UInt64) throws -> S4DLayer {
    var g = SeededGenerator(seed: seed)
    let k = try S4DKernelParameters(channels: channels, state: state, initialisation: initialisation, generator: &g)
    let D = (0..<channels).map { _ in g.normal() }
    let W = (0..<(2 * channels * channels)).map { _ in g.normal() / Double(channels).squareRoot() }
    let bias = (0..<(2 * channels)).map { _ in 0.1 * g.normal() }
    return try S4DLayer(core: S4DCore(kernel: k, D: D, discretization: method),
                        head: ActivationHead(kind: head, channels: channels, weight: W, bias: bias))
}

func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
func maxAbsDiff(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) } }

@Suite struct S4DKernelTests {
    @Test(arguments: S4DInit.allCases, Discretization.allCases)
    func blockedPowersMatchDirectExp(initialisation: S4DInit, method: Discretization) throws {
        let layer = try randomLayer(channels: 3, state: 8, initialisation: initialisation, method: method, seed: 7)
        let d = try layer.discretised()
        for length in [1, 5, 64, 333] {
            let blocked = d.kernel(length: length), direct = d.kernelDirect(length: length)
            #expect(maxAbsDiff(blocked, direct) <= 1e-13 * max(1, maxAbs(direct)))
        }
    }

    @Test(arguments: Discretization.allCases)
    func convolutionEqualsRecurrence(method: Discretization) throws {
        let layer = try randomLayer(channels: 3, state: 8, initialisation: .inv, method: method, seed: 11)
        var g = SeededGenerator(seed: 3)
        let B = 2, L = 97
        let u = (0..<(B * 3 * L)).map { _ in g.normal() }
        let conv = try layer.ssmOutput(input: u, batch: B, length: L)
        let rec = try layer.ssmRecurrence(input: u, batch: B, length: L)
        #expect(maxAbsDiff(conv, rec) <= 1e-12 * max(1, maxAbs(rec)))
    }

    @Test func convolutionEqualsRecurrenceLong() throws {
        let layer = try randomLayer(channels: 1, state: 4, initialisation: .lin, seed: 5)
        var g = SeededGenerator(seed: 9)
        let L = 16384
        let u = (0..<L).map { _ in g.normal() }
        let conv = try layer.ssmOutput(input: u, batch: 1, length: L)
        let rec = try layer.ssmRecurrence(input: u, batch: 1, length: L)
        #expect(maxAbsDiff(conv, rec) <= 1e-12 * max(1, maxAbs(rec)))
    }

    @Test func bilinearAndZOHAgreeForSmallStep() throws {
        // Both discretisations approximate the same continuous system; for Δ|λ| ≪ 1 their kernels agree to relative O((Δλ)²) (~1e-7 here).
        var layer = try randomLayer(channels: 2, state: 4, seed: 13)
        layer.kernel.logDt = [Foundation.log(1e-4), Foundation.log(2e-4)]
        let zoh = try layer.kernel(length: 50)
        layer.discretization = .bilinear
        let bil = try layer.kernel(length: 50)
        #expect(maxAbsDiff(zoh, bil) <= 1e-6 * maxAbs(zoh))
        #expect(maxAbsDiff(zoh, bil) > 0)
    }

    /// Golden numbers from the official PyTorch S4D module (float64, GELU erf).
    @Test func goldenPyTorch() throws {
        let C: [Double] = [0.3, -0.2, 0.1, 0.4, -0.5, 0.25, 0.2, -0.1]
        let kernel = try S4DKernelParameters(channels: 2, modes: 2, logDt: [Foundation.log(0.01), Foundation.log(0.1)], C: C,
                                             logAReal: [Double](repeating: Foundation.log(0.5), count: 4),
                                             AImag: [0, Double.pi, 0, Double.pi])
        let layer = try S4DLayer(kernel: kernel, D: [0.5, -0.25],
                                 outputWeight: [0.1, -0.1, 0.2, 0, 0.3, 0.1, 0.4, 0.2], outputBias: [0, 0.1, -0.1, 0.2])
        let L = 8
        let u = (0..<2).flatMap { h in (0..<L).map { l in Foundation.sin(0.7 * Double(l) + Double(h)) } }
        let expectedK: [Double] = [0.007854470235, 0.00756403175, 0.00727471519, 0.006986771519, 0.006700447966, 0.006415987816,
                                   0.006133630201, 0.005853609898,
                                   -0.056141304138, -0.05146096246, -0.050951322426, -0.053842807368, -0.059134846283,
                                   -0.065712399695, -0.072462376282, -0.078378831437]
        let expectedY: [Double] = [0.004848393624, 0.016173211743, 0.023185049247, 0.018213519289, 0.004040278145, -0.00807372832,
                                   -0.011577783671, -0.008507881735,
                                   0.054474896104, 0.079568146508, 0.09841139739, 0.092664887907, 0.068333364337,
                                   0.047225552724, 0.038647033213, 0.03722398649]
        let K = try layer.kernel(length: L)
        #expect(maxAbsDiff(K, expectedK) <= 1e-11)
        let y = try layer.forward(input: u, batch: 1, length: L)
        #expect(maxAbsDiff(y, expectedY) <= 1e-11)
    }
}
