// Powers z^l = e^{l·w}, l = 0…L−1, of one complex number without one exp per entry (DESIGN.md §3, "Kernel speed"):
// write l = q·b + r with 0 ≤ r < b, then e^{lw} = e^{qbw}·e^{rw}. Both factors come from exp directly (b + ⌈L/b⌉
// exps instead of L), so every power carries at most one rounded multiplication beyond exp's own error — no drift
// as in the plain recurrence z^{l+1} = z·z^l.
import Foundation

/// The two tables of a blocked power expansion of e^{l·w}, split into real and imaginary parts.
struct BlockedPowers {
    /// Block size b.
    let block: Int
    /// Number of blocks ⌈L/b⌉.
    let blocks: Int
    /// e^{r·w}, r = 0…b−1.
    var innerRe: [Double], innerIm: [Double]
    /// e^{q·b·w}, q = 0…blocks−1.
    var outerRe: [Double], outerIm: [Double]

    /// The block size used for length L: ≈ √L rounded up to a multiple of 8 (SIMD-friendly inner loops).
    static func blockSize(length: Int) -> Int {
        let root = Int(Double(max(length, 1)).squareRoot().rounded(.up))
        return min(max(8, (root + 7) / 8 * 8), max(length, 1))
    }

    init(wRe: Double, wIm: Double, length: Int, block: Int? = nil) {
        let b = block ?? BlockedPowers.blockSize(length: length)
        self.block = b
        self.blocks = (length + b - 1) / b
        innerRe = [Double](repeating: 0, count: b)
        innerIm = [Double](repeating: 0, count: b)
        outerRe = [Double](repeating: 0, count: blocks)
        outerIm = [Double](repeating: 0, count: blocks)
        for r in 0..<b { (innerRe[r], innerIm[r]) = BlockedPowers.exp(Double(r) * wRe, Double(r) * wIm) }
        for q in 0..<blocks {
            (outerRe[q], outerIm[q]) = BlockedPowers.exp(Double(q * b) * wRe, Double(q * b) * wIm)
        }
    }

    /// e^{a + ib} = e^a (cos b + i sin b).
    @inline(__always)
    static func exp(_ a: Double, _ b: Double) -> (Double, Double) {
        let m = Foundation.exp(a)
        return (m * Foundation.cos(b), m * Foundation.sin(b))
    }
}
