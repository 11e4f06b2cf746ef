// S4D parameters (state-spaces/s4 `models/s4/s4d.py`, DESIGN.md §3) → one `DiagonalSSM` per channel:
//     Δ = exp(log_dt_h),  λ_n = −exp(log_A_real_hn) + i·A_imag_hn,  μ_n = e^{Δλ_n},
//     b_n = 1 (B ≡ 1 is folded into the read-out),  c_n = C_hn·(e^{Δλ_n} − 1)/λ_n  (ZOH),  D = D_h,
// so that K[l] = 2·Re Σ_n c_n μ_n^l is the S4D kernel.
import PhasorModels
import PhasorNumerics

/// Keys of S4D layer `layer` in a state-spaces checkpoint / `ParameterStore` (DESIGN.md §9).
public struct S4DKeys: Sendable {
    public let logDt: String, c: String, logAReal: String, aImag: String, d: String
    public init(layer: Int) {
        logDt = "s4_layers.\(layer).kernel.log_dt"
        c = "s4_layers.\(layer).kernel.C"
        logAReal = "s4_layers.\(layer).kernel.log_A_real"
        aImag = "s4_layers.\(layer).kernel.A_imag"
        d = "s4_layers.\(layer).D"
    }
}

/// φ₁(z) = (e^z − 1)/z, with its Taylor series near 0 so that λ → 0 gives Δ·φ₁(Δλ) → Δ without cancellation.

func phi1(_ z: Complex<Double>) -> Complex<Double> {
    if z.length < 1e-4 {
        // 1 + z/2 + z²/6 + z³/24 + z⁴/120: truncation error < |z|⁵/720 ≈ 1e-23 here
        return .one + z * (Complex(0.5) + z * (Complex(1.0 / 6) + z * (Complex(1.0 / 24) + z * Complex(1.0 / 120))))
    }
    return (Complex.exp(z) - .one) / z
}

extension DiagonalSSM {
    /// The number of S4D layers and the (H, N/2) shape of layer `layer` in `store`.
    public static func s4dShape(_ store: ParameterStore, layer: Int) throws -> (channels: Int, modes: Int) {
        let keys = S4DKeys(layer: layer)
        let logAReal = try store.parameter(keys.logAReal)
        guard logAReal.shape.count == 2 else {
            throw CorrespondenceError.shapeMismatch("'\(keys.logAReal)' has shape \(logAReal.shape), expected (H, N/2)")
        }
        return (logAReal.shape[0], logAReal.shape[1])
    }

    /// Channel `channel` of S4D layer `layer` read from `store` under the state-spaces keys.
    public static func s4d(_ store: ParameterStore, layer: Int, channel: Int) throws -> DiagonalSSM {
        let keys = S4DKeys(layer: layer)
        let (h, m) = try s4dShape(store, layer: layer)
        guard channel >= 0, channel < h else {
            throw CorrespondenceError.invalid("channel \(channel) does not exist: layer \(layer) has \(h) channels (0..<\(h))")
        }
        let logDt = try store.parameter(keys.logDt), c = try store.parameter(keys.c)
        let aImag = try store.parameter(keys.aImag), d = try store.parameter(keys.d)
        guard logDt.values.count == h, aImag.shape == [h, m], c.shape == [h, m, 2], d.values.count == h else {
            throw CorrespondenceError.shapeMismatch(
                "layer \(layer): log_dt \(logDt.shape), C \(c.shape), log_A_real [\(h), \(m)], A_imag \(aImag.shape), "
                + "D \(d.shape); expected (H), (H, N/2, 2), (H, N/2), (H, N/2), (H)")
        }
        let logAReal = try store.values(keys.logAReal)
        let row = channel * m
        return try s4d(logDt: logDt.values[channel],
                       logAReal: Array(logAReal[row..<(row + m)]),
                       aImag: Array(aImag.values[row..<(row + m)]),
                       c: (0..<m).map { Complex(c.values[2 * (row + $0)], c.values[2 * (row + $0) + 1]) },
                       d: d.values[channel])
    }

    /// The continuous rates λ_n = −exp(log_A_real_hn) + i·A_imag_hn of channel `channel` of S4D layer `layer`, as the
    /// model defines them (not folded into the Nyquist band).
    public static func s4dRates(_ store: ParameterStore, layer: Int, channel: Int) throws -> [Complex<Double>] {
        let keys = S4DKeys(layer: layer)
        let (h, m) = try s4dShape(store, layer: layer)
        guard channel >= 0, channel < h else {
            throw CorrespondenceError.invalid("channel \(channel) does not exist: layer \(layer) has \(h) channels (0..<\(h))")
        }
        let logAReal = try store.values(keys.logAReal), aImag = try store.values(keys.aImag)
        guard aImag.count == h * m else {
            throw CorrespondenceError.shapeMismatch("'\(keys.aImag)' has \(aImag.count) values, expected \(h * m)")
        }
        return (0..<m).map { Complex(-Double.exp(logAReal[channel * m + $0]), aImag[channel * m + $0]) }
    }

    /// One S4D channel from its raw parameters (log Δ, log(−Re λ), Im λ, complex C, D).
    public static func s4d(logDt: Double, logAReal: [Double], aImag: [Double], c: [Complex<Double>],
                           d: Double) throws -> DiagonalSSM {
        guard logAReal.count == aImag.count, c.count == aImag.count else {
            throw CorrespondenceError.shapeMismatch(
                "S4D channel: \(logAReal.count) log_A_real, \(aImag.count) A_imag, \(c.count) C values")
        }
        try requireFinite(logDt, "S4D log_dt")
        let dt = Double.exp(logDt)  // Δ = exp(log_dt)
        guard dt > 0, dt.isFinite else { throw CorrespondenceError.invalidStep(dt) }
        try requireFinite(logAReal, "S4D log_A_real")
        try requireFinite(aImag, "S4D A_imag")
        let lambda = zip(logAReal, aImag).map { Complex(-Double.exp($0), $1) }  // λ = −exp(log_A_real) + i·A_imag
        let mu = lambda.map { Complex.exp($0 * Complex(dt)) }                         // μ = e^{Δλ}
        let readout = zip(c, lambda).map { c, l in c * Complex(dt) * phi1(l * Complex(dt)) }  // C̃ = C(e^{Δλ} − 1)/λ
        return try DiagonalSSM(modes: mu, input: Array(repeating: .one, count: mu.count), output: readout,
                               direct: d, step: dt)
    }
}
