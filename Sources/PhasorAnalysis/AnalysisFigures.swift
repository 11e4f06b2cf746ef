// The figures of the analyses, drawn with the figure kit (PhasorFigures): the histogram of the modes' decay times
// τ/Δ (log10 bins), each layer's mean impulse-response autocorrelation ρ̄(ℓ), each layer's mean memory curve MC_k, and
// the spectral velocity of a tracked run. Each is (file name, SVG); figures without data are left out.
import PhasorFigures

extension ModelAnalysisReport {
    public func figures() throws -> [(name: String, svg: String)] {
        var out: [(String, String)] = []
        let d = timescales.decaySteps
        if !d.bins.isEmpty {
            out.append(("timescales.svg", try Charts.histogram(title: "decay time τ/Δ of every mode", x: FigureAxis("log10 τ/Δ (steps)"),
                                                               y: FigureAxis("modes (count)"), edges: d.log10Edges,
                                                               counts: d.bins.map(Double.init))))
        }
        let rho = layers.compactMap { l in l.correlation.map { FigureSeries("layer \(l.layer)", y: $0.mean.rho) } }
        if !rho.isEmpty {
            out.append(("autocorrelation.svg", try Charts.line(title: "impulse-response autocorrelation ρ̄(ℓ)",
                                                               x: FigureAxis("lag ℓ (steps)"), y: FigureAxis("ρ̄"), series: rho)))
        }
        let mc = layers.compactMap { l in l.memory.map { FigureSeries("layer \(l.layer)", y: $0.meanPerLag, xStart: 1) } }
        if !mc.isEmpty {
            out.append(("memory.svg", try Charts.line(title: "memory capacity MC_k (mean over channels)",
                                                      x: FigureAxis("lag k (steps)"), y: FigureAxis("MC_k"), series: mc)))
        }
        return out
    }
}

extension TrainingDynamics {
    /// The normalised spectral velocity v/max v per recording interval.
    public func figure() throws -> String {
        try Charts.line(title: "spectral velocity per interval", x: FigureAxis("interval", integer: true),
                        y: FigureAxis("v / max v", range: 0...1), series: [FigureSeries("v / max v", y: normalisedVelocity)])
    }
}
