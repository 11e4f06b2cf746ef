import Foundation
import PhasorNumerics

// A measured time series — L samples of d channels at a uniform step — the input of system identification
// (`phasor identify`). Where it comes from:
//   .npy   an array of shape (L,) (one channel) or (L, d), float64/float32/int64;
//   .csv   one row per time step, one column per channel (one header row allowed if none of its cells is a number;
//          .tsv: tab-separated); a missing value is refused;
//   .ts    a UCR/UEA dataset whose cases are concatenated in file order, channel by channel (e.g. ItalyPowerDemand:
//          67 days of 24 hourly values become one series of 1608 hours). Each case keeps its valid length; what the
//          dataset reader decided about missing values (DatasetNotes) is carried in `notes`.
// Every value must be finite: a series with NaN/Inf is refused with the first offending time and channel.

/// L time steps of d channels, time-major: `values[t * channels + c]`.
public struct TimeSeries: Sendable, Equatable {
    /// A short name for reports (the file's stem).
    public let name: String
    /// d ≥ 1.
    public let channels: Int
    /// (L·d) values, time-major.
    public let values: [Double]
    /// What the reader decided (a skipped header row, missing values the dataset reader filled), one line each.
    public let notes: [String]

    /// Validates d ≥ 1, a whole number of time steps, L ≥ 1 and finite values (`DataError` naming `name`).
    public init(name: String, channels: Int, values: [Double], notes: [String] = []) throws {
        guard channels >= 1 else {
            throw DataError(.badShape, file: name, problem: "a series needs at least one channel, got \(channels)",
                            fix: "give the values as (L,) or (L, d) with d ≥ 1")
        }
        guard !values.isEmpty, values.count % channels == 0 else {
            throw DataError(.sizeMismatch, file: name,
                            problem: "\(values.count) values do not form whole time steps of \(channels) channel(s)",
                            fix: "give L·d values, time-major")
        }
        if let k = values.firstIndex(where: { !$0.isFinite }) {
            throw DataError(.nonFinite, file: name,
                            problem: "the value at time \(k / channels), channel \(k % channels) is \(values[k])",
                            fix: "a series for identification must be finite: impute or cut missing values first")
        }
        self.name = name
        self.channels = channels
        self.values = values
        self.notes = notes
    }

    /// L, the number of time steps.
    public var length: Int { values.count / channels }

    /// Value at time t, channel c.
    public subscript(t: Int, c: Int) -> Double { values[t * channels + c] }

    /// The first `count` time steps (0 < count ≤ L).
    public func prefix(_ count: Int) throws -> TimeSeries {
        try TimeSeries(name: name, channels: channels, values: Array(values[0..<(min(count, length) * channels)]), notes: notes)
    }

    /// Time steps `start..<length`.
    public func suffix(from start: Int) throws -> TimeSeries {
        try TimeSeries(name: name, channels: channels, values: Array(values[(max(start, 0) * channels)...]), notes: notes)
    }

    /// One channel as an array of L values.
    public func channel(_ c: Int) -> [Double] {
        (0..<length).map { values[$0 * channels + c] }
    }

    /// Reads a series from `.npy`, `.csv`/`.txt` or `.ts` (by extension; see the file comment for the layouts).
    public static func load(path: String) throws -> TimeSeries {
        let name = DatasetLoader.stem(of: path)
        switch (path as NSString).pathExtension.lowercased() {
        case "npy":
            let array = try NpyArray(contentsOf: path)
            guard array.dtype != .complex128 else {
                throw DataError(.unsupportedDType, file: path, problem: "the array is complex",
                                fix: "a measured series is real: save the real (and imaginary) parts as channels")
            }
            switch array.shape.count {
            case 1: return try TimeSeries(name: name, channels: 1, values: try array.asDoubles())
            case 2: return try TimeSeries(name: name, channels: array.shape[1], values: try array.asDoubles())
            default:
                throw DataError(.badShape, file: path, problem: "the array has shape \(array.shape)",
                                fix: "a series is (L,) or (L, d): time steps first, channels second")
            }
        case "csv", "txt", "tsv":
            return try TimeSeriesFormat.parseCSV(try FileBytes.read(path), file: path, name: name,
                                                 separator: path.lowercased().hasSuffix(".tsv") ? 0x09 : UInt8(ascii: ","))
        case "ts":
            let set = try DatasetLoader.loadFile(path, classNames: nil, labelColumn: .last)
            var values: [Double] = []
            for sample in set.samples { values += sample.values[0..<(sample.length * set.channels)] }
            return try TimeSeries(name: name, channels: set.channels, values: values, notes: set.notes.messages)
        case let ext:
            throw DataError(.unsupportedLayout, file: path, problem: "unknown series extension '.\(ext)'",
                            fix: "give a .npy array (L,) or (L, d), a .csv/.tsv with one row per time step, or a .ts dataset")
        }
    }
}

/// CSV/TSV series: one row per time step, every cell a number (channels in columns), one optional header row (no cell
/// a number). Lines, encodings and quoting as CSVFormat reads them (TextLines, CSVFormat.fields); a missing value is
/// refused, not filled — an identified model would take a filled gap for dynamics.
enum TimeSeriesFormat {
    static func parseCSV(_ bytes: [UInt8], file: String, name: String, separator: UInt8) throws -> TimeSeries {
        try bytes.withUnsafeBufferPointer { buffer in
            var lines = try TextLines(buffer, file: file)
            var values: [Double] = []
            var columns: Int?
            var notes: [String] = []
            var cells: [CSVFormat.Field] = []
            var row: [Double] = []
            while let line = lines.next() {
                var start = line.start, end = line.end
                while start < end, DecimalParser.isBlank(buffer[start]) { start += 1 }
                while end > start, DecimalParser.isBlank(buffer[end - 1]) { end -= 1 }
                if start == end { continue }
                try CSVFormat.fields(buffer, line.start, line.end, separator: separator, file: file, line: line.number, into: &cells)
                let outcomes = cells.map { DecimalParser.parse(buffer, $0.start, $0.end) }
                if columns == nil, notes.isEmpty, !outcomes.contains(where: { if case .number = $0 { return true } else { return false } }) {
                    notes.append("\(file): line \(line.number) skipped as a header row (no cell is a number)")
                    continue
                }
                row.removeAll(keepingCapacity: true)
                for (k, outcome) in outcomes.enumerated() {
                    let cell = String(decoding: UnsafeBufferPointer(rebasing: buffer[cells[k].start..<min(cells[k].end, cells[k].start + 40)]), as: UTF8.self)
                    switch outcome {
                    case let .number(v): row.append(v)
                    case .missing:
                        throw DataError(.missingValues, file: file, line: line.number, problem: "column \(k + 1) is a missing value (\(cell))",
                                        fix: "an identified model would take a filled gap for dynamics: impute or cut the series first")
                    case .infinite:
                        throw DataError(.nonFinite, file: file, line: line.number, problem: "column \(k + 1) is infinite (\(cell))",
                                        fix: "replace infinite values with finite numbers")
                    case .notANumber:
                        throw DataError(.nonNumeric, file: file, line: line.number, problem: "column \(k + 1) \"\(cell)\" is not a number",
                                        fix: "a series CSV has one row per time step and a number in every column")
                    }
                }
                if let columns, row.count != columns {
                    throw DataError(.raggedRows, file: file, line: line.number,
                                    problem: "the row has \(row.count) columns but the first row has \(columns)",
                                    fix: "a series CSV has one row per time step and the same channels in every row")
                }
                columns = row.count
                values += row
            }
            guard let columns else {
                throw DataError(.emptyData, file: file, problem: "the file holds no rows",
                                fix: "a series CSV has one row per time step, one column per channel")
            }
            return try TimeSeries(name: name, channels: columns, values: values, notes: notes)
        }
    }
}
