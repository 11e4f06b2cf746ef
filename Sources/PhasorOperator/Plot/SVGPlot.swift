// A small SVG writer for the operator's figures: line charts (error and accuracy versus order, optional log y) and
// heat maps (mode-pair interaction maps). Pure text; the caller writes it atomically.
import Foundation

public enum SVGPlot {
    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
    static func f(_ x: Double) -> String { String(format: "%.2f", x) }

    /// A line chart of y against x (one or more named series). With `logY`, non-positive values are dropped.
    public static func lineChart(title: String, xLabel: String, yLabel: String, x: [Double],
                                 series: [(name: String, y: [Double])], logY: Bool = false) -> String {
        let w = 480.0, h = 320.0, l = 64.0, r = 16.0, t = 32.0, b = 48.0
        func ty(_ v: Double) -> Double? { logY ? (v > 0 ? Foundation.log10(v) : nil) : (v.isFinite ? v : nil) }
        let ys = series.flatMap { $0.y.compactMap(ty) }
        var lo = ys.min() ?? 0, hi = ys.max() ?? 1
        if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
        let xlo = x.min() ?? 0, xhi = max(x.max() ?? 1, xlo + 1e-12)
        func px(_ v: Double) -> Double { l + (v - xlo) / (xhi - xlo) * (w - l - r) }
        func py(_ v: Double) -> Double { h - b - (v - lo) / (hi - lo) * (h - t - b) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(f(w / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">\(esc(title))</text>\n"
        s += "<line x1=\"\(f(l))\" y1=\"\(f(h - b))\" x2=\"\(f(w - r))\" y2=\"\(f(h - b))\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(f(l))\" y1=\"\(f(t))\" x2=\"\(f(l))\" y2=\"\(f(h - b))\" stroke=\"black\"/>\n"
        for v in x { s += "<text x=\"\(f(px(v)))\" y=\"\(f(h - b + 14))\" text-anchor=\"middle\">\(Int(v.rounded()) == Int(v) ? String(Int(v)) : f(v))</text>\n" }
        for k in 0...4 {
            let v = lo + Double(k) / 4 * (hi - lo)
            let label = logY ? String(format: "1e%.1f", v) : String(format: "%.3g", v)
            s += "<text x=\"\(f(l - 4))\" y=\"\(f(py(v) + 4))\" text-anchor=\"end\">\(label)</text>\n"
        }
        s += "<text x=\"\(f(w / 2))\" y=\"\(f(h - 12))\" text-anchor=\"middle\">\(esc(xLabel))</text>\n"
        s += "<text x=\"14\" y=\"\(f(h / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(f(h / 2)))\">\(esc(yLabel))</text>\n"
        let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
        for (k, ser) in series.enumerated() {
            let pts = zip(x, ser.y).compactMap { xv, yv in ty(yv).map { "\(f(px(xv))),\(f(py($0)))" } }
            let c = colours[k % colours.count]
            s += "<polyline fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\" points=\"\(pts.joined(separator: " "))\"/>\n"
            s += "<text x=\"\(f(w - r - 4))\" y=\"\(f(t + 14 * Double(k + 1)))\" text-anchor=\"end\" fill=\"\(c)\">\(esc(ser.name))</text>\n"
        }
        return s + "</svg>\n"
    }

    /// A heat map of a square matrix (row i, column j) with labels; colour = value / max|value| (blue −, red +).
    public static func heatMap(title: String, labels: [String], values: [[Double]]) -> String {
        let n = labels.count, cell = max(8.0, min(28.0, 420.0 / Double(max(n, 1))))
        let l = 70.0, t = 40.0, size = l + cell * Double(n) + 20
        let m = max(values.flatMap { $0 }.map { abs($0) }.max() ?? 0, 1e-300)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(size))\" height=\"\(Int(size + 10))\" font-family=\"sans-serif\" font-size=\"9\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(f(size / 2))\" y=\"16\" text-anchor=\"middle\" font-size=\"12\">\(esc(title))</text>\n"
        for i in 0..<n {
            s += "<text x=\"\(f(l - 3))\" y=\"\(f(t + cell * (Double(i) + 0.7)))\" text-anchor=\"end\">\(esc(labels[i]))</text>\n"
            for j in 0..<n {
                let v = values[i][j] / m
                let a = Int((1 - abs(v)) * 255)
                let colour = v >= 0 ? "rgb(255,\(a),\(a))" : "rgb(\(a),\(a),255)"
                s += "<rect x=\"\(f(l + cell * Double(j)))\" y=\"\(f(t + cell * Double(i)))\" width=\"\(f(cell))\" height=\"\(f(cell))\" fill=\"\(colour)\"><title>\(esc(labels[i])) × \(esc(labels[j])): \(values[i][j])</title></rect>\n"
            }
        }
        return s + "</svg>\n"
    }
}
