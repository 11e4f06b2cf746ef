// Missing values in a case (`?`/NaN in .ts, `?`/NaN/an empty cell in CSV) → one sequence of present numbers.
// UEA archive sets ship them, and variable-length sets are often NaN-padded to the longest case. The rule, the same
// for every reader (docs/data-formats.md "Missing values"):
//
//   length   L = 1 + max_c last(c), last(c) = the last step of channel c with a present value: missing values after
//            every channel's last present value are padding — they end the (shorter) sequence and are dropped;
//   filling  x̂[t,c] = x[t,c]                      if present,
//                    x[p,c], p = max{s < t : x[s,c] present}   if such s exists (carry the last value forward),
//                    x[n,c], n = min{s > t : x[s,c] present}   otherwise (a leading gap takes the first value),
//            for t < L. A channel that ends before L (shorter than another channel of the same case) is filled by
//            the same rule, so it holds its last value.
//   refused  a case whose channels hold no present value at all, and a channel with no present value in a case
//            (nothing to carry): these are errors naming the line and channel.
//
// Every value filled or dropped is counted; the counts reach the user as DatasetNotes (the CLI prints them), so missing
// values are never silently read as numbers. Inside the readers a missing value is held as NaN, and this is the only
// place that turns those NaNs into numbers — no NaN leaves a reader (infinite values are refused before this).

struct MissingValues {
    /// Missing values filled (inside a sequence) and dropped (trailing padding), over all cases.
    var filled = 0
    var trailing = 0
    /// Cases made shorter by trailing missing values.
    var shortenedCases = 0

    /// The present-value sequence of one case: `channels[c]` holds the case's values of channel c (all of the same
    /// count R; NaN = missing). Returns time-major values (`values[t · C + c]`) and the length L ≤ R.
    mutating func resolve(_ channels: [[Double]], file: String, line: Int) throws -> (values: [Double], length: Int) {
        let count = channels.count
        let raw = channels.first?.count ?? 0
        if raw > 0, channels.allSatisfy({ !$0.contains(where: \.isNaN) }) {   // nothing missing: the common case
            if count == 1 { return (channels[0], raw) }
            var values = [Double](repeating: 0, count: raw * count)
            for (c, channel) in channels.enumerated() { for t in 0..<raw { values[t * count + c] = channel[t] } }
            return (values, raw)
        }
        var length = 0
        for channel in channels {
            if let last = channel.lastIndex(where: { !$0.isNaN }) { length = max(length, last + 1) }
        }
        guard length > 0 else {
            throw DataError(.missingValues, file: file, line: line, problem: "the case holds only missing values",
                            fix: "remove the case, or give it at least one value")
        }
        var values = [Double](repeating: 0, count: length * count)
        for (c, channel) in channels.enumerated() {
            guard let first = channel.prefix(length).firstIndex(where: { !$0.isNaN }) else {
                throw DataError(.missingValues, file: file, line: line,
                                problem: "channel \(c + 1) holds only missing values, while another channel has \(length)",
                                fix: "give every channel of the case at least one value, or remove the case")
            }
            var carried = channel[first]   // x[n, c] for a leading gap, then the last present value
            for t in 0..<length {
                let x = channel[t]
                if x.isNaN { filled += 1 } else { carried = x }
                values[t * count + c] = carried
            }
        }
        if length < raw {
            trailing += (raw - length) * count
            shortenedCases += 1
        }
        return (values, length)
    }
}
