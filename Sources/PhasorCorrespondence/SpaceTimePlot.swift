// The space–time picture of a ring: node index j across, time k down; each cell (k, j) is coloured by the complex
// node state x_{k,j}: hue = phase Arg x, brightness = |x| / max|x| (square-root scaled so decayed waves stay visible).
import PhasorData
import PhasorNumerics

public enum SpaceTimePlot {
    /// An SVG of `nodes` (L × M). At most `maxRows` time rows are drawn (every ⌈L/maxRows⌉-th step).
    public static func svg(nodes: [[Complex<Double>]], title: String = "ring node states (hue = phase, brightness = |x|)",
                           cell: Double = 8, maxRows: Int = 600) throws -> String {
        guard let m = nodes.first?.count, m > 0, nodes.allSatisfy({ $0.count == m }) else {
            throw CorrespondenceError.shapeMismatch("a space–time plot needs L ≥ 1 rows of the same number M ≥ 1 of nodes")
        }
        let stride = max(1, (nodes.count + max(maxRows, 1) - 1) / max(maxRows, 1))
        let rows = Swift.stride(from: 0, to: nodes.count, by: stride).map { $0 }
        let peak = nodes.joined().map(\.length).filter(\.isFinite).max() ?? 0
        let left = 48.0, top = 32.0
        var doc = SVGDocument(width: left + Double(m) * cell + 16, height: top + Double(rows.count) * cell + 24)
        doc.text(title, x: left, y: 18, size: 12)
        doc.text("time ↓", x: 4, y: top + 10, size: 10)
        for (row, k) in rows.enumerated() {
            for j in 0..<m {
                let x = nodes[k][j]
                let value = peak > 0 && x.isFinite ? (x.length / peak).squareRoot() : 0
                doc.rect(x: left + Double(j) * cell, y: top + Double(row) * cell, width: cell, height: cell,
                         fill: SVGDocument.colour(hue: x.phase, saturation: 1, value: value))
            }
        }
        doc.text("node 0 … \(m - 1) →   (\(nodes.count) steps\(stride > 1 ? ", every \(stride)th drawn" : ""))",
                 x: left, y: top + Double(rows.count) * cell + 16, size: 10)
        return doc.render()
    }
}
