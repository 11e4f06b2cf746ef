// The one SVG writer: documents parse as XML whatever the text, numbers are finite and compact, and each primitive
// writes exactly one element (a polyline with no finite point writes none).
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import PhasorFigures
import Testing

/// Counts elements and collects text content with Foundation's XML parser (an independent reader of the output).
final class SVGReader: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var texts: [String] = []
    var attributes: [String: [[String: String]]] = [:]
    private var current = ""
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        counts[elementName, default: 0] += 1
        attributes[elementName, default: []].append(attributeDict)
        current = ""
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        if elementName == "text" || elementName == "title" { texts.append(current) }
        current = ""
    }
    static func read(_ svg: String) throws -> SVGReader {
        let reader = SVGReader(), parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = reader
        try #require(parser.parse())
        return reader
    }
}

@Suite struct SVGDocumentTests {
    @Test func specialCharactersRoundTripThroughAnXMLParser() throws {
        let nasty = "a <b> & \"c\" 'd' — λ"
        var doc = SVGDocument(width: 100, height: 50)
        doc.text(nasty, x: 1, y: 2, fill: "#f00", rotation: -90)
        doc.rect(x: 0, y: 0, width: 10, height: 10, fill: "none", title: nasty, stroke: "black")
        let reader = try SVGReader.read(doc.render())
        #expect(reader.texts == [nasty, nasty])
        #expect(reader.counts["svg"] == 1 && reader.counts["rect"] == 1 && reader.counts["text"] == 1)
        #expect(reader.attributes["text"]?.first?["transform"] == "rotate(-90 1 2)")
        #expect(reader.attributes["rect"]?.first?["stroke"] == "black")
    }

    @Test func numbersAreCompactFiniteAndNeverNegativeZero() {
        #expect(SVGDocument.number(2.5) == "2.5")
        #expect(SVGDocument.number(3) == "3")
        #expect(SVGDocument.number(-0.0004) == "0")
        #expect(SVGDocument.number(0.12345, decimals: 4) == "0.1235")
        #expect(SVGDocument.number(.nan) == "0" && SVGDocument.number(-.infinity) == "0")
        // Beyond Int's range the number is still written (and reads back as itself) instead of trapping.
        #expect(Double(SVGDocument.number(1e300)) == 1e300)
    }

    @Test func eachPrimitiveWritesOneElementAndNonFinitePointsAreSkipped() throws {
        var doc = SVGDocument(width: 10, height: 10)
        doc.polyline([(0, 0), (.nan, 1), (2, 3)], stroke: "#123456", width: 1.5)
        doc.polyline([(.nan, 0)], stroke: "#000")
        doc.ellipse(cx: 5, cy: 5, rx: 2, ry: 1)
        doc.circle(cx: 1, cy: 1, r: 1, fill: "red")
        doc.line(x1: 0, y1: 0, x2: 1, y2: 1)
        let reader = try SVGReader.read(doc.render())
        #expect(reader.counts["polyline"] == 1 && reader.counts["ellipse"] == 1)
        #expect(reader.counts["circle"] == 1 && reader.counts["line"] == 1)
        #expect(reader.attributes["polyline"]?.first?["points"] == "0,0 2,3")
    }
}
