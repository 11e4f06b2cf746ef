// The report's figure kit: line chart, scatter plot, histogram and heat map, each an inline SVG string with axes,
// units and a title (Frame.swift). Inputs are validated: empty or non-finite data throws `ReportError.invalidFigure`
// (a figure never silently draws NaN; log axes drop non-positive values and say nothing else).
import Foundation
import PhasorData

/// A named series of (x, y) points.
public struct FigureSeries: Sendable {
    public var name: String
    public var points: [(x: Double, y: Double)]
    public init(_ name: String, x: [Double], y: [Double]) {
        self.name = name
        self.points = zip(x, y).map { ($0, $1) }
    }
    public init(_ name: String, y: [Double], xStart: Double = 0) {
        self.init(name, x: y.indices.map { xStart + Double($0) }, y: y)
    }
}

public enum Charts {
    static func finitePoints(_ s: [FigureSeries], x: FigureAxis, y: FigureAxis) -> [[(x: Double, y: Double)]] {
        s.map { $0.points.filter { p in p.x.isFinite && p.y.isFinite && (!x.log || p.x > 0) && (!y.log || p.y > 0) } }
    }

    /// Lines through each series' points (with dots when `markers`), a legend when there is more than one series.
    public static func line(title: String, x: FigureAxis, y: FigureAxis, series: [FigureSeries], markers: Bool = false) throws -> String {
        let pts = finitePoints(series, x: x, y: y)
        guard pts.contains(where: { !$0.isEmpty }) else { throw ReportError.invalidFigure("'\(title)': no finite points") }
        let legend = series.count > 1 ? 110.0 : 0
        var f = try Frame(title: title, x: x, y: y, xs: pts.flatMap { $0.map(\.x) }, ys: pts.flatMap { $0.map(\.y) },
                          legendWidth: legend)
        for (k, p) in pts.enumerated() {
            let c = Frame.colour(k)
            for i in p.indices.dropFirst() {
                f.doc.line(x1: f.px(p[i - 1].x), y1: f.py(p[i - 1].y), x2: f.px(p[i].x), y2: f.py(p[i].y), stroke: c, width: 1.8)
            }
            if markers || p.count == 1 { for q in p { f.doc.circle(cx: f.px(q.x), cy: f.py(q.y), r: 2.5, fill: c) } }
        }
        if series.count > 1 { f.legend(series.enumerated().map { ($1.name, Frame.colour($0)) }) }
        return f.svg()
    }

    /// Dots per series (one colour each); optional reference lines x = 0 / y = 0.
    public static func scatter(title: String, x: FigureAxis, y: FigureAxis, series: [FigureSeries],
                               zeroLines: Bool = true) throws -> String {
        let pts = finitePoints(series, x: x, y: y)
        guard pts.contains(where: { !$0.isEmpty }) else { throw ReportError.invalidFigure("'\(title)': no finite points") }
        var f = try Frame(title: title, x: x, y: y, xs: pts.flatMap { $0.map(\.x) }, ys: pts.flatMap { $0.map(\.y) },
                          legendWidth: series.count > 1 ? 110 : 0)
        if zeroLines && !x.log && !y.log {
            if f.xRange.contains(0) { f.doc.line(x1: f.px(0), y1: f.top, x2: f.px(0), y2: f.top + f.plotHeight, stroke: "#999") }
            if f.yRange.contains(0) { f.doc.line(x1: f.left, y1: f.py(0), x2: f.left + f.plotWidth, y2: f.py(0), stroke: "#999") }
        }
        for (k, p) in pts.enumerated() { for q in p { f.doc.circle(cx: f.px(q.x), cy: f.py(q.y), r: 2.2, fill: Frame.colour(k)) } }
        if series.count > 1 { f.legend(series.enumerated().map { ($1.name, Frame.colour($0)) }) }
        return f.svg()
    }

    /// Bars over bin edges (edges.count = counts.count + 1), in the axis' own coordinate (give log10 edges with a
    /// linear axis labelled "log10 …" for a log histogram).
    public static func histogram(title: String, x: FigureAxis, y: FigureAxis, edges: [Double], counts: [Double]) throws -> String {
        guard counts.count >= 1, edges.count == counts.count + 1, (edges + counts).allSatisfy(\.isFinite) else {
            throw ReportError.invalidFigure("'\(title)': need finite counts and one more finite edge than counts")
        }
        var yAxis = y
        if yAxis.range == nil { yAxis.range = 0...max(1, (counts.max() ?? 1) * 1.05) }
        var f = try Frame(title: title, x: x, y: yAxis, xs: edges, ys: counts)
        for (i, c) in counts.enumerated() where c > 0 {
            let x0 = f.px(edges[i]), x1 = f.px(edges[i + 1])
            f.doc.rect(x: x0 + 0.5, y: f.py(c), width: max(0.5, x1 - x0 - 1), height: f.py(0) - f.py(c), fill: Frame.colour(0),
                       title: "\(FigureNumber.text(edges[i]))–\(FigureNumber.text(edges[i + 1])): \(FigureNumber.text(c))")
        }
        return f.svg()
    }

    /// Cells (row r, column c) coloured by `colour(r, c)`; rows go down from the top. Column/row centres are labelled
    /// by their index (or by the given labels, thinned to fit). `note` is a colour key line under the plot.
    public static func heatMap(title: String, x: FigureAxis, y: FigureAxis, rows: Int, columns: Int,
                               colour: (Int, Int) -> String, note: String, size: (width: Double, height: Double)? = nil,
                               columnLabels: [String]? = nil, rowLabels: [String]? = nil) throws -> String {
        guard rows >= 1, columns >= 1 else { throw ReportError.invalidFigure("'\(title)': a heat map needs ≥ 1 row and column") }
        let w = size?.width ?? Frame.width, h = size?.height ?? Frame.height
        let left = 58.0, top = 40.0, right = 12.0, bottom = 52.0
        let cw = (w - left - right) / Double(columns), ch = (h - top - bottom) / Double(rows)
        var doc = SVGDocument(width: w, height: h)
        doc.rect(x: 0, y: 0, width: w, height: h, fill: "#ffffff")
        doc.text(title, x: left, y: 15, size: 12)
        for r in 0..<rows {
            for c in 0..<columns {
                doc.rect(x: left + Double(c) * cw, y: top + Double(r) * ch, width: cw + 0.3, height: ch + 0.3, fill: colour(r, c))
            }
        }
        let xStep = max(1, Int((Double(columns) / 8).rounded(.up))), yStep = max(1, Int((Double(rows) / 8).rounded(.up)))
        for c in stride(from: 0, to: columns, by: xStep) {
            doc.text(columnLabels?[c] ?? "\(c)", x: left + (Double(c) + 0.5) * cw, y: top + Double(rows) * ch + 13, size: 9, anchor: "middle")
        }
        for r in stride(from: 0, to: rows, by: yStep) {
            doc.text(rowLabels?[r] ?? "\(r)", x: left - 4, y: top + (Double(r) + 0.5) * ch + 3, size: 9, anchor: "end")
        }
        doc.text(x.label, x: left + Double(columns) * cw / 2, y: h - 24, size: 10, anchor: "middle")
        doc.text(y.label, x: 4, y: top - 6, size: 10)
        doc.text(note, x: left, y: h - 8, size: 9)
        return Frame.inline(doc.render())
    }

    /// Diverging colour for a signed value v/scale ∈ [−1, 1]: blue (negative) – white – red (positive).
    public static func diverging(_ v: Double, scale: Double) -> String {
        guard v.isFinite, scale > 0 else { return "#ffffff" }
        let t = max(-1, min(1, v / scale))
        func hex(_ c: Double) -> String { let s = String(Int((c * 255).rounded()), radix: 16); return s.count == 1 ? "0" + s : s }
        let (r, g, b) = t >= 0 ? (1.0, 1 - t, 1 - t) : (1 + t, 1 + t, 1.0)
        return "#" + hex(r) + hex(g) + hex(b)
    }

    /// Complex value as colour: hue = phase, brightness = √(|z|/peak).
    public static func phase(_ re: Double, _ im: Double, peak: Double) -> String {
        let a = (re * re + im * im).squareRoot()
        let v = peak > 0 && a.isFinite ? (a / peak).squareRoot() : 0
        return SVGDocument.colour(hue: atan2(im, re), saturation: 1, value: v)
    }
}
