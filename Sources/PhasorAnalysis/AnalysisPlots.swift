// Simple SVG figures of the analyses (timescale histogram; curves such as ρ̄(ℓ), MC_k or the spectral velocity),
// drawn with PhasorData's `SVGDocument`. Only finite values are drawn; axes are linear, labelled with
// their ranges.
import Foundation
import PhasorData

public enum AnalysisPlots {
    /// Bars of a log10 histogram (x: log10 of the value).
    public static func histogram(_ d: TimescaleDistribution, title: String, width: Double = 560, height: Double = 320) -> String {
        var doc = SVGDocument(width: width, height: height)
        let margin = 44.0
        doc.text(title, x: margin, y: 20)
        guard let lo = d.log10Edges.first, let hi = d.log10Edges.last, let top = d.bins.max(), top > 0 else {
            doc.text("no defined values", x: margin, y: height / 2)
            return doc.render()
        }
        let plotW = width - 2 * margin, plotH = height - 2 * margin
        let barW = plotW / Double(d.bins.count)
        for (i, count) in d.bins.enumerated() {
            let h = plotH * Double(count) / Double(top)
            doc.rect(x: margin + Double(i) * barW + 1, y: height - margin - h, width: max(barW - 2, 1), height: h,
                     fill: "#1f5fbf", title: "[\(d.log10Edges[i]), \(d.log10Edges[i + 1])): \(count)")
        }
        axes(&doc, width: width, height: height, margin: margin,
             x: "log10 value: \(label(lo)) … \(label(hi))", y: "count (max \(top))")
        return doc.render()
    }

    /// One polyline per series over x = 0, 1, 2, … .
    public static func curves(_ series: [(name: String, values: [Double])], title: String, xLabel: String,
                              yLabel: String, width: Double = 560, height: Double = 320) -> String {
        var doc = SVGDocument(width: width, height: height)
        let margin = 44.0
        doc.text(title, x: margin, y: 20)
        let finite = series.flatMap(\.values).filter(\.isFinite)
        let count = series.map(\.values.count).max() ?? 0
        guard let lo0 = finite.min(), let hi0 = finite.max(), count > 1 else {
            doc.text("nothing to draw", x: margin, y: height / 2)
            return doc.render()
        }
        let lo = min(lo0, 0), hi = hi0 > lo ? hi0 : lo + 1
        let plotW = width - 2 * margin, plotH = height - 2 * margin
        func px(_ i: Int) -> Double { margin + plotW * Double(i) / Double(count - 1) }
        func py(_ v: Double) -> Double { height - margin - plotH * (v - lo) / (hi - lo) }
        if lo < 0 { doc.line(x1: margin, y1: py(0), x2: width - margin, y2: py(0), stroke: "#ccc") }
        for (s, line) in series.enumerated() {
            let colour = SVGDocument.colour(hue: Double(s) / Double(max(series.count, 1)), saturation: 0.8, value: 0.75)
            for i in 1..<line.values.count where line.values[i - 1].isFinite && line.values[i].isFinite {
                doc.line(x1: px(i - 1), y1: py(line.values[i - 1]), x2: px(i), y2: py(line.values[i]), stroke: colour, width: 1.5)
            }
            doc.text(line.name, x: width - margin, y: margin + 14 * Double(s), size: 10, anchor: "end")
            doc.line(x1: width - margin + 4, y1: margin + 14 * Double(s) - 4, x2: width - margin + 16,
                     y2: margin + 14 * Double(s) - 4, stroke: colour, width: 3)
        }
        axes(&doc, width: width, height: height, margin: margin, x: "\(xLabel): 0 … \(count - 1)",
             y: "\(yLabel): \(label(lo)) … \(label(hi))")
        return doc.render()
    }

    /// A value for an axis label, 4 significant digits.
    static func label(_ v: Double) -> String { v.isFinite ? String(format: "%.4g", v) : "?" }

    static func axes(_ doc: inout SVGDocument, width: Double, height: Double, margin: Double, x: String, y: String) {
        doc.line(x1: margin, y1: height - margin, x2: width - margin, y2: height - margin)
        doc.line(x1: margin, y1: margin, x2: margin, y2: height - margin)
        doc.text(x, x: width / 2, y: height - 12, size: 11, anchor: "middle")
        doc.text(y, x: 4, y: margin - 8, size: 11)
    }
}
