// S5's HiPPO-N initialisation (Smith et al. 2023, §4.3; lindermanlab/S5 `s5/ssm_init.py` and `s5/train.py`;
// docs/architectures-reference.md §2.2). ssm_size N splits into `blocks` blocks of n = N/blocks modes; per block:
//   HiPPO-LegS  A_nk = −√(2n+1)√(2k+1) (n > k),  A_nn = −(n+1),  0 above the diagonal;  low-rank p_n = √(n + ½)
//   normal part S = A + p pᵀ = −½ I + (skew-symmetric)   ("HiPPO-N")
//   Λ = eigenvalues of S (real parts −½), V its (unitary) eigenvectors, ordered by Im Λ ascending; with conj_sym only
//   the first n/2 (negative imaginary parts) are kept, their conjugates implied by the 2·Re output.
// Λ and V repeat on the block diagonal (V⁻¹ = V*). With n_B = N (stored modes P = N/2 with conj_sym, else N):
//   B̃ = V* B,  B (n_B × H) lecun-normal (fan-in n_B)
//   C̃ = C V,   C (H × n_B) complex: trunc_standard_normal — each row lecun-normal over (1, n_B, 2) (fan-in n_B);
//              lecun_normal — fan-in H·n_B;   complex_normal — C̃ (H × P) itself, N(0, ½) per part, no V
//   bidirectional: C̃₂ drawn the same way;  D ~ N(0, 1);  log_step_p ~ U[log dt_min, log dt_max].
// Lecun-normal is JAX's: a normal truncated to ±2 standard deviations, scaled by √(1/fan_in)/0.87962566103423978.
import PhasorNumerics

extension SeededGenerator {
    /// JAX's lecun_normal: truncated normal on [−2, 2], std √(1/fan_in) after rescaling by 1/0.87962566103423978.
    mutating func lecunNormal(fanIn: Int) -> Double {
        var x = normal()
        while abs(x) > 2 { x = normal() }
        return x * (1 / Double(fanIn)).squareRoot() / 0.87962566103423978
    }
}

extension S5Layer {
    /// An S5 layer initialised from HiPPO-N blocks. `stateSize` is N (before conjugate-symmetric halving).
    public init(channels h: Int, stateSize p: Int, conjugateSymmetric: Bool = true, blocks: Int = 1,
                cInit: S5CInit = .truncStandardNormal, bidirectional: Bool = false, dtMin: Double = 1e-3,
                dtMax: Double = 1e-1, discretization: Discretization = .zoh, clipEigenvalues: Bool = false,
                stepRescale: Double = 1, generator: inout SeededGenerator) throws {
        try ArchitectureCheck.positive([("H (channels)", h), ("P (state size)", p), ("blocks", blocks)])
        guard p % blocks == 0, !conjugateSymmetric || (p / blocks) % 2 == 0 else {
            throw ArchitectureError.invalid("the state size \(p) must split into \(blocks) block(s) of equal\(conjugateSymmetric ? ", even" : "") size")
        }
        guard 0 < dtMin, dtMin <= dtMax, dtMax.isFinite else {
            throw ArchitectureError.invalid("need 0 < dtMin ≤ dtMax < ∞, got \(dtMin), \(dtMax)")
        }
        let n = p / blocks
        var s = ComplexMatrix(rows: n, columns: n)
        for r in 0..<n {
            for k in 0..<n {
                let a: Double = r > k ? -(Double(2 * r + 1) * Double(2 * k + 1)).squareRoot() : (r == k ? -Double(r + 1) : 0)
                s[r, k] = Complex(a + (Double(r) + 0.5).squareRoot() * (Double(k) + 0.5).squareRoot())  // S = A + p pᵀ
            }
        }
        let eigen = try s.eigen()
        let order = (0..<n).sorted { eigen.values[$0].imaginary < eigen.values[$1].imaginary }
        let kept = conjugateSymmetric ? Array(order.prefix(n / 2)) : order
        let local = kept.count, m = local * blocks                              // stored modes per block, in all
        // V (p × m), block diagonal: column blk·local + q is eigenvector kept[q] in rows blk·n ..< (blk+1)·n.
        func v(_ row: Int, _ column: Int) -> Complex<Double> {
            let blk = column / local
            guard row / n == blk else { return .zero }
            return eigen.right[row % n, kept[column % local]]
        }
        let bRandom = (0..<(p * h)).map { _ in generator.lecunNormal(fanIn: p) }                       // B, p × H
        var bTilde = [Complex<Double>](repeating: .zero, count: m * h)
        for q in 0..<m { for j in 0..<h {
            var sum = Complex<Double>.zero
            for r in 0..<p { sum += v(r, q).conjugate * Complex(bRandom[r * h + j]) }                 // (V* B)_qj
            bTilde[q * h + j] = sum
        } }
        func drawC() -> [Complex<Double>] {
            if cInit == .complexNormal {
                let sd = 0.5.squareRoot()
                return (0..<(h * m)).map { _ in Complex(generator.normal() * sd, generator.normal() * sd) }
            }
            let fanIn = cInit == .lecunNormal ? h * p : p
            let c = (0..<(h * p)).map { _ in Complex(generator.lecunNormal(fanIn: fanIn), generator.lecunNormal(fanIn: fanIn)) }
            var cTilde = [Complex<Double>](repeating: .zero, count: h * m)
            for i in 0..<h { for q in 0..<m {
                var sum = Complex<Double>.zero
                for r in 0..<p { sum += c[i * p + r] * v(r, q) }                                      // (C V)_iq
                cTilde[i * m + q] = sum
            } }
            return cTilde
        }
        let cForward = drawC()
        let cReverse = bidirectional ? drawC() : nil
        let logMin = Double.log(dtMin), logMax = Double.log(dtMax)
        let lambdaIm = (0..<m).map { eigen.values[kept[$0 % local]].imaginary }
        try self.init(lambdaRe: [Double](repeating: -0.5, count: m), lambdaIm: lambdaIm, b: bTilde, c: cForward,
                      d: (0..<h).map { _ in generator.normal() },
                      logStep: (0..<m).map { _ in logMin + generator.uniform() * (logMax - logMin) },
                      discretization: discretization, conjugateSymmetric: conjugateSymmetric,
                      clipEigenvalues: clipEigenvalues, stepRescale: stepRescale, cReverse: cReverse)
    }
}
