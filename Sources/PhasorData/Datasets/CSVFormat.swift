// Datasets as CSV: one sequence per row, the class label in the last column, every other column one time step of a
// univariate sequence (Data/digits/digits.csv: 64 pixel values, then the digit). Read from bytes.
//
// Checks (each error names the file and line): an empty file, a single column (no values), rows with a different
// number of columns from the first, non-numeric cells, missing (`?`, NaN, empty) and infinite values, labels unseen
// in training (test sets). One header row is allowed if none of its value cells is a number.
// Class names: the distinct labels, in numeric order if all are numbers (so digits 0…9 get indices 0…9), otherwise
// in lexicographic order.

enum CSVFormat {
    static func parse(_ bytes: [UInt8], file: String, classNames knownClasses: [String]? = nil) throws -> SequenceDataset {
        try bytes.withUnsafeBufferPointer { buffer in
            try parse(buffer, file: file, knownClasses: knownClasses)
        }
    }

    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>, file: String,
                              knownClasses: [String]?) throws -> SequenceDataset {
        var rows: [(values: [Double], label: String, line: Int)] = []
        var columns: Int? = nil
        var lineNumber = 0
        var lineStart = 0
        var sawHeader = false
        while lineStart < buffer.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < buffer.count, buffer[lineEnd] != 0x0A { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            var end = lineEnd
            while end > lineStart, buffer[end - 1] == 0x0D || DecimalParser.isBlank(buffer[end - 1]) { end -= 1 }
            if end == lineStart { continue }
            func fail(_ kind: DataError.Kind, _ problem: String, _ fix: String) -> DataError {
                DataError(kind, file: file, line: lineNumber, problem: problem, fix: fix)
            }
            // The label: after the last comma.
            var comma = end - 1
            while comma >= lineStart, buffer[comma] != UInt8(ascii: ",") { comma -= 1 }
            guard comma >= lineStart else {
                throw fail(.badHeader, "the row has a single column: there are no values before the label",
                           "a CSV dataset needs the sequence's values, then the class label last, separated by ','")
            }
            var a = comma + 1, b = end
            while a < b, DecimalParser.isBlank(buffer[a]) { a += 1 }
            if b - a >= 2, buffer[a] == UInt8(ascii: "\""), buffer[b - 1] == UInt8(ascii: "\"") { a += 1; b -= 1 }
            let label = String(decoding: UnsafeBufferPointer(rebasing: buffer[a..<b]), as: UTF8.self)
            guard !label.isEmpty else { throw fail(.unknownLabel, "the class label (last column) is empty", "give every row a label") }

            var values: [Double] = []
            if let columns { values.reserveCapacity(columns - 1) }
            do {
                try TSFormat.parseValues(buffer, lineStart, comma, into: &values, file: file, line: lineNumber, channel: 0)
            } catch let error as DataError where error.kind == .nonNumeric && rows.isEmpty && !sawHeader
                && isHeader(buffer, lineStart, comma) {
                sawHeader = true   // a header row: no value cell is a number
                continue
            }
            let count = values.count + 1
            if let columns, count != columns {
                throw fail(.raggedRows, "the row has \(count) columns but the first row has \(columns)",
                           "every row needs the same number of values, then the label")
            }
            columns = count
            rows.append((values, label, lineNumber))
        }
        guard !rows.isEmpty else {
            throw DataError(.emptyData, file: file, line: lineNumber, problem: "the file holds no rows",
                            fix: "a CSV dataset has one sequence per row, the class label last")
        }
        let classNames: [String]
        if let knownClasses {
            classNames = knownClasses
        } else {
            let distinct = Array(Set(rows.map(\.label)))
            let numeric = distinct.compactMap { label in Double(label).map { (label, $0) } }
            classNames = numeric.count == distinct.count
                ? numeric.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
                : distinct.sorted()
        }
        var index: [String: Int] = [:]
        for (i, name) in classNames.enumerated() { index[name] = i }
        var samples: [LabelledSequence] = []
        samples.reserveCapacity(rows.count)
        for row in rows {
            guard let label = index[row.label] else {
                throw DataError(.unknownLabel, file: file, line: row.line,
                                problem: "class label \"\(row.label)\" does not occur in the training set",
                                fix: "a test set can only contain classes seen in training")
            }
            samples.append(LabelledSequence(values: row.values, length: row.values.count, label: label))
        }
        return SequenceDataset(name: DatasetLoader.stem(of: file), channels: 1, classNames: classNames, samples: samples)
    }

    /// A header row: no cell in buffer[start...end] parses as a number (also used by TimeSeriesFormat).
    static func isHeader(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var tokenStart = start
        while tokenStart <= end {
            var tokenEnd = tokenStart
            while tokenEnd < end, buffer[tokenEnd] != UInt8(ascii: ",") { tokenEnd += 1 }
            var a = tokenStart, b = tokenEnd
            while a < b, DecimalParser.isBlank(buffer[a]) { a += 1 }
            while b > a, DecimalParser.isBlank(buffer[b - 1]) { b -= 1 }
            if case .number = DecimalParser.parse(buffer, a, b) { return false }
            tokenStart = tokenEnd + 1
        }
        return true
    }
}
