// Heat map of one hidden-attention matrix (output token t down, source token s across, causal: s ≤ t), drawn with
// PhasorData's SVGDocument. Kernels decay exponentially with the lag, so the shade is logarithmic and normalised per
// row: shade = 1 + log10(|K_{t,s}| / max_s |K_{t,s}|) / decades, clamped to [0, 1] (white: below 10^{−decades} of the
// row's largest entry, dark: the row's largest). Sequences longer than 64 tokens are shown in blocks (mean of |K|).
import PhasorData
import PhasorNumerics

/// SVG heat maps of hidden-attention matrices.
public enum HiddenAttentionPlot {
    /// The SVG text of the L × L matrix `map` (row-major, row t, column s).
    public static func svg(map: [Double], length l: Int, title: String, decades: Double = 4) -> String {
        let cells = min(l, 64), block = Double(l) / Double(cells)
        var binned = [Double](repeating: 0, count: cells * cells)
        for t in 0..<l { for s in 0...t {
            let i = min(cells - 1, Int(Double(t) / block)), j = min(cells - 1, Int(Double(s) / block))
            binned[i * cells + j] += map[t * l + s] / (block * block)                     // block mean of |K|
        } }
        let cell = 420.0 / Double(cells), left = 50.0, top = 40.0
        var doc = SVGDocument(width: left + 420 + 20, height: top + 420 + 40)
        doc.rect(x: 0, y: 0, width: doc.width, height: doc.height, fill: "white")
        doc.text(title, x: doc.width / 2, y: 16, size: 12, anchor: "middle")
        doc.text("source token s →", x: left + 210, y: top + 420 + 28, size: 10, anchor: "middle")
        doc.text("t ↓", x: left - 8, y: top - 6, size: 10, anchor: "end")
        for i in 0..<cells {
            let rowMax = (0...i).map { binned[i * cells + $0] }.max() ?? 0
            for j in 0...i where rowMax > 0 {
                let v = binned[i * cells + j]
                let shade = v > 0 ? min(max(1 + Double.log10(v / rowMax) / decades, 0), 1) : 0
                let a = Int(((1 - shade) * 255).rounded(.down))
                doc.rect(x: left + cell * Double(j), y: top + cell * Double(i), width: cell, height: cell,
                         fill: "rgb(\(a),\(a),255)", title: "t \(Int(Double(i) * block)), s \(Int(Double(j) * block)): \(v)")
            }
        }
        for (label, position) in [("0", 0.0), ("\(l - 1)", Double(cells - 1))] {
            doc.text(label, x: left + cell * (position + 0.5), y: top + 420 + 14, size: 9, anchor: "middle")
            doc.text(label, x: left - 3, y: top + cell * (position + 0.7), size: 9, anchor: "end")
        }
        return doc.render()
    }
}
