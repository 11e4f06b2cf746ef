// Parsing decimal numbers from bytes, the hot loop of the `.ts` and CSV readers (10^5–10^6 numbers per dataset).
// Foundation's per-character String handling is far too slow here, so tokens are scanned as bytes.
//
// Fast path (Clinger 1990): a decimal m · 10^e with m < 2^53 and |e| ≤ 22 is exactly m · 10^e or m / 10^−e in one
// correctly rounded Double operation, because m and 10^|e| are both exact Doubles. Anything else (more than 15–16
// significant digits with a large exponent, > 19 digits) falls back to the C library's correctly rounded conversion.

enum DecimalParser {
    enum Outcome {
        case number(Double)
        case missing          // "?" or NaN: a missing value
        case infinite         // inf / infinity / a literal that overflows
        case notANumber       // anything else
    }

    /// Exact powers of ten 10^0 … 10^22 (all exactly representable in binary64).
    /// (A literal, so the optimiser can initialise it statically instead of guarding every access with a lazy
    /// initialisation check.)
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    /// Parses `buffer[start..<end]` (already trimmed of spaces).
    @inline(__always)
    static func parse(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Outcome {
        var i = start
        guard i < end else { return .notANumber }
        var negative = false
        if buffer[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if buffer[i] == UInt8(ascii: "+") { i += 1 }
        var mantissa: UInt64 = 0
        var significant = 0        // significant digits accumulated into mantissa
        var dropped = false        // digits beyond 19 significant ones were seen
        var digits = 0
        var exponent = 0
        while i < end, buffer[i] &- UInt8(ascii: "0") < 10 {
            let d = UInt64(buffer[i] &- UInt8(ascii: "0"))
            if significant < 19 {
                mantissa = mantissa &* 10 &+ d
                if mantissa != 0 { significant += 1 }
            } else {
                dropped = true
                exponent += 1
            }
            digits += 1
            i += 1
        }
        if i < end, buffer[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, buffer[i] &- UInt8(ascii: "0") < 10 {
                let d = UInt64(buffer[i] &- UInt8(ascii: "0"))
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ d
                    if mantissa != 0 { significant += 1 }
                    exponent -= 1
                } else {
                    dropped = true
                }
                digits += 1
                i += 1
            }
        }
        if digits == 0 { return special(buffer, start, end) }
        if i < end, buffer[i] == UInt8(ascii: "e") || buffer[i] == UInt8(ascii: "E") {
            i += 1
            var exponentNegative = false
            if i < end, buffer[i] == UInt8(ascii: "-") { exponentNegative = true; i += 1 }
            else if i < end, buffer[i] == UInt8(ascii: "+") { i += 1 }
            var e = 0
            var exponentDigits = 0
            while i < end, buffer[i] &- UInt8(ascii: "0") < 10 {
                if e < 100_000 { e = e * 10 + Int(buffer[i] &- UInt8(ascii: "0")) }
                exponentDigits += 1
                i += 1
            }
            if exponentDigits == 0 { return .notANumber }
            exponent += exponentNegative ? -e : e
        }
        if i != end { return .notANumber }
        let value: Double
        if !dropped, mantissa <= (1 << 53), exponent >= -22, exponent <= 22 {
            // m · 10^e in one rounding: both factors exact.
            let m = Double(mantissa)
            value = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
        } else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
            guard let parsed = Double(text) else { return .notANumber }
            if !parsed.isFinite { return .infinite }
            return .number(parsed)
        }
        return .number(negative ? -value : value)
    }

    /// Classifies a token without digits: "?" / "nan" are missing values, "inf"/"infinity" are infinite.
    private static func special(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Outcome {
        var s = start
        if s < end, buffer[s] == UInt8(ascii: "-") || buffer[s] == UInt8(ascii: "+") { s += 1 }
        let word = String(decoding: UnsafeBufferPointer(rebasing: buffer[s..<end]), as: UTF8.self).lowercased()
        switch word {
        case "?", "nan": return .missing
        case "inf", "infinity": return .infinite
        default: return .notANumber
        }
    }

    /// A cell of a dataset file (`buffer[start..<end]`, trimmed): its number, NaN for a missing value (`?`, NaN —
    /// MissingValues resolves these before a dataset leaves its reader), nil for text that is not a number. An
    /// infinite value is refused here, naming `place` (e.g. "channel 2, value 7").
    static func cell(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, file: String, line: Int,
                     place: @autoclosure () -> String) throws -> Double? {
        switch parse(buffer, start, end) {
        case let .number(v): return v
        case .missing: return .nan
        case .notANumber: return nil
        case .infinite:
            let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<min(end, start + 40)]), as: UTF8.self)
            throw DataError(.nonFinite, file: file, line: line, problem: "\(place()) is infinite (\(text))",
                            fix: "replace infinite values with finite numbers")
        }
    }

    /// Whether a byte is a space or tab.
    @inline(__always)
    static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
}
