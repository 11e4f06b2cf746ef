// The LRU as a model's core (LRULayer.swift for the equations), forward and backward over a batch (B, H, L):
//   y = scan(μ = λ, B̄ = γ⊙B, C, D; u)   (DiagonalScan.swift, f = 1)
// Backward from the system's gradients to the parameters, per state j with λ = exp(−e^{ν_log} + i·e^{θ_log}),
// γ = e^{γ_log}, complex cotangents g = ∂L/∂Re + i·∂L/∂Im:
//   ∂ν_log = Re(conj(−e^{ν_log} λ) ∂λ),   ∂θ_log = Re(conj(i·e^{θ_log} λ) ∂λ)
//   ∂B = γ ∂B̄,   ∂γ_log = γ Σ_i Re(conj(B_ji) ∂B̄_ji),   ∂C = ∂C̃,   ∂D = ∂D
// The gradient is returned as an LRULayer holding the gradients (the layout of the parameters).
import PhasorNumerics

extension LRULayer {
    /// y (B, H, L) of u (B, H, L), and the states for the backward pass.
    func forwardTape(_ u: [Double], batch: Int, length: Int) throws -> ([Double], DiagonalMIMOSystem, ScanTape) {
        let system = try discrete()
        let (y, tape) = system.scan(u, batch: batch, length: length, lengths: [], reverse: false, skip: true)
        try ArchitectureCheck.output(y, "LRU output")
        return (y, system, tape)
    }

    /// ∂L/∂u and the parameter gradients (as an LRULayer of gradients) given ∂L/∂y.
    func backward(system: DiagonalMIMOSystem, tape: ScanTape, input u: [Double], outputGradient gy: [Double],
                  batch: Int, length: Int) throws -> ([Double], LRULayer) {
        let (du, g) = system.scanBackward(u, tape: tape, outputGradient: gy, batch: batch, length: length, lengths: [],
                                          reverse: false, skip: true)
        let N = states, H = channels, gammas = gamma, lam = system.mu
        var dNu = [Double](repeating: 0, count: N), dTheta = dNu, dGamma = dNu
        var dB = [Complex<Double>](repeating: .zero, count: N * H)
        for j in 0..<N {
            let dLdNu = lam[j] * Complex(-Double.exp(nuLog[j]))                      // ∂λ/∂ν_log = −e^{ν_log} λ
            let dLdTheta = lam[j] * Complex(0, Double.exp(thetaLog[j]))              // ∂λ/∂θ_log = i e^{θ_log} λ
            dNu[j] = (dLdNu.conjugate * g.mu[j]).real
            dTheta[j] = (dLdTheta.conjugate * g.mu[j]).real
            var s = 0.0
            for i in 0..<H {
                let gb = g.bBar[j * H + i]
                dB[j * H + i] = gb * Complex(gammas[j])                              // ∂B = γ ∂B̄
                s += (b[j * H + i].conjugate * gb).real
            }
            dGamma[j] = gammas[j] * s                                                // ∂γ_log = γ Σ Re(conj(B) ∂B̄)
        }
        let grads = try LRULayer(nuLog: dNu, thetaLog: dTheta, b: dB, c: g.c, d: g.d, gammaLog: dGamma)
        return (du, grads)
    }
}
