// Independent reference for the FFT tests: the O(n²) DFT with exact twiddles, the exponent j·k reduced mod n in
// integers before the angle is formed, summed in Double.
import Foundation
import PhasorNumerics

enum FFTReference {
    /// cos/sin of 2πt/n for t = 0..<n.
    static func table(_ n: Int) -> (cos: [Double], sin: [Double]) {
        var c = [Double](repeating: 0, count: n), s = c
        for t in 0..<n {
            let a = 2 * Double.pi * Double(t) / Double(n)
            c[t] = Foundation.cos(a); s[t] = Foundation.sin(a)
        }
        return (c, s)
    }

    /// X[k] = Σ_j x[j] e^{∓2πi jk/n} for the bins `bins` (sign −1 forward, +1 unnormalised inverse).
    static func dft(_ xr: [Double], _ xi: [Double], bins: [Int], sign: Double = -1) -> ([Double], [Double]) {
        let n = xr.count
        let (c, s) = table(n)
        var outR = [Double](repeating: 0, count: bins.count), outI = outR
        // raw pointers: this O(n²) loop dominates the debug-build test time
        c.withUnsafeBufferPointer { c in s.withUnsafeBufferPointer { s in
        xr.withUnsafeBufferPointer { xr in xi.withUnsafeBufferPointer { xi in
            for (b, k) in bins.enumerated() {
                var sr = 0.0, si = 0.0
                var t = 0
                for j in 0..<n {
                    // e^{sign·2πi t/n} = cos + i·sign·sin, t = j·k mod n
                    let wr = c[t], wi = sign * s[t]
                    sr += xr[j] * wr - xi[j] * wi
                    si += xr[j] * wi + xi[j] * wr
                    t += k; if t >= n { t -= n }
                }
                outR[b] = sr; outI[b] = si
            }
        } } } }
        return (outR, outI)
    }

    /// ‖a − b‖₂ / ‖b‖₂ over complex vectors (absolute if ‖b‖ = 0).
    static func relativeError(_ ar: [Double], _ ai: [Double], _ br: [Double], _ bi: [Double]) -> Double {
        var num = 0.0, den = 0.0
        for k in 0..<br.count {
            num += (ar[k] - br[k]) * (ar[k] - br[k]) + (ai[k] - bi[k]) * (ai[k] - bi[k])
            den += br[k] * br[k] + bi[k] * bi[k]
        }
        return den == 0 ? num.squareRoot() : (num / den).squareRoot()
    }

    /// Uniform values in [−1, 1).
    static func random(_ n: Int, _ g: inout SeededGenerator) -> [Double] {
        (0..<n).map { _ in 2 * g.uniform() - 1 }
    }

    /// Bins to check for a large n: the edges, the middle and a deterministic spread.
    static func sampleBins(_ n: Int, count: Int = 40) -> [Int] {
        var set: Set<Int> = [0, 1, n - 1, n / 2, (n + 1) / 2 % n]
        var g = SeededGenerator(seed: UInt64(n))
        while set.count < min(n, count) { set.insert(Int(g.next() % UInt64(n))) }
        return set.sorted()
    }
}
