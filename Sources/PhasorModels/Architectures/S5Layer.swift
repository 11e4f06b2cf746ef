// The S5 layer's linear SSM (Smith, Warrington & Linderman, "Simplified State Space Layers for Sequence Modeling",
// ICLR 2023; reference code lindermanlab/S5 `s5/ssm.py`). One MIMO diagonal system for all H channels:
//     continuous  dx/dt = Λ x + B̃ u,  y = C̃ x + D u,  Λ = diag(Lambda_re + i·Lambda_im) ∈ ℂ^P,  Δ_p = exp(log_step_p)
//     ZOH         Λ̄ = e^{ΛΔ},                 B̄ = ((Λ̄ − 1)/Λ) ⊙ B̃       (row p scaled; → Δ_p B̃ when Λ_p = 0)
//     bilinear    Λ̄ = (1 + ΔΛ/2)/(1 − ΔΛ/2),  B̄ = (Δ/(1 − ΔΛ/2)) ⊙ B̃
//     output      y_k = f·Re(C̃ x_k) + D⊙u_k,  f = 2 with conjugate symmetry (P stored modes stand for 2P), else 1.
// Safetensors keys (the Flax parameter names of the reference, stored with a prefix):
//     Lambda_re (P), Lambda_im (P), B (P, H, 2), C (H, P, 2), D (H), log_step (P, 1)   — last axis 2 = (re, im).
// Not covered: S5's step_rescale, the bidirectional C1/C2 variant and the HiPPO-N initialisation.
import PhasorData
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

    public var modes: Int { lambdaRe.count }
    public var channels: Int { d.count }

    /// Validates shapes and finiteness.
    public init(lambdaRe: [Double], lambdaIm: [Double], b: [Complex<Double>], c: [Complex<Double>], d: [Double],
                logStep: [Double], discretization: Discretization = .zoh, conjugateSymmetric: Bool = true) throws {
        let p = lambdaRe.count, h = d.count
        try ArchitectureCheck.positive([("P (modes)", p), ("H (channels)", h)])
        try ArchitectureCheck.count(lambdaRe, p, "Lambda_re")
        try ArchitectureCheck.count(lambdaIm, p, "Lambda_im")
        try ArchitectureCheck.count(d, h, "D")
        try ArchitectureCheck.count(logStep, p, "log_step")
        guard b.count == p * h, c.count == h * p else {
            throw ArchitectureError.shapeMismatch("B has \(b.count) entries and C \(c.count); need P·H = \(p * h)")
        }
        try ArchitectureTensors.finite(b, "B")
        try ArchitectureTensors.finite(c, "C")
        self.lambdaRe = lambdaRe; self.lambdaIm = lambdaIm; self.b = b; self.c = c; self.d = d
        self.logStep = logStep; self.discretization = discretization; self.conjugateSymmetric = conjugateSymmetric
    }

    /// Λ_p = Lambda_re_p + i·Lambda_im_p.
    public var lambda: [Complex<Double>] { (0..<modes).map { Complex(lambdaRe[$0], lambdaIm[$0]) } }

    /// Δ_p = exp(log_step_p); throws when Δ_p is not positive and finite.
    public func steps() throws -> [Double] {
        try logStep.enumerated().map { p, s in
            let step = Double.exp(s)  // Δ = exp(log_step)
            guard step > 0, step.isFinite else { throw ArchitectureError.nonPositiveStep("Δ_\(p) = exp(\(s)) = \(step)") }
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

    /// y (H, L) from u (H, L) by the recurrence.
    public func forward(_ u: [Double], length: Int) throws -> [Double] { try discrete().recur(u, length: length) }

    /// y (H, L) from u (H, L) by the causal convolution with K_l = f·Re(C̃ Λ̄^l B̄) (FFT, or the direct sum).
    public func forwardConvolution(_ u: [Double], length: Int, direct: Bool = false) throws -> [Double] {
        try discrete().convolve(u, length: length, direct: direct)
    }

    // MARK: safetensors

    /// Reads the layer from `file` (keys `prefix` + Lambda_re, Lambda_im, B, C, D, log_step); P and H come from shapes.
    public init(file: SafeTensorsFile, prefix: String = "", discretization: Discretization = .zoh,
                conjugateSymmetric: Bool = true) throws {
        let re = try file.tensor(prefix + "Lambda_re")
        let dTensor = try file.tensor(prefix + "D")
        guard re.shape.count == 1, dTensor.shape.count == 1 else {
            throw ArchitectureError.shapeMismatch("Lambda_re \(re.shape) and D \(dTensor.shape) must be vectors (P) and (H)")
        }
        let p = re.shape[0], h = dTensor.shape[0]
        try self.init(lambdaRe: try ArchitectureTensors.read(file, prefix, "Lambda_re", [p]),
                      lambdaIm: try ArchitectureTensors.read(file, prefix, "Lambda_im", [p]),
                      b: try ArchitectureTensors.readComplex(file, prefix, "B", rows: p, columns: h),
                      c: try ArchitectureTensors.readComplex(file, prefix, "C", rows: h, columns: p),
                      d: try ArchitectureTensors.read(file, prefix, "D", [h]),
                      logStep: try ArchitectureTensors.read(file, prefix, "log_step", [p, 1]),
                      discretization: discretization, conjugateSymmetric: conjugateSymmetric)
    }

    /// Adds the layer's tensors (float64) to `file` under `prefix`.
    public func write(to file: inout SafeTensorsFile, prefix: String = "") throws {
        let p = modes, h = channels
        try ArchitectureTensors.put(&file, prefix, "Lambda_re", [p], lambdaRe)
        try ArchitectureTensors.put(&file, prefix, "Lambda_im", [p], lambdaIm)
        try ArchitectureTensors.putComplex(&file, prefix, "B", rows: p, columns: h, b)
        try ArchitectureTensors.putComplex(&file, prefix, "C", rows: h, columns: p, c)
        try ArchitectureTensors.put(&file, prefix, "D", [h], d)
        try ArchitectureTensors.put(&file, prefix, "log_step", [p, 1], logStep)
    }
}
