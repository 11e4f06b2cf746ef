// LayerNorm over the channel axis H of a (B, H, L) activation, at every (b, l) — forward and backward.
//   μ = (1/H)Σ_h x_h,  σ² = (1/H)Σ_h (x_h − μ)²,  x̂ = (x − μ)/√(σ² + ε),  out = γ⊙x̂ + β   (ε = 1e-5 as PyTorch by default; Flax uses 1e-6)
//   backward: ĝ = γ⊙g;  ∂L/∂x = (1/√(σ²+ε))·(ĝ − mean_h ĝ − x̂·mean_h(ĝ⊙x̂));  ∂L/∂γ = Σ g⊙x̂;  ∂L/∂β = Σ g
// Samples run in parallel; ∂γ, ∂β are summed per sample and then over samples in order (thread-count independent).
// Frozen gains (the operator's exact linearisation): G given per (b, l) instead of 1/√(σ² + ε), out = γ⊙G(x − μ) + β.

package struct LayerNorm {
    package static let epsilon = 1e-5

    package struct Tape {
        package var normalised: [Double]   // x̂, (B, H, L)
        package var inverseStd: [Double]   // 1/√(σ²+ε), (B, L)
    }

    /// `gains` (B·L values), when given, replace the computed 1/√(σ²+ε) — a frozen LayerNorm, linear in x.
    package static func forward(_ x: [Double], weight: [Double], bias: [Double], batch: Int, channels H: Int, length L: Int,
                                gains: [Double]? = nil, epsilon eps: Double = epsilon) -> ([Double], Tape) {
        var xhat = [Double](repeating: 0, count: x.count)
        var out = xhat
        var inv = [Double](repeating: 0, count: batch * L)
        x.withUnsafeBufferPointer { xb in xhat.withUnsafeMutableBufferPointer { nb in out.withUnsafeMutableBufferPointer { ob in
            inv.withUnsafeMutableBufferPointer { ib in
                let xp = SharedReadPointer(xb.baseAddress!), np = SharedPointer(nb.baseAddress!)
                let op = SharedPointer(ob.baseAddress!), ip = SharedPointer(ib.baseAddress!)
                parallelFor(batch) { b in
                    var mean = [Double](repeating: 0, count: L), v = mean
                    let xs = xp.base + b * H * L, ns = np.base + b * H * L, os = op.base + b * H * L, iv = ip.base + b * L
                    for h in 0..<H { let r = xs + h * L; for l in 0..<L { mean[l] += r[l] } }
                    for l in 0..<L { mean[l] /= Double(H) }
                    for h in 0..<H { let r = xs + h * L; for l in 0..<L { let c = r[l] - mean[l]; v[l] += c * c } }
                    if let gains { for l in 0..<L { iv[l] = gains[b * L + l] } }              // frozen G
                    else { for l in 0..<L { iv[l] = 1 / (v[l] / Double(H) + eps).squareRoot() } }
                    for h in 0..<H {
                        let w = weight[h], bb = bias[h], r = xs + h * L, nr = ns + h * L, orow = os + h * L
                        for l in 0..<L {
                            let n = (r[l] - mean[l]) * iv[l]
                            nr[l] = n
                            orow[l] = w * n + bb
                        }
                    }
                }
            }
        } } }
        return (out, Tape(normalised: xhat, inverseStd: inv))
    }

    package static func backward(_ g: [Double], tape: Tape, weight: [Double], batch: Int, channels H: Int, length L: Int)
        -> (input: [Double], weight: [Double], bias: [Double]) {
        var dx = [Double](repeating: 0, count: g.count)
        var partialW = [Double](repeating: 0, count: batch * H), partialB = partialW
        g.withUnsafeBufferPointer { gb in tape.normalised.withUnsafeBufferPointer { nb in tape.inverseStd.withUnsafeBufferPointer { ib in
            dx.withUnsafeMutableBufferPointer { db in partialW.withUnsafeMutableBufferPointer { pwb in partialB.withUnsafeMutableBufferPointer { pbb in
                let gp = SharedReadPointer(gb.baseAddress!), np = SharedReadPointer(nb.baseAddress!), ip = SharedReadPointer(ib.baseAddress!)
                let dp = SharedPointer(db.baseAddress!), pw = SharedPointer(pwb.baseAddress!), pb = SharedPointer(pbb.baseAddress!)
                parallelFor(batch) { b in
                    var m1 = [Double](repeating: 0, count: L), m2 = m1
                    let gs = gp.base + b * H * L, ns = np.base + b * H * L, iv = ip.base + b * L, ds = dp.base + b * H * L
                    for h in 0..<H {
                        let w = weight[h], gr = gs + h * L, nr = ns + h * L
                        var sw = 0.0, sb = 0.0
                        for l in 0..<L {
                            let gv = gr[l], gh = w * gv
                            m1[l] += gh; m2[l] += gh * nr[l]
                            sw += gv * nr[l]; sb += gv
                        }
                        pw.base[b * H + h] = sw; pb.base[b * H + h] = sb
                    }
                    let invH = 1 / Double(H)
                    for h in 0..<H {
                        let w = weight[h], gr = gs + h * L, nr = ns + h * L, dr = ds + h * L
                        for l in 0..<L { dr[l] = iv[l] * (w * gr[l] - m1[l] * invH - nr[l] * m2[l] * invH) }
                    }
                }
            } } }
        } } }
        var dw = [Double](repeating: 0, count: H), db = dw
        for b in 0..<batch { for h in 0..<H { dw[h] += partialW[b * H + h]; db[h] += partialB[b * H + h] } }
        return (dx, dw, db)
    }
}
