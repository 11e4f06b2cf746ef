// Delay (Hankel) embedding of a series x_0 … x_{L−1} ∈ ℝ^d with q delays:
//   h_k = (x_k; x_{k+1}; …; x_{k+q−1}) ∈ ℝ^{qd},  k = 0 … m − 1,  m = L − q + 1,
// stacked as the columns of the qd × m Hankel matrix H (block row j holds x_{k+j}). The NEWEST sample of window k is
// its last block x_{k+q−1}: identified systems read their output there, so a step beyond the last window is a
// forecast past the end of the data. q = 1 gives the plain snapshot matrix of exact DMD.
import PhasorData
import PhasorNumerics

/// The windows of a series with q delays.
public struct DelayEmbedding: Sendable, Equatable {
    /// q ≥ 1.
    public let delays: Int
    /// d, channels per sample.
    public let channels: Int
    /// qd × m, column k = h_k.
    public let hankel: ComplexMatrix

    /// Throws `.tooShort` unless L ≥ q + `minimumWindows` − 1.
    public init(_ series: TimeSeries, delays q: Int, minimumWindows: Int = 2) throws {
        guard q >= 1 else { throw IdentificationError.invalid("delays \(q) must be ≥ 1 (1 = no delay embedding)") }
        let d = series.channels, m = series.length - q + 1
        guard m >= minimumWindows else {
            throw IdentificationError.tooShort("\(series.length) samples give \(max(m, 0)) window(s) of \(q) delays; "
                + "need at least \(minimumWindows) (use fewer delays or a longer series)")
        }
        let (cells, overflow) = (q * d).multipliedReportingOverflow(by: m)
        guard !overflow, cells <= 1 << 28 else {
            throw IdentificationError.invalid("a \(q * d)×\(m) Hankel matrix (\(cells) entries) is too large; "
                + "use fewer delays, or subsample the series")
        }
        var h = ComplexMatrix(rows: q * d, columns: m)
        series.values.withUnsafeBufferPointer { x in
            h.elements.withUnsafeMutableBufferPointer { out in
                for k in 0..<m {
                    // column k is x_k … x_{k+q−1}: qd consecutive time-major values starting at x_k
                    for i in 0..<(q * d) { out[i + k * q * d] = Complex(x[k * d + i]) }
                }
            }
        }
        delays = q
        channels = d
        hankel = h
    }

    /// m, the number of windows.
    public var windows: Int { hankel.columns }

    /// Window k as a vector of qd entries.
    public func window(_ k: Int) -> [Complex<Double>] { hankel.column(k) }

    /// Columns `range` of H.
    public func columns(_ range: Range<Int>) -> ComplexMatrix { hankel.columns(range) }

    /// Rows of the newest block of a window: (q − 1)d ..< qd.
    public var newestRows: Range<Int> { ((delays - 1) * channels)..<(delays * channels) }
}

extension ComplexMatrix {
    /// Columns `range` as a matrix (a contiguous block of the column-major storage).
    func columns(_ range: Range<Int>) -> ComplexMatrix {
        var out = ComplexMatrix(rows: rows, columns: range.count)
        out.elements.replaceSubrange(0..<(rows * range.count), with: elements[(range.lowerBound * rows)..<(range.upperBound * rows)])
        return out
    }
}
