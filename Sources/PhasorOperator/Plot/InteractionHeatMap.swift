// The operator's mode-pair (or lag-pair) interaction map: a square matrix of cells, row i and column j labelled,
// coloured by value / max|value| (red positive, blue negative), each cell carrying its exact value as a tooltip.
// A heat map is not a line plot, so it is drawn directly with PhasorData's `SVGDocument` (the one SVG writer); the
// operator's line charts use the oscillators' `SVGPlot` panels.
import PhasorData

/// Square heat maps of pair interactions.
public enum InteractionHeatMap {
    /// The SVG text of a heat map of `values` (n × n, row i, column j) with the n `labels` down the left side.
    public static func svg(title: String, labels: [String], values: [[Double]]) -> String {
        let n = labels.count, cell = max(8.0, min(28.0, 420.0 / Double(max(n, 1))))
        let left = 70.0, top = 40.0, size = left + cell * Double(n) + 20
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let scale = max(finite.map { abs($0) }.max() ?? 0, 1e-300)
        var doc = SVGDocument(width: size, height: size + 10)
        doc.rect(x: 0, y: 0, width: doc.width, height: doc.height, fill: "white")
        doc.text(title, x: size / 2, y: 16, size: 12, anchor: "middle")
        for i in 0..<n {
            doc.text(labels[i], x: left - 3, y: top + cell * (Double(i) + 0.7), size: 9, anchor: "end")
            for j in 0..<n {
                let value = i < values.count && j < values[i].count ? values[i][j] : .nan
                // Shade a = (1 − |v|/max|v|)·255: white at 0, full red (v > 0) or blue (v < 0) at the largest |v|.
                let v = value.isFinite ? value / scale : 0
                let a = Int(((1 - min(abs(v), 1)) * 255).rounded(.down))
                let colour = v >= 0 ? "rgb(255,\(a),\(a))" : "rgb(\(a),\(a),255)"
                doc.rect(x: left + cell * Double(j), y: top + cell * Double(i), width: cell, height: cell, fill: colour,
                         title: "\(labels[i]) × \(labels[j]): \(value)")
            }
        }
        return doc.render()
    }
}
