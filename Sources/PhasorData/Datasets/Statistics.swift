// Mean and standard deviation of a list of numbers that cannot overflow: the numbers in Phasor's files may sit
// anywhere in Double's range (a value of 1.7e308 is legal in .npy, .ts and CSV), and Σx of two of them is already
// infinite. Shared by SequenceDataset.channelStatistics (input standardisation for training) and `phasor inspect`.
//
//   mean  m = (1/n) Σ x_i, computed as Σ x_i / n; if that sum overflows, as Σ (x_i / n) instead, whose partial sums
//         are bounded by max |x_i| (|Σ_{i≤k} x_i/n| ≤ k·max|x|/n) up to rounding; the result is clamped to
//         [min x_i, max x_i], where the true mean lies, so rounding at the edge of Double's range cannot make it ∞;
//   std   σ = sqrt((1/n) Σ d_i²), d_i = x_i − m (two passes: no cancellation of Σx² − n·m²); if d² overflows
//         (|d| > 1e154), as σ = s·sqrt((1/n) Σ (d_i/s)²) with s = max |d_i|. Only a σ beyond Double's range (values of
//         both signs near ±1.8e308, where d itself overflows) stays infinite.

public enum Statistics {
    /// The mean of `values` (0 for none); finite whenever every value is.
    public static func mean(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let n = Double(values.count)
        var sum = 0.0, low = values[0], high = values[0]
        for x in values {
            sum += x
            low = min(low, x)
            high = max(high, x)
        }
        if !sum.isFinite {
            sum = 0
            for x in values { sum += x / n }   // Σ (x/n): bounded by max |x| (above)
            return min(max(sum, low), high)
        }
        return min(max(sum / n, low), high)
    }

    /// Mean and population standard deviation of `values` ((0, 0) for none).
    public static func meanAndStandardDeviation(_ values: [Double]) -> (mean: Double, std: Double) {
        guard !values.isEmpty else { return (0, 0) }
        let n = Double(values.count)
        let m = mean(values)
        var squares = 0.0
        for x in values { let d = x - m; squares += d * d }
        var std = (squares / n).squareRoot()
        if !std.isFinite {
            var s = 0.0
            for x in values { s = max(s, abs(x - m)) }
            if s.isFinite, s > 0 {
                var scaled = 0.0
                for x in values { let d = (x - m) / s; scaled += d * d }
                std = s * (scaled / n).squareRoot()
            }
        }
        return (m, std)
    }
}
