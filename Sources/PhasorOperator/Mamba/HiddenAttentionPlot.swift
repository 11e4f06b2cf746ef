// Heat map of one hidden-attention matrix (output token t down, source token s across, causal: s ≤ t), drawn with the
// figure kit's heat map (PhasorFigures). Kernels decay exponentially with the lag, so the shade is logarithmic and
// normalised per row: shade = 1 + log10(|K_{t,s}| / max_s |K_{t,s}|) / decades, clamped to [0, 1] (white: below
// 10^{−decades} of the row's largest entry or above the diagonal, dark blue: the row's largest). Sequences longer than
// 64 tokens are shown in blocks (mean of |K| over the block's cells).
import PhasorFigures
import PhasorNumerics

/// SVG heat maps of hidden-attention matrices.
public enum HiddenAttentionPlot {
    /// The SVG figure of the L × L matrix `map` (row-major, row t, column s).
    public static func svg(map: [Double], length l: Int, title: String, decades: Double = 4) throws -> String {
        let cells = min(l, 64), block = Double(l) / Double(cells)
        var binned = [Double](repeating: 0, count: cells * cells), counts = binned
        for t in 0..<l { for s in 0...t {
            let i = min(cells - 1, Int(Double(t) / block)), j = min(cells - 1, Int(Double(s) / block))
            binned[i * cells + j] += map[t * l + s]
            counts[i * cells + j] += 1
        } }
        for k in binned.indices where counts[k] > 0 { binned[k] /= counts[k] }          // block mean of |K|
        let rowMax = (0..<cells).map { i in (0..<cells).map { binned[i * cells + $0] }.max() ?? 0 }
        let labels = (0..<cells).map { "\(Int((Double($0) * block).rounded(.down)))" }
        return try Charts.heatMap(
            title: title, x: FigureAxis("source token s"), y: FigureAxis("output token t"), rows: cells, columns: cells,
            colour: { i, j in
                let v = binned[i * cells + j]
                guard j <= i, v > 0, rowMax[i] > 0 else { return "#ffffff" }
                let shade = min(max(1 + Double.log10(v / rowMax[i]) / decades, 0), 1)  // 1 + log10(|K|/row max)/decades
                let a = Int(((1 - shade) * 255).rounded(.down))
                return "rgb(\(a),\(a),255)"
            },
            note: "shade: log10 of mean |K(t,s)| relative to the row's largest, \(Int(decades)) decades; causal (s ≤ t)",
            columnLabels: labels, rowLabels: labels)
    }
}
