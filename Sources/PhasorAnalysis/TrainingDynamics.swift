// Training dynamics from a tracked run (`TrainingTracker`): how far and how fast the spectrum moves, which modes
// dominate, and phases of learning. Every mode m = (layer, channel, n) is placed at its per-step coordinate
//     z_m = Δ·λ = −γΔ + iωΔ  (= log μ, dimensionless, so channels with different Δ are comparable).
// Between consecutive records k, k+1 (steps s_k < s_{k+1}):
//     spectral velocity   v_k = Σ_m |z_{m,k+1} − z_{m,k}| / (s_{k+1} − s_k)      (movement per optimiser step)
//     normalised          v̂_k = v_k / max_j v_j
//     label               "fast reorganisation" if v̂_k ≥ 0.5, "frozen" if v̂_k < 0.05, else "refinement"
//     phases              maximal runs of consecutive intervals with the same label.
// Dominant modes: ranked by total movement M_m = Σ_k |z_{m,k+1} − z_{m,k}|; each also carries its cumulative gradient
//     G_m = Σ_k |∂L/∂z_m|_k · every,   |∂L/∂z| = √((∂L/∂γ)² + (∂L/∂ω)²)/Δ   (per-step units, see TrainingTracker)
// (the sum over recorded steps times the recording interval estimates the sum over all steps).
import PhasorNumerics

public struct DominantMode: Codable, Sendable, Equatable {
    public let layer: Int, channel: Int, mode: Int
    /// M_m, total movement of z = Δλ.
    public let movement: Double
    /// G_m, cumulative |∂L/∂z| (per-step units).
    public let cumulativeGradient: Double
    /// z at the first and the last record (re, im).
    public let start: [Double]
    public let end: [Double]
}

public struct LearningPhase: Codable, Sendable, Equatable {
    public let label: String
    public let startStep: Int
    public let endStep: Int
    public let intervals: Int
    public let meanVelocity: Double
}

public struct TrainingDynamics: Codable, Sendable, Equatable {
    public let records: Int
    public let steps: [Int]
    public let losses: [Double]
    /// v_k per interval.
    public let velocity: [Double]
    /// v̂_k per interval.
    public let normalisedVelocity: [Double]
    public let phases: [LearningPhase]
    /// The `top` modes by movement.
    public let dominantModes: [DominantMode]
    /// Σ of their movement / Σ of all movement.
    public let dominantShare: Double
    /// The `top` modes by cumulative gradient, as (layer, channel, mode) triples.
    public let dominantByGradient: [[Int]]
    public let thresholds: [Double]
    public let warnings: [String]

    public static let fastThreshold = 0.5
    public static let frozenThreshold = 0.05

    public init(meta: TrackingMeta, records unsorted: [TrackingRecord], top: Int = 10) throws {
        let records = unsorted.sorted { $0.step < $1.step }
        guard records.count >= 2 else {
            throw AnalysisError.insufficientData("training dynamics need at least 2 tracked records (got \(records.count)); "
                + "train longer or lower --track-every")
        }
        for (a, b) in zip(records, records.dropFirst()) where a.step == b.step {
            throw AnalysisError.invalid("two tracked records have the same step \(a.step)")
        }
        let m = meta.modes, h = meta.channels
        for r in records {
            guard r.layers.count == meta.layers,
                  r.layers.allSatisfy({ $0.dt.count == h && [$0.gamma, $0.omega, $0.dLdGamma, $0.dLdOmega].allSatisfy { $0.count == h * m } }) else {
                throw AnalysisError.invalid("record at step \(r.step) does not match the run's sizes (\(meta.layers) layers, "
                    + "\(h) channels, \(m) modes)")
            }
        }
        // z = Δλ per record, flattened over (layer, channel, mode); |∂L/∂z| alongside.
        func coordinates(_ r: TrackingRecord) -> (z: [Complex<Double>], g: [Double]) {
            var z: [Complex<Double>] = [], g: [Double] = []
            for layer in r.layers {
                for c in 0..<h {
                    let dt = layer.dt[c]
                    for n in 0..<m {
                        let i = c * m + n
                        z.append(Complex(-layer.gamma[i] * dt, layer.omega[i] * dt))                      // z = −γΔ + iωΔ
                        g.append((layer.dLdGamma[i] * layer.dLdGamma[i] + layer.dLdOmega[i] * layer.dLdOmega[i]).squareRoot() / dt)
                    }
                }
            }
            return (z, g)
        }
        let coords = records.map(coordinates)
        let count = coords[0].z.count
        var movement = [Double](repeating: 0, count: count)
        var gradient = [Double](repeating: 0, count: count)
        var velocity: [Double] = []
        for k in 0..<(records.count - 1) {
            var total = 0.0
            for i in 0..<count {
                let d = (coords[k + 1].z[i] - coords[k].z[i]).length                                   // |z_{k+1} − z_k|
                movement[i] += d
                total += d
            }
            velocity.append(total / Double(records[k + 1].step - records[k].step))                    // v_k
        }
        for c in coords { for i in 0..<count { gradient[i] += c.g[i] * Double(meta.every) } }       // G_m
        try requireFinite(velocity, "spectral velocity")
        let peak = velocity.max() ?? 0
        var warnings: [String] = []
        let normalised = peak > 0 ? velocity.map { $0 / peak } : velocity.map { _ in 0 }
        if peak == 0 { warnings.append("the spectrum never moved between records: every interval is 'frozen'") }
        func label(_ v: Double) -> String {
            v >= Self.fastThreshold ? "fast reorganisation" : (v < Self.frozenThreshold ? "frozen" : "refinement")
        }
        var phases: [LearningPhase] = []
        var start = 0
        for k in 0..<normalised.count where k == normalised.count - 1 || label(normalised[k + 1]) != label(normalised[k]) {
            let run = velocity[start...k]
            phases.append(LearningPhase(label: label(normalised[k]), startStep: records[start].step, endStep: records[k + 1].step,
                                        intervals: k - start + 1, meanVelocity: run.reduce(0, +) / Double(run.count)))
            start = k + 1
        }
        func locate(_ i: Int) -> (Int, Int, Int) { (i / (h * m), (i % (h * m)) / m, i % m) }
        let byMovement = movement.indices.sorted { movement[$0] > movement[$1] }.prefix(max(top, 0))
        dominantModes = byMovement.map { i in
            let (l, c, n) = locate(i)
            let a = coords[0].z[i], b = coords[coords.count - 1].z[i]
            return DominantMode(layer: l, channel: c, mode: n, movement: movement[i], cumulativeGradient: gradient[i],
                                start: [a.real, a.imaginary], end: [b.real, b.imaginary])
        }
        let all = movement.reduce(0, +)
        dominantShare = all > 0 ? byMovement.reduce(0) { $0 + movement[$1] } / all : 0
        dominantByGradient = gradient.indices.sorted { gradient[$0] > gradient[$1] }.prefix(max(top, 0)).map {
            let (l, c, n) = locate($0); return [l, c, n]
        }
        self.records = records.count
        steps = records.map(\.step)
        losses = records.map(\.loss)
        self.velocity = velocity
        normalisedVelocity = normalised
        self.phases = phases
        thresholds = [Self.frozenThreshold, Self.fastThreshold]
        self.warnings = warnings
    }
}
