import PhasorNumerics
import Testing

@Test func seededGeneratorIsReproducibleAndUniform() {
    var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
    let xa = (0..<8).map { _ in a.next() }, xb = (0..<8).map { _ in b.next() }, xc = (0..<8).map { _ in c.next() }
    #expect(xa == xb)
    #expect(xa != xc)
    // Mean and variance of 1e5 uniforms and normals within 5 standard errors of the truth.
    var g = SeededGenerator(seed: 7)
    let n = 100_000
    let u = (0..<n).map { _ in g.uniform() }
    let mean = u.reduce(0, +) / Double(n)
    #expect(abs(mean - 0.5) < 5 * (1.0 / 12.0 / Double(n)).squareRoot())
    #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
    let z = (0..<n).map { _ in g.normal() }
    let zm = z.reduce(0, +) / Double(n)
    let zv = z.reduce(0) { $0 + ($1 - zm) * ($1 - zm) } / Double(n - 1)
    #expect(abs(zm) < 5 / Double(n).squareRoot())
    #expect(abs(zv - 1) < 5 * (2.0 / Double(n)).squareRoot())
}
