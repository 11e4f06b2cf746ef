// The principal matrix logarithm log A (the unique X with e^X = A and every eigenvalue of X with imaginary part in
// (−π, π)), by inverse scaling and squaring on the Schur form (Kenney & Laub 1989; Higham, "Functions of Matrices",
// 2008, §11.5):
//   A = U T U*;  T_s = T^{1/2^s} by s upper-triangular square roots (Björck–Hammarling) until ‖T_s − I‖₁ ≤ 1/4;
//   log T = 2^s log(I + X), X = T_s − I, with log(I + X) = ∫₀¹ X (I + tX)⁻¹ dt evaluated by m-point Gauss–Legendre
//   quadrature (which equals the [m/m] Padé approximant of log(1 + x));  log A = U (log T) U*.
// The diagonal of log T is then replaced by the exact log t_ii, and the diagonal of X is formed as
// expm1(log(t_ii)/2^s) rather than t_ii^{1/2^s} − 1, to avoid cancellation.

extension ComplexMatrix {
    /// Gauss–Legendre nodes t_k ∈ (0, 1) and weights ω_k (Σ ω_k = 1) for `m` points, by Newton's method on P_m.
    static func gaussLegendreUnitInterval(_ m: Int) -> [(node: Double, weight: Double)] {
        var out: [(Double, Double)] = []
        for k in 1...m {
            var x = Double.cos(Double.pi * (Double(k) - 0.25) / (Double(m) + 0.5))  // initial guess for root k
            var derivative = 1.0
            for _ in 0..<100 {
                // P_m(x) and P_m'(x) by the three-term recurrence (j+1) P_{j+1} = (2j+1) x P_j − j P_{j−1}.
                var p0 = 1.0, p1 = x
                for j in 1..<m {
                    let p2 = (Double(2 * j + 1) * x * p1 - Double(j) * p0) / Double(j + 1)
                    p0 = p1; p1 = p2
                }
                derivative = Double(m) * (x * p1 - p0) / (x * x - 1)  // P_m' = m (x P_m − P_{m−1})/(x² − 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-16 { break }
            }
            // On [−1, 1]: w = 2/((1 − x²) P_m'(x)²); mapped to [0, 1]: t = (1 + x)/2, ω = w/2.
            let w = 2 / ((1 - x * x) * derivative * derivative)
            out.append(((1 + x) / 2, w / 2))
        }
        return out
    }

    /// The principal square root of an upper-triangular T (Björck–Hammarling): r_ii = √t_ii and, column by column,
    /// r_ij = (t_ij − Σ_{k=i+1}^{j−1} r_ik r_kj)/(r_ii + r_jj). Needs no eigenvalue on the closed negative axis.
    static func upperTriangularSquareRoot(_ t: ComplexMatrix) -> ComplexMatrix {
        let n = t.rows
        var r = ComplexMatrix(rows: n, columns: n)
        r.elements.withUnsafeMutableBufferPointer { pr in
            t.elements.withUnsafeBufferPointer { pt in
                for j in 0..<n {
                    pr[j + j * n] = Complex.sqrt(pt[j + j * n])
                    var i = j - 1
                    while i >= 0 {
                        var sRe = pt[i + j * n].real, sIm = pt[i + j * n].imaginary
                        for k in (i + 1)..<j {
                            let a = pr[i + k * n], b = pr[k + j * n]
                            sRe -= a.real * b.real - a.imaginary * b.imaginary
                            sIm -= a.real * b.imaginary + a.imaginary * b.real
                        }
                        pr[i + j * n] = Complex(sRe, sIm) / (pr[i + i * n] + pr[j + j * n])
                        i -= 1
                    }
                }
            }
        }
        return r
    }

    /// The principal logarithm of square A. Throws `.noPrincipalLogarithm(eigenvalue:)` when an eigenvalue is zero
    /// or lies on the closed negative real axis (|Im λ| ≤ 1e-14·‖A‖_F with Re λ ≤ 0, or |λ| ≤ n·ε·‖A‖_F), and
    /// `.notSquare`, `.empty`, `.nonFinite`, `.lapack` otherwise.
    public func logarithm() throws -> ComplexMatrix {
        try requireSquareNonEmpty("logarithm")
        try requireFinite("logarithm input")
        let n = rows
        let schur = try self.schur()
        let scale = frobeniusNorm
        for lambda in schur.eigenvalues {
            let onNegativeAxis = lambda.real <= 0 && abs(lambda.imaginary) <= 1e-14 * scale
            let isZero = lambda.length <= Double(n) * Double.ulpOfOne * scale
            if onNegativeAxis || isZero { throw LinearAlgebraError.noPrincipalLogarithm(eigenvalue: lambda) }
        }
        let logDiagonal = schur.eigenvalues.map { Complex.log($0) }  // exact principal log of each t_ii

        // Square roots until ‖T_s − I‖₁ ≤ 1/4 (at most 64: enough for any finite spectrum and departure from normality).
        var t = schur.t
        var s = 0
        while s < 64 {
            var x = t
            for i in 0..<n { x[i, i] -= .one }
            if x.oneNorm <= 0.25 { break }
            t = Self.upperTriangularSquareRoot(t)
            s += 1
        }
        // X = T_s − I with an accurate diagonal: t_ii^{1/2^s} − 1 = expm1(log(t_ii)/2^s).
        var x = t
        let power = Double.pow(2, Double(s))
        for i in 0..<n { x[i, i] = Complex.expMinusOne(logDiagonal[i] / Complex(power)) }

        // log(I + X) ≈ Σ_k ω_k X (I + t_k X)⁻¹ (m = 8: error far below ε for ‖X‖₁ ≤ 1/4).
        var logT = ComplexMatrix(rows: n, columns: n)
        for (node, weight) in Self.gaussLegendreUnitInterval(8) {
            var shifted = node * x  // I + t_k X (upper triangular)
            for i in 0..<n { shifted[i, i] += .one }
            let term = try shifted.solveUpperTriangular(x)  // (I + t_k X)⁻¹ X = X (I + t_k X)⁻¹ (they commute)
            logT = try logT + weight * term
        }
        logT = power * logT  // log T = 2^s log(T_s)
        for i in 0..<n {
            logT[i, i] = logDiagonal[i]
            for r in (i + 1)..<n { logT[r, i] = .zero }  // the logarithm of an upper-triangular matrix is upper triangular
        }
        let result = try schur.u * logT.product(schur.u, adjointOther: true)  // log A = U (log T) U*
        try result.requireFinite("matrix logarithm")
        return result
    }
}
