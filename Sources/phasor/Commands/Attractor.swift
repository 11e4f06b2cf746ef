// `phasor attractor`: a chaotic attractor of the bundled dysts catalogue (Data/dysts) integrated with DOP853 and
// written as a series (L, 3) for `phasor identify`.
import ArgumentParser
import Foundation
import PhasorData

struct Attractor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Integrate a chaotic attractor of the bundled catalogue and write it as a series (.npy).",
        discussion: """
        Parameters and the initial condition come from Data/dysts/chaotic_attractors.json (dysts, Apache-2.0); the \
        equations are Phasor's (docs/identification.md). Integrable: \(AttractorCatalogue.integrable.joined(separator: ", ")). \
        The default step is the catalogue's period / 100. Writes float64 (L, 3): columns x, y, z.
        """
    )

    @Option(help: "The system, e.g. Lorenz.") var name: String
    @Option(help: "Number of samples L.") var length = 10_000
    @Option(help: "Sampling step Δ (default: the catalogue's period / 100).") var dt: Double?
    @Option(help: "Samples integrated and dropped before the first one written.") var transient = 0
    @Option(help: "Where to write the series (.npy).") var out: String
    @Option(help: "The catalogue (default: Data/dysts/chaotic_attractors.json of this checkout).") var catalogue: String?

    func run() throws {
        try OutputPaths.requireWritable([out])
        let path: String
        do { path = try BundledFile.locate(AttractorCatalogue.relativePath, explicit: catalogue) } catch let missing as BundledFileMissing {
            throw CLIError("\(missing) with --catalogue")
        }
        let systems = try AttractorCatalogue(contentsOf: path)
        let series = try systems.series(name, length: length, step: dt, transient: transient)
        try NpyArray(shape: [series.length, series.channels], float64: series.values).write(to: out)
        let step = dt ?? (systems.entries[name]?.period ?? 0) / 100
        print("wrote \(out): \(name), \(series.length) samples × \(series.channels) every Δ = \(step)")
    }
}
