// The panel plotter draws through SVGDocument: one frame, title and axis labels per panel, one polyline per line
// series, one circle per finite dot, the unit circle when asked, "1e…" tick labels on a log axis, nice ticks.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import PhasorOscillators

@Suite struct SVGPlotTests {
    @Test func panelsHaveFramesLabelsSeriesAndParseAsXML() throws {
        let ring = PlotPanel(title: "ring <1>", xLabel: "cos θ", yLabel: "sin θ",
                             series: [PlotSeries(x: [1, 0, .nan], y: [0, 1, 0], dots: true)], equalAspect: true,
                             unitCircle: true)
        let error = PlotPanel(title: "error", xLabel: "p", yLabel: "relative error",
                              series: [PlotSeries(x: [1, 2, 3, 4], y: [1e-1, 1e-3, 0, 1e-5], label: "a"),
                                       PlotSeries(x: [1, 2], y: [1e-2, 1e-4], label: "b & c")], logY: true)
        let svg = SVGPlot.render([ring, error])
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = Counter()
        parser.delegate = counter
        try #require(parser.parse())
        #expect(counter.counts["svg"] == 1 && counter.counts["ellipse"] == 1)
        #expect(counter.counts["circle"] == 2)  // the NaN dot is skipped
        #expect(counter.counts["polyline"] == 2)
        for label in ["ring <1>", "cos θ", "sin θ", "error", "p", "relative error", "a", "b & c"] {
            #expect(counter.texts.contains(label), "missing label \(label)")
        }
        // The log axis spans 1e-5…1e-1 (the 0 is dropped), so its ticks are powers of ten.
        #expect(counter.texts.contains("1e-4") && counter.texts.contains("1e-2"))
        #expect(svg.contains("width=\"840\""))  // two panels of 420
    }

    @Test func ticksAreNiceStepsInsideTheRange() {
        let t = SVGPlot.ticks(0, 1)
        let expected = [0, 0.2, 0.4, 0.6, 0.8, 1.0]
        #expect(t.count == expected.count)
        for (a, b) in zip(t, expected) { #expect(abs(a - b) < 1e-12) }
        #expect(SVGPlot.label(25000) == "2.5e4" && SVGPlot.label(0.25) == "0.25")
    }
}

private final class Counter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var texts: [String] = []
    private var current = ""
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        counts[elementName, default: 0] += 1
        current = ""
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        if elementName == "text" { texts.append(current) }
        current = ""
    }
}
