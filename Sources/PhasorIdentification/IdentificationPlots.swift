// Figures of an identification (`phasor identify --plot DIR`, docs/identification.md), drawn with the figure kit
// (PhasorFigures.Charts), each a standalone .svg file:
//   spectrum      μ in the complex plane with the unit circle (stability boundary), beside amplitude against frequency;
//   series        truth and model against time (reconstruction over the training span, forecast over the tail);
//   forcing       the observable and the HAVOK forcing against time, the threshold ±k·std drawn.
import PhasorFigures
import PhasorNumerics

public enum IdentificationPlots {
    /// μ (with conjugates) on the unit disc, and amplitude (log) against frequency ω = Im λ.
    public static func spectrum(_ found: IdentifiedOscillators, title: String) throws -> String {
        let mus = found.oscillators.flatMap { $0.isPair ? [$0.mu, $0.mu.conjugate] : [$0.mu] }
        let withRate = found.oscillators.filter { $0.frequency != nil }
        let reach = max(1.05, 1.05 * (mus.map(\.length).filter(\.isFinite).max() ?? 1))  // the whole unit circle in view
        var figures = [try Charts.scatter(title: "\(title): eigenvalues μ", x: FigureAxis("Re μ", range: -reach...reach),
                                          y: FigureAxis("Im μ", range: -reach...reach),
                                          series: [FigureSeries("μ", x: mus.map(\.real), y: mus.map(\.imaginary))],
                                          unitCircle: true, size: (width: 400, height: 400))]
        if !withRate.isEmpty {
            figures.append(try Charts.scatter(
                title: "amplitude per oscillator", x: FigureAxis("frequency ω = Im λ (rad per time unit)"),
                y: FigureAxis("amplitude", log: true),
                series: [FigureSeries("oscillators", x: withRate.map { $0.frequency ?? .nan }, y: withRate.map(\.amplitude))],
                zeroLines: false))
        }
        return Charts.file(Charts.row(figures))
    }

    /// Truth and model against time, one chart per (title, times, truth, model) part, side by side.
    public static func series(_ parts: [(title: String, times: [Double], truth: [Double], model: [Double])],
                              modelName: String) throws -> String {
        Charts.file(Charts.row(try parts.map { part in
            try Charts.line(title: part.title, x: FigureAxis("t"), y: FigureAxis("x(t)"),
                            series: [FigureSeries("data", x: part.times, y: part.truth),
                                     FigureSeries(modelName, x: part.times, y: part.model)])
        }))
    }

    /// The observable and the forcing against time, with the activity threshold ±k·std(f).
    public static func forcing(times: [Double], observable: [Double], forcing: [Double], threshold: Double) throws -> String {
        let ends = [times.first ?? 0, times.last ?? 1]
        return Charts.file(Charts.row([
            try Charts.line(title: "observable x(t)", x: FigureAxis("t"), y: FigureAxis("x"),
                            series: [FigureSeries("x", x: times, y: observable), FigureSeries("x = 0", x: ends, y: [0, 0])]),
            try Charts.line(title: "HAVOK forcing v_r(t)", x: FigureAxis("t"), y: FigureAxis("v_r"),
                            series: [FigureSeries("v_r", x: times, y: forcing),
                                     FigureSeries("+threshold", x: ends, y: [threshold, threshold]),
                                     FigureSeries("−threshold", x: ends, y: [-threshold, -threshold])]),
        ]))
    }
}
