// A regularised inverse of a symmetric positive semi-definite matrix P (a covariance), used wherever an estimator
// needs vᵀP⁻¹v. With P = U diag(σ) Uᵀ (its SVD; for PSD P the singular values are the eigenvalues),
//     P⁺ = Σ_{σ_i > rcond·σ_max} u_i u_iᵀ / σ_i,      vᵀP⁺v = Σ_i (u_iᵀv)²/σ_i,
// i.e. directions with relative variance ≤ rcond are dropped (truncated pseudo-inverse). The number kept is the rank.
import PhasorNumerics

/// The truncated spectral pseudo-inverse of a real symmetric PSD matrix (held in a `ComplexMatrix`).
struct SymmetricPseudoInverse {
    let vectors: ComplexMatrix
    let values: [Double]
    /// Indices i with σ_i > rcond·σ_max.
    let kept: [Int]
    let rcond: Double

    init(_ p: ComplexMatrix, rcond: Double) throws {
        let svd = try p.svd()
        let sigma = svd.singularValues
        vectors = svd.u
        values = sigma
        self.rcond = rcond
        let top = sigma.max() ?? 0
        kept = top > 0 ? sigma.indices.filter { sigma[$0] > rcond * top } : []
    }

    var rank: Int { kept.count }
    var dimension: Int { values.count }
    /// σ_max/σ_min over all directions (nil when σ_min = 0).
    var conditionNumber: Double? {
        guard let lo = values.min(), let hi = values.max(), lo > 0 else { return nil }
        return hi / lo
    }

    /// vᵀP⁺v = Σ_{kept} |u_i*v|²/σ_i for a real v.
    func quadratic(_ v: [Double]) -> Double {
        var s = 0.0
        for i in kept {
            var w = Complex<Double>.zero
            for r in 0..<v.count { w = w + vectors[r, i].conjugate * Complex(v[r]) }  // u_i* v (phase of u_i cancels)
            s += w.lengthSquared / values[i]
        }
        return s
    }

    /// tr(P⁺M) = Σ_{kept} u_i* M u_i / σ_i for a square M.
    func trace(_ m: ComplexMatrix) -> Double {
        var s = 0.0
        let n = dimension
        for i in kept {
            var q = Complex<Double>.zero
            for c in 0..<n {
                let uc = vectors[c, i]
                var row = Complex<Double>.zero
                for r in 0..<n { row = row + vectors[r, i].conjugate * m[r, c] }
                q = q + row * uc                                          // u_i* M u_i
            }
            s += q.real / values[i]
        }
        return s
    }
}
