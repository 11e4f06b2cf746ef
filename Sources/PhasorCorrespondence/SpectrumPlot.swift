// The spectrum of a system in the complex plane: continuous eigenvalues λ (Re λ across, Im λ up) as dots, with the
// imaginary axis (the stability boundary) drawn; hovering a dot shows its value.
import PhasorData
import PhasorNumerics

public enum SpectrumPlot {
    /// An SVG scatter of `eigenvalues` (finite ones; non-finite values are listed in the title and skipped).
    public static func svg(eigenvalues: [Complex<Double>], title: String = "spectrum λ (continuous time)",
                           size: Double = 480) -> String {
        let finite = eigenvalues.filter(\.isFinite)
        let margin = 40.0
        var doc = SVGDocument(width: size, height: size)
        let skipped = eigenvalues.count - finite.count
        doc.text(title + (skipped > 0 ? " — \(skipped) non-finite value(s) not drawn" : ""), x: margin, y: 20)
        let reach = max(finite.map { max(abs($0.real), abs($0.imaginary)) }.max() ?? 1, 1e-300) * 1.1
        let scale = (size - 2 * margin) / (2 * reach)
        func px(_ re: Double) -> Double { size / 2 + re * scale }
        func py(_ im: Double) -> Double { size / 2 - im * scale }
        doc.line(x1: margin, y1: size / 2, x2: size - margin, y2: size / 2)               // real axis
        doc.line(x1: size / 2, y1: margin, x2: size / 2, y2: size - margin, stroke: "#c00")  // imaginary axis
        doc.text("Re λ", x: size - margin, y: size / 2 - 4, size: 10, anchor: "end")
        doc.text("Im λ", x: size / 2 + 4, y: margin, size: 10)
        doc.text("±\(SVGDocument.number(reach))", x: size - margin, y: size - 8, size: 10, anchor: "end")
        for l in finite {
            doc.circle(cx: px(l.real), cy: py(l.imaginary), r: 3, fill: "#1f5fbf",
                       title: "λ = \(l.real) + \(l.imaginary)i")
        }
        return doc.render()
    }
}
