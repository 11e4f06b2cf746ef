// The lines of a text dataset file (.ts, CSV, TSV), as byte ranges, whatever program wrote it:
//   • a UTF-8 byte-order mark (EF BB BF, what Excel writes for "CSV UTF-8") is skipped;
//   • a line ends at LF, CR LF or a lone CR (classic Mac OS), so line numbers are those an editor shows;
//   • UTF-16 and UTF-32 files (their byte-order marks, or NUL bytes in the first line) are refused with a hint,
//     instead of failing later on "not a number".
// Both readers (TSFormat, CSVFormat) iterate lines through this one type.

struct TextLines {
    /// One line: buffer[start..<end], without its terminator; number is 1-based.
    struct Line {
        let number: Int
        let start: Int
        let end: Int
    }

    private let buffer: UnsafeBufferPointer<UInt8>
    private var position: Int
    private var number = 0

    /// Checks the encoding and positions the reader after a UTF-8 byte-order mark.
    init(_ buffer: UnsafeBufferPointer<UInt8>, file: String) throws {
        self.buffer = buffer
        let head = Array(buffer.prefix(4))
        if head.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE, 0x00, 0x00])
            || head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF])
            || buffer.prefix(while: { $0 != 0x0A && $0 != 0x0D }).contains(0) {
            throw DataError(.unsupportedLayout, file: file, line: 1,
                            problem: "the file is UTF-16 or UTF-32 text (or binary), not UTF-8",
                            fix: "save it as UTF-8 (Excel: \"CSV UTF-8\"; Python: encoding=\"utf-8\")")
        }
        position = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The next line, or nil at the end of the buffer.
    mutating func next() -> Line? {
        guard position < buffer.count else { return nil }
        number += 1
        let start = position
        var end = start
        while end < buffer.count, buffer[end] != 0x0A, buffer[end] != 0x0D { end += 1 }
        position = end + 1
        if end < buffer.count, buffer[end] == 0x0D, position < buffer.count, buffer[position] == 0x0A { position += 1 }
        return Line(number: number, start: start, end: end)
    }

    /// The number of the last line returned (0 before the first).
    var lineNumber: Int { number }
}
