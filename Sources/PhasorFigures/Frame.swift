// The shared frame of every figure: a plot rectangle with axes, ticks, tick labels, axis titles with units and a
// title, drawn with `SVGDocument`. Data coordinates map linearly (or via log10) onto the plot rectangle.
import Foundation

/// One axis of a figure: its label (with the unit in it, e.g. "time (steps)") and its scale.
public struct FigureAxis: Sendable {
    public var label: String
    public var log: Bool
    /// Fixed range; nil = from the data.
    public var range: ClosedRange<Double>?
    /// Ticks only at whole numbers (epochs, orders, indices).
    public var integer: Bool

    public init(_ label: String, log: Bool = false, range: ClosedRange<Double>? = nil, integer: Bool = false) {
        self.label = label
        self.log = log
        self.range = range
        self.integer = integer
    }
}

/// Numbers as figure text: never "nan"/"inf" (a non-finite value prints as an en dash).
public enum FigureNumber {
    public static func text(_ v: Double, digits: Int = 3) -> String {
        guard v.isFinite else { return "–" }
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e4 || a < 1e-3 { return String(format: "%.\(max(digits - 1, 1))e", v) }
        var s = String(format: "%.\(digits)g", v)
        if s.contains("e") { s = String(format: "%.\(max(digits - 1, 1))e", v) }
        return s
    }
}

/// A plot rectangle with mapped axes inside an `SVGDocument`.
struct Frame {
    static let width = 560.0, height = 340.0
    let width: Double, height: Double
    let left = 70.0, top = 46.0, right: Double, bottom = 50.0
    let x: FigureAxis, y: FigureAxis
    let xRange: ClosedRange<Double>, yRange: ClosedRange<Double>
    var doc: SVGDocument
    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    /// Ranges from data (already finite; log axes need positive values) unless the axis fixes one. `size` defaults
    /// to 560 × 340.
    init(title: String, x: FigureAxis, y: FigureAxis, xs: [Double], ys: [Double], legendWidth: Double = 0,
         size: (width: Double, height: Double)? = nil) throws {
        self.x = x
        self.y = y
        self.right = 20 + legendWidth
        width = size?.width ?? Frame.width
        height = size?.height ?? Frame.height
        xRange = try Frame.range(x, xs)
        yRange = try Frame.range(y, ys)
        doc = SVGDocument(width: width, height: height)
        doc.rect(x: 0, y: 0, width: width, height: height, fill: "#ffffff")
        doc.text(title, x: left, y: 17, size: 13)
        drawAxes()
    }

    static func range(_ axis: FigureAxis, _ values: [Double]) throws -> ClosedRange<Double> {
        if let r = axis.range { return axis.log ? log10(r.lowerBound)...log10(r.upperBound) : r }
        let usable = values.filter { $0.isFinite && (!axis.log || $0 > 0) }
        guard var lo = usable.min(), var hi = usable.max() else {
            throw FigureError.invalid("axis '\(axis.label)' has no finite\(axis.log ? " positive" : "") values")
        }
        if axis.log { lo = log10(lo); hi = log10(hi) }
        if hi - lo < 1e-12 * max(1, abs(hi)) { lo -= 0.5; hi += 0.5 }
        let pad = 0.04 * (hi - lo)
        return (lo - pad)...(hi + pad)
    }

    func px(_ v: Double) -> Double {
        let t = x.log ? log10(v) : v
        return left + (t - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth
    }
    func py(_ v: Double) -> Double {
        let t = y.log ? log10(v) : v
        return top + plotHeight - (t - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * plotHeight
    }

    /// "Nice" tick positions (in the transformed coordinate: log10 for log axes).
    static func ticks(_ r: ClosedRange<Double>, log: Bool, integer: Bool = false) -> [Double] {
        let span = r.upperBound - r.lowerBound
        if log {
            let step = max(1, (span / 5).rounded(.up))
            var t = (r.lowerBound / step).rounded(.up) * step, out: [Double] = []
            while t <= r.upperBound { out.append(t); t += step }
            if out.count >= 2 { return out }   // else: less than two decades shown — fall through to linear ticks of log10
        }
        let raw = span / 5, mag = pow(10, floor(log10(raw)))
        var step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        if integer { step = max(1, step.rounded(.up)) }
        var t = (r.lowerBound / step).rounded(.up) * step, out: [Double] = []
        while t <= r.upperBound + 1e-9 * step { out.append(abs(t) < 1e-12 * step ? 0 : t); t += step }
        return out
    }

    private mutating func drawAxes() {
        let x0 = left, y0 = top + plotHeight
        doc.line(x1: x0, y1: y0, x2: x0 + plotWidth, y2: y0, stroke: "#333")
        doc.line(x1: x0, y1: top, x2: x0, y2: y0, stroke: "#333")
        for t in Frame.ticks(xRange, log: x.log, integer: x.integer) {
            let p = left + (t - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth
            doc.line(x1: p, y1: y0, x2: p, y2: y0 + 4, stroke: "#333")
            doc.line(x1: p, y1: top, x2: p, y2: y0, stroke: "#eee")
            doc.text(Frame.label(t, log: x.log), x: p, y: y0 + 16, size: 10, anchor: "middle")
        }
        for t in Frame.ticks(yRange, log: y.log, integer: y.integer) {
            let p = top + plotHeight - (t - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * plotHeight
            doc.line(x1: x0 - 4, y1: p, x2: x0, y2: p, stroke: "#333")
            doc.line(x1: x0, y1: p, x2: x0 + plotWidth, y2: p, stroke: "#eee")
            doc.text(Frame.label(t, log: y.log), x: x0 - 6, y: p + 3, size: 10, anchor: "end")
        }
        doc.text(x.label, x: left + plotWidth / 2, y: height - 12, size: 11, anchor: "middle")
        doc.text(y.label, x: 8, y: top - 8, size: 11)
    }

    /// A tick label: log axes show 1eK at whole decades and the value 10^t between them.
    static func label(_ t: Double, log: Bool) -> String {
        guard log else { return FigureNumber.text(t) }
        return abs(t - t.rounded()) < 1e-9 ? "1e\(Int(t.rounded()))" : FigureNumber.text(pow(10, t), digits: 2)
    }

    /// Legend entries (colour swatch + name) in the right margin.
    mutating func legend(_ entries: [(name: String, colour: String)]) {
        for (k, e) in entries.enumerated() {
            let yy = top + 8 + Double(k) * 16
            doc.rect(x: left + plotWidth + 12, y: yy - 8, width: 10, height: 10, fill: e.colour)
            doc.text(e.name, x: left + plotWidth + 26, y: yy + 1, size: 10)
        }
    }

    /// The SVG element alone (no XML declaration), ready to inline into HTML.
    func svg() -> String { Frame.inline(doc.render()) }

    static func inline(_ rendered: String) -> String {
        guard rendered.hasPrefix("<?xml"), let end = rendered.firstIndex(of: "\n") else { return rendered }
        return String(rendered[rendered.index(after: end)...])
    }

    /// A qualitative palette (colour-blind friendly, Okabe–Ito).
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
    static func colour(_ k: Int) -> String { palette[k % palette.count] }
}
