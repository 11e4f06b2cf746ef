// The UCR/UEA `.ts` format (sktime's time-series classification files), read from bytes:
//
//   # comment lines
//   @problemName NAME        @timeStamps false      @missing false     @univariate true|false
//   @dimensions D            @equalLength true|false                   @seriesLength L
//   @classLabel true LABEL…  (the declared class names, in order; this order is the label index)
//   @data
//   v,v,v:v,v,v:LABEL        one case per line: D channels separated by ':', values by ',', the label last
//
// Missing values (`?`, NaN — declared by `@missing true`, and NaN-padded variable-length sets) are read by the rule
// of MissingValues.swift: trailing ones end a shorter sequence, inner ones are filled, and both are counted in the
// dataset's notes. Lines come from TextLines (UTF-8 byte-order mark, CR LF and lone CR line ends).
//
// Checks (each error names the file and line): header keys Phasor cannot honour (time stamps, regression targets,
// no class labels), a missing `@data`, no cases, a channel count different from @dimensions (or from the first
// case), channels of one case with different numbers of values, unequal numbers of values where `@equalLength true`
// is declared or a number different from @seriesLength (counted as written, missing values included), labels not
// declared in @classLabel, non-numeric values and empty cells, infinite values, a case or channel holding only
// missing values.

enum TSFormat {
    /// Parses a `.ts` file. With `classNames`, labels are read against those (a test set against its training set's
    /// classes) and must be among them.
    static func parse(_ bytes: [UInt8], file: String, classNames knownClasses: [String]? = nil) throws -> SequenceDataset {
        try bytes.withUnsafeBufferPointer { buffer in
            try parse(buffer, file: file, knownClasses: knownClasses)
        }
    }

    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>, file: String,
                              knownClasses: [String]?) throws -> SequenceDataset {
        var name = DatasetLoader.stem(of: file)
        var declaredClasses: [String]? = nil
        var hasClassLabels: Bool? = nil
        var dimensions: Int? = nil
        var univariate: Bool? = nil
        var equalLength: Bool? = nil
        var seriesLength: Int? = nil
        var sawData = false

        var lines = try TextLines(buffer, file: file)
        var lineNumber = 0
        var samples: [LabelledSequence] = []
        var missing = MissingValues()
        var firstRawLength: Int? = nil
        var channels: Int? = nil
        var labelIndex: [String: Int] = [:]
        var channelValues: [[Double]] = []
        var declaredSet = Set<String>()

        func fail(_ kind: DataError.Kind, _ problem: String, _ fix: String) -> DataError {
            DataError(kind, file: file, line: lineNumber, problem: problem, fix: fix)
        }

        while let line = lines.next() {
            lineNumber = line.number
            var start = line.start, end = line.end
            while end > start, DecimalParser.isBlank(buffer[end - 1]) { end -= 1 }
            while start < end, DecimalParser.isBlank(buffer[start]) { start += 1 }
            if start == end || buffer[start] == UInt8(ascii: "#") { continue }

            if !sawData {
                guard buffer[start] == UInt8(ascii: "@") else {
                    throw fail(.badHeader, "a line before @data is neither a comment (#) nor a header (@key value)",
                               "check the file is a .ts file; the @data line may be missing")
                }
                let line = String(decoding: UnsafeBufferPointer(rebasing: buffer[(start + 1)..<end]), as: UTF8.self)
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                guard let key = words.first?.lowercased() else { continue }
                let arguments = Array(words.dropFirst())
                func flag() throws -> Bool {
                    switch arguments.first?.lowercased() {
                    case "true": return true
                    case "false": return false
                    default: throw fail(.badHeader, "@\(words[0]) needs true or false", "write @\(words[0]) true or false")
                    }
                }
                func count() throws -> Int {
                    guard let text = arguments.first, let n = Int(text), n > 0 else {
                        throw fail(.badHeader, "@\(words[0]) needs a positive integer", "write e.g. @\(words[0]) 3")
                    }
                    return n
                }
                switch key {
                case "problemname": if let first = arguments.first { name = first }
                case "timestamps":
                    if try flag() {
                        throw fail(.unsupportedLayout, "time-stamped .ts data (@timeStamps true) is not read",
                                   "export the series without time stamps (equally spaced values)")
                    }
                case "missing": _ = try flag()
                case "univariate": univariate = try flag()
                case "dimensions": dimensions = try count()
                case "equallength": equalLength = try flag()
                case "serieslength": seriesLength = try count()
                case "classlabel":
                    hasClassLabels = try flag()
                    if hasClassLabels == true {
                        let labels = Array(arguments.dropFirst())
                        guard !labels.isEmpty else {
                            throw fail(.badHeader, "@classLabel true declares no labels",
                                       "list the class labels: @classLabel true A B C")
                        }
                        guard Set(labels).count == labels.count else {
                            throw fail(.badHeader, "@classLabel declares a label twice", "list each class label once")
                        }
                        declaredClasses = labels
                        declaredSet = Set(labels)
                    }
                case "targetlabel":
                    throw fail(.unsupportedLayout, "regression data (@targetLabel) is not read",
                               "Phasor's datasets are for classification; use @classLabel true with class names")
                case "data":
                    sawData = true
                    guard hasClassLabels == true, let declared = declaredClasses else {
                        throw fail(.badHeader, "the header declares no class labels (@classLabel true …) before @data",
                                   "Phasor's datasets are for classification; add @classLabel true with the class names")
                    }
                    if univariate == true, let d = dimensions, d != 1 {
                        throw fail(.badHeader, "@univariate true contradicts @dimensions \(d)", "fix one of the two")
                    }
                    if univariate == true { dimensions = 1 }
                    channels = dimensions
                    let names = knownClasses ?? declared
                    for (i, label) in names.enumerated() { labelIndex[label] = i }
                default: break   // other keys (e.g. @description) carry nothing Phasor needs
                }
                continue
            }

            // A case: channels separated by ':', the label after the last ':'.
            var colon = end - 1
            while colon >= start, buffer[colon] != UInt8(ascii: ":") { colon -= 1 }
            guard colon >= start else {
                throw fail(.badHeader, "the case has no ':' before its class label",
                           "each case is v,v,…:LABEL (channels separated by ':')")
            }
            var labelStart = colon + 1, labelEnd = end
            while labelStart < labelEnd, DecimalParser.isBlank(buffer[labelStart]) { labelStart += 1 }
            while labelEnd > labelStart, DecimalParser.isBlank(buffer[labelEnd - 1]) { labelEnd -= 1 }
            let label = String(decoding: UnsafeBufferPointer(rebasing: buffer[labelStart..<labelEnd]), as: UTF8.self)
            if !declaredSet.contains(label), let declared = declaredClasses {
                throw fail(.unknownLabel, "class label \"\(label)\" is not declared in @classLabel (\(declared.joined(separator: " ")))",
                           "add it to @classLabel or correct the case")
            }
            guard let labelValue = labelIndex[label] else {
                throw fail(.unknownLabel, "class label \"\(label)\" does not occur in the training set",
                           "a test set can only contain classes seen in training")
            }

            // Channels.
            var channelCount = 0
            var fieldStart = start
            var caseLength = -1
            while fieldStart <= colon {
                var fieldEnd = fieldStart
                while fieldEnd < colon, buffer[fieldEnd] != UInt8(ascii: ":") { fieldEnd += 1 }
                if channelCount == channelValues.count { channelValues.append([]) }
                channelValues[channelCount].removeAll(keepingCapacity: true)
                try parseValues(buffer, fieldStart, fieldEnd, into: &channelValues[channelCount], file: file,
                                line: lineNumber, channel: channelCount)
                let n = channelValues[channelCount].count
                if caseLength < 0 { caseLength = n } else if n != caseLength {
                    throw fail(.raggedRows, "channel \(channelCount + 1) has \(n) values but channel 1 has \(caseLength)",
                               "every channel of a case must have the same length")
                }
                channelCount += 1
                fieldStart = fieldEnd + 1
            }
            if let expected = channels, channelCount != expected {
                throw fail(.channelMismatch,
                           "the case has \(channelCount) channel\(channelCount == 1 ? "" : "s") but \(dimensions != nil ? "@dimensions declares" : "earlier cases have") \(expected)",
                           "every case needs the same number of ':'-separated channels")
            }
            channels = channelCount
            if equalLength == true {
                if let declared = seriesLength, caseLength != declared {
                    throw fail(.raggedRows, "the case has length \(caseLength) but @seriesLength is \(declared)",
                               "fix the case, or declare @equalLength false")
                }
                if let first = firstRawLength, first != caseLength {
                    throw fail(.raggedRows, "the case has length \(caseLength) but earlier cases have \(first), and @equalLength true is declared",
                               "fix the case, or declare @equalLength false")
                }
            }
            firstRawLength = firstRawLength ?? caseLength
            // Missing values resolved, channels interleaved into time-major order: values[t · C + c].
            let sequence = try missing.resolve(Array(channelValues.prefix(channelCount)), file: file, line: lineNumber)
            samples.append(LabelledSequence(values: sequence.values, length: sequence.length, label: labelValue))
        }

        guard sawData else {
            throw DataError(.missingData, file: file, line: lineNumber, problem: "the file has no @data line",
                            fix: "a .ts file needs its header, then @data, then one case per line")
        }
        guard !samples.isEmpty, let channelCount = channels else {
            throw DataError(.emptyData, file: file, line: lineNumber, problem: "there are no cases after @data",
                            fix: "add the cases, one per line")
        }
        return SequenceDataset(name: name, channels: channelCount, classNames: knownClasses ?? declaredClasses ?? [],
                               samples: samples, notes: DatasetNotes(file: file, missing: missing))
    }

    /// Parses comma-separated numbers in buffer[start..<end] into `out` (NaN for a missing value).
    static func parseValues(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into out: inout [Double],
                            file: String, line: Int, channel: Int) throws {
        var tokenStart = start
        while true {
            var tokenEnd = tokenStart
            while tokenEnd < end, buffer[tokenEnd] != UInt8(ascii: ",") { tokenEnd += 1 }
            var a = tokenStart, b = tokenEnd
            while a < b, DecimalParser.isBlank(buffer[a]) { a += 1 }
            while b > a, DecimalParser.isBlank(buffer[b - 1]) { b -= 1 }
            if a == b && out.isEmpty && tokenEnd == end {
                throw DataError(.nonNumeric, file: file, line: line, problem: "channel \(channel + 1) has no values",
                                fix: "every channel needs at least one value")
            }
            guard a < b, let value = try DecimalParser.cell(buffer, a, b, file: file, line: line,
                                                             place: "channel \(channel + 1), value \(out.count + 1)") else {
                throw DataError(.nonNumeric, file: file, line: line,
                                problem: "channel \(channel + 1), value \(out.count + 1) \"\(token(buffer, a, b))\" is not a number",
                                fix: "values must be decimal numbers separated by ',' (a missing value is written ?)")
            }
            out.append(value)
            if tokenEnd >= end { break }
            tokenStart = tokenEnd + 1
        }
    }

    static func token(_ buffer: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[a..<min(b, a + 40)]), as: UTF8.self)
    }
}
