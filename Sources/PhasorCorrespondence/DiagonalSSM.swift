// One channel of a diagonal discrete-time SSM, the layer-independent object that rings, travelling waves and the
// oscillator reading of S4D-like layers are built on (DESIGN.md §3, §6). Per mode n:
//     h_{k,n} = μ_n h_{k−1,n} + b_n u_k,        y_k = 2·Re Σ_n c_n h_{k,n} + D u_k
// with a real input u. The factor 2·Re stands for the conjugate modes that a real system implies but does not store
// (state-spaces convention: N/2 stored modes for d_state = N).
import PhasorNumerics

/// A single-input single-output diagonal discrete SSM with conjugate-symmetric read-out `y = 2·Re(c·h) + D u`.
public struct DiagonalSSM: Sendable, Equatable {
    /// Discrete eigenvalues μ_n (one per stored mode).
    public let modes: [Complex<Double>]
    /// Input weights b_n (B̄ after discretisation; ≡ 1 for S4D, whose B is folded into the read-out).
    public let input: [Complex<Double>]
    /// Read-out weights c_n (C̃ for S4D).
    public let output: [Complex<Double>]
    /// Direct term D.
    public let direct: Double
    /// Step size Δ > 0 the modes were discretised with (used to read continuous rates λ = log μ / Δ).
    public let step: Double

    /// Validates shapes, finiteness and Δ; does not require stability (the ring is defined for any μ).
    public init(modes: [Complex<Double>], input: [Complex<Double>], output: [Complex<Double>], direct: Double,
                step: Double) throws {
        guard step > 0, step.isFinite else { throw CorrespondenceError.invalidStep(step) }
        guard !modes.isEmpty else { throw CorrespondenceError.shapeMismatch("a diagonal SSM needs at least one mode") }
        guard input.count == modes.count, output.count == modes.count else {
            throw CorrespondenceError.shapeMismatch(
                "\(modes.count) modes but \(input.count) input weights and \(output.count) read-out weights")
        }
        for (name, values) in [("modes μ", modes), ("input weights", input), ("read-out weights", output)] {
            if let k = values.firstIndex(where: { !$0.isFinite }) {
                throw NonFiniteError(quantity: "diagonal SSM \(name)", index: k, value: "\(values[k])")
            }
        }
        try requireFinite(direct, "diagonal SSM direct term D")
        self.modes = modes
        self.input = input
        self.output = output
        self.direct = direct
        self.step = step
    }

    /// The number of stored modes (M; the state dimension of the real system is 2M).
    public var modeCount: Int { modes.count }

    /// Largest |μ_n|.
    public var spectralRadius: Double { modes.map(\.length).max() ?? 0 }

    /// Continuous-time rates λ_n = log μ_n / Δ (principal log, so Im λ ∈ (−π/Δ, π/Δ]); throws when some μ_n = 0.
    public func continuousModes() throws -> [Complex<Double>] {
        try modes.enumerated().map { n, mu in
            guard mu != .zero else {
                throw CorrespondenceError.unstable("mode \(n) has μ = 0: it has no continuous-time rate log μ / Δ")
            }
            return Complex.log(mu) / Complex(step)  // λ = log μ / Δ
        }
    }

    /// The convolution kernel K[l] = 2·Re Σ_n c_n μ_n^l b_n, l = 0..<length (powers by repeated multiplication
    /// re-anchored with exp every 64 steps so rounding does not accumulate).
    public func kernel(length: Int) -> [Double] {
        guard length > 0 else { return [] }
        var kernel = [Double](repeating: 0, count: length)
        for n in 0..<modes.count {
            let weight = output[n] * input[n]
            let logMu = modes[n] == .zero ? nil : Complex.log(modes[n])
            var power = Complex<Double>.one
            for l in 0..<length {
                if l > 0 {
                    if l % 64 == 0, let logMu { power = Complex.exp(logMu * Complex(Double(l))) }  // μ^l = e^{l log μ}
                    else { power = power * modes[n] }
                }
                kernel[l] += 2 * (weight * power).real  // K[l] += 2·Re(c_n μ_n^l b_n)
            }
        }
        return kernel
    }

    /// The output by direct causal convolution y_k = Σ_{l≤k} K[l] u_{k−l} + D u_k (O(L²); the reference).
    public func convolve(_ u: [Double]) throws -> [Double] {
        try requireFinite(u, "input sequence")
        let kernel = kernel(length: u.count)
        var y = [Double](repeating: 0, count: u.count)
        for k in 0..<u.count {
            var sum = direct * u[k]
            for l in 0...k { sum += kernel[l] * u[k - l] }
            y[k] = sum
        }
        try requireFinite(y, "diagonal SSM output (the system may be unstable for this length)")
        return y
    }

    /// The output by the recurrence h_k = μ h_{k−1} + b u_k, y_k = 2·Re(c·h_k) + D u_k (the streaming mode).
    public func recur(_ u: [Double]) throws -> [Double] {
        try requireFinite(u, "input sequence")
        var state = [Complex<Double>](repeating: .zero, count: modes.count)
        var y = [Double](repeating: 0, count: u.count)
        for k in 0..<u.count {
            var sum = 0.0
            for n in 0..<modes.count {
                state[n] = modes[n] * state[n] + input[n] * Complex(u[k])  // h_{k,n} = μ_n h_{k−1,n} + b_n u_k
                sum += (output[n] * state[n]).real
            }
            y[k] = 2 * sum + direct * u[k]  // y_k = 2·Re Σ c_n h_{k,n} + D u_k
        }
        try requireFinite(y, "diagonal SSM output (the system may be unstable for this length)")
        return y
    }
}
