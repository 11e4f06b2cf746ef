// The ring (DESIGN.md §6) generalised to a multi-input multi-output diagonal system (S5, LRU, diagonalised LinOSS).
// The coupling W = F diag(μ) F⁻¹ depends on the eigenvalues only, so it is `Ring`'s circulant w(d) for the same μ;
// what changes is that each input channel j has its own injection profile and each output channel i its own spatial
// read-out filter:
//     x_k = W x_{k−1} + Σ_j p_j u_{k,j},   p_j = F B̄_·j   (column j of B̄ mapped to the nodes)
//     y_{k,i} = f·Re(r_i · x_k) + D_i u_{k,i},   r_i = C̃_i· F⁻¹  (r_i,m = (1/√P) Σ_n C̃_in e^{−2πi mn/P})
// and x = F h turns it back into the diagonal recurrence exactly, so the ring's output equals the layer's.
import PhasorModels
import PhasorNumerics

/// A diagonal MIMO system as a ring of P complex oscillators with circulant coupling.
public struct MIMORing: Sendable {
    public let system: DiagonalMIMOSystem
    /// w(d), d = 0..<P: W_ml = w((m − l) mod P).
    public let coupling: [Complex<Double>]
    /// p_j for each input channel j: injection[j][m].
    public let injection: [[Complex<Double>]]
    /// r_i for each output channel i: readout[i][m].
    public let readout: [[Complex<Double>]]

    public var nodeCount: Int { system.modeCount }

    public init(_ system: DiagonalMIMOSystem) throws {
        let p = system.modeCount, h = system.channels
        self.system = system
        // The coupling is Ring's w(d) for the same μ (drive and read-out of that SISO channel do not enter W).
        let siso = try DiagonalSSM(modes: system.mu, input: (0..<p).map { system.bBar[$0 * h] },
                                   output: (0..<p).map { system.c[$0] }, direct: 0, step: 1)
        coupling = Ring(siso).coupling
        injection = (0..<h).map { j in Ring.forward((0..<p).map { system.bBar[$0 * h + j] }) }  // p_j = F B̄_·j
        readout = (0..<h).map { i in Ring.inverse((0..<p).map { system.c[i * p + $0] }) }       // r_i = C̃_i· F⁻¹
    }

    /// Runs the ring on u (H, L) from x₀ = 0: node states (L × P) and output (H, L).
    public func run(_ u: [Double], length: Int) throws -> (nodes: [[Complex<Double>]], output: [Double]) {
        let p = nodeCount, h = system.channels
        guard length > 0, u.count == h * length else {
            throw CorrespondenceError.shapeMismatch("input has \(u.count) values; expected (H, L) = (\(h), \(length))")
        }
        try requireFinite(u, "ring input sequence")
        var x = [Complex<Double>](repeating: .zero, count: p)
        var nodes: [[Complex<Double>]] = []
        var y = [Double](repeating: 0, count: h * length)
        for k in 0..<length {
            var next = [Complex<Double>](repeating: .zero, count: p)
            for m in 0..<p {
                var sum = Complex<Double>.zero
                for l in 0..<p { sum += coupling[((m - l) % p + p) % p] * x[l] }       // (W x)_m
                for j in 0..<h { sum += injection[j][m] * Complex(u[j * length + k]) } // + Σ_j p_j u_j
                next[m] = sum
            }
            x = next
            nodes.append(x)
            for i in 0..<h {
                var re = 0.0
                for m in 0..<p { re += (readout[i][m] * x[m]).real }
                y[i * length + k] = system.outputFactor * re + system.d[i] * u[i * length + k]  // f·Re(r_i·x) + D u
            }
        }
        try requireFinite(y, "MIMO ring output")
        return (nodes, y)
    }
}
