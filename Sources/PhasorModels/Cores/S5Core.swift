// S5 as a model's core (S5Layer.swift for the equations), forward and backward over a batch (B, H, L):
//   y = scan(μ, B̄, C̃, D; u)  [+ reversed scan(μ, B̄, C̃₂; u) when bidirectional]        (DiagonalScan.swift)
// Backward from the systems' gradients (∂μ, ∂B̄, ∂C̃, ∂D; the reversed scan adds its ∂μ, ∂B̄) to the parameters, per
// mode p with Λ = Re Λ + i·Lambda_im (Re Λ clipped by clip_eigs), Δ = step_rescale·exp(log_step), μ = pole(Λ, Δ),
// F = B̄/B̃ = factor(Λ, Δ) (Discretization.swift), complex cotangents g = ∂L/∂Re + i·∂L/∂Im:
//   ∂B̃_pj = conj(F_p) ∂B̄_pj,   ∂F_p = Σ_j conj(B̃_pj) ∂B̄_pj
//   ∂Λ = conj(∂μ/∂Λ) ∂μ + conj(∂F/∂Λ) ∂F         → ∂Lambda_re = Re ∂Λ (0 where clip_eigs clips), ∂Lambda_im = Im ∂Λ
//   ∂Δ = Re(conj(∂μ/∂Δ) ∂μ + conj(∂F/∂Δ) ∂F)     → ∂log_step = Δ·∂Δ
//   ∂C = ∂C̃,  ∂C2 = ∂C̃₂,  ∂D = ∂D
// The gradient is returned as an S5Layer holding the gradients (the layout of the parameters).
import PhasorNumerics

extension S5Layer {
    /// What `backward` needs from `forwardTape`.
    struct CoreTape: Sendable {
        var system: DiagonalMIMOSystem
        var reverse: DiagonalMIMOSystem?
        var scan: ScanTape
        var reverseScan: ScanTape?
    }

    /// y (B, H, L) of u (B, H, L); `lengths` bound the reversed scan of a bidirectional layer.
    func forwardTape(_ u: [Double], batch: Int, length: Int, lengths: [Int]) throws -> ([Double], CoreTape) {
        let system = try discrete()
        var (y, tape) = system.scan(u, batch: batch, length: length, lengths: lengths, reverse: false, skip: true)
        var reverse: DiagonalMIMOSystem?, reverseTape: ScanTape?
        if let r = try reverseDiscrete() {
            let (z, t) = r.scan(u, batch: batch, length: length, lengths: lengths, reverse: true, skip: false)
            addInPlace(&y, z)
            reverse = r; reverseTape = t
        }
        try ArchitectureCheck.output(y, "S5 output")
        return (y, CoreTape(system: system, reverse: reverse, scan: tape, reverseScan: reverseTape))
    }

    /// ∂L/∂u and the parameter gradients (as an S5Layer of gradients) given ∂L/∂y.
    func backward(_ tape: CoreTape, input u: [Double], outputGradient gy: [Double], batch: Int, length: Int,
                  lengths: [Int]) throws -> ([Double], S5Layer) {
        var (du, g) = tape.system.scanBackward(u, tape: tape.scan, outputGradient: gy, batch: batch, length: length,
                                               lengths: lengths, reverse: false, skip: true)
        var gReverseC: [Complex<Double>]?
        if let r = tape.reverse, let rt = tape.reverseScan {
            let (dz, gr) = r.scanBackward(u, tape: rt, outputGradient: gy, batch: batch, length: length, lengths: lengths,
                                          reverse: true, skip: false)
            addInPlace(&du, dz)
            for p in 0..<g.mu.count { g.mu[p] += gr.mu[p] }
            for k in 0..<g.bBar.count { g.bBar[k] += gr.bBar[k] }
            gReverseC = gr.c
        }
        let P = modes, H = channels, rates = lambda, steps = try steps()
        var dRe = [Double](repeating: 0, count: P), dIm = dRe, dLogStep = dRe
        var dB = [Complex<Double>](repeating: .zero, count: P * H)
        for p in 0..<P {
            let lam = rates[p], dt = steps[p]
            let factor = discretization.inputFactor(rate: lam, step: dt)
            let dv = discretization.derivatives(rate: lam, step: dt)
            var gF = Complex<Double>.zero
            for j in 0..<H {
                let gb = g.bBar[p * H + j]
                dB[p * H + j] = factor.conjugate * gb                                   // ∂B̃ = conj(F) ∂B̄
                gF += b[p * H + j].conjugate * gb                                        // ∂F = Σ_j conj(B̃) ∂B̄
            }
            let gLambda = dv.poleRate.conjugate * g.mu[p] + dv.factorRate.conjugate * gF
            let gStep = (dv.poleStep.conjugate * g.mu[p] + dv.factorStep.conjugate * gF).real
            let clipped = clipEigenvalues && lambdaRe[p] > Self.clipBound
            dRe[p] = clipped ? 0 : gLambda.real
            dIm[p] = gLambda.imaginary
            dLogStep[p] = dt * gStep                                                     // Δ = s·e^{log_step}
        }
        let grads = try S5Layer(lambdaRe: dRe, lambdaIm: dIm, b: dB, c: g.c, d: g.d, logStep: dLogStep,
                                discretization: discretization, conjugateSymmetric: conjugateSymmetric,
                                clipEigenvalues: clipEigenvalues, stepRescale: stepRescale, cReverse: gReverseC)
        return (du, grads)
    }
}
