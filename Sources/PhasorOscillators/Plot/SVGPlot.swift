// A small plotter for line plots in panels (the oscillator commands' `--plot`, the operator's error and accuracy
// figures): panels side by side, each with a frame, ticks, tick labels, axis labels, a title, and line or point
// series. It only lays out; every element, number and escaped text is written by PhasorData's `SVGDocument`.
import PhasorData
import PhasorNumerics

/// One series in a panel: points joined by a line, or drawn as dots.
public struct PlotSeries: Sendable {
    public var x: [Double]
    public var y: [Double]
    public var label: String?
    public var dots: Bool

    public init(x: [Double], y: [Double], label: String? = nil, dots: Bool = false) {
        self.x = x
        self.y = y
        self.label = label
        self.dots = dots
    }
}

/// One panel: axes with labels and its series.
public struct PlotPanel: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [PlotSeries]
    /// Equal scales on both axes (for the complex plane and the ring).
    public var equalAspect: Bool
    /// Draw the unit circle (phases on the ring).
    public var unitCircle: Bool
    /// A logarithmic y axis: y is drawn as log10 y, non-positive values are dropped, ticks read "1e…".
    public var logY: Bool

    public init(title: String, xLabel: String, yLabel: String, series: [PlotSeries], equalAspect: Bool = false,
                unitCircle: Bool = false, logY: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.equalAspect = equalAspect
        self.unitCircle = unitCircle
        self.logY = logY
    }
}

/// Panels side by side in one SVG document.
public enum SVGPlot {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    static let panelWidth = 420.0, panelHeight = 340.0
    static let left = 64.0, right = 16.0, top = 34.0, bottom = 52.0

    /// The SVG text for the panels (non-finite points are skipped).
    public static func render(_ panels: [PlotPanel]) -> String {
        var doc = SVGDocument(width: panelWidth * Double(max(panels.count, 1)), height: panelHeight)
        doc.rect(x: 0, y: 0, width: doc.width, height: doc.height, fill: "white")
        for (index, panel) in panels.enumerated() {
            draw(panel, offsetX: Double(index) * panelWidth, into: &doc)
        }
        return doc.render()
    }

    private static func draw(_ panel: PlotPanel, offsetX: Double, into doc: inout SVGDocument) {
        // y as drawn: log10 y on a log axis (non-positive y has no place there and becomes NaN, i.e. is skipped).
        func shown(_ y: Double) -> Double { panel.logY ? (y > 0 ? Double.log10(y) : .nan) : y }
        let xs = panel.series.flatMap(\.x).filter(\.isFinite) + (panel.unitCircle ? [-1, 1] : [])
        let ys = panel.series.flatMap { $0.y.map(shown) }.filter(\.isFinite) + (panel.unitCircle ? [-1, 1] : [])
        var (x0, x1) = range(xs), (y0, y1) = range(ys)
        let plotW = panelWidth - left - right, plotH = panelHeight - top - bottom
        if panel.equalAspect {
            // Widen the narrower range so one unit has the same length on both axes.
            let scale = max((x1 - x0) / plotW, (y1 - y0) / plotH)
            let cx = (x0 + x1) / 2, cy = (y0 + y1) / 2
            x0 = cx - scale * plotW / 2; x1 = cx + scale * plotW / 2
            y0 = cy - scale * plotH / 2; y1 = cy + scale * plotH / 2
        }
        func px(_ x: Double) -> Double { offsetX + left + (x - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * plotH }
        let size = 11.0
        doc.rect(x: offsetX + left, y: top, width: plotW, height: plotH, fill: "none", stroke: "black")
        doc.text(panel.title, x: offsetX + left + plotW / 2, y: 20, size: 13, anchor: "middle")
        doc.text(panel.xLabel, x: offsetX + left + plotW / 2, y: panelHeight - 10, size: size, anchor: "middle")
        doc.text(panel.yLabel, x: offsetX + 14, y: top + plotH / 2, size: size, anchor: "middle", rotation: -90)
        for tick in ticks(x0, x1) {
            doc.line(x1: px(tick), y1: top + plotH, x2: px(tick), y2: top + plotH + 4, stroke: "black")
            doc.text(label(tick), x: px(tick), y: top + plotH + 16, size: size, anchor: "middle")
        }
        for tick in ticks(y0, y1) {
            doc.line(x1: offsetX + left - 4, y1: py(tick), x2: offsetX + left, y2: py(tick), stroke: "black")
            let text = panel.logY ? "1e" + SVGDocument.number(tick, decimals: 2) : label(tick)
            doc.text(text, x: offsetX + left - 6, y: py(tick) + 4, size: size, anchor: "end")
        }
        if panel.unitCircle {
            doc.ellipse(cx: px(0), cy: py(0), rx: (px(1) - px(-1)) / 2, ry: (py(-1) - py(1)) / 2, stroke: "#999")
        }
        for (k, series) in panel.series.enumerated() {
            let color = palette[k % palette.count]
            let points = zip(series.x, series.y.map(shown)).filter { $0.0.isFinite && $0.1.isFinite }
            if series.dots {
                for (x, y) in points { doc.circle(cx: px(x), cy: py(y), r: 3, fill: color) }
            } else {
                doc.polyline(points.map { (x: px($0.0), y: py($0.1)) }, stroke: color, width: 1.5)
            }
            if let name = series.label, panel.series.count > 1, k < 8 {
                doc.text(name, x: offsetX + left + plotW - 6, y: top + 14 + Double(k) * 13, size: size, anchor: "end",
                         fill: color)
            }
        }
    }

    /// A padded [min, max] (a unit interval around a single value; [0, 1] when empty).
    static func range(_ values: [Double]) -> (Double, Double) {
        guard let lo = values.min(), let hi = values.max() else { return (0, 1) }
        if hi - lo <= 1e-12 * max(1, abs(lo)) { return (lo - 0.5, hi + 0.5) }
        let pad = 0.05 * (hi - lo)
        return (lo - pad, hi + pad)
    }

    /// About five "nice" ticks (steps 1, 2, 5 × 10^k) inside [a, b].
    static func ticks(_ a: Double, _ b: Double) -> [Double] {
        let raw = (b - a) / 5
        guard raw > 0, raw.isFinite else { return [] }
        let magnitude = Double.pow(10, Double.log10(raw).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var t = (a / step).rounded(.up) * step
        var out: [Double] = []
        while t <= b + 1e-9 * step, out.count < 12 {
            out.append(abs(t) < 1e-12 * step ? 0 : t)
            t += step
        }
        return out
    }

    /// A tick label: up to 4 decimals, or mantissa "e" exponent outside [1e-3, 1e4).
    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e4 || abs(v) < 1e-3 {
            let e = Int(Double.log10(abs(v)).rounded(.down))
            return "\(SVGDocument.number(v / Double.pow(10, Double(e)), decimals: 4))e\(e)"
        }
        return SVGDocument.number(v, decimals: 4)
    }
}
