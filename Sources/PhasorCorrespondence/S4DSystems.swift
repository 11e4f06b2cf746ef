// THE change of representation "an S4D layer → its diagonal systems" (DESIGN.md §3, §6). Channel h of an S4D core is
//     h_{k,n} = μ_n h_{k−1,n} + u_k,    y_k = 2·Re Σ_n C̃_n h_{k,n} + D_h u_k
// with μ_n = pole(λ_n, Δ_h), b_n = 1 (B ≡ 1 is folded into the read-out C̃_n = C_hn·B̄(λ_n, Δ_h)) and the layer's OWN
// discretisation (Discretization.swift):
//     ZOH:       μ = e^{Δλ},                 C̃ = C·(e^{Δλ} − 1)/λ
//     bilinear:  μ = (1 + Δλ/2)/(1 − Δλ/2),  C̃ = C·Δ/(1 − Δλ/2)
// λ_n = −exp(log_A_real) + i·A_imag and Δ_h = exp(log_dt) come from `S4DCore.discretised()`, the numbers the forward
// pass itself runs, so K_h[l] = 2·Re Σ_n C̃_n μ_n^l is exactly the layer's kernel. `map`, `ring`, `analyze`, the demo and
// the operator's interaction bases all read S4D layers through this file.
import PhasorModels
import PhasorNumerics

/// One channel of an S4D layer as a diagonal system, with the continuous rates the model defines.
public struct S4DChannel: Sendable, Equatable {
    /// The channel index h.
    public let channel: Int
    public let ssm: DiagonalSSM
    /// λ_n = −exp(log_A_real) + i·A_imag as the model defines them (never folded into the Nyquist band).
    public let rates: [Complex<Double>]
    public let discretization: Discretization
}

extension S4DCore {
    /// Channel h as a diagonal system.
    public func diagonalSystem(channel h: Int) throws -> S4DChannel {
        guard h >= 0, h < channels else {
            throw CorrespondenceError.invalid("channel \(h) does not exist: the layer has \(channels) channels (0..<\(channels))")
        }
        return try diagonalSystem(channel: h, discrete: discretised())
    }

    /// Every channel as a diagonal system.
    public func diagonalSystems() throws -> [S4DChannel] {
        let d = try discretised()
        return try (0..<channels).map { try diagonalSystem(channel: $0, discrete: d) }
    }

    private func diagonalSystem(channel h: Int, discrete d: DiscreteS4D) throws -> S4DChannel {
        let m = modes
        let ssm = try DiagonalSSM(modes: (0..<m).map { d.pole(channel: h, mode: $0) },                  // μ_n
                                  input: [Complex<Double>](repeating: .one, count: m),                  // b_n = 1
                                  output: (0..<m).map { d.readout(channel: h, mode: $0) },               // C̃_n
                                  direct: D[h], step: d.dt[h])
        return S4DChannel(channel: h, ssm: ssm, rates: (0..<m).map { d.rate(channel: h, mode: $0) },
                          discretization: discretization)
    }
}
