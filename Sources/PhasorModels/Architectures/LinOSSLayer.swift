// LinOSS, oscillatory state-space models (Rusch & Rus, "Oscillatory State-Space Models", ICLR 2025; reference code
// tk-rusch/linoss `models/LinOSS.py`). P forced harmonic oscillators, one per state:
//     y'' = −A y + B u,   x = Re(C y) + D u,   A = relu(A_diag) ≥ 0 (diagonal),  Δ_p = sigmoid(steps_p) ∈ (0, 1)
// written first order with z = y'. Per oscillator (v_k = (B u_k)_p, S = 1 + Δ²A):
//   IM (implicit Euler in both):      z_k = z_{k−1} + Δ(−A y_k + v_k),      y_k = y_{k−1} + Δ z_k
//       ⇒ [z_k; y_k] = M [z_{k−1}; y_{k−1}] + F v_k,  M = (1/S)[[1, −ΔA], [Δ, 1]],  F = (1/S)[Δ; Δ²]
//       eigenvalues μ± = (1 ± iΔ√A)/S, |μ±|² = det M = 1/S  ⇒ |μ±| = 1/√(1 + Δ²A) < 1 (dissipative), arg μ = atan(Δ√A)
//   IMEX (symplectic Euler):          z_k = z_{k−1} + Δ(−A y_{k−1} + v_k),  y_k = y_{k−1} + Δ z_k
//       ⇒ M = [[1, −ΔA], [Δ, 1 − Δ²A]],  F = [Δ; Δ²],  det M = 1, tr M = 2 − Δ²A
//       for Δ²A ≤ 4: μ± = 1 − Δ²A/2 ± i√(Δ²A − Δ⁴A²/4), |μ±| = 1 (conservative), arg μ = arccos(1 − Δ²A/2)
//       = 2 arcsin(Δ√A/2); for Δ²A > 4 the eigenvalues are real with product 1 and one exceeds 1: unstable (refused).
// Both tend to μ = e^{±iΔ√A} as Δ√A → 0 (the exact oscillator of natural frequency √A).
// Safetensors keys (the reference's Equinox field names): A_diag (P), B (P, H, 2), C (H, P, 2), D (H), steps (P).
import PhasorData
import PhasorNumerics

/// The time discretisation of LinOSS.
public enum LinOSSScheme: String, Sendable, CaseIterable, Codable {
    /// LinOSS-IM: implicit, dissipative (|μ| = 1/√(1 + Δ²A)).
    case implicit = "IM"
    /// LinOSS-IMEX: implicit–explicit (symplectic), conservative (|μ| = 1 while Δ²A ≤ 4).
    case implicitExplicit = "IMEX"
}

/// One oscillator's 2×2 discrete transition [z_k; y_k] = M [z_{k−1}; y_{k−1}] + F v_k.
public struct LinOSSBlock: Sendable, Equatable {
    /// A = relu(A_diag) and Δ = sigmoid(steps) for this oscillator.
    public let a: Double, step: Double
    /// M row-major: [[m00, m01], [m10, m11]].
    public let m00: Double, m01: Double, m10: Double, m11: Double
    /// F = [fz; fy].
    public let fz: Double, fy: Double

    init(a: Double, step: Double, scheme: LinOSSScheme) {
        self.a = a; self.step = step
        switch scheme {
        case .implicit:
            let s = 1 + step * step * a                                   // S = 1 + Δ²A
            m00 = 1 / s; m01 = -step * a / s; m10 = step / s; m11 = 1 / s  // M = (1/S)[[1, −ΔA], [Δ, 1]]
            fz = step / s; fy = step * step / s                           // F = (1/S)[Δ; Δ²]
        case .implicitExplicit:
            m00 = 1; m01 = -step * a; m10 = step; m11 = 1 - step * step * a  // M = [[1, −ΔA], [Δ, 1 − Δ²A]]
            fz = step; fy = step * step                                   // F = [Δ; Δ²]
        }
    }

    /// The natural frequency √A of the continuous oscillator.
    public var naturalFrequency: Double { a.squareRoot() }

    /// The inverse relation: √A from a discrete eigenvalue μ (either of the pair) and Δ.
    ///   IM:   arg μ = atan(Δ√A)          ⇒ √A = tan|arg μ| / Δ   (also |μ|⁻² = 1 + Δ²A)
    ///   IMEX: arg μ = 2 arcsin(Δ√A/2)    ⇒ √A = 2 sin(|arg μ|/2) / Δ
    public static func naturalFrequency(eigenvalue mu: Complex<Double>, step: Double, scheme: LinOSSScheme) -> Double {
        let theta = abs(mu.phase)
        switch scheme {
        case .implicit: return Double.tan(theta) / step
        case .implicitExplicit: return 2 * Double.sin(theta / 2) / step
        }
    }

    /// The eigenvalues of M from its trace and determinant: μ± = tr/2 ± √(tr²/4 − det) (complex square root).
    public var eigenvalues: (plus: Complex<Double>, minus: Complex<Double>) {
        let half = (m00 + m11) / 2, det = m00 * m11 - m01 * m10
        let disc = half * half - det
        let root = disc >= 0 ? Complex(disc.squareRoot(), 0) : Complex(0, (-disc).squareRoot())
        return (Complex(half) + root, Complex(half) - root)
    }
}

/// The LinOSS layer's linear oscillator SSM.
public struct LinOSSLayer: Sendable, Equatable {
    /// Â (A = relu(Â)), P.
    public var aDiag: [Double]
    /// B, P × H row-major.
    public var b: [Complex<Double>]
    /// C, H × P row-major.
    public var c: [Complex<Double>]
    public var d: [Double]
    /// Δ = sigmoid(steps), P.
    public var steps: [Double]
    public var scheme: LinOSSScheme

    public var oscillators: Int { aDiag.count }
    public var channels: Int { d.count }

    public init(aDiag: [Double], b: [Complex<Double>], c: [Complex<Double>], d: [Double], steps: [Double],
                scheme: LinOSSScheme = .implicit) throws {
        let p = aDiag.count, h = d.count
        try ArchitectureCheck.positive([("P (oscillators)", p), ("H (channels)", h)])
        try ArchitectureCheck.count(aDiag, p, "A_diag")
        try ArchitectureCheck.count(steps, p, "steps")
        try ArchitectureCheck.count(d, h, "D")
        guard b.count == p * h, c.count == h * p else {
            throw ArchitectureError.shapeMismatch("B has \(b.count) entries and C \(c.count); need P·H = \(p * h)")
        }
        try ArchitectureTensors.finite(b, "B")
        try ArchitectureTensors.finite(c, "C")
        self.aDiag = aDiag; self.b = b; self.c = c; self.d = d; self.steps = steps; self.scheme = scheme
    }

    /// The per-oscillator 2×2 blocks. Throws `nonPositiveStep` if sigmoid underflows to 0, and (when
    /// `requireStable`) `unstable` for IMEX with Δ²A > 4 (real eigenvalues, one of modulus > 1) — the classifier's
    /// forward runs such an oscillator as its reference does.
    public func blocks(requireStable: Bool = true) throws -> [LinOSSBlock] {
        try (0..<oscillators).map { p in
            let a = max(aDiag[p], 0)                       // A = relu(Â)
            let step = 1 / (1 + Double.exp(-steps[p]))     // Δ = sigmoid(steps)
            guard step > 0 else { throw ArchitectureError.nonPositiveStep("Δ_\(p) = sigmoid(\(steps[p])) = 0") }
            if requireStable, scheme == .implicitExplicit, step * step * a > 4 {
                throw ArchitectureError.unstable("IMEX oscillator \(p): Δ²A = \(step * step * a) > 4")
            }
            return LinOSSBlock(a: a, step: step, scheme: scheme)
        }
    }

    /// Runs the scheme's update equations on u (H, L); returns x (H, L). State (z, y) complex per oscillator.
    public func forward(_ u: [Double], length: Int) throws -> [Double] {
        let h = channels, p = oscillators
        try ArchitectureCheck.input(u, channels: h, length: length)
        let blocks = try blocks(requireStable: false)
        var z = [Complex<Double>](repeating: .zero, count: p), y = z
        var out = [Double](repeating: 0, count: h * length)
        for k in 0..<length {
            for q in 0..<p {
                var v = Complex<Double>.zero
                for j in 0..<h { v += b[q * h + j] * Complex(u[j * length + k]) }   // v = (B u_k)_q
                let dt = Complex(blocks[q].step), a = Complex(blocks[q].a)
                switch scheme {
                case .implicit:
                    // y_k (1 + Δ²A) = y_{k−1} + Δ z_{k−1} + Δ² v, then z_k = z_{k−1} + Δ(−A y_k + v)
                    let yNew = (y[q] + dt * z[q] + dt * dt * v) / Complex(1 + blocks[q].step * blocks[q].step * blocks[q].a)
                    z[q] = z[q] + dt * (v - a * yNew)
                    y[q] = yNew
                case .implicitExplicit:
                    z[q] = z[q] + dt * (v - a * y[q])   // z_k = z_{k−1} + Δ(−A y_{k−1} + v)
                    y[q] = y[q] + dt * z[q]             // y_k = y_{k−1} + Δ z_k
                }
            }
            for i in 0..<h {
                var re = 0.0
                for q in 0..<p { re += (c[i * p + q] * y[q]).real }                    // Re(C y_k)_i
                out[i * length + k] = re + d[i] * u[i * length + k]
            }
        }
        try ArchitectureCheck.output(out, "LinOSS output")
        return out
    }

    /// The LTI kernel K_l[i, j] = Σ_p g_p[l]·Re(C_ip B_pj), g_p[l] = (M_p^l F_p)_y (real), shape (L, H, H).
    public func kernel(length: Int) throws -> [Double] {
        guard length > 0 else { throw ArchitectureError.shapeMismatch("kernel length \(length) must be positive") }
        let h = channels, p = oscillators, blocks = try blocks(requireStable: false)
        var kernel = [Double](repeating: 0, count: length * h * h)
        for q in 0..<p {
            let blk = blocks[q]
            var sz = blk.fz, sy = blk.fy                                    // s = M^l F, starting at l = 0
            for l in 0..<length {
                for i in 0..<h { for j in 0..<h { kernel[(l * h + i) * h + j] += sy * (c[i * p + q] * b[q * h + j]).real } }
                (sz, sy) = (blk.m00 * sz + blk.m01 * sy, blk.m10 * sz + blk.m11 * sy)  // s ← M s
            }
        }
        try ArchitectureCheck.output(kernel, "LinOSS kernel")
        return kernel
    }

    /// x (H, L) by the causal convolution with `kernel(length:)` plus D⊙u (FFT; `direct: true` for the O(L²H²) sum).
    public func forwardConvolution(_ u: [Double], length: Int, direct: Bool = false) throws -> [Double] {
        let h = channels
        try ArchitectureCheck.input(u, channels: h, length: length)
        let kernel = try kernel(length: length)
        return try MIMOConvolution.withSkip(kernel: kernel, skip: d, input: u, channels: h, length: length,
                                            direct: direct, quantity: "LinOSS convolution output")
    }

    /// The 2P complex modes of the diagonalised blocks, M = V diag(μ₊, μ₋) V⁻¹ with V = [[m01, m01], [μ₊ − m00,
    /// μ₋ − m00]] (eigenvectors (m01, μ − m00)). Mode 2p is μ₊ of oscillator p, mode 2p+1 is μ₋. With w = V⁻¹[z; y]:
    ///   drive  (V⁻¹F)₊ = ((μ₋ − m00) F_z − m01 F_y)/det V,  (V⁻¹F)₋ = (−(μ₊ − m00) F_z + m01 F_y)/det V,
    ///   det V = m01 (μ₋ − μ₊);  read-out y = (μ₊ − m00) w₊ + (μ₋ − m00) w₋.
    /// Throws `defective` for A = 0 (M a Jordan block) and IMEX at Δ²A = 4 (double eigenvalue −1).
    public func diagonalised() throws -> DiagonalMIMOSystem {
        let h = channels, p = oscillators, blocks = try blocks(requireStable: false)
        var mu: [Complex<Double>] = [], bBar: [Complex<Double>] = [], cTilde = [Complex<Double>](repeating: .zero, count: h * 2 * p)
        for q in 0..<p {
            let blk = blocks[q], (plus, minus) = blk.eigenvalues
            let det = Complex(blk.m01) * (minus - plus)
            guard blk.m01 != 0, det.length > 1e-12 * max(1, abs(blk.m01)) else {
                throw ArchitectureError.defective("oscillator \(q) (A = \(blk.a), Δ = \(blk.step)) has a repeated eigenvalue")
            }
            let a0 = Complex(blk.m00), fz = Complex(blk.fz), fy = Complex(blk.fy), m01 = Complex(blk.m01)
            let drivePlus = ((minus - a0) * fz - m01 * fy) / det
            let driveMinus = (m01 * fy - (plus - a0) * fz) / det
            mu += [plus, minus]
            bBar += (0..<h).map { drivePlus * b[q * h + $0] }
            bBar += (0..<h).map { driveMinus * b[q * h + $0] }
            for i in 0..<h {
                cTilde[i * 2 * p + 2 * q] = c[i * p + q] * (plus - a0)
                cTilde[i * 2 * p + 2 * q + 1] = c[i * p + q] * (minus - a0)
            }
        }
        return try DiagonalMIMOSystem(mu: mu, bBar: bBar, c: cTilde, d: d, outputFactor: 1)
    }

    // MARK: safetensors

    /// Reads A_diag, B, C, D, steps under `prefix`; P and H come from shapes.
    public init(file: SafeTensorsFile, prefix: String = "", scheme: LinOSSScheme = .implicit) throws {
        let aTensor = try file.tensor(prefix + "A_diag"), dTensor = try file.tensor(prefix + "D")
        guard aTensor.shape.count == 1, dTensor.shape.count == 1 else {
            throw ArchitectureError.shapeMismatch("A_diag \(aTensor.shape) and D \(dTensor.shape) must be vectors (P) and (H)")
        }
        let p = aTensor.shape[0], h = dTensor.shape[0]
        try self.init(aDiag: try ArchitectureTensors.read(file, prefix, "A_diag", [p]),
                      b: try ArchitectureTensors.readComplex(file, prefix, "B", rows: p, columns: h),
                      c: try ArchitectureTensors.readComplex(file, prefix, "C", rows: h, columns: p),
                      d: try ArchitectureTensors.read(file, prefix, "D", [h]),
                      steps: try ArchitectureTensors.read(file, prefix, "steps", [p]), scheme: scheme)
    }

    /// Adds the layer's tensors (float64) to `file` under `prefix`.
    public func write(to file: inout SafeTensorsFile, prefix: String = "") throws {
        let p = oscillators, h = channels
        try ArchitectureTensors.put(&file, prefix, "A_diag", [p], aDiag)
        try ArchitectureTensors.putComplex(&file, prefix, "B", rows: p, columns: h, b)
        try ArchitectureTensors.putComplex(&file, prefix, "C", rows: h, columns: p, c)
        try ArchitectureTensors.put(&file, prefix, "D", [h], d)
        try ArchitectureTensors.put(&file, prefix, "steps", [p], steps)
    }
}
