// Change of representation: a complex-diagonal SSM with a real input (N/2 stored modes, conjugates implied) → its real
// state of dimension N = 2·(N/2). With h_n = μ_n h_n + b_n u and μ_n = a_n + i·s_n, the real coordinates
// x = (Re h_0, Im h_0, Re h_1, Im h_1, …) obey x_k = Ā x_{k−1} + B̄ u_k with
//     Ā = ⊕_n [[a_n, −s_n], [s_n, a_n]],   B̄ = (Re b_0, Im b_0, Re b_1, Im b_1, …)ᵀ,
// and Ā^k is the same block form with μ_n^k. (The output 2·Re(c·h) = Σ_n 2(Re c_n Re h_n − Im c_n Im h_n) is not
// needed by the analyses, which read the whole state.)
import PhasorCorrespondence
import PhasorNumerics

/// The real 2M-dimensional form of a complex-diagonal SSM with M stored modes.
public struct RealDiagonalForm: Sendable {
    public let modes: [Complex<Double>]
    public let input: [Complex<Double>]

    public init(_ ssm: DiagonalSSM) {
        modes = ssm.modes
        input = ssm.input
    }

    /// N = 2M, the real state dimension.
    public var dimension: Int { 2 * modes.count }

    /// Ā^k as a real matrix (stored in a `ComplexMatrix` with zero imaginary parts), μ^k = e^{k log μ}.
    public func transition(power k: Int) -> ComplexMatrix {
        var a = ComplexMatrix(rows: dimension, columns: dimension)
        for (n, mu) in modes.enumerated() {
            let p = Self.power(mu, k)
            a[2 * n, 2 * n] = Complex(p.real); a[2 * n, 2 * n + 1] = Complex(-p.imaginary)      // [[Re μᵏ, −Im μᵏ],
            a[2 * n + 1, 2 * n] = Complex(p.imaginary); a[2 * n + 1, 2 * n + 1] = Complex(p.real) //  [Im μᵏ,  Re μᵏ]]
        }
        return a
    }

    /// B̄ as a real vector.
    public var inputVector: [Double] { input.flatMap { [$0.real, $0.imaginary] } }

    /// Ā^k B̄ = (Re μ_n^k b_n, Im μ_n^k b_n)_n — the covariance Cov(x_t, u_{t−k}) for unit white-noise input.
    public func impulse(lag k: Int) -> [Double] {
        var out = [Double](repeating: 0, count: dimension)
        for n in 0..<modes.count {
            let v = Self.power(modes[n], k) * input[n]
            out[2 * n] = v.real; out[2 * n + 1] = v.imaginary
        }
        return out
    }

    /// μ^k, exactly 1 for k = 0 and 0 for μ = 0, k > 0.
    static func power(_ mu: Complex<Double>, _ k: Int) -> Complex<Double> {
        if k == 0 { return .one }
        if mu == .zero { return .zero }
        return Complex.exp(Complex.log(mu) * Complex(Double(k)))  // μ^k = e^{k log μ}
    }
}
