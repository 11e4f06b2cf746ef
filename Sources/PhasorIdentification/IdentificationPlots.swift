// Figures of an identification (`phasor identify --plot DIR`, docs/identification.md), laid out by SVGPlot:
//   spectrum      μ in the complex plane with the unit circle (stability boundary), and amplitude against frequency;
//   series        truth and model against time (reconstruction over the training span, forecast over the tail);
//   forcing       the observable and the HAVOK forcing against time, the threshold ±k·std drawn.
import PhasorData
import PhasorNumerics
import PhasorOscillators

public enum IdentificationPlots {
    /// μ (with conjugates) on the unit disc, and amplitude (log) against frequency ω = Im λ.
    public static func spectrum(_ found: IdentifiedOscillators, title: String) -> String {
        let mus = found.oscillators.flatMap { $0.isPair ? [$0.mu, $0.mu.conjugate] : [$0.mu] }
        let withRate = found.oscillators.filter { $0.frequency != nil }
        return SVGPlot.render([
            PlotPanel(title: "\(title): eigenvalues μ", xLabel: "Re μ", yLabel: "Im μ",
                      series: [PlotSeries(x: mus.map(\.real), y: mus.map(\.imaginary), dots: true)],
                      equalAspect: true, unitCircle: true),
            PlotPanel(title: "amplitude per oscillator", xLabel: "frequency ω = Im λ (rad per time unit)",
                      yLabel: "amplitude", series: [PlotSeries(x: withRate.map { $0.frequency ?? .nan },
                                                               y: withRate.map(\.amplitude), dots: true)],
                      logY: true),
        ])
    }

    /// Truth and model of channel `channel` against time, one panel per (title, times, truth, model) part.
    public static func series(_ parts: [(title: String, times: [Double], truth: [Double], model: [Double])],
                              modelName: String) -> String {
        SVGPlot.render(parts.map { part in
            PlotPanel(title: part.title, xLabel: "t", yLabel: "x(t)",
                      series: [PlotSeries(x: part.times, y: part.truth, label: "data"),
                               PlotSeries(x: part.times, y: part.model, label: modelName)])
        })
    }

    /// The observable and the forcing against time, with the activity threshold ±k·std(f).
    public static func forcing(times: [Double], observable: [Double], forcing: [Double], threshold: Double) -> String {
        let ends = [times.first ?? 0, times.last ?? 1]
        return SVGPlot.render([
            PlotPanel(title: "observable x(t)", xLabel: "t", yLabel: "x",
                      series: [PlotSeries(x: times, y: observable, label: "x"),
                               PlotSeries(x: ends, y: [0, 0], label: "x = 0")]),
            PlotPanel(title: "HAVOK forcing v_r(t)", xLabel: "t", yLabel: "v_r",
                      series: [PlotSeries(x: times, y: forcing, label: "v_r"),
                               PlotSeries(x: ends, y: [threshold, threshold], label: "+threshold"),
                               PlotSeries(x: ends, y: [-threshold, -threshold], label: "−threshold")]),
        ])
    }
}
