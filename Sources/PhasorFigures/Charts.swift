// The figure kit every layer of Phasor draws with (DESIGN.md §1): line chart, scatter plot, histogram and heat map,
// each an SVG string with axes, units and a title (Frame.swift), plus the figures built from them that several
// layers share — a spectrum in the complex plane, a ring's space–time picture, an interaction matrix — and a row of
// figures side by side. Inputs are validated: empty or non-finite data throws `FigureError` (a figure never silently
// draws NaN; log axes drop non-positive values and say nothing else). The strings are inline SVG (HTML embeds them);
// `Charts.file(_:)` makes a standalone .svg file of one.
import Foundation
import PhasorNumerics

/// A figure that cannot be drawn (no finite data, impossible sizes).
public enum FigureError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalid(String)
    public var description: String {
        switch self { case .invalid(let text): return "cannot draw the figure \(text)" }
    }
}

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

    /// A polyline through each series' points (with dots when `markers`), a legend when there is more than one series.
    public static func line(title: String, x: FigureAxis, y: FigureAxis, series: [FigureSeries], markers: Bool = false,
                            size: (width: Double, height: Double)? = nil) throws -> String {
        let pts = finitePoints(series, x: x, y: y)
        guard pts.contains(where: { !$0.isEmpty }) else { throw FigureError.invalid("'\(title)': no finite points") }
        let legend = series.count > 1 ? 110.0 : 0
        var f = try Frame(title: title, x: x, y: y, xs: pts.flatMap { $0.map(\.x) }, ys: pts.flatMap { $0.map(\.y) },
                          legendWidth: legend, size: size)
        for (k, p) in pts.enumerated() {
            let c = Frame.colour(k)
            if p.count > 1 { f.doc.polyline(p.map { (x: f.px($0.x), y: f.py($0.y)) }, stroke: c, width: 1.8) }
            if markers || p.count == 1 { for q in p { f.doc.circle(cx: f.px(q.x), cy: f.py(q.y), r: 2.5, fill: c) } }
        }
        if series.count > 1 { f.legend(series.enumerated().map { ($1.name, Frame.colour($0)) }) }
        return f.svg()
    }

    /// Dots per series (one colour each); optional reference lines x = 0 / y = 0 and the unit circle; `size`
    /// (default 560 × 340) e.g. square for the complex plane.
    public static func scatter(title: String, x: FigureAxis, y: FigureAxis, series: [FigureSeries],
                               zeroLines: Bool = true, unitCircle: Bool = false,
                               size: (width: Double, height: Double)? = nil) throws -> String {
        let pts = finitePoints(series, x: x, y: y)
        guard pts.contains(where: { !$0.isEmpty }) else { throw FigureError.invalid("'\(title)': no finite points") }
        var f = try Frame(title: title, x: x, y: y, xs: pts.flatMap { $0.map(\.x) }, ys: pts.flatMap { $0.map(\.y) },
                          legendWidth: series.count > 1 ? 110 : 0, size: size)
        if unitCircle && !x.log && !y.log {
            f.doc.ellipse(cx: f.px(0), cy: f.py(0), rx: (f.px(1) - f.px(-1)) / 2, ry: (f.py(-1) - f.py(1)) / 2, stroke: "#999")
        }
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
            throw FigureError.invalid("'\(title)': need finite counts and one more finite edge than counts")
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
        guard rows >= 1, columns >= 1 else { throw FigureError.invalid("'\(title)': a heat map needs ≥ 1 row and column") }
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

    // MARK: figures shared by several layers

    /// The spectrum λ in the complex plane (continuous time): Re λ across, Im λ up, the axes as reference lines.
    /// Non-finite eigenvalues are left out and counted in the title.
    public static func spectrum(_ eigenvalues: [Complex<Double>], title: String = "spectrum λ (continuous time)") throws -> String {
        let finite = eigenvalues.filter(\.isFinite), skipped = eigenvalues.count - finite.count
        return try scatter(title: title + (skipped > 0 ? " — \(skipped) non-finite value(s) not drawn" : ""),
                           x: FigureAxis("Re λ (decay rate −γ)"), y: FigureAxis("Im λ (frequency ω)"),
                           series: [FigureSeries("λ", x: finite.map(\.real), y: finite.map(\.imaginary))])
    }

    /// A ring's space–time picture: node j across, time step k down, each cell coloured by the complex node state
    /// (hue = phase, brightness = √(|x|/max|x|)). At most `maxRows` rows are drawn (every ⌈L/maxRows⌉-th step).
    public static func spaceTime(_ nodes: [[Complex<Double>]], title: String = "ring node states (hue = phase, brightness = |x|)",
                                 maxRows: Int = 600) throws -> String {
        guard let m = nodes.first?.count, m > 0, nodes.allSatisfy({ $0.count == m }) else {
            throw FigureError.invalid("'\(title)': a space–time picture needs L ≥ 1 rows of the same number M ≥ 1 of nodes")
        }
        let stride = max(1, (nodes.count + max(maxRows, 1) - 1) / max(maxRows, 1))
        let rows = Swift.stride(from: 0, to: nodes.count, by: stride).map { $0 }
        let peak = nodes.joined().map(\.length).filter(\.isFinite).max() ?? 0
        return try heatMap(title: title, x: FigureAxis("node j"), y: FigureAxis("time step k ↓"), rows: rows.count, columns: m,
                           colour: { r, j in let z = nodes[rows[r]][j]; return phase(z.real, z.imaginary, peak: peak) },
                           note: "\(nodes.count) steps\(stride > 1 ? ", every \(stride)th drawn" : ""); hue = phase, brightness = √(|x|/max|x|)",
                           rowLabels: rows.map { "\($0)" })
    }

    /// A square matrix of pair values (row i, column j labelled), red positive, blue negative, scaled by max |value|.
    public static func matrix(_ values: [[Double]], labels: [String], title: String) throws -> String {
        let n = labels.count
        guard n >= 1, values.count == n, values.allSatisfy({ $0.count == n }) else {
            throw FigureError.invalid("'\(title)': need an n × n matrix with n labels")
        }
        let scale = max(values.flatMap { $0 }.filter(\.isFinite).map { abs($0) }.max() ?? 0, 1e-300)
        return try heatMap(title: title, x: FigureAxis("j"), y: FigureAxis("i"), rows: n, columns: n,
                           colour: { diverging(values[$0][$1], scale: scale) },
                           note: "red > 0, blue < 0; full colour at |value| = \(FigureNumber.text(scale))",
                           columnLabels: labels, rowLabels: labels)
    }

    /// Figures side by side in one SVG (each keeps its own size).
    public static func row(_ figures: [String]) -> String {
        let sizes = figures.map(size)
        var doc = SVGDocument(width: sizes.reduce(0) { $0 + $1.width }, height: sizes.map(\.height).max() ?? 0)
        var x = 0.0
        for (svg, s) in zip(figures, sizes) { doc.embed(svg, x: x, y: 0); x += s.width }
        return Frame.inline(doc.render())
    }

    /// A standalone .svg file of an inline figure (the XML declaration added).
    public static func file(_ svg: String) -> String {
        svg.hasPrefix("<?xml") ? svg : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg
    }

    /// width and height of a figure from its root element.
    static func size(_ svg: String) -> (width: Double, height: Double) {
        func attribute(_ name: String) -> Double {
            guard let r = svg.range(of: " \(name)=\"") else { return 0 }
            return Double(svg[r.upperBound...].prefix { $0 != "\"" }) ?? 0
        }
        return (attribute("width"), attribute("height"))
    }
}
