// How well an intermittent forcing marks the switches of an observable (HAVOK on Lorenz: bursts of v_r where the
// trajectory changes lobe). Definitions, on a common time index t = 0 … n − 1:
//   active(t)   ⇔ |f_t| > k·std(f)                                      (the forcing is "on");
//   switches    s with sign x_s ≠ sign x_{s+1} (x ≠ 0)                   (a lobe change between s and s + 1);
//   near(t)     ⇔ some switch s with s − before ≤ t ≤ s + after          (t lies in a switch's window);
//   precision = |{t active and near}| / |{t active}|                     (how much forcing time belongs to a switch);
//   base rate = |{t near}| / n                                           (the precision of a forcing unrelated to x);
//   recall    = |{s : some active t with s − before ≤ t ≤ s + after}| / |switches|;
//   chance recall = the recall of the same active set shifted circularly by ⌊j·n/17⌋, j = 1 … 16 (mean): how many
//                   switches a forcing with the same burst pattern but unrelated timing would "find".
import PhasorNumerics

/// Agreement between forcing bursts and switches of an observable.
public struct SwitchingAgreement: Sendable, Equatable {
    /// k: the threshold in standard deviations of the forcing.
    public let thresholdSigmas: Double
    /// k·std(f), the threshold itself.
    public let threshold: Double
    /// Window before and after a switch, in samples.
    public let before: Int, after: Int
    /// Number of switches of the observable.
    public let switches: Int
    /// Fraction of time the forcing is active.
    public let activeFraction: Double
    public let precision: Double
    public let baseRate: Double
    public let recall: Double
    public let chanceRecall: Double

    /// Measures the agreement of `forcing` bursts with sign changes of `observable` (same length ≥ 2).
    public init(forcing f: [Double], observable x: [Double], thresholdSigmas k: Double, before: Int, after: Int) throws {
        let n = f.count
        guard n == x.count, n >= 2 else {
            throw IdentificationError.invalid("forcing (\(f.count)) and observable (\(x.count)) need one length ≥ 2")
        }
        guard k > 0, k.isFinite, before >= 0, after >= 0 else {
            throw IdentificationError.invalid("threshold \(k) must be positive, windows \(before), \(after) non-negative")
        }
        try requireFinite(f, "forcing")
        try requireFinite(x, "observable")
        let mean = f.reduce(0, +) / Double(n)
        let std = (f.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)).squareRoot()
        let active = f.map { abs($0) > k * std }
        let switchTimes = (0..<(n - 1)).filter { x[$0] != 0 && x[$0 + 1] != 0 && (x[$0] > 0) != (x[$0 + 1] > 0) }
        var near = [Bool](repeating: false, count: n)
        for s in switchTimes { for t in max(s - before, 0)...min(s + after, n - 1) { near[t] = true } }
        // prefix counts of active samples, for the recall of any circular shift
        func recall(shift: Int) -> Double {
            guard !switchTimes.isEmpty else { return 0 }
            var prefix = [Int](repeating: 0, count: n + 1)
            for t in 0..<n { prefix[t + 1] = prefix[t] + (active[(t - shift + n) % n] ? 1 : 0) }
            let found = switchTimes.filter { s in prefix[min(s + after, n - 1) + 1] - prefix[max(s - before, 0)] > 0 }
            return Double(found.count) / Double(switchTimes.count)
        }
        let activeCount = active.filter { $0 }.count
        thresholdSigmas = k
        threshold = k * std
        self.before = before
        self.after = after
        switches = switchTimes.count
        activeFraction = Double(activeCount) / Double(n)
        precision = activeCount == 0 ? 0 : Double(zip(active, near).filter { $0 && $1 }.count) / Double(activeCount)
        baseRate = Double(near.filter { $0 }.count) / Double(n)
        self.recall = recall(shift: 0)
        chanceRecall = (1...16).map { recall(shift: $0 * n / 17) }.reduce(0, +) / 16
    }
}
