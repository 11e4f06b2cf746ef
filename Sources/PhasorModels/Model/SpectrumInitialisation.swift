// Starting a model from a designed (or identified) spectrum: the S4D cores of a layer file — from `phasor design` or
// `phasor identify --out`, read by ModelFile.loadCores — replace log Δ, log(−Re λ) and Im λ of a freshly seeded
// S4Model (`phasor train --init-from`), as the demo's design stage does. C, D and every other weight stay the seed's,
// so the only difference from a default start is the spectrum. File core i initialises block i; a file with a single
// core initialises every block. A core of 1 channel is copied to every channel; otherwise the channel counts must
// agree, and the number of modes N/2 always must.

extension S4Model {
    /// Replaces the spectrum of every S4D block by the cores' (see the file comment).
    public mutating func initialiseSpectrum(from cores: [S4DCore]) throws {
        guard !cores.isEmpty else { throw ModelError.invalidConfiguration("the initialisation holds no S4D layer") }
        let h = configuration.dModel, modes = configuration.dState / 2
        for i in 0..<configuration.layers {
            let j = cores.count == 1 ? 0 : i  // the file layer that initialises block i
            guard j < cores.count else { break }
            let source = cores[j].kernel
            guard source.modes == modes else {
                throw ModelError.invalidConfiguration("the initialisation has \(source.modes) mode(s) per channel but the model has "
                    + "d_state/2 = \(modes): train with --d-state \(2 * source.modes)")
            }
            guard source.channels == h || source.channels == 1 else {
                throw ModelError.invalidConfiguration("the initialisation has \(source.channels) channels but the model has "
                    + "d_model = \(h): train with --d-model \(source.channels), or write the layer with 1 channel (copied to every channel)")
            }
            func tiled(_ values: [Double]) -> [Double] { source.channels == h ? values : (0..<h).flatMap { _ in values } }
            var block = self.block(i)
            var core = try block.core.requireS4D(for: "--init-from (an S4D spectrum)")
            core.kernel.logDt = tiled(source.logDt)          // Δ and λ of every channel; C, D stay the seed's
            core.kernel.logAReal = tiled(source.logAReal)
            core.kernel.AImag = tiled(source.AImag)
            block.core = .s4d(core)
            try setBlock(i, block)
        }
    }
}
