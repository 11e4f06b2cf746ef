// The ring (DESIGN.md §6) of one channel of a selective layer: the same change of basis as for S4D — node states
// z = F x with F the unitary DFT on the N state indices (Ring.forward) — but with a coupling, an injection and a
// read-out that change from token to token:
//     z_t = W_t z_{t−1} + p_t u_t,   W_t = F diag(μ_t) F⁻¹  (circulant, w_t(d) = (1/N) Σ_n μ_t,n e^{2πi n d/N}),
//     p_t = F (Δ_t B_t),   r_t = C_t F⁻¹,   y_t = Re(r_t · z_t) + D u_t.
// x = F⁻¹ z turns it back into the scan x_t = diag(μ_t) x_{t−1} + Δ_t B_t u_t, y_t = C_t·x_t + D u_t exactly, so the
// ring's output equals the layer's (tested). There is no factor 2·Re here: Mamba's N states are real and stored
// one by one (S4D stores one of each conjugate pair). Because Mamba-1's μ_t,n are real and positive, the circulant has
// no phase gradient: an input does not travel round the ring as it does for S4D-Lin, it spreads over the nodes with
// the profile p_t and relaxes in place, each Fourier mode n at its own rate μ_t,n; a token with large Δ_t shrinks every
// μ_t,n, i.e. wipes the ring.
import PhasorModels
import PhasorNumerics

/// One selective channel along a token sequence as a ring of N nodes with a token-dependent circulant coupling.
public struct SelectiveRing: Sendable {
    public let channel: Int
    /// w_t(d), per token (L × N).
    public let coupling: [[Complex<Double>]]
    /// p_t = F(Δ_t B_t), per token (L × N).
    public let injection: [[Complex<Double>]]
    /// r_t = C_t F⁻¹, per token (L × N).
    public let readout: [[Complex<Double>]]
    public let direct: Double

    public var nodeCount: Int { coupling.first?.count ?? 0 }

    /// The ring of channel h of `layer` for the step quantities `tokens` (as computed for the input the ring will run on).
    public init(_ layer: SelectiveLayer, tokens: SelectiveTokens, channel h: Int) throws {
        let n = layer.states, e = layer.channels
        guard (0..<e).contains(h) else { throw CorrespondenceError.shapeMismatch("channel \(h) not in 0..<\(e)") }
        guard layer.aImag == nil else {
            throw CorrespondenceError.invalid("the ring of a selective layer is written for real A (Mamba-1); this layer has A_imag")
        }
        let a = layer.a
        var coupling: [[Complex<Double>]] = [], injection: [[Complex<Double>]] = [], readout: [[Complex<Double>]] = []
        for t in 0..<tokens.length {
            let dt = tokens.delta[t * e + h]
            let mu = (0..<n).map { Complex(Double.exp(dt * a[h * n + $0])) }                       // μ_t,n = e^{Δ_t A}
            let drive = (0..<n).map { Complex(dt * tokens.b[t * n + $0]) }                          // Δ_t B_t
            let read = (0..<n).map { Complex(tokens.c[t * n + $0]) }
            let ring = Ring(try DiagonalSSM(modes: mu, input: drive, output: read, direct: layer.d[h], step: dt))
            coupling.append(ring.coupling)                                                           // w_t(d)
            injection.append(ring.injection)                                                         // p_t = F(Δ_t B_t)
            readout.append(ring.readout)                                                             // r_t = C_t F⁻¹
        }
        channel = h
        self.coupling = coupling; self.injection = injection; self.readout = readout; direct = layer.d[h]
    }

    /// Runs the ring on the channel's input u (L) from z₀ = F x₀ (x₀ = 0 when nil): node states (L × N) and output (L).
    public func run(_ u: [Double], initialState x0: [Double]? = nil) throws -> (nodes: [[Complex<Double>]], output: [Double]) {
        let m = nodeCount
        guard u.count == coupling.count, x0.map({ $0.count == m }) ?? true else {
            throw CorrespondenceError.shapeMismatch("\(u.count) inputs for \(coupling.count) tokens (initial state \(x0?.count ?? m) of \(m))")
        }
        try requireFinite(u, "selective ring input")
        var z = Ring.forward((x0 ?? [Double](repeating: 0, count: m)).map { Complex($0) })          // z₀ = F x₀
        var nodes: [[Complex<Double>]] = [], output: [Double] = []
        for t in 0..<u.count {
            var next = [Complex<Double>](repeating: .zero, count: m)
            for j in 0..<m {
                var sum = injection[t][j] * Complex(u[t])                                            // p_t u_t
                for l in 0..<m { sum += coupling[t][((j - l) % m + m) % m] * z[l] }                  // + Σ_l w_t((j − l) mod N) z_l
                next[j] = sum
            }
            z = next
            nodes.append(z)
            var re = 0.0
            for j in 0..<m { re += (readout[t][j] * z[j]).real }
            output.append(re + direct * u[t])                                                        // y_t = Re(r_t·z_t) + D u_t
        }
        try requireFinite(output, "selective ring output")
        return (nodes, output)
    }
}
