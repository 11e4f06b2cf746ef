// Starting a model from a designed (or identified) spectrum: the S4D layers of a file — from `phasor design` or
// `phasor identify --out` — replace log_dt, log_A_real and A_imag of a freshly seeded S4Model (`phasor train
// --init-from`). C, D and every other weight stay the seed's, as in the demo's design stage, so the only difference
// from a default start is the spectrum. File layer i initialises model layer i; a file with a single layer initialises
// every layer. A file channel count of 1 is copied to every channel; otherwise the channel counts must agree, and the
// number of modes N/2 always must.
import PhasorModels

extension S4Model {
    /// Replaces the spectrum of every S4D layer by the one in `store` (S4DFile.parameters of a layer file).
    public mutating func initialiseSpectrum(from store: ParameterStore, layers fileLayers: Int) throws {
        let h = configuration.dModel, modes = configuration.dState / 2
        for i in 0..<configuration.layers {
            let j = fileLayers == 1 ? 0 : i  // the file layer that initialises model layer i
            guard j < fileLayers else { break }
            let source = S4DKeys(layer: j), target = S4DKeys(layer: i)
            let (channels, fileModes) = try DiagonalSSM.s4dShape(store, layer: j)
            guard fileModes == modes else {
                throw CorrespondenceError.shapeMismatch("the initialisation has \(fileModes) mode(s) per channel but the model has "
                    + "d_state/2 = \(modes): train with --d-state \(2 * fileModes)")
            }
            guard channels == h || channels == 1 else {
                throw CorrespondenceError.shapeMismatch("the initialisation has \(channels) channels but the model has d_model = \(h): "
                    + "train with --d-model \(channels), or write the layer with 1 channel (copied to every channel)")
            }
            for (from, to) in [(source.logDt, target.logDt), (source.logAReal, target.logAReal), (source.aImag, target.aImag)] {
                let values = try store.values(from)
                try parameters.setValues(to, channels == h ? values : (0..<h).flatMap { _ in values })
            }
        }
    }
}
