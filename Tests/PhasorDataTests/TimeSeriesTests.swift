import Foundation
import PhasorNumerics
import Testing
@testable import PhasorData

// Measured series for identification: the three layouts (.npy, CSV rows = time steps, .ts cases concatenated) and
// the bundled chaotic attractors integrated from the dysts catalogue.
@Suite struct TimeSeriesTests {
    /// ItalyPowerDemand_TRAIN.ts as one series: 67 days × 24 hours; values read independently with Python's split().
    @Test func italyPowerDemandConcatenated() throws {
        let series = try TimeSeries.load(path: Repo.data("ucr/ItalyPowerDemand/ItalyPowerDemand_TRAIN.ts"))
        #expect(series.name == "ItalyPowerDemand" && series.channels == 1 && series.length == 1608)
        #expect(Array(series.values.prefix(3)) == [-0.71051757, -1.1833204, -1.3724416])
        #expect(Array(series.values[24..<26]) == [-0.99300935, -1.4267865])  // day 2 follows day 1
        #expect(series.values.last == 1.1719652)
    }

    @Test func csvAndNpyLayouts() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let csv = try TimeSeries.load(path: try dir.write("s.csv", "x,y\n1,2\n3,4\n5,6.5\n"))
        #expect(csv.channels == 2 && csv.length == 3 && csv.values == [1, 2, 3, 4, 5, 6.5] && csv.channel(1) == [2, 4, 6.5])
        #expect(csv[2, 1] == 6.5)
        let vector = dir.path("v.npy"), matrix = dir.path("m.npy")
        try NpyArray(shape: [4], float64: [1, 2, 3, 4]).write(to: vector)
        try NpyArray(shape: [2, 3], float32: [1, 2, 3, 4, 5, 6]).write(to: matrix)
        #expect(try TimeSeries.load(path: vector).channels == 1)
        let m = try TimeSeries.load(path: matrix)
        #expect(m.channels == 3 && m.length == 2 && m.channel(2) == [3, 6])
        #expect(try m.prefix(1).values == [1, 2, 3] && m.suffix(from: 1).values == [4, 5, 6])
    }

    @Test func badSeriesAreOneClearError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        #expect(dataError { _ = try TimeSeries.load(path: try dir.write("r.csv", "1,2\n3\n")) }?.kind == .raggedRows)
        #expect(dataError { _ = try TimeSeries.load(path: try dir.write("e.csv", "")) }?.kind == .emptyData)
        #expect(dataError { _ = try TimeSeries.load(path: try dir.write("n.csv", "1,2\n3,x\n")) }?.kind == .nonNumeric)
        #expect(dataError { _ = try TimeSeries.load(path: try dir.write("s.txt2", "1")) }?.kind == .unsupportedLayout)
        let nan = dir.path("nan.npy"), cube = dir.path("cube.npy"), complex = dir.path("c.npy")
        try NpyArray(shape: [3], float64: [1, .nan, 2]).write(to: nan)
        try NpyArray(shape: [1, 2, 2], float64: [1, 2, 3, 4]).write(to: cube)
        try NpyArray(shape: [2], complex128: [Complex(1, 1), Complex(0, 0)]).write(to: complex)
        let nanError = dataError { _ = try TimeSeries.load(path: nan) }
        #expect(nanError?.kind == .nonFinite && nanError?.problem.contains("time 1") == true)
        #expect(dataError { _ = try TimeSeries.load(path: cube) }?.kind == .badShape)
        #expect(dataError { _ = try TimeSeries.load(path: complex) }?.kind == .unsupportedDType)
    }

    /// Each integrable system, 2000 samples at 20 per period after 400 transient samples: its time averages must match
    /// the catalogue's own mean and standard deviation (computed by dysts with its own integrator) — a wrong sign or
    /// parameter name in the equations moves them far outside these bands. (Bands: mean within 0.3 std — Thomas's
    /// symmetric attractor averages ≈ 0 here against the catalogue's 0.5–0.6 — and std within 25%.)
    @Test func attractorsReproduceTheCataloguedStatistics() throws {
        let catalogue = try AttractorCatalogue(contentsOf: Repo.data("dysts/chaotic_attractors.json"))
        #expect(catalogue.entries.count >= 100)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Repo.data("dysts/chaotic_attractors.json")))) as? [String: Any]
        for name in AttractorCatalogue.integrable {
            let entry = try #require(catalogue.entries[name])
            let series = try catalogue.series(name, length: 2000, step: entry.period / 20, transient: 400)
            let record = try #require(json?[name] as? [String: Any])
            let means = try #require(record["mean"] as? [Double]), stds = try #require(record["std"] as? [Double])
            for c in 0..<3 {
                let x = series.channel(c)
                let mean = x.reduce(0, +) / Double(x.count)
                let std = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)).squareRoot()
                #expect(abs(mean - means[c]) <= 0.3 * stds[c], "\(name) channel \(c): mean \(mean) vs \(means[c])")
                #expect(abs(std / stds[c] - 1) <= 0.25, "\(name) channel \(c): std \(std) vs \(stds[c])")
            }
        }
        #expect(dataError { _ = try catalogue.series("Nope", length: 10) }?.kind == .badArgument)
        #expect(dataError { _ = try catalogue.series("Lorenz96", length: 10) }?.kind == .badArgument)
        #expect(dataError { _ = try catalogue.series("Lorenz", length: 0) }?.kind == .badArgument)
    }
}
