import Foundation
import Testing
@testable import PhasorFigures
import PhasorNumerics

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
    #expect(throws: FigureError.self) {
        try Charts.line(title: "t", x: FigureAxis("x"), y: FigureAxis("y"), series: [FigureSeries("s", y: [.nan, .infinity])])
    }
    #expect(throws: FigureError.self) {
        try Charts.histogram(title: "t", x: FigureAxis("x"), y: FigureAxis("y"), edges: [0, 1], counts: [1, 2])
    }
    #expect(throws: FigureError.self) {
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

// The figures several layers share: a ring's space–time picture has one cell per (step, node) coloured by phase, the
// spectrum one dot per finite eigenvalue (a NaN is left out and counted in the title), the interaction matrix one
// cell per pair, and a row of figures keeps each one whole, side by side.

@Test func spaceTimePictureHasOneCellPerStepAndNodeColouredByPhase() throws {
    // x_{k,j} = e^{iπ(k + j)/4}: unit modulus, phase advancing along both axes
    let nodes = (0..<12).map { k in (0..<8).map { j in Complex.exp(Complex(0, Double.pi * Double(k + j) / 4)) } }
    let svg = try Charts.spaceTime(nodes, title: "a <b> & \"c\"")
    let reader = try SVGReader.read(svg)
    #expect(reader.counts["rect"] == 12 * 8 + 1)                                   // cells + background
    #expect(reader.texts.contains("a <b> & \"c\""))
    let fills = (reader.attributes["rect"] ?? []).dropFirst().compactMap { $0["fill"] }
    #expect(fills[0] == Charts.phase(1, 0, peak: 1) && fills[1] == Charts.phase(Double.cos(.pi / 4), Double.sin(.pi / 4), peak: 1))
    #expect(throws: FigureError.self) { try Charts.spaceTime([]) }
}

@Test func spectrumDrawsEveryFiniteEigenvalueOnce() throws {
    let lambdas = (0..<8).map { Complex(-0.5, Double.pi * Double($0)) } + [Complex(Double.nan, 0)]
    let reader = try SVGReader.read(try Charts.spectrum(lambdas))
    #expect(reader.counts["circle"] == 8)
    #expect(reader.texts.contains { $0.contains("1 non-finite value(s) not drawn") })
}

@Test func matrixAndRowKeepEveryCellAndFigure() throws {
    let values = [[1.0, -2], [-2, 0.5]]
    let m = try Charts.matrix(values, labels: ["mode 0", "skip"], title: "pairs")
    let reader = try SVGReader.read(m)
    #expect(reader.counts["rect"] == 4 + 1)
    let fills = (reader.attributes["rect"] ?? []).dropFirst().compactMap { $0["fill"] }
    #expect(fills == [Charts.diverging(1, scale: 2), Charts.diverging(-2, scale: 2), Charts.diverging(-2, scale: 2), Charts.diverging(0.5, scale: 2)])
    #expect(throws: FigureError.self) { try Charts.matrix([[1]], labels: ["a", "b"], title: "bad") }
    let row = Charts.row([m, m])
    let both = try SVGReader.read(row)
    #expect(both.counts["rect"] == 2 * 5 && both.counts["svg"] == 3)
    #expect(Charts.size(row).width == 2 * Charts.size(m).width)
    #expect(Charts.file(row).hasPrefix("<?xml") && Charts.file(Charts.file(row)) == Charts.file(row))
}
