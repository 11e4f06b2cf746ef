import Foundation

// A small JSON reader and writer on bytes, for the safetensors header and its metadata. Written here rather than
// taken from Foundation so that (1) errors carry the byte offset into the file, (2) duplicate keys are refused
// (a header naming one tensor twice is ambiguous), (3) integers are kept exact, and (4) output is byte-for-byte
// deterministic (keys in the order given, no whitespace).

enum JSONValue: Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number: the literal text, and its value as Int when it is an integer literal that fits.
    case number(text: String, integer: Int?)
    case bool(Bool)
    case null

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.array(x), .array(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.number(x, _), .number(y, _)): x == y
        case let (.bool(x), .bool(y)): x == y
        case (.null, .null): true
        default: false
        }
    }

    var kindName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// The value of a number as Double (nil for non-numbers).
    var doubleValue: Double? {
        if case let .number(text, _) = self { return Double(text) }
        return nil
    }
}

/// A JSON syntax error at a byte offset within the parsed text.
struct JSONSyntaxError: Error {
    let offset: Int
    let message: String
}

struct JSONParser {
    private let bytes: [UInt8]
    private var position: Int
    private let end: Int
    private var depth = 0

    /// Parses exactly one JSON value filling `bytes[range]` (surrounding whitespace allowed).
    static func parse(_ bytes: [UInt8], _ range: Range<Int>) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, position: range.lowerBound, end: range.upperBound)
        let value = try parser.value()
        parser.skipWhitespace()
        if parser.position != parser.end { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8], position: Int, end: Int) {
        self.bytes = bytes
        self.position = position
        self.end = end
    }

    private func error(_ message: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, message: message) }

    private mutating func skipWhitespace() {
        while position < end, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard position < end else { throw error("the JSON text ends where a value should be") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[position])))'")
        }
    }

    private mutating func literal(_ word: String) throws(JSONSyntaxError) {
        for byte in word.utf8 {
            guard position < end, bytes[position] == byte else { throw error("invalid literal (expected \(word))") }
            position += 1
        }
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        if depth > 64 { throw error("nesting deeper than 64 levels") }
        position += 1
        var members: [(String, JSONValue)] = []
        var seen = Set<String>()
        skipWhitespace()
        if position < end, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard position < end, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let keyOffset = position
            let key = try string()
            if !seen.insert(key).inserted { throw JSONSyntaxError(offset: keyOffset, message: "duplicate key \"\(key)\"") }
            skipWhitespace()
            guard position < end, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
            position += 1
            members.append((key, try value()))
            skipWhitespace()
            guard position < end else { throw error("the JSON text ends inside an object") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            throw error("expected ',' or '}' in an object")
        }
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        if depth > 64 { throw error("nesting deeper than 64 levels") }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < end, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            elements.append(try value())
            skipWhitespace()
            guard position < end else { throw error("the JSON text ends inside an array") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
            throw error("expected ',' or ']' in an array")
        }
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= end else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in a \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        position += 1   // opening quote
        var utf8: [UInt8] = []
        while true {
            guard position < end else { throw error("the JSON text ends inside a string") }
            let c = bytes[position]
            if c == UInt8(ascii: "\"") { position += 1; break }
            if c < 0x20 { throw error("control character inside a string (escape it)") }
            if c != UInt8(ascii: "\\") { utf8.append(c); position += 1; continue }
            position += 1
            guard position < end else { throw error("the JSON text ends inside an escape") }
            let e = bytes[position]
            position += 1
            switch e {
            case UInt8(ascii: "\""): utf8.append(0x22)
            case UInt8(ascii: "\\"): utf8.append(0x5C)
            case UInt8(ascii: "/"): utf8.append(0x2F)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {   // a UTF-16 surrogate pair: high, then \u low
                    guard position + 2 <= end, bytes[position] == UInt8(ascii: "\\"),
                          bytes[position + 1] == UInt8(ascii: "u") else { throw error("unpaired surrogate") }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
            default: throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
        }
        guard let text = String(validating: utf8, as: UTF8.self) else { throw error("a string is not valid UTF-8") }
        return text
    }

    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        func digits(_ p: inout Int) -> Int {
            let s = p
            while p < end, bytes[p] >= UInt8(ascii: "0"), bytes[p] <= UInt8(ascii: "9") { p += 1 }
            return p - s
        }
        if digits(&position) == 0 { throw error("a number needs digits") }
        if position < end, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            if digits(&position) == 0 { throw error("a number needs digits after '.'") }
        }
        if position < end, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < end, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            if digits(&position) == 0 { throw error("a number needs digits in its exponent") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        return .number(text: text, integer: isInteger ? Int(text) : nil)
    }
}

enum JSONWriter {
    /// Appends `text` as a JSON string literal.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20: out.append(contentsOf: Array(String(format: "\\u%04x", byte).utf8))
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendIntegers(_ values: [Int], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        out.append(contentsOf: Array(values.map(String.init).joined(separator: ",").utf8))
        out.append(UInt8(ascii: "]"))
    }
}

/// Foundation's JSON coding errors in one sentence (their own descriptions are multi-line dumps such as
/// `dataCorrupted(Context(codingPath: […], debugDescription: …, underlyingError: Optional(Error Domain=NSCocoaErrorDomain
/// Code=3840 …)))`).
public enum JSONCodingErrors {
    /// "at history.2.trainLoss: Unable to encode Double.infinity directly in JSON", or nil for any other error.
    public static func sentence(_ error: Error) -> String? {
        let context: (path: [CodingKey], text: String)
        switch error {
        case let EncodingError.invalidValue(value, c): context = (c.codingPath, "\(value) cannot be written as JSON (\(c.debugDescription))")
        case let DecodingError.dataCorrupted(c): context = (c.codingPath, c.debugDescription)
        case let DecodingError.keyNotFound(key, c): context = (c.codingPath, "the key '\(key.stringValue)' is missing")
        case let DecodingError.typeMismatch(_, c), let DecodingError.valueNotFound(_, c): context = (c.codingPath, c.debugDescription)
        default: return nil
        }
        let place = context.path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return (place.isEmpty ? "" : "at \(place): ") + context.text
    }
}
