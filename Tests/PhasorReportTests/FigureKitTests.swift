import Foundation
import Testing
@testable import PhasorReport

// The figure kit: well-formed inline SVG with titles, axis labels and ticks; data outside what can be drawn is
// rejected; numbers never print as nan/inf; the colour maps are what they claim.

@Test func lineChartHasAxesLabelsAndLegend() throws {
    let svg = try Charts.line(title: "loss per epoch", x: FigureAxis("epoch"), y: FigureAxis("loss (nats)"),
                              series: [FigureSeries("train", y: [2, 1, 0.5]), FigureSeries("validation", y: [2.1, 1.2, 0.7])])
    #expect(svg.hasPrefix("<svg"))
    #expect(svg.hasSuffix("</svg>\n"))
    for text in ["loss per epoch", "epoch", "loss (nats)", "train", "validation"] { #expect(svg.contains(">\(text)<"), "\(text)") }
    #expect(svg.components(separatedBy: "<line").count > 6)
}

@Test func logAxisTicksArePowersOfTen() throws {
    let svg = try Charts.line(title: "error", x: FigureAxis("order"), y: FigureAxis("error", log: true),
                              series: [FigureSeries("e", x: [1, 2, 3], y: [1e-1, 1e-3, 1e-5])])
    #expect(svg.contains(">1e-3<"))
    #expect(svg.contains(">1e-1<"))
}

@Test func figuresRejectDataTheyCannotDraw() {
    #expect(throws: ReportError.self) {
        try Charts.line(title: "t", x: FigureAxis("x"), y: FigureAxis("y"), series: [FigureSeries("s", y: [.nan, .infinity])])
    }
    #expect(throws: ReportError.self) {
        try Charts.histogram(title: "t", x: FigureAxis("x"), y: FigureAxis("y"), edges: [0, 1], counts: [1, 2])
    }
    #expect(throws: ReportError.self) {
        try Charts.heatMap(title: "t", x: FigureAxis("x"), y: FigureAxis("y"), rows: 0, columns: 3, colour: { _, _ in "#000" }, note: "")
    }
}

@Test func nonFiniteNumbersNeverPrintAsNaN() {
    for v in [Double.nan, .infinity, -.infinity] { #expect(FigureNumber.text(v) == "–") }
    #expect(FigureNumber.text(0.5) == "0.5")
    #expect(FigureNumber.text(12345) == "1.23e+04")
}

@Test func histogramBarHeightsFollowCounts() throws {
    let svg = try Charts.histogram(title: "h", x: FigureAxis("x"), y: FigureAxis("count"), edges: [0, 1, 2], counts: [2, 4])
    // Bars carry their count as a tooltip; the taller bar is exactly twice as high (linear axis from 0).
    func height(_ tip: String) throws -> Double {
        let rect = try #require(svg.components(separatedBy: "<rect").first { $0.contains(tip) })
        let h = try #require(rect.components(separatedBy: "height=\"").dropFirst().first?.split(separator: "\"").first)
        return try #require(Double(h))
    }
    #expect(abs(try height("1–2: 4") - 2 * height("0–1: 2")) < 0.01)
}

@Test func divergingColourEndsAndMiddle() {
    #expect(Charts.diverging(1, scale: 1) == "#ff0000")
    #expect(Charts.diverging(-1, scale: 1) == "#0000ff")
    #expect(Charts.diverging(0, scale: 1) == "#ffffff")
    #expect(Charts.diverging(.nan, scale: 1) == "#ffffff")
}
