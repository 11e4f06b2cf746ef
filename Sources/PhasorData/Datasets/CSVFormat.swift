// Datasets as CSV or TSV: one sequence per row, the class label in the last column (or the first: LabelColumn, as
// in the UCR 2018 archive), every other column one time step of a univariate sequence (Data/digits/digits.csv: 64
// pixel values, then the digit). Read from bytes, as spreadsheets and pandas write them:
//   • separator ',' (.csv, .txt) or a tab (.tsv); lines and encodings from TextLines (UTF-8 byte-order mark, CR LF,
//     lone CR);
//   • fields may be in double quotes ("1.5", "cat, black" — a separator inside quotes is text, "" is a quote);
//   • missing values: `?`, NaN or an empty cell (pandas writes NaN as an empty cell), read by the rule of
//     MissingValues.swift (trailing ones end a shorter sequence, inner ones are filled; both counted in the notes);
//   • a header row, as the first row, is recognised and skipped (and reported in the notes) when
//       (a) none of its value cells is a number (column names such as t1,t2,…,class), or
//       (b) it holds pandas' column numbers and its label is used by no other row: DataFrame.to_csv(index=False)
//           writes 0,1,…,7,label (a named label column: values 0…n−1, text label) or 0,1,…,8 (an unnamed frame: the
//           whole row is 0…n in file order, label first or last); at least 3 value columns, or
//       (c) its label is not a number and is used by no other row, while every other row's label is a number
//           (time stamps as column names, 0.0,0.5,…,label).
//     A first row that mixes numbers and text is not a header (it is refused at its first non-number).
// Class names: `classOrder` — a pure function of the set of labels.
//
// Checks (each error names the file and line): an empty file, a single column (no values), rows with a different
// number of columns from the first, non-numeric cells (with a hint for ';'-separated files), infinite values, an
// unterminated quote, an empty label, labels unseen in training (test sets), a row holding only missing values, and
// — for a training set — a label column that holds values: every class with exactly one sample, or fractional
// numbers most of them distinct (the label is most likely in the other column; `implausibleLabels`).

enum CSVFormat {
    static func parse(_ bytes: [UInt8], file: String, separator: UInt8 = UInt8(ascii: ","), labelColumn: LabelColumn = .last,
                      classNames knownClasses: [String]? = nil) throws -> SequenceDataset {
        try bytes.withUnsafeBufferPointer { buffer in
            try parse(buffer, file: file, separator: separator, labelColumn: labelColumn, knownClasses: knownClasses)
        }
    }

    /// A data row: its values (NaN = missing), label and line.
    private struct Row {
        var values: [Double]
        var label: String
        var line: Int
    }

    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>, file: String, separator: UInt8, labelColumn: LabelColumn,
                              knownClasses: [String]?) throws -> SequenceDataset {
        var lines = try TextLines(buffer, file: file)
        var rows: [Row] = []
        var columns: Int? = nil
        var header: (line: Int, reason: String)? = nil
        var sawFirstRow = false
        var cells: [Field] = []   // one row's fields, reused from row to row
        let columnName = labelColumn == .last ? "last" : "first"
        while let line = lines.next() {
            var start = line.start, end = line.end
            while start < end, DecimalParser.isBlank(buffer[start]) { start += 1 }
            while end > start, DecimalParser.isBlank(buffer[end - 1]) { end -= 1 }
            if start == end { continue }
            func fail(_ kind: DataError.Kind, _ problem: String, _ fix: String) -> DataError {
                DataError(kind, file: file, line: line.number, problem: problem, fix: fix)
            }
            let isFirstRow = !sawFirstRow
            sawFirstRow = true
            try fields(buffer, line.start, line.end, separator: separator, file: file, line: line.number, into: &cells)
            guard cells.count >= 2 else {
                throw fail(.badHeader, "the row has a single column: there are no values beside the label",
                           separatorHint(buffer, start, end, separator)
                           ?? "a dataset row holds the sequence's values and the class label, separated by '\(separator == 0x09 ? "\\t" : ",")'")
            }
            let labelCell = labelColumn == .last ? cells[cells.count - 1] : cells[0]
            let valueCells = labelColumn == .last ? cells.dropLast() : cells.dropFirst()
            let label = text(buffer, labelCell)
            guard !label.isEmpty else {
                throw fail(.unknownLabel, "the class label (\(columnName) column) is empty", "give every row a label")
            }
            var values: [Double] = []
            values.reserveCapacity(valueCells.count)
            var textCells = 0
            var firstText: (cell: Field, column: Int)? = nil
            for (k, cell) in valueCells.enumerated() {
                if cell.start == cell.end { values.append(.nan); continue }   // an empty cell: missing
                let column = k + 1 + (labelColumn == .first ? 1 : 0)
                if let v = try DecimalParser.cell(buffer, cell.start, cell.end, file: file, line: line.number,
                                                  place: "column \(column)") {
                    values.append(v)
                } else {
                    textCells += 1
                    firstText = firstText ?? (cell, column)
                    values.append(.nan)
                }
            }
            if isFirstRow, textCells > 0, textCells == valueCells.count {
                header = (line.number, "none of its value cells is a number")   // rule (a)
                continue
            }
            if let (cell, column) = firstText {
                let token = TSFormat.token(buffer, cell.start, cell.end)
                let otherEnd = labelColumn == .last ? 1 : cells.count   // where the label would be, read the other way
                throw fail(.nonNumeric, "column \(column) \"\(token)\" is not a number",
                           separatorHint(buffer, cell.start, cell.end, separator)
                           ?? (column == otherEnd ? "if it is the class label, pass --label-column \(labelColumn == .last ? "first" : "last")"
                                                  : "values must be decimal numbers; a missing value is written ?, NaN or left empty"))
            }
            if let columns, cells.count != columns {
                throw fail(.raggedRows, "the row has \(cells.count) columns but the first data row has \(columns)",
                           "every row needs the same number of values and a label")
            }
            columns = cells.count
            rows.append(Row(values: values, label: label, line: line.number))
        }
        if header == nil, let reason = headerReason(rows, labelColumn: labelColumn) {
            header = (rows[0].line, reason)
            rows.removeFirst()
        }
        guard !rows.isEmpty else {
            throw DataError(.emptyData, file: file, line: lines.lineNumber, problem: "the file holds no rows",
                            fix: "a dataset file has one sequence per row and its class label (\(columnName) column)")
        }
        let classNames = knownClasses ?? classOrder(rows.map(\.label))
        var index: [String: Int] = [:]
        for (i, name) in classNames.enumerated() { index[name] = i }
        var missing = MissingValues()
        var samples: [LabelledSequence] = []
        samples.reserveCapacity(rows.count)
        for row in rows {
            guard let label = index[row.label] else {
                throw DataError(.unknownLabel, file: file, line: row.line,
                                problem: "class label \"\(row.label)\" does not occur in the training set",
                                fix: "a test set can only contain classes seen in training")
            }
            let sequence = try missing.resolve([row.values], file: file, line: row.line)
            samples.append(LabelledSequence(values: sequence.values, length: sequence.length, label: label))
        }
        if knownClasses == nil, let reason = implausibleLabels(rows.map(\.label), classes: classNames.count) {
            let other: LabelColumn = labelColumn == .last ? .first : .last
            throw DataError(.implausibleLabels, file: file,
                            problem: "the \(columnName) column does not look like class labels: \(reason)",
                            fix: "the label is probably in the \(other.rawValue) column (the UCR 2018 archive puts it first): pass --label-column \(other.rawValue) (labelColumn: .\(other.rawValue))")
        }
        return SequenceDataset(name: DatasetLoader.stem(of: file), channels: 1, classNames: classNames, samples: samples,
                               notes: DatasetNotes(file: file, missing: missing, headerLine: header?.line, headerReason: header?.reason))
    }

    /// The class order of a dataset's labels, a pure function of the SET of labels (not of file order, hashing or
    /// the process): ascending numeric value when every label is a finite decimal number (digits 0…9 get indices
    /// 0…9; `2` before `10`; ties such as `1` and `1.0` by UTF-8 bytes), otherwise ascending UTF-8 byte order.
    /// "nan" and "inf" are not finite numbers, so such a label makes the order textual. (It used to make a numeric
    /// sort compare NaN, which is no ordering at all: the result followed the per-process order of a Set, and the
    /// same data and seed gave different class orders, hence different checkpoints, from run to run.)
    static func classOrder(_ labels: [String]) -> [String] {
        var seen = Set<String>()
        let distinct = labels.filter { seen.insert($0).inserted }
        let bytes = { (s: String) in Array(s.utf8) }
        let numbers = distinct.map { label -> Double? in
            let utf8 = bytes(label)
            return utf8.withUnsafeBufferPointer { b -> Double? in
                if case let .number(v) = DecimalParser.parse(b, 0, b.count), v.isFinite { return v }
                return nil
            }
        }
        if numbers.allSatisfy({ $0 != nil }) {
            return zip(distinct, numbers).map { ($0, $1!) }
                .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : bytes($0.0).lexicographicallyPrecedes(bytes($1.0)) }
                .map(\.0)
        }
        return distinct.sorted { bytes($0).lexicographicallyPrecedes(bytes($1)) }
    }

    /// Why a training set's label column looks like a column of values (the label is then most likely in the other
    /// column), or nil: (1) every class has exactly one sample (≥ 2 rows); (2) the labels — missing-value tokens
    /// aside, which are the padding of a value column — are numbers, not all whole, and most of them distinct
    /// (more classes than half the rows): measurements, not class names.
    private static func implausibleLabels(_ labels: [String], classes: Int) -> String? {
        if labels.count >= 2, classes == labels.count {
            return "each of the \(labels.count) rows has its own label, so every class has one sample"
        }
        var numbers: [String: Double] = [:]
        for label in Set(labels) {
            let outcome = Array(label.utf8).withUnsafeBufferPointer { DecimalParser.parse($0, 0, $0.count) }
            switch outcome {
            case let .number(v): numbers[label] = v
            case .missing: continue
            case .infinite, .notANumber: return nil
            }
        }
        let counted = labels.filter { numbers[$0] != nil }.count
        guard numbers.values.contains(where: { $0.rounded() != $0 }), numbers.count * 2 > counted else { return nil }
        return "its values are fractional numbers, \(numbers.count) distinct in \(counted) rows"
    }

    /// Rules (b) and (c) of the header row (rule (a) is decided while reading): the reason, or nil.
    private static func headerReason(_ rows: [Row], labelColumn: LabelColumn) -> String? {
        guard rows.count >= 2, let first = rows.first else { return nil }
        guard !rows.dropFirst().contains(where: { $0.label == first.label }) else { return nil }
        func number(_ label: String) -> Double? {
            Array(label.utf8).withUnsafeBufferPointer { b in
                if case let .number(v) = DecimalParser.parse(b, 0, b.count), v.isFinite { return v }
                return nil
            }
        }
        let labelNumber = number(first.label)
        // (b) pandas' column numbers: the whole row is 0, 1, …, n in file order (an unnamed frame: the label column
        // has a number too), or the values are 0, 1, …, n−1 and the label is text (a named label column).
        let values = first.values
        let labelIndex = Double(labelColumn == .last ? values.count : 0)
        let shift = labelColumn == .first && labelNumber == 0 ? 1.0 : 0.0   // label 0 first: values 1…n
        if values.count >= 3, labelNumber == nil || labelNumber == labelIndex,
           values.enumerated().allSatisfy({ $0.element == Double($0.offset) + shift }) {
            return "its cells are column numbers, as pandas' to_csv writes them"
        }
        // (c) a text label above numeric labels.
        if labelNumber == nil, rows.dropFirst().allSatisfy({ number($0.label) != nil }) {
            return "its label \"\(first.label)\" is text while every other row's label is a number"
        }
        return nil
    }

    /// One field: buffer[start..<end], trimmed of blanks and of its quotes; `quoted` if it was in double quotes.
    struct Field {
        var start: Int
        var end: Int
        var quoted: Bool
    }

    /// Splits buffer[start..<end] at `separator` outside double quotes (RFC 4180 within one line) into `result`.
    static func fields(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, separator: UInt8,
                       file: String, line: Int, into result: inout [Field]) throws {
        let quote = UInt8(ascii: "\"")
        func isBlank(_ c: UInt8) -> Bool { c == 0x20 || (c == 0x09 && separator != 0x09) }
        result.removeAll(keepingCapacity: true)
        var i = start
        while true {
            while i < end, isBlank(buffer[i]) { i += 1 }
            if i < end, buffer[i] == quote {
                let a = i + 1
                var q = a
                while true {
                    while q < end, buffer[q] != quote { q += 1 }
                    guard q < end else {
                        throw DataError(.badQuotes, file: file, line: line, problem: "a field opens a double quote that is not closed",
                                        fix: "close the quote; a quote inside a quoted field is written \"\"")
                    }
                    if q + 1 < end, buffer[q + 1] == quote { q += 2; continue }   // "" inside quotes
                    break
                }
                i = q + 1
                while i < end, isBlank(buffer[i]) { i += 1 }
                guard i == end || buffer[i] == separator else {
                    throw DataError(.badQuotes, file: file, line: line, problem: "text follows the closing quote of a field",
                                    fix: "put the whole field inside the quotes")
                }
                result.append(Field(start: a, end: q, quoted: true))
            } else {
                let a = i
                while i < end, buffer[i] != separator { i += 1 }
                var b = i
                while b > a, isBlank(buffer[b - 1]) { b -= 1 }
                result.append(Field(start: a, end: b, quoted: false))
            }
            guard i < end else { break }
            i += 1   // past the separator; a separator at the end of the line leaves one more (empty) field
        }
    }

    /// A field's text ("" inside quotes read as one quote).
    private static func text(_ buffer: UnsafeBufferPointer<UInt8>, _ field: Field) -> String {
        let s = String(decoding: UnsafeBufferPointer(rebasing: buffer[field.start..<field.end]), as: UTF8.self)
        return field.quoted ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }

    /// A hint when the text looks separated by something else than `separator` (';' from a European spreadsheet,
    /// tabs in a .csv, commas in a .tsv).
    private static func separatorHint(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ separator: UInt8) -> String? {
        let bytes = buffer[start..<end]
        if bytes.contains(UInt8(ascii: ";")) {
            return "the file seems to be separated by ';' (a spreadsheet with ',' as decimal mark): save it with ',' as separator and '.' as decimal mark"
        }
        if separator != 0x09, bytes.contains(0x09) { return "the file seems to be tab-separated: name it .tsv" }
        if separator == 0x09, bytes.contains(UInt8(ascii: ",")) { return "the file seems to be comma-separated: name it .csv" }
        return nil
    }
}
