// The sequence-mixing core of an S4D block (state-spaces `s4d.py` S4D without its output head), layout (B, H, L):
//   y = K * u + D⊙u          (causal convolution with the kernel of S4DKernel.swift)
// Recurrence (streaming): x_k = μ x_{k−1} + u_k per mode, y_k = 2·Re Σ_n C̃_n x_k,n + D u_k (B̄ folded into C̃); the
// two agree to ~1e-12 in Double. A file holding only these tensors (a designed layer, `phasor design --out`) is a
// list of cores; a full model's block has a core and a head (BlockParts.swift).
import Foundation
import PhasorNumerics

/// Kernel, skip term and discretisation of one S4D layer: everything its linear map y = K * u + D⊙u needs.
public struct S4DCore: Sendable, Equatable {
    public var kernel: S4DKernelParameters
    /// Skip term D, shape (H).
    public var D: [Double]
    public var discretization: Discretization

    public var channels: Int { kernel.channels }
    /// M = N/2 complex modes per channel.
    public var modes: Int { kernel.modes }

    public init(kernel: S4DKernelParameters, D: [Double], discretization: Discretization = .zoh) throws {
        guard D.count == kernel.channels else {
            throw ModelError.shapeMismatch(key: "S4D skip D", expected: [kernel.channels], found: [D.count])
        }
        self.kernel = kernel
        self.D = D
        self.discretization = discretization
    }

    /// Δ, λ, C̃ and w = log μ per (h, n).
    public func discretised() throws -> DiscreteS4D { try kernel.discretised(discretization) }

    /// The convolution kernel K, shape (H, L).
    public func kernel(length: Int) throws -> [Double] { try discretised().kernel(length: length) }

    /// y = K * u + D⊙u, shape (B, H, L), by convolution (FFT for L ≥ 32).
    public func ssmOutput(input u: [Double], batch: Int, length: Int) throws -> [Double] {
        try checkInput(u, batch: batch, length: length)
        let k = try kernel(length: length)
        var y = CausalConvolution.forward(kernel: k, input: u, batch: batch, channels: channels, length: length)
        addSkip(&y, u, batch: batch, length: length)
        try requireFinite(y, "S4D output y")
        return y
    }

    /// The same y by the recurrence (streaming mode), one step at a time.
    public func ssmRecurrence(input u: [Double], batch: Int, length: Int) throws -> [Double] {
        try checkInput(u, batch: batch, length: length)
        let d = try discretised()
        let H = channels
        var y = [Double](repeating: 0, count: u.count)
        var column = [Double](repeating: 0, count: H)
        for b in 0..<batch {
            var state = S4DState(channels: H, modes: kernel.modes)
            for l in 0..<length {
                for h in 0..<H { column[h] = u[(b * H + h) * length + l] }
                let out = step(&state, input: column, discrete: d)
                for h in 0..<H { y[(b * H + h) * length + l] = out[h] }
            }
        }
        try requireFinite(y, "S4D recurrent output y")
        return y
    }

    /// One streaming step for one sample: x ← μ⊙x + u (per mode), returns y = 2·Re Σ_n C̃ x + D u, shape (H).
    public func step(_ state: inout S4DState, input u: [Double], discrete d: DiscreteS4D) -> [Double] {
        let M = kernel.modes
        var y = [Double](repeating: 0, count: channels)
        for h in 0..<channels {
            var acc = D[h] * u[h]
            for n in 0..<M {
                let i = h * M + n
                let mu = Complex.exp(Complex(d.wRe[i], d.wIm[i]))
                let xr = mu.real * state.re[i] - mu.imaginary * state.im[i] + u[h]   // x_k = μ x_{k−1} + u_k
                let xi = mu.real * state.im[i] + mu.imaginary * state.re[i]
                state.re[i] = xr; state.im[i] = xi
                acc += 2 * (d.cRe[i] * xr - d.cIm[i] * xi)                           // 2·Re(C̃ x)
            }
            y[h] = acc
        }
        return y
    }

    func checkInput(_ u: [Double], batch: Int, length: Int) throws {
        guard batch > 0, length > 0 else { throw ModelError.invalidConfiguration("batch and length must be positive (got B=\(batch), L=\(length))") }
        guard u.count == batch * channels * length else {
            throw ModelError.shapeMismatch(key: "S4D input (B, H, L)", expected: [batch, channels, length], found: [u.count])
        }
    }

    func addSkip(_ y: inout [Double], _ u: [Double], batch: Int, length: Int) {
        let H = channels
        for b in 0..<batch { for h in 0..<H {
            let o = (b * H + h) * length, dh = D[h]
            for l in 0..<length { y[o + l] += dh * u[o + l] }       // + D⊙u
        } }
    }
}

extension S4DCore {
    /// Channel h alone, as a one-channel core (its own Δ, modes, C and D).
    public func channel(_ h: Int) throws -> S4DCore {
        guard h >= 0, h < channels else {
            throw ModelError.invalidConfiguration("channel \(h) does not exist: the layer has \(channels) channels (0..<\(channels))")
        }
        let m = modes, all = kernel
        let k = try S4DKernelParameters(channels: 1, modes: m, logDt: [all.logDt[h]],
                                        C: Array(all.C[(2 * h * m) ..< (2 * (h + 1) * m)]),
                                        logAReal: Array(all.logAReal[(h * m) ..< ((h + 1) * m)]),
                                        AImag: Array(all.AImag[(h * m) ..< ((h + 1) * m)]))
        return try S4DCore(kernel: k, D: [D[h]], discretization: discretization)
    }
}
