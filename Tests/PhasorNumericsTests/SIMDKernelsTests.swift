import Foundation
import Testing
@testable import PhasorNumerics

// The C kernels at every instruction-set level this machine supports (a level above `supported` would run the
// supported copy, so it is not listed twice), against independent computations: plain sums in Double for the matrix
// product, glibc's exp/erf for the pointwise functions. Each level is passed explicitly, so nothing here changes the
// process-wide level other tests run at.

private let levels = SIMDKernels.Level.allCases.filter { $0 <= SIMDKernels.supported }

private func random(_ count: Int, seed: UInt64) -> [Double] {
    var g = SeededGenerator(seed: seed)
    return (0..<count).map { _ in g.normal() }
}

@Suite struct SIMDKernelsTests {
    @Test func levelsAreOrderedAndActiveIsSupported() {
        #expect(SIMDKernels.active <= SIMDKernels.supported)
        #expect(SIMDKernels.Level.allCases.map(\.description) == ["generic", "avx2", "avx512"])
        #expect(SIMDKernels.buildDescription.hasPrefix("SIMD kernels \(SIMDKernels.active)"))
    }

    /// Shapes that hit every path: full 4-row tiles, the row tail, the one-vector column tail and the scalar columns.
    @Test(arguments: [(4, 64, 3), (7, 70, 5), (8, 128, 16), (3, 5, 2), (9, 200, 33)])
    func productEqualsPlainSums(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = random(m * k, seed: 1), b = random(k * n, seed: 2), c0 = random(m * n, seed: 3)
        for level in levels {
            for accumulate in [false, true] {
                // Σ_p a[i,p]·b[p,j] (+ c0), in Double, entry by entry
                var reference = [Double](repeating: 0, count: m * n)
                for i in 0..<m { for j in 0..<n {
                    var s = accumulate ? c0[i * n + j] : 0
                    for p in 0..<k { s += a[i * k + p] * b[p * n + j] }
                    reference[i * n + j] = s
                } }
                var c = c0
                c.withUnsafeMutableBufferPointer {
                    SIMDKernels.multiply(m: m, n: n, k: k, a: a, b: b, c: $0.baseAddress!, accumulate: accumulate, level: level)
                }
                let worst = zip(c, reference).map { abs($0 - $1) }.max()!
                #expect(worst <= 1e-13, "f64 \(level) accumulate \(accumulate)")

                let af = a.map { Float($0) }, bf = b.map { Float($0) }
                var cf = c0.map { Float($0) }
                var referenceF = [Double](repeating: 0, count: m * n)     // the same sums of the rounded inputs
                for i in 0..<m { for j in 0..<n {
                    var s = accumulate ? Double(cf[i * n + j]) : 0
                    for p in 0..<k { s += Double(af[i * k + p]) * Double(bf[p * n + j]) }
                    referenceF[i * n + j] = s
                } }
                cf.withUnsafeMutableBufferPointer {
                    SIMDKernels.multiply(m: m, n: n, k: k, a: af, b: bf, c: $0.baseAddress!, accumulate: accumulate, level: level)
                }
                let worstF = zip(cf, referenceF).map { abs(Double($0) - $1) }.max()!
                #expect(worstF <= 1e-6 * Double(k + 1) * 4, "f32 \(level) accumulate \(accumulate)")
            }
        }
    }

    /// Every entry is summed p = 0…k−1 whatever path computes it: one row alone, or a block of columns alone, gives
    /// bit-for-bit the entries of the whole product (so results cannot depend on how work is split).
    @Test func entriesDoNotDependOnTheShapeOfTheCall() {
        let m = 9, n = 77, k = 31
        let a = random(m * k, seed: 4).map { Float($0) }, b = random(k * n, seed: 5).map { Float($0) }
        for level in levels {
            var whole = [Float](repeating: 0, count: m * n)
            whole.withUnsafeMutableBufferPointer {
                SIMDKernels.multiply(m: m, n: n, k: k, a: a, b: b, c: $0.baseAddress!, accumulate: false, level: level)
            }
            for i in [0, 5, 8] {                                    // row i alone (the 1-row path)
                var row = [Float](repeating: 0, count: n)
                a.withUnsafeBufferPointer { ap in row.withUnsafeMutableBufferPointer {
                    SIMDKernels.multiply(m: 1, n: n, k: k, a: ap.baseAddress! + i * k, b: b, c: $0.baseAddress!,
                                         accumulate: false, level: level)
                } }
                #expect(row == Array(whole[(i * n)..<((i + 1) * n)]), "\(level) row \(i)")
            }
            let cols = 61..<77                                       // columns that the full call reaches by tails
            let bSub = (0..<k).flatMap { p in cols.map { b[p * n + $0] } }
            var sub = [Float](repeating: 0, count: m * cols.count)
            sub.withUnsafeMutableBufferPointer {
                SIMDKernels.multiply(m: m, n: cols.count, k: k, a: a, b: bSub, c: $0.baseAddress!, accumulate: false, level: level)
            }
            for i in 0..<m { for (j, col) in cols.enumerated() {
                #expect(sub[i * cols.count + j] == whole[i * n + col], "\(level) (\(i), \(col))")
            } }
        }
    }

    @Test func floatPointwiseAgainstLibm() {
        var g = SeededGenerator(seed: 12)
        let xs = (0..<1003).map { _ in Float((g.uniform() * 2 - 1) * 8) } + [0, -0.0, 1e-30, -1e-30, 88, -87, 30, -30]
        let n = xs.count
        for level in levels {
            var e = [Float](repeating: 0, count: n), f = e, s = e, gelu = e, deriv = [Float](repeating: 1, count: n)
            e.withUnsafeMutableBufferPointer { SIMDKernels.exp(xs, $0.baseAddress!, count: n, level: level) }
            f.withUnsafeMutableBufferPointer { SIMDKernels.erf(xs, $0.baseAddress!, count: n, level: level) }
            s.withUnsafeMutableBufferPointer { SIMDKernels.sigmoid(xs, $0.baseAddress!, count: n, level: level) }
            gelu.withUnsafeMutableBufferPointer { SIMDKernels.gelu(xs, $0.baseAddress!, scale: 1, count: n, level: level) }
            deriv.withUnsafeMutableBufferPointer {
                SIMDKernels.scaleByGeluDerivative(xs, $0.baseAddress!, scale: 1, count: n, level: level)
            }
            var worstExp = 0.0, worstErf = 0.0, worstSigmoid = 0.0, worstGelu = 0.0, worstDerivative = 0.0
            for i in 0..<n {
                let x = Double(xs[i])
                worstExp = max(worstExp, abs(Double(e[i]) - Foundation.exp(x)) / Foundation.exp(x))
                worstErf = max(worstErf, abs(Double(f[i]) - Foundation.erf(x)))
                worstSigmoid = max(worstSigmoid, abs(Double(s[i]) - 1 / (1 + Foundation.exp(-x))))
                let phi = 0.5 * (1 + Foundation.erf(x / 2.0.squareRoot()))
                worstGelu = max(worstGelu, abs(Double(gelu[i]) - x * phi) / max(1, abs(x)))
                worstDerivative = max(worstDerivative,
                                      abs(Double(deriv[i]) - (phi + x * Foundation.exp(-x * x / 2) / (2 * Double.pi).squareRoot())))
            }
            #expect(worstExp <= 4e-7, "\(level)")
            #expect(worstErf <= 6e-7, "\(level)")          // 1.5e-7 of the formula plus Float rounding
            #expect(worstSigmoid <= 1.5e-7, "\(level)")
            #expect(worstGelu <= 5e-7, "\(level)")
            #expect(worstDerivative <= 1e-6, "\(level)")
        }
    }

    @Test func doublePointwiseAgainstLibm() {
        var g = SeededGenerator(seed: 8)
        let xs = (0..<2001).map { _ in (g.uniform() * 2 - 1) * 700 * (g.uniform() < 0.5 ? 1 : 0.01) }
        let n = xs.count
        for level in levels {
            var e = [Double](repeating: 0, count: n), s = e
            e.withUnsafeMutableBufferPointer { SIMDKernels.exp(xs, $0.baseAddress!, count: n, level: level) }
            s.withUnsafeMutableBufferPointer { SIMDKernels.sigmoid(xs, $0.baseAddress!, count: n, level: level) }
            var worstExp = 0.0, worstSigmoid = 0.0
            for i in 0..<n {
                worstExp = max(worstExp, abs(e[i] - Foundation.exp(xs[i])) / Foundation.exp(xs[i]))
                let reference = 1 / (1 + Foundation.exp(-xs[i]))
                worstSigmoid = max(worstSigmoid, abs(s[i] - reference) / max(reference, 1e-300))
            }
            #expect(worstExp <= 1e-15, "\(level)")
            #expect(worstSigmoid <= 1e-15, "\(level)")
        }
    }

    /// AVX2 and AVX-512 both fuse every multiply-add and sum in the same order, so they give the same bits — a run
    /// is reproducible across machines with either (measured: identical trained checkpoints; docs/performance.md).
    @Test(.enabled(if: SIMDKernels.supported == .avx512))
    func avx2AndAVX512AgreeBitForBit() {
        let m = 9, n = 77, k = 31
        let a = random(m * k, seed: 6), b = random(k * n, seed: 7)
        let af = a.map { Float($0) }, bf = b.map { Float($0) }, x = random(301, seed: 10).map { Float($0 * 4) }
        func run(_ level: SIMDKernels.Level) -> ([Double], [Float], [Float], [Float], [Double]) {
            var c = [Double](repeating: 0, count: m * n), cf = [Float](repeating: 0, count: m * n)
            c.withUnsafeMutableBufferPointer { SIMDKernels.multiply(m: m, n: n, k: k, a: a, b: b, c: $0.baseAddress!, accumulate: false, level: level) }
            cf.withUnsafeMutableBufferPointer { SIMDKernels.multiply(m: m, n: n, k: k, a: af, b: bf, c: $0.baseAddress!, accumulate: false, level: level) }
            var g = [Float](repeating: 0, count: x.count), d = [Float](repeating: 1, count: x.count), s = g
            var sd = [Double](repeating: 0, count: x.count)
            let xd = x.map { Double($0) }
            g.withUnsafeMutableBufferPointer { SIMDKernels.gelu(x, $0.baseAddress!, scale: 1, count: x.count, level: level) }
            d.withUnsafeMutableBufferPointer { SIMDKernels.scaleByGeluDerivative(x, $0.baseAddress!, scale: 1, count: x.count, level: level) }
            s.withUnsafeMutableBufferPointer { SIMDKernels.sigmoid(x, $0.baseAddress!, count: x.count, level: level) }
            sd.withUnsafeMutableBufferPointer { SIMDKernels.sigmoid(xd, $0.baseAddress!, count: x.count, level: level) }
            return (c, cf, g + d, s, sd)
        }
        let two = run(.avx2), wide = run(.avx512)
        #expect(two.0 == wide.0)
        #expect(two.1 == wide.1)
        #expect(two.2 == wide.2)
        #expect(two.3 == wide.3)
        #expect(two.4 == wide.4)
    }

    /// The last partial vector runs zero-padded: an element's value is the same wherever it sits in the array.
    @Test func pointwiseValuesDoNotDependOnPosition() {
        let xs = random(45, seed: 9).map { Float($0 * 3) }
        for level in levels {
            var whole = [Float](repeating: 0, count: xs.count)
            whole.withUnsafeMutableBufferPointer { SIMDKernels.gelu(xs, $0.baseAddress!, scale: 0.5, count: xs.count, level: level) }
            for i in xs.indices {
                var one: Float = 0
                xs.withUnsafeBufferPointer { SIMDKernels.gelu($0.baseAddress! + i, &one, scale: 0.5, count: 1, level: level) }
                #expect(one == whole[i], "\(level) element \(i)")
            }
        }
    }
}
