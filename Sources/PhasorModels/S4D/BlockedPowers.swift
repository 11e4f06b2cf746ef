// Powers z^l = e^{l·w}, l = 0…L−1, of one complex number without one exp per entry (DESIGN.md §3, "Kernel speed"):
// write l = q·b + r with 0 ≤ r < b, then e^{lw} = e^{qbw}·e^{rw}. Each table is filled by the recurrence
// t_{j+1} = t_j·e^{sw} re-anchored with a direct exp every `anchor` entries, so a table entry carries at most
// `anchor` rounded products (relative error ≲ 16ε) and a power at most twice that — no drift over long L, and about
// (b + ⌈L/b⌉)/16 exps instead of L.
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
        BlockedPowers.fill(&innerRe, &innerIm, stepRe: wRe, stepIm: wIm)
        BlockedPowers.fill(&outerRe, &outerIm, stepRe: Double(b) * wRe, stepIm: Double(b) * wIm)
    }

    /// Refills the tables for another w with the same length (reuses the storage: one allocation per channel).
    mutating func reset(wRe: Double, wIm: Double) {
        BlockedPowers.fill(&innerRe, &innerIm, stepRe: wRe, stepIm: wIm)
        BlockedPowers.fill(&outerRe, &outerIm, stepRe: Double(block) * wRe, stepIm: Double(block) * wIm)
    }

    /// Entries re-anchored by a direct exp (the error of the products between anchors stays ≲ anchor·ε).
    static let anchor = 16

    /// t_j = e^{j·s}, j = 0…count−1: direct exp at multiples of `anchor`, t_{j+1} = t_j·e^{s} in between.
    static func fill(_ re: inout [Double], _ im: inout [Double], stepRe: Double, stepIm: Double) {
        let (zr, zi) = exp(stepRe, stepIm)
        for j in 0..<re.count {
            if j % anchor == 0 {
                (re[j], im[j]) = exp(Double(j) * stepRe, Double(j) * stepIm)
            } else {
                let a = re[j - 1], c = im[j - 1]
                re[j] = a * zr - c * zi
                im[j] = a * zi + c * zr
            }
        }
    }

    /// e^{a + ib} = e^a (cos b + i sin b).
    @inline(__always)
    static func exp(_ a: Double, _ b: Double) -> (Double, Double) {
        let m = Foundation.exp(a)
        return (m * Foundation.cos(b), m * Foundation.sin(b))
    }
}
