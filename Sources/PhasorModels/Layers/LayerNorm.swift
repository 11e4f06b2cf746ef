// LayerNorm over the channel axis H of a (B, H, L) activation, at every (b, l) — forward and backward.
//   μ = (1/H)Σ_h x_h,  σ² = (1/H)Σ_h (x_h − μ)²,  x̂ = (x − μ)/√(σ² + ε),  out = γ⊙x̂ + β   (ε = 1e-5, as PyTorch)
//   backward: ĝ = γ⊙g;  ∂L/∂x = (1/√(σ²+ε))·(ĝ − mean_h ĝ − x̂·mean_h(ĝ⊙x̂));  ∂L/∂γ = Σ g⊙x̂;  ∂L/∂β = Σ g

struct LayerNorm {
    static let epsilon = 1e-5

    struct Tape {
        var normalised: [Double]   // x̂, (B, H, L)
        var inverseStd: [Double]   // 1/√(σ²+ε), (B, L)
    }

    static func forward(_ x: [Double], weight: [Double], bias: [Double], batch: Int, channels H: Int, length L: Int) -> ([Double], Tape) {
        var xhat = [Double](repeating: 0, count: x.count)
        var out = xhat
        var inv = [Double](repeating: 0, count: batch * L)
        var mean = [Double](repeating: 0, count: L), v = mean
        for b in 0..<batch {
            for l in 0..<L { mean[l] = 0; v[l] = 0 }
            for h in 0..<H { let o = (b * H + h) * L; for l in 0..<L { mean[l] += x[o + l] } }
            for l in 0..<L { mean[l] /= Double(H) }
            for h in 0..<H { let o = (b * H + h) * L; for l in 0..<L { let c = x[o + l] - mean[l]; v[l] += c * c } }
            for l in 0..<L { inv[b * L + l] = 1 / (v[l] / Double(H) + epsilon).squareRoot() }
            for h in 0..<H {
                let o = (b * H + h) * L, w = weight[h], bb = bias[h]
                for l in 0..<L {
                    let n = (x[o + l] - mean[l]) * inv[b * L + l]
                    xhat[o + l] = n
                    out[o + l] = w * n + bb
                }
            }
        }
        return (out, Tape(normalised: xhat, inverseStd: inv))
    }

    static func backward(_ g: [Double], tape: Tape, weight: [Double], batch: Int, channels H: Int, length L: Int)
        -> (input: [Double], weight: [Double], bias: [Double]) {
        var dx = [Double](repeating: 0, count: g.count)
        var dw = [Double](repeating: 0, count: H), db = dw
        var m1 = [Double](repeating: 0, count: L), m2 = m1
        let xhat = tape.normalised
        for b in 0..<batch {
            for l in 0..<L { m1[l] = 0; m2[l] = 0 }
            for h in 0..<H {
                let o = (b * H + h) * L, w = weight[h]
                var sw = 0.0, sb = 0.0
                for l in 0..<L {
                    let gv = g[o + l], gh = w * gv
                    m1[l] += gh; m2[l] += gh * xhat[o + l]
                    sw += gv * xhat[o + l]; sb += gv
                }
                dw[h] += sw; db[h] += sb
            }
            for h in 0..<H {
                let o = (b * H + h) * L, w = weight[h]
                for l in 0..<L {
                    let gh = w * g[o + l]
                    dx[o + l] = tape.inverseStd[b * L + l] * (gh - m1[l] / Double(H) - xhat[o + l] * m2[l] / Double(H))
                }
            }
        }
        return (dx, dw, db)
    }
}
