// The S4D convolution kernel (DESIGN.md §3, state-spaces `s4d.py` S4DKernel) and its backward, side by side.
//
//   Δ_h = exp(log_dt_h),  λ_hn = −exp(log_A_real_hn) + i·A_imag_hn,  n = 0…N/2−1
//   w = log μ and C̃ = C·B̄ from the layer's Discretization (Discretization.swift):
//     ZOH w = Δλ, C̃ = C·(e^{Δλ} − 1)/λ;  bilinear w = log((1+Δλ/2)/(1−Δλ/2)), C̃ = C·Δ/(1 − Δλ/2);  Euler w = log(1+Δλ), C̃ = C·Δ
//   K_h[l] = 2·Re Σ_n C̃_hn·e^{l·w_hn}
//
// Gradients use the convention G_x = ∂L/∂Re x + i·∂L/∂Im x for a complex x; for holomorphic y = f(x),
// G_x = conj(f′(x))·G_y. With S_n = Σ_l g_l z_n^l and T_n = Σ_l l·g_l z_n^l (g = ∂L/∂K, z = e^w):
//   G_C̃ = 2·conj(S),  G_w = 2·conj(C̃·T).
import Foundation
import PhasorNumerics

/// The trainable tensors of one S4D kernel: H channels, M = N/2 complex modes (layout of state-spaces/s4).
public struct S4DKernelParameters: Sendable, Equatable {
    public var channels: Int
    public var modes: Int
    /// log Δ, shape (H).
    public var logDt: [Double]
    /// C, shape (H, M, 2) = (re, im) interleaved as `torch.view_as_real`.
    public var C: [Double]
    /// log(−Re λ), shape (H, M).
    public var logAReal: [Double]
    /// Im λ, shape (H, M).
    public var AImag: [Double]

    public init(channels: Int, modes: Int, logDt: [Double], C: [Double], logAReal: [Double], AImag: [Double]) throws {
        guard channels > 0, modes > 0 else {
            throw ModelError.invalidConfiguration("an S4D kernel needs at least one channel and one mode (got H=\(channels), N/2=\(modes))")
        }
        guard logDt.count == channels else { throw ModelError.shapeMismatch(key: "S4D log Δ", expected: [channels], found: [logDt.count]) }
        guard C.count == channels * modes * 2 else { throw ModelError.shapeMismatch(key: "S4D C", expected: [channels, modes, 2], found: [C.count]) }
        guard logAReal.count == channels * modes else { throw ModelError.shapeMismatch(key: "S4D log(−Re λ)", expected: [channels, modes], found: [logAReal.count]) }
        guard AImag.count == channels * modes else { throw ModelError.shapeMismatch(key: "S4D Im λ", expected: [channels, modes], found: [AImag.count]) }
        self.channels = channels; self.modes = modes
        self.logDt = logDt; self.C = C; self.logAReal = logAReal; self.AImag = AImag
    }

    /// Random initialisation as `s4d.py`: log Δ uniform in [log dtMin, log dtMax]; C complex normal with
    /// E|C|² = 1 (re and im each N(0, ½)); λ from `initialisation`.
    public init(channels: Int, state: Int, initialisation: S4DInit, generator: inout SeededGenerator,
                dtMin: Double = 1e-3, dtMax: Double = 1e-1) throws {
        guard state >= 2, state % 2 == 0 else {
            throw ModelError.invalidConfiguration("d_state must be even and ≥ 2 (got \(state)); it counts the conjugate modes too")
        }
        guard dtMin > 0, dtMax >= dtMin else {
            throw ModelError.invalidConfiguration("Δ range [\(dtMin), \(dtMax)] must be positive and ordered")
        }
        let m = state / 2
        let logDt = (0..<channels).map { _ in Foundation.log(dtMin) + generator.uniform() * (Foundation.log(dtMax) - Foundation.log(dtMin)) }
        let scale = (0.5).squareRoot()
        let C = (0..<(channels * m * 2)).map { _ in generator.normal() * scale }
        var logAReal = [Double](repeating: 0, count: channels * m)
        var AImag = [Double](repeating: 0, count: channels * m)
        let n = Double(state)
        for h in 0..<channels {
            for k in 0..<m {
                switch initialisation {
                case .lin:
                    logAReal[h * m + k] = Foundation.log(0.5)
                    AImag[h * m + k] = Double.pi * Double(k)                       // λ = −½ + iπn
                case .inv:
                    logAReal[h * m + k] = Foundation.log(0.5)
                    AImag[h * m + k] = n / Double.pi * (n / Double(2 * k + 1) - 1)  // λ = −½ + i(N/π)(N/(2n+1) − 1)
                case .real:
                    logAReal[h * m + k] = Foundation.log(Double(k + 1))            // λ = −(n+1)
                    AImag[h * m + k] = 0
                }
            }
        }
        try self.init(channels: channels, modes: m, logDt: logDt, C: C, logAReal: logAReal, AImag: AImag)
    }

    /// Discrete quantities per (h, n): Δ, λ, C̃ and w = log Ā. Throws if Δ or any of them is not finite.
    public func discretised(_ method: Discretization) throws -> DiscreteS4D {
        let count = channels * modes
        var d = DiscreteS4D(channels: channels, modes: modes, method: method,
                            dt: [Double](repeating: 0, count: channels),
                            lambdaRe: .init(repeating: 0, count: count), lambdaIm: .init(repeating: 0, count: count),
                            wRe: .init(repeating: 0, count: count), wIm: .init(repeating: 0, count: count),
                            cRe: .init(repeating: 0, count: count), cIm: .init(repeating: 0, count: count))
        for h in 0..<channels {
            let dt = Foundation.exp(logDt[h])                                                // Δ = exp(log_dt)
            guard dt.isFinite, dt > 0 else { throw ModelError.nonPositiveStep(key: "S4D channel \(h) log Δ", value: dt) }
            d.dt[h] = dt
            for k in 0..<modes {
                let i = h * modes + k
                let lr = -Foundation.exp(logAReal[i]), li = AImag[i]                         // λ = −e^{log_A_real} + i A_imag
                let lambda = Complex(lr, li)
                d.lambdaRe[i] = lr; d.lambdaIm[i] = li
                let w = method.logPole(rate: lambda, step: dt)                               // μ = e^w
                let ct = Complex(C[2 * i], C[2 * i + 1]) * method.inputFactor(rate: lambda, step: dt)   // C̃ = C·B̄
                d.wRe[i] = w.real; d.wIm[i] = w.imaginary
                d.cRe[i] = ct.real; d.cIm[i] = ct.imaginary
                guard d.wRe[i].isFinite, d.wIm[i].isFinite, d.cRe[i].isFinite, d.cIm[i].isFinite else {
                    throw ModelError.nonFinite(key: "kernel (channel \(h), mode \(k)): discretisation overflowed")
                }
            }
        }
        return d
    }
}

/// The discretised S4D system of one layer: what the kernel, the recurrence and the oscillator maps need.
/// Arrays are (H, M) row-major.
public struct DiscreteS4D: Sendable, Equatable {
    public let channels: Int
    public let modes: Int
    public let method: Discretization
    /// Δ per channel.
    public var dt: [Double]
    /// Continuous poles λ.
    public var lambdaRe: [Double], lambdaIm: [Double]
    /// w = log Ā (ZOH: Δλ); the discrete pole is μ = e^w.
    public var wRe: [Double], wIm: [Double]
    /// C̃ = C·B̄ (B ≡ 1 folded in).
    public var cRe: [Double], cIm: [Double]

    /// e^x − 1 without cancellation for small |x|: Re = expm1(a)·cos b − 2 sin²(b/2), Im = e^a sin b.
    static func expMinusOne(_ x: Complex<Double>) -> Complex<Double> {
        let a = x.real, b = x.imaginary
        let s = Foundation.sin(b / 2)
        return Complex(Foundation.expm1(a) * Foundation.cos(b) - 2 * s * s, Foundation.exp(a) * Foundation.sin(b))
    }

    /// The discrete pole μ of (h, n), by the discretisation's own formula (= e^w).
    public func pole(channel h: Int, mode n: Int) -> Complex<Double> {
        method.pole(rate: rate(channel: h, mode: n), step: dt[h])
    }

    /// The continuous rate λ of (h, n) as the layer defines it (not folded into the Nyquist band).
    public func rate(channel h: Int, mode n: Int) -> Complex<Double> {
        let i = h * modes + n
        return Complex(lambdaRe[i], lambdaIm[i])
    }

    /// C̃ = C·B̄ of (h, n).
    public func readout(channel h: Int, mode n: Int) -> Complex<Double> {
        let i = h * modes + n
        return Complex(cRe[i], cIm[i])
    }

    /// K_h[l] = 2·Re Σ_n C̃_hn e^{l w_hn}, shape (H, L), by blocked powers; channels in parallel.
    public func kernel(length: Int) -> [Double] {
        var out = [Double](repeating: 0, count: channels * length)
        guard length > 0 else { return out }
        let m = modes
        let cRe = cRe, cIm = cIm, wRe = wRe, wIm = wIm
        out.withUnsafeMutableBufferPointer { buf in
            let shared = SharedPointer(buf.baseAddress!)
            parallelFor(channels) { h in
                let row = shared.base + h * length
                var p = BlockedPowers(wRe: wRe[h * m], wIm: wIm[h * m], length: length)
                for n in 0..<m {
                    let i = h * m + n
                    if n > 0 { p.reset(wRe: wRe[i], wIm: wIm[i]) }
                    let c2Re = 2 * cRe[i], c2Im = 2 * cIm[i]
                    p.innerRe.withUnsafeBufferPointer { zr in
                        p.innerIm.withUnsafeBufferPointer { zi in
                            for q in 0..<p.blocks {
                                // base = 2C̃·e^{qbw}; K[qb+r] += Re(base·e^{rw})
                                let bRe = c2Re * p.outerRe[q] - c2Im * p.outerIm[q]
                                let bIm = c2Re * p.outerIm[q] + c2Im * p.outerRe[q]
                                let start = q * p.block
                                let count = min(p.block, length - start)
                                let dst = row + start
                                for r in 0..<count { dst[r] += bRe * zr[r] - bIm * zi[r] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The kernel by one exp per entry — the reference the blocked powers are tested against.
    func kernelDirect(length: Int) -> [Double] {
        var out = [Double](repeating: 0, count: channels * length)
        for h in 0..<channels {
            for n in 0..<modes {
                let i = h * modes + n
                let c = Complex(cRe[i], cIm[i]), w = Complex(wRe[i], wIm[i])
                for l in 0..<length { out[h * length + l] += 2 * (c * Complex.exp(w * Complex(Double(l), 0))).real }
            }
        }
        return out
    }

    /// G_C̃ = 2·conj(S) and G_w = 2·conj(C̃·T) for every (h, n), given g = ∂L/∂K of shape (H, L);
    /// S = Σ_l g_l z^l, T = Σ_l l g_l z^l, accumulated block by block: Σ_q e^{qbw}(P_q, qb·P_q + R_q) with
    /// P_q = Σ_r g_{qb+r} e^{rw}, R_q = Σ_r r·g_{qb+r} e^{rw}.
    func kernelAdjoint(_ g: [Double], length: Int) -> (gcRe: [Double], gcIm: [Double], gwRe: [Double], gwIm: [Double]) {
        let count = channels * modes
        var gc = [Double](repeating: 0, count: 2 * count), gw = [Double](repeating: 0, count: 2 * count)
        let m = modes
        let cRe = cRe, cIm = cIm, wRe = wRe, wIm = wIm
        g.withUnsafeBufferPointer { gBuf in
            let gp = SharedReadPointer(gBuf.baseAddress!)
            gc.withUnsafeMutableBufferPointer { gcBuf in
                gw.withUnsafeMutableBufferPointer { gwBuf in
                    let gcp = SharedPointer(gcBuf.baseAddress!), gwp = SharedPointer(gwBuf.baseAddress!)
                    parallelFor(channels) { h in
                        let row = gp.base + h * length
                        var p = BlockedPowers(wRe: wRe[h * m], wIm: wIm[h * m], length: length)
                        for n in 0..<m {
                            let i = h * m + n
                            if n > 0 { p.reset(wRe: wRe[i], wIm: wIm[i]) }
                            var sRe = 0.0, sIm = 0.0, tRe = 0.0, tIm = 0.0
                            for q in 0..<p.blocks {
                                let start = q * p.block
                                let cnt = min(p.block, length - start)
                                var pRe = 0.0, pIm = 0.0, rRe = 0.0, rIm = 0.0
                                for r in 0..<cnt {
                                    let gv = row[start + r]
                                    let a = gv * p.innerRe[r], b = gv * p.innerIm[r]
                                    pRe += a; pIm += b
                                    rRe += Double(r) * a; rIm += Double(r) * b
                                }
                                let oRe = p.outerRe[q], oIm = p.outerIm[q]
                                sRe += oRe * pRe - oIm * pIm; sIm += oRe * pIm + oIm * pRe
                                let qb = Double(start)
                                let uRe = qb * pRe + rRe, uIm = qb * pIm + rIm
                                tRe += oRe * uRe - oIm * uIm; tIm += oRe * uIm + oIm * uRe
                            }
                            gcp.base[2 * i] = 2 * sRe; gcp.base[2 * i + 1] = -2 * sIm           // 2·conj(S)
                            let ctRe = cRe[i] * tRe - cIm[i] * tIm, ctIm = cRe[i] * tIm + cIm[i] * tRe
                            gwp.base[2 * i] = 2 * ctRe; gwp.base[2 * i + 1] = -2 * ctIm         // 2·conj(C̃T)
                        }
                    }
                }
            }
        }
        var gcRe = [Double](repeating: 0, count: count), gcIm = gcRe, gwRe = gcRe, gwIm = gcRe
        for i in 0..<count { gcRe[i] = gc[2 * i]; gcIm[i] = gc[2 * i + 1]; gwRe[i] = gw[2 * i]; gwIm[i] = gw[2 * i + 1] }
        return (gcRe, gcIm, gwRe, gwIm)
    }
}

/// ∂L/∂(kernel parameters), same layout as `S4DKernelParameters`.
public struct S4DKernelGradients: Sendable, Equatable {
    public var logDt: [Double]
    public var C: [Double]
    public var logAReal: [Double]
    public var AImag: [Double]
}

extension S4DKernelParameters {
    /// Back-propagates g = ∂L/∂K (shape (H, L)) to log_dt, C, log_A_real and A_imag through the discretisation.
    ///
    /// ZOH, E = (e^{Δλ}−1)/λ:  G_C = conj(E)·G_C̃;  G_λ = conj(C·∂E/∂λ)·G_C̃ + Δ·G_w with
    /// ∂E/∂λ = (Δλe^{Δλ} − (e^{Δλ}−1))/λ²;  ∂L/∂Δ = Σ_n Re(conj(G_C̃)·C·e^{Δλ}) + Re(conj(G_w)·λ).
    /// Bilinear, x = Δλ, F = Δ/(1−x/2), w′(x) = 1/(1−x²/4):  G_C = conj(F)·G_C̃;
    /// G_λ = conj(C·Δ²/(2(1−x/2)²))·G_C̃ + conj(Δ·w′)·G_w;  ∂L/∂Δ = Σ_n Re(conj(G_C̃)·C/(1−x/2)²) + Re(conj(G_w)·λ·w′).
    /// Euler, C̃ = CΔ, w = log(1 + x), w′(x) = 1/(1 + x):  G_C = Δ·G_C̃;  G_λ = conj(Δ·w′)·G_w;
    /// ∂L/∂Δ = Σ_n Re(conj(G_C̃)·C) + Re(conj(G_w)·λ·w′).
    /// Then ∂L/∂log_dt = Δ·∂L/∂Δ, ∂L/∂log_A_real = −e^{log_A_real}·Re G_λ, ∂L/∂A_imag = Im G_λ.
    public func backward(kernelGradient g: [Double], length: Int, discrete d: DiscreteS4D) -> S4DKernelGradients {
        let adj = d.kernelAdjoint(g, length: length)
        var out = S4DKernelGradients(zerosLike: self)
        for h in 0..<channels {
            let dt = d.dt[h]
            var dDt = 0.0
            for k in 0..<modes {
                let i = h * modes + k
                let c = Complex(C[2 * i], C[2 * i + 1])
                let lambda = Complex(d.lambdaRe[i], d.lambdaIm[i])
                let gct = Complex(adj.gcRe[i], adj.gcIm[i]), gw = Complex(adj.gwRe[i], adj.gwIm[i])
                var gc: Complex<Double>, gl: Complex<Double>
                switch d.method {
                case .zoh:
                    let x = lambda * Complex(dt, 0)
                    let em1 = DiscreteS4D.expMinusOne(x), ex = em1 + 1
                    let e = em1 / lambda
                    let dE = (x * ex - em1) / (lambda * lambda)
                    gc = e.conjugate * gct
                    gl = (c * dE).conjugate * gct + Complex(dt, 0) * gw
                    dDt += ((gct.conjugate * c * ex).real + (gw.conjugate * lambda).real)
                case .bilinear:
                    let x = lambda * Complex(dt, 0)
                    let den = 1 - x / 2
                    let f = Complex(dt, 0) / den
                    let wp = 1 / (1 - x * x / 4)
                    gc = f.conjugate * gct
                    gl = (c * Complex(dt * dt / 2, 0) / (den * den)).conjugate * gct + (Complex(dt, 0) * wp).conjugate * gw
                    dDt += ((gct.conjugate * c / (den * den)).real + (gw.conjugate * lambda * wp).real)
                case .euler:
                    let wp = 1 / (1 + lambda * Complex(dt, 0))
                    gc = Complex(dt, 0) * gct
                    gl = (Complex(dt, 0) * wp).conjugate * gw
                    dDt += ((gct.conjugate * c).real + (gw.conjugate * lambda * wp).real)
                }
                out.C[2 * i] = gc.real; out.C[2 * i + 1] = gc.imaginary
                out.logAReal[i] = d.lambdaRe[i] * gl.real        // ∂Reλ/∂log_A_real = −e^{log_A_real} = Re λ
                out.AImag[i] = gl.imaginary
            }
            out.logDt[h] = dt * dDt
        }
        return out
    }
}
