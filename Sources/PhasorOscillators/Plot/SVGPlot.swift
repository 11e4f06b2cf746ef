// A small self-contained SVG plotter for the oscillator commands' `--plot`: panels side by side, each with a frame,
// ticks, tick labels, axis labels, a title, and line or point series. No scripts, no external fonts or styles.

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

    public init(title: String, xLabel: String, yLabel: String, series: [PlotSeries], equalAspect: Bool = false,
                unitCircle: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.equalAspect = equalAspect
        self.unitCircle = unitCircle
    }
}

/// Panels side by side in one SVG document.
public enum SVGPlot {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    static let panelWidth = 420.0, panelHeight = 340.0
    static let left = 64.0, right = 16.0, top = 34.0, bottom = 52.0

    /// The SVG text for the panels (non-finite points are skipped).
    public static func render(_ panels: [PlotPanel]) -> String {
        let width = panelWidth * Double(max(panels.count, 1))
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(panelHeight))" \
        viewBox="0 0 \(fmt(width)) \(fmt(panelHeight))" font-family="sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>

        """
        for (index, panel) in panels.enumerated() {
            out += renderPanel(panel, offsetX: Double(index) * panelWidth)
        }
        return out + "</svg>\n"
    }

    private static func renderPanel(_ panel: PlotPanel, offsetX: Double) -> String {
        let xs = panel.series.flatMap(\.x).filter(\.isFinite) + (panel.unitCircle ? [-1, 1] : [])
        let ys = panel.series.flatMap(\.y).filter(\.isFinite) + (panel.unitCircle ? [-1, 1] : [])
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
        var s = "<g>\n"
        s += "<rect x=\"\(fmt(offsetX + left))\" y=\"\(fmt(top))\" width=\"\(fmt(plotW))\" height=\"\(fmt(plotH))\" fill=\"none\" stroke=\"black\"/>\n"
        s += "<text x=\"\(fmt(offsetX + left + plotW / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"13\">\(escape(panel.title))</text>\n"
        s += "<text x=\"\(fmt(offsetX + left + plotW / 2))\" y=\"\(fmt(panelHeight - 10))\" text-anchor=\"middle\">\(escape(panel.xLabel))</text>\n"
        let ly = top + plotH / 2, lx = offsetX + 14
        s += "<text x=\"\(fmt(lx))\" y=\"\(fmt(ly))\" text-anchor=\"middle\" transform=\"rotate(-90 \(fmt(lx)) \(fmt(ly)))\">\(escape(panel.yLabel))</text>\n"
        for tick in ticks(x0, x1) {
            s += "<line x1=\"\(fmt(px(tick)))\" y1=\"\(fmt(top + plotH))\" x2=\"\(fmt(px(tick)))\" y2=\"\(fmt(top + plotH + 4))\" stroke=\"black\"/>\n"
            s += "<text x=\"\(fmt(px(tick)))\" y=\"\(fmt(top + plotH + 16))\" text-anchor=\"middle\">\(label(tick))</text>\n"
        }
        for tick in ticks(y0, y1) {
            s += "<line x1=\"\(fmt(offsetX + left - 4))\" y1=\"\(fmt(py(tick)))\" x2=\"\(fmt(offsetX + left))\" y2=\"\(fmt(py(tick)))\" stroke=\"black\"/>\n"
            s += "<text x=\"\(fmt(offsetX + left - 6))\" y=\"\(fmt(py(tick) + 4))\" text-anchor=\"end\">\(label(tick))</text>\n"
        }
        if panel.unitCircle {
            let rx = (px(1) - px(-1)) / 2, ry = (py(-1) - py(1)) / 2
            s += "<ellipse cx=\"\(fmt(px(0)))\" cy=\"\(fmt(py(0)))\" rx=\"\(fmt(rx))\" ry=\"\(fmt(ry))\" fill=\"none\" stroke=\"#999\"/>\n"
        }
        for (k, series) in panel.series.enumerated() {
            let color = palette[k % palette.count]
            let points = zip(series.x, series.y).filter { $0.0.isFinite && $0.1.isFinite }
            if series.dots {
                for (x, y) in points {
                    s += "<circle cx=\"\(fmt(px(x)))\" cy=\"\(fmt(py(y)))\" r=\"3\" fill=\"\(color)\"/>\n"
                }
            } else if !points.isEmpty {
                let list = points.map { "\(fmt(px($0.0))),\(fmt(py($0.1)))" }.joined(separator: " ")
                s += "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>\n"
            }
            if let name = series.label, panel.series.count > 1, k < 8 {
                let yy = top + 14 + Double(k) * 13
                s += "<text x=\"\(fmt(offsetX + left + plotW - 6))\" y=\"\(fmt(yy))\" text-anchor=\"end\" fill=\"\(color)\">\(escape(name))</text>\n"
            }
        }
        return s + "</g>\n"
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

    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e4 || abs(v) < 1e-3 {
            let e = Int(Double.log10(abs(v)).rounded(.down))
            return "\(fmt(v / Double.pow(10, Double(e))))e\(e)"
        }
        return fmt(v)
    }

    /// Up to 4 decimals, trailing zeros dropped.
    static func fmt(_ v: Double) -> String {
        var s = String((v * 10000).rounded() / 10000)
        if s.hasSuffix(".0") { s.removeLast(2) }
        if s == "-0" { s = "0" }
        return s
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
