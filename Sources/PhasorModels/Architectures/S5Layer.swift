// The S5 layer's linear SSM (Smith, Warrington & Linderman, "Simplified State Space Layers for Sequence Modeling",
// ICLR 2023; reference code lindermanlab/S5 `s5/ssm.py`, docs/architectures-reference.md §2.1). One MIMO diagonal
// system for all H channels:
//     continuous  dx/dt = Λ x + B̃ u,  y = C̃ x + D u,  Λ = diag(Lambda_re + i·Lambda_im) ∈ ℂ^P
//     clip_eigs   Re Λ ← min(Lambda_re, −1e-4)   (in the forward pass; the stored Lambda_re stays unclipped)
//     step        Δ_p = step_rescale · exp(log_step_p)
//     ZOH         Λ̄ = e^{ΛΔ},                 B̄ = ((Λ̄ − 1)/Λ) ⊙ B̃       (row p scaled; → Δ_p B̃ when Λ_p = 0)
//     bilinear    Λ̄ = (1 + ΔΛ/2)/(1 − ΔΛ/2),  B̄ = (Δ/(1 − ΔΛ/2)) ⊙ B̃
//     output      y_k = f·Re(C̃ x_k) + D⊙u_k,  f = 2 with conjugate symmetry (P stored modes stand for 2P), else 1.
//     bidirectional  also x'_k = Λ̄ ⊙ x'_{k+1} + B̄ u_k from the end (it includes step k), y_k += f·Re(C̃₂ x'_k):
//                 the layer is then NOT causal.
// Tensor names and the reading of a checkpoint's block are S5Layout.swift's.
import PhasorNumerics

/// S5's diagonal MIMO SSM with one step size per mode.
public struct S5Layer: Sendable, Equatable {
    public var lambdaRe: [Double]
    public var lambdaIm: [Double]
    /// B̃, P × H row-major.
    public var b: [Complex<Double>]
    /// C̃, H × P row-major.
    public var c: [Complex<Double>]
    public var d: [Double]
    /// log Δ_p, P.
    public var logStep: [Double]
    public var discretization: Discretization
    /// Output 2·Re(C̃x) (true, S5's `conj_sym`) or Re(C̃x).
    public var conjugateSymmetric: Bool
    /// S5's `clip_eigs`: Re Λ ← min(Lambda_re, −1e-4) in the forward pass.
    public var clipEigenvalues: Bool
    /// S5's `step_rescale`: Δ = step_rescale · exp(log_step).
    public var stepRescale: Double
    /// C̃₂, H × P: the read-out of the reversed scan of a bidirectional layer (nil: causal).
    public var cReverse: [Complex<Double>]?

    public var modes: Int { lambdaRe.count }
    public var channels: Int { d.count }

    /// Validates shapes and finiteness.
    public init(lambdaRe: [Double], lambdaIm: [Double], b: [Complex<Double>], c: [Complex<Double>], d: [Double],
                logStep: [Double], discretization: Discretization = .zoh, conjugateSymmetric: Bool = true,
                clipEigenvalues: Bool = false, stepRescale: Double = 1, cReverse: [Complex<Double>]? = nil) throws {
        let p = lambdaRe.count, h = d.count
        try ArchitectureCheck.positive([("P (modes)", p), ("H (channels)", h)])
        try ArchitectureCheck.count(lambdaRe, p, "Lambda_re")
        try ArchitectureCheck.count(lambdaIm, p, "Lambda_im")
        try ArchitectureCheck.count(d, h, "D")
        try ArchitectureCheck.count(logStep, p, "log_step")
        guard b.count == p * h, c.count == h * p else {
            throw ArchitectureError.shapeMismatch("B has \(b.count) entries and C \(c.count); need P·H = \(p * h)")
        }
        if let c2 = cReverse, c2.count != h * p {
            throw ArchitectureError.shapeMismatch("C2 has \(c2.count) entries; need H·P = \(h * p)")
        }
        try ArchitectureTensors.finite(b, "B")
        try ArchitectureTensors.finite(c, "C")
        try ArchitectureTensors.finite(cReverse ?? [], "C2")
        guard stepRescale > 0, stepRescale.isFinite else {
            throw ArchitectureError.nonPositiveStep("step_rescale = \(stepRescale)")
        }
        self.lambdaRe = lambdaRe; self.lambdaIm = lambdaIm; self.b = b; self.c = c; self.d = d
        self.logStep = logStep; self.discretization = discretization; self.conjugateSymmetric = conjugateSymmetric
        self.clipEigenvalues = clipEigenvalues; self.stepRescale = stepRescale; self.cReverse = cReverse
    }

    /// Whether the layer has the reversed (anti-causal) scan.
    public var isBidirectional: Bool { cReverse != nil }

    /// The bound clip_eigs puts on Re Λ.
    public static let clipBound = -1e-4

    /// Λ_p = Re Λ_p + i·Lambda_im_p as the forward pass uses it: Re Λ_p = min(Lambda_re_p, −1e-4) with clip_eigs.
    public var lambda: [Complex<Double>] {
        (0..<modes).map { Complex(clipEigenvalues ? min(lambdaRe[$0], Self.clipBound) : lambdaRe[$0], lambdaIm[$0]) }
    }

    /// Δ_p = step_rescale · exp(log_step_p); throws when Δ_p is not positive and finite.
    public func steps() throws -> [Double] {
        try logStep.enumerated().map { p, s in
            let step = stepRescale * Double.exp(s)  // Δ = step_rescale · exp(log_step)
            guard step > 0, step.isFinite else { throw ArchitectureError.nonPositiveStep("Δ_\(p) = \(stepRescale)·exp(\(s)) = \(step)") }
            return step
        }
    }

    /// Λ̄ and B̄ by the chosen discretisation (per-mode Δ_p), as a `DiagonalMIMOSystem`.
    public func discrete() throws -> DiagonalMIMOSystem {
        let steps = try steps(), h = channels
        var mu: [Complex<Double>] = [], bBar = [Complex<Double>](repeating: .zero, count: b.count)
        for (p, l) in lambda.enumerated() {
            mu.append(discretization.pole(rate: l, step: steps[p]))                 // Λ̄ (Discretization.swift)
            let scale = discretization.inputFactor(rate: l, step: steps[p])         // B̄/B̃
            guard mu[p].isFinite, scale.isFinite else {
                throw ArchitectureError.invalid("\(discretization.rawValue): mode \(p) has no finite discrete pole (Λ_\(p) = \(l), Δ_\(p) = \(steps[p]))")
            }
            for j in 0..<h { bBar[p * h + j] = scale * b[p * h + j] }               // B̄ = scale ⊙ B̃
        }
        return try DiagonalMIMOSystem(mu: mu, bBar: bBar, c: c, d: d, outputFactor: conjugateSymmetric ? 2 : 1)
    }

    /// The reversed scan of a bidirectional layer: the same Λ̄ and B̄ read out by C̃₂, with no skip term (nil for a
    /// causal layer). Its output on the time-reversed input, reversed again, is the layer's anti-causal part.
    public func reverseDiscrete() throws -> DiagonalMIMOSystem? {
        guard let c2 = cReverse else { return nil }
        let forward = try discrete()
        return try DiagonalMIMOSystem(mu: forward.mu, bBar: forward.bBar, c: c2, d: [Double](repeating: 0, count: channels),
                                      outputFactor: forward.outputFactor)
    }

    /// y (H, L) from u (H, L) by the recurrence (plus the reversed scan when bidirectional).
    public func forward(_ u: [Double], length: Int) throws -> [Double] {
        var y = try discrete().recur(u, length: length)
        if let r = try reverseDiscrete() { Self.addReversed(&y, try r.recur(Self.reversed(u, length: length), length: length), length: length) }
        return y
    }

    /// y (H, L) from u (H, L) by the causal convolution with K_l = f·Re(C̃ Λ̄^l B̄) (FFT, or the direct sum) — and,
    /// when bidirectional, the anti-causal one with C̃₂ as the convolution of the reversed input.
    public func forwardConvolution(_ u: [Double], length: Int, direct: Bool = false) throws -> [Double] {
        var y = try discrete().convolve(u, length: length, direct: direct)
        if let r = try reverseDiscrete() {
            Self.addReversed(&y, try r.convolve(Self.reversed(u, length: length), length: length, direct: direct), length: length)
        }
        return y
    }

    /// u (H, L) with each row reversed in time.
    static func reversed(_ u: [Double], length L: Int) -> [Double] {
        var out = u
        for r in 0..<(u.count / L) { for l in 0..<L { out[r * L + l] = u[r * L + L - 1 - l] } }
        return out
    }

    /// y += (each row of z reversed in time).
    static func addReversed(_ y: inout [Double], _ z: [Double], length L: Int) {
        for r in 0..<(y.count / L) { for l in 0..<L { y[r * L + l] += z[r * L + L - 1 - l] } }
    }
}
