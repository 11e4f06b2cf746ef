// The ring embedding of one diagonal SSM channel (DESIGN.md §6). With F the unitary DFT on the M mode/node indices,
//     F_jn = e^{2πi jn/M} / √M,   F⁻¹ = F*,
// the node states x = F h evolve by
//     x_k = W x_{k−1} + p u_k,   W = F diag(μ) F⁻¹,   p = F b,
// and W is circulant: W_jl = w((j − l) mod M), w(d) = (1/M) Σ_n μ_n e^{2πi n d/M}. The read-out is the spatial filter
// r = c F⁻¹ (a row, r_j = (1/√M) Σ_n c_n e^{−2πi jn/M}), so y_k = 2·Re(r·x_k) + D u_k = 2·Re(c·h_k) + D u_k.
// For b ≡ 1 (S4D), p = F·1 = √M δ₀: the input enters at node 0 only (the √M is the unitary normalisation).
import PhasorNumerics

/// One diagonal SSM channel written as a ring of M coupled complex oscillators with circulant coupling.
public struct Ring: Sendable {
    /// The channel the ring was built from.
    public let ssm: DiagonalSSM
    /// w(d), d = 0..<M: the first column of the circulant coupling W (W_jl = w((j − l) mod M)).
    public let coupling: [Complex<Double>]
    /// The injection profile p = F b (for b ≡ 1: √M at node 0, zero elsewhere).
    public let injection: [Complex<Double>]
    /// The spatial read-out filter r = c F⁻¹ (a row vector over the nodes).
    public let readout: [Complex<Double>]

    /// The number of nodes M (= the number of stored modes).
    public var nodeCount: Int { ssm.modeCount }

    public init(_ ssm: DiagonalSSM) {
        self.ssm = ssm
        let m = ssm.modeCount
        let twiddle = Ring.twiddles(m)
        // w(d) = (1/M) Σ_n μ_n e^{2πi n d/M}
        coupling = (0..<m).map { d in
            var sum = Complex<Double>.zero
            for n in 0..<m { sum += ssm.modes[n] * twiddle[(n * d) % m] }
            return sum / Complex(Double(m))
        }
        injection = Ring.forward(ssm.input)  // p = F b
        // r_j = Σ_n c_n (F⁻¹)_nj = (1/√M) Σ_n c_n e^{−2πi jn/M}
        let scale = 1 / Double(m).squareRoot()
        readout = (0..<m).map { j in
            var sum = Complex<Double>.zero
            for n in 0..<m { sum += ssm.output[n] * twiddle[(n * j) % m].conjugate }
            return sum * Complex(scale)
        }
    }

    /// e^{2πi q/M} for q = 0..<M (exact at the quarter points, so F of a constant is exactly a delta for small M).
    static func twiddles(_ m: Int) -> [Complex<Double>] {
        (0..<m).map { q in
            let angle = 2 * Double.pi * Double(q) / Double(m)
            switch (4 * q) % m == 0 ? (4 * q) / m : -1 {
            case 0: return Complex(1, 0)
            case 1: return Complex(0, 1)
            case 2: return Complex(-1, 0)
            case 3: return Complex(0, -1)
            default: return Complex(Double.cos(angle), Double.sin(angle))
            }
        }
    }

    /// x = F h, (F h)_j = (1/√M) Σ_n e^{2πi jn/M} h_n (unitary DFT, direct O(M²) sum).
    public static func forward(_ h: [Complex<Double>]) -> [Complex<Double>] { transform(h, sign: 1) }

    /// h = F⁻¹ x = F* x, h_n = (1/√M) Σ_j e^{−2πi jn/M} x_j.
    public static func inverse(_ x: [Complex<Double>]) -> [Complex<Double>] { transform(x, sign: -1) }

    private static func transform(_ v: [Complex<Double>], sign: Int) -> [Complex<Double>] {
        let m = v.count
        guard m > 0 else { return [] }
        let twiddle = twiddles(m), scale = Complex(1 / Double(m).squareRoot())
        return (0..<m).map { j in
            var sum = Complex<Double>.zero
            for n in 0..<m {
                let t = twiddle[(j * n) % m]
                sum += v[n] * (sign > 0 ? t : t.conjugate)
            }
            return sum * scale
        }
    }

    /// The coupling entry W_jl = w((j − l) mod M).
    public func couplingEntry(_ j: Int, _ l: Int) -> Complex<Double> {
        let m = nodeCount
        return coupling[((j - l) % m + m) % m]
    }

    /// One step of the node-space recurrence: x_k = W x_{k−1} + p u_k.
    public func step(_ x: [Complex<Double>], input u: Double) -> [Complex<Double>] {
        let m = nodeCount
        var next = [Complex<Double>](repeating: .zero, count: m)
        for j in 0..<m {
            var sum = injection[j] * Complex(u)
            for l in 0..<m { sum += coupling[((j - l) % m + m) % m] * x[l] }  // Σ_l w((j − l) mod M) x_l
            next[j] = sum
        }
        return next
    }

    /// The read-out of one node state: y = 2·Re(r·x) + D u.
    public func read(_ x: [Complex<Double>], input u: Double) -> Double {
        var sum = 0.0
        for j in 0..<nodeCount { sum += (readout[j] * x[j]).real }
        return 2 * sum + ssm.direct * u
    }

    /// Runs the ring on a real input sequence from x₀ = 0; returns the node states (L × M) and the output (L).
    public func run(_ u: [Double]) throws -> (nodes: [[Complex<Double>]], output: [Double]) {
        try requireFinite(u, "ring input sequence")
        var x = [Complex<Double>](repeating: .zero, count: nodeCount)
        var nodes: [[Complex<Double>]] = []
        nodes.reserveCapacity(u.count)
        var output = [Double](repeating: 0, count: u.count)
        for k in 0..<u.count {
            x = step(x, input: u[k])
            nodes.append(x)
            output[k] = read(x, input: u[k])
        }
        if let bad = nodes.firstIndex(where: { $0.contains { !$0.isFinite } }) {
            throw NonFiniteError(quantity: "ring node states (the channel is unstable over this length)",
                                 index: bad, value: "non-finite")
        }
        try requireFinite(output, "ring output")
        return (nodes, output)
    }
}
