// Travelling waves on the ring (DESIGN.md §6). An impulse u = δ_k0 puts p = F b on the ring; afterwards
// x_k = W^k p, i.e. h_{k,n} = μ_n^k b_n in mode space. Read-outs per step k:
//   • peak node argmax_j |x_{k,j}| and its amplitude;
//   • a sub-node position from the phase of the first spectral moment m_k = Σ_{n=1}^{M−1} h_{k,n−1}·conj(h_{k,n}),
//     position_k = (M/2π)·arg m_k mod M. For a rigid bump x_j = a(j − j₀) its spectrum is h_n ∝ e^{−2πi n j₀/M}·ĥ_n
//     with ĥ real-phase-free, so arg m_k = 2π j₀/M exactly (the non-cyclic sum avoids the wrap-around term);
//   • the speed s (nodes per step, counted POSITIVE in the direction of DECREASING node index — see below) from the
//     unwrapped positions, and the damping per step (‖x_{L−1}‖/‖x_0‖)^{1/(L−1)} (‖x‖ = ‖h‖ since F is unitary).
// Direction: with F_jn = e^{+2πi jn/M}, a mode phase that advances by θ_n = arg μ_n per step moves the bump to
// j₀ − (M/2π)·dθ/dn. For S4D-Lin μ_n = e^{−Δ/2}e^{iπΔn}: x_{k,j} = e^{−kΔ/2}(1/√M)Σ_n e^{2πi n(j + MΔk/2)/M}, a bump at
// j = −MΔk/2 mod M: it moves by s = MΔ/2 nodes per step towards decreasing j, decaying by e^{−Δ/2} per step. With the
// sign convention above both this s and the group velocity v(n) = (M/2π)·d arg μ_n/dn are positive.
import PhasorNumerics

/// The impulse response of a ring read as a travelling wave.
public struct TravellingWave: Sendable {
    /// Node states x_k after an impulse at step 0 (L × M).
    public let nodes: [[Complex<Double>]]
    /// argmax_j |x_{k,j}| per step.
    public let peakNodes: [Int]
    /// max_j |x_{k,j}| per step.
    public let peakAmplitudes: [Double]
    /// Sub-node positions in [0, M) from the first spectral moment (see the file header).
    public let positions: [Double]
    /// ‖x_k‖₂ per step.
    public let norms: [Double]
    /// Mean speed in nodes per step, positive towards decreasing node index (S4D-Lin: MΔ/2).
    public let speed: Double
    /// Geometric-mean amplitude factor per step (S4D-Lin: e^{−Δ/2}).
    public let dampingPerStep: Double
    /// Aliasing and ambiguity warnings (laps within the sequence, a per-step move of half the ring or more).
    public let warnings: [String]

    /// The impulse response of `ring` over `length` ≥ 2 steps and its wave read-outs.
    public static func impulse(_ ring: Ring, length: Int) throws -> TravellingWave {
        guard length >= 2 else {
            throw CorrespondenceError.invalid("a travelling-wave read-out needs at least 2 steps, got \(length)")
        }
        var u = [Double](repeating: 0, count: length)
        u[0] = 1
        let nodes = try ring.run(u).nodes
        return try TravellingWave(ring: ring, nodes: nodes)
    }

    /// Wave read-outs of given node states (any input, not only an impulse) of `ring`.
    public init(ring: Ring, nodes: [[Complex<Double>]]) throws {
        let m = ring.nodeCount
        guard nodes.count >= 2, nodes.allSatisfy({ $0.count == m }) else {
            throw CorrespondenceError.shapeMismatch("wave read-out needs ≥ 2 steps of \(m) node states each")
        }
        if let k = nodes.firstIndex(where: { $0.contains { !$0.isFinite } }) {
            throw NonFiniteError(quantity: "ring node states at step \(k)", index: k, value: "non-finite")
        }
        self.nodes = nodes
        var peaks: [Int] = [], amplitudes: [Double] = [], positions: [Double] = [], norms: [Double] = []
        var warnings: [String] = []
        var undefinedPositions = 0
        for x in nodes {
            let magnitudes = x.map(\.length)
            let peak = magnitudes.indices.max { magnitudes[$0] < magnitudes[$1] } ?? 0
            peaks.append(peak)
            amplitudes.append(magnitudes[peak])
            norms.append(magnitudes.reduce(0) { $0 + $1 * $1 }.squareRoot())
            let h = Ring.inverse(x)
            var moment = Complex<Double>.zero
            for n in 1..<max(m, 1) { moment += h[n - 1] * h[n].conjugate }  // m_k = Σ h_{n−1} conj(h_n)
            if moment.length > 0 {
                var position = Double(m) * moment.phase / (2 * Double.pi)  // j₀ = (M/2π) arg m_k
                if position < 0 { position += Double(m) }
                positions.append(position >= Double(m) ? 0 : position)
            } else {
                positions.append(Double(peak))
                undefinedPositions += 1
            }
        }
        if undefinedPositions > 0 {
            warnings.append("the first spectral moment vanished at \(undefinedPositions) step(s) (M = \(m) or a zero "
                + "state); the peak node was used as the position there")
        }
        // Speed: mean of the per-step displacements −(p_k − p_{k−1}) wrapped into (−M/2, M/2].
        var travelled = 0.0
        for k in 1..<positions.count {
            var delta = -(positions[k] - positions[k - 1])
            delta -= Double(m) * (delta / Double(m)).rounded()  // wrap into [−M/2, M/2]
            travelled += delta
        }
        let speed = m > 1 ? travelled / Double(positions.count - 1) : 0
        guard let first = norms.first, let last = norms.last, first > 0 else {
            throw CorrespondenceError.invalid("the ring state is zero at the first step: nothing travels (input weights b ≡ 0?)")
        }
        let damping = last > 0 ? Double.pow(last / first, 1 / Double(norms.count - 1)) : 0  // (‖x_{L−1}‖/‖x_0‖)^{1/(L−1)}
        let groupSpeeds = (try? TravellingWave.dispersion(ring.ssm)) ?? []
        let fastest = groupSpeeds.map(abs).max() ?? abs(speed)
        if fastest >= Double(m) / 2 {
            warnings.append("a group velocity of \(fastest) nodes per step is at least half the ring (M/2 = \(Double(m) / 2)): "
                + "per-step displacements are ambiguous and the measured speed aliases")
        }
        if abs(speed) * Double(nodes.count) > Double(m) {
            warnings.append("the wave laps the ring within the sequence (|s|·L = \(abs(speed) * Double(nodes.count)) > M = \(m)): "
                + "node positions alias — a position no longer tells how long ago the input arrived")
        }
        // Norms of states beyond 1e154 overflow ‖x‖²; the read-outs must not carry that ∞/NaN out silently.
        try requireFinite(norms, "ring state norms ‖x_k‖")
        try requireFinite(positions, "wave positions")
        try requireFinite(speed, "wave speed")
        try requireFinite(damping, "damping per step")
        self.peakNodes = peaks
        self.peakAmplitudes = amplitudes
        self.positions = positions
        self.norms = norms
        self.speed = speed
        self.dampingPerStep = damping
        self.warnings = warnings
    }

    /// Group velocities v(n) = (M/2π)·d arg μ_n/dn in nodes per step (positive = towards decreasing node index), by
    /// finite differences on the phases unwrapped along n: central in the interior, one-sided at the two ends.
    public static func dispersion(_ ssm: DiagonalSSM) throws -> [Double] {
        let m = ssm.modeCount
        guard m >= 2 else { throw CorrespondenceError.invalid("a dispersion relation needs at least 2 modes, got \(m)") }
        if let n = ssm.modes.firstIndex(of: .zero) {
            throw CorrespondenceError.unstable("mode \(n) has μ = 0: its phase is undefined")
        }
        var phase = ssm.modes.map(\.phase)
        for n in 1..<m {  // unwrap: steps between neighbours into (−π, π]
            phase[n] -= 2 * Double.pi * ((phase[n] - phase[n - 1]) / (2 * Double.pi)).rounded()
        }
        let scale = Double(m) / (2 * Double.pi)
        return (0..<m).map { n in
            let derivative: Double
            if n == 0 { derivative = phase[1] - phase[0] }
            else if n == m - 1 { derivative = phase[m - 1] - phase[m - 2] }
            else { derivative = (phase[n + 1] - phase[n - 1]) / 2 }
            return scale * derivative  // v(n) = (M/2π)·d arg μ_n/dn
        }
    }
}
