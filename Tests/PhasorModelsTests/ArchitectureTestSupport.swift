// Random parameters and comparison helpers for the S5 / LRU / LinOSS / selective layer tests.
import PhasorNumerics

enum ArchitectureFixture {
    static func reals(_ count: Int, _ g: inout SeededGenerator, scale: Double = 1) -> [Double] {
        (0..<count).map { _ in g.normal() * scale }
    }

    static func complex(_ count: Int, _ g: inout SeededGenerator, scale: Double = 1) -> [Complex<Double>] {
        (0..<count).map { _ in Complex(g.normal() * scale, g.normal() * scale) }
    }

    /// max |a − b| / max(1, max |b|).
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count else { return .infinity }
        let scale = max(1, b.map(abs).max() ?? 0)
        return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }
}
