// The one SVG writer of Phasor: a very small self-contained builder that only emits well-formed XML — every attribute
// and text is escaped, every element closed, every number finite. It is the base of the figure kit (Frame.swift,
// Charts.swift); nothing else in Phasor escapes text, formats numbers or writes SVG elements on its own.

/// An SVG document assembled element by element.
public struct SVGDocument: Sendable {
    public let width: Double
    public let height: Double
    private var body: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Escapes the five XML special characters.
    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A number rendered compactly for an attribute or a label: rounded to `decimals` places, trailing zeros dropped,
    /// never "-0" (non-finite values become 0 so the file stays valid).
    public static func number(_ v: Double, decimals: Int = 3) -> String {
        guard v.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<max(0, min(decimals, 15)) { scale *= 10 }
        let rounded = (v * scale).rounded() / scale
        guard rounded.isFinite else { return String(v) }
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(rounded)
    }

    /// Optional attributes ` name="value"`, escaped, for the ones that are present.
    private static func attributes(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in value.map { " \(name)=\"\(escape($0))\"" } }.joined()
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, title: String? = nil,
                              stroke: String? = nil) {
        let head = "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" "
            + "height=\"\(Self.number(height))\" fill=\"\(Self.escape(fill))\"" + Self.attributes([("stroke", stroke)])
        if let title { body.append(head + "><title>\(Self.escape(title))</title></rect>") }
        else { body.append(head + "/>") }
    }

    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String = "none",
                                title: String? = nil) {
        let head = "<circle cx=\"\(Self.number(cx))\" cy=\"\(Self.number(cy))\" r=\"\(Self.number(r))\" "
            + "fill=\"\(Self.escape(fill))\" stroke=\"\(Self.escape(stroke))\""
        if let title { body.append(head + "><title>\(Self.escape(title))</title></circle>") }
        else { body.append(head + "/>") }
    }

    /// An unfilled ellipse with centre (cx, cy) and radii rx, ry.
    public mutating func ellipse(cx: Double, cy: Double, rx: Double, ry: Double, stroke: String = "#888") {
        body.append("<ellipse cx=\"\(Self.number(cx))\" cy=\"\(Self.number(cy))\" rx=\"\(Self.number(rx))\" "
            + "ry=\"\(Self.number(ry))\" fill=\"none\" stroke=\"\(Self.escape(stroke))\"/>")
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#888",
                              width: Double = 1) {
        body.append("<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" "
            + "y2=\"\(Self.number(y2))\" stroke=\"\(Self.escape(stroke))\" stroke-width=\"\(Self.number(width))\"/>")
    }

    /// An unfilled open path through `points` (pairs with a non-finite coordinate are skipped; nothing is drawn
    /// when none is left).
    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 1) {
        let list = points.filter { $0.x.isFinite && $0.y.isFinite }
            .map { "\(Self.number($0.x)),\(Self.number($0.y))" }
        guard !list.isEmpty else { return }
        body.append("<polyline points=\"\(list.joined(separator: " "))\" fill=\"none\" "
            + "stroke=\"\(Self.escape(stroke))\" stroke-width=\"\(Self.number(width))\"/>")
    }

    /// Text at (x, y); `fill` colours it, `rotation` (degrees) turns it about its anchor point.
    public mutating func text(_ content: String, x: Double, y: Double, size: Double = 12, anchor: String = "start",
                              fill: String? = nil, rotation: Double? = nil) {
        let turn = rotation.map { "rotate(\(Self.number($0)) \(Self.number(x)) \(Self.number(y)))" }
        body.append("<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\" "
            + "font-family=\"sans-serif\" text-anchor=\"\(Self.escape(anchor))\""
            + Self.attributes([("fill", fill), ("transform", turn)]) + ">\(Self.escape(content))</text>")
    }

    /// A finished figure (well-formed SVG, from this kit) placed with its top-left corner at (x, y).
    public mutating func embed(_ svg: String, x: Double, y: Double) {
        body.append("<g transform=\"translate(\(Self.number(x)) \(Self.number(y)))\">\n\(Frame.inline(svg))</g>")
    }

    /// The finished document.
    public func render() -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" "
            + "viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\">\n"
            + body.joined(separator: "\n") + "\n</svg>\n"
    }

    /// An `#rrggbb` colour from hue (radians, any real), saturation and value in [0, 1] (HSV → RGB).
    public static func colour(hue: Double, saturation: Double, value: Double) -> String {
        let s = min(max(saturation.isFinite ? saturation : 0, 0), 1), v = min(max(value.isFinite ? value : 0, 0), 1)
        var h = (hue.isFinite ? hue : 0) / (2 * Double.pi)
        h -= h.rounded(.down)  // h ∈ [0, 1)
        let sector = h * 6, i = Int(sector.rounded(.down)) % 6, f = sector - sector.rounded(.down)
        let p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f))
        let (r, g, b): (Double, Double, Double)
        switch i {
        case 0: (r, g, b) = (v, t, p)
        case 1: (r, g, b) = (q, v, p)
        case 2: (r, g, b) = (p, v, t)
        case 3: (r, g, b) = (p, q, v)
        case 4: (r, g, b) = (t, p, v)
        default: (r, g, b) = (v, p, q)
        }
        func hex(_ c: Double) -> String {
            let byte = Int((c * 255).rounded())
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }
        return "#" + hex(r) + hex(g) + hex(b)
    }
}
