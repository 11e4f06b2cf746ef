// The classifier's dense ends: the encoder Linear(d_in → H) applied at every time step (B, L, d_in) → (B, H, L),
// the length-masked mean over time, the decoder Linear(H → classes), and cross-entropy with logits — each with its
// backward beside it. `package`: the operator's graded forward applies the same maps to each degree.
import Foundation

package enum EncoderLayer {
    /// x[b,h,l] = Σ_i W[h,i]·in[b,l,i] + bias[h].
    package static func forward(_ input: [Double], weight: [Double], bias: [Double], batch: Int, length L: Int, dInput: Int, channels H: Int) -> [Double] {
        var x = [Double](repeating: 0, count: batch * H * L)
        input.withUnsafeBufferPointer { ib in weight.withUnsafeBufferPointer { wb in x.withUnsafeMutableBufferPointer { xb in
            for b in 0..<batch {                        // X_b = W (H×d) · In_bᵀ (d×L)
                MatrixProduct.gemm(transA: false, transB: true, m: H, n: L, k: dInput, alpha: 1,
                                   a: wb.baseAddress!, lda: dInput, b: ib.baseAddress! + b * L * dInput, ldb: dInput,
                                   beta: 0, c: xb.baseAddress! + b * H * L, ldc: L)
            }
        } } }
        for r in 0..<(batch * H) { let bh = bias[r % H]; for l in 0..<L { x[r * L + l] += bh } }
        return x
    }

    /// ∂L/∂W = Σ_b G_b (H×L) · In_b (L×d);  ∂L/∂bias = Σ_{b,l} G.
    package static func backward(_ g: [Double], input: [Double], batch: Int, length L: Int, dInput: Int, channels H: Int) -> (weight: [Double], bias: [Double]) {
        var dw = [Double](repeating: 0, count: H * dInput), db = [Double](repeating: 0, count: H)
        g.withUnsafeBufferPointer { gb in input.withUnsafeBufferPointer { ib in dw.withUnsafeMutableBufferPointer { wb in
            for b in 0..<batch {
                MatrixProduct.gemm(transA: false, transB: false, m: H, n: dInput, k: L, alpha: 1,
                                   a: gb.baseAddress! + b * H * L, lda: L, b: ib.baseAddress! + b * L * dInput, ldb: dInput,
                                   beta: 1, c: wb.baseAddress!, ldc: dInput)
            }
        } } }
        for r in 0..<(batch * H) { var s = 0.0; for l in 0..<L { s += g[r * L + l] }; db[r % H] += s }
        return (dw, db)
    }
}

package enum MaskedMeanPool {
    /// p[b,h] = (1/n_b) Σ_{l<n_b} x[b,h,l], n_b = lengths[b].
    package static func forward(_ x: [Double], lengths: [Int], batch: Int, channels H: Int, length L: Int) -> [Double] {
        var p = [Double](repeating: 0, count: batch * H)
        for b in 0..<batch { for h in 0..<H {
            let o = (b * H + h) * L
            var s = 0.0
            for l in 0..<lengths[b] { s += x[o + l] }
            p[b * H + h] = s / Double(lengths[b])
        } }
        return p
    }

    /// ∂L/∂x[b,h,l] = g[b,h]/n_b for l < n_b, else 0.
    package static func backward(_ g: [Double], lengths: [Int], batch: Int, channels H: Int, length L: Int) -> [Double] {
        var dx = [Double](repeating: 0, count: batch * H * L)
        for b in 0..<batch { for h in 0..<H {
            let o = (b * H + h) * L, v = g[b * H + h] / Double(lengths[b])
            for l in 0..<lengths[b] { dx[o + l] = v }
        } }
        return dx
    }
}

/// The reduction over time before the decoder: the masked mean or the last valid step (S5's `mode = "last"`).
package enum SequencePooling {
    /// p[b,h] = mean_{l<n_b} x[b,h,l]  or  x[b,h,n_b − 1].
    package static func forward(_ x: [Double], kind: Pooling, lengths: [Int], batch: Int, channels H: Int, length L: Int) -> [Double] {
        switch kind {
        case .mean: return MaskedMeanPool.forward(x, lengths: lengths, batch: batch, channels: H, length: L)
        case .last:
            var p = [Double](repeating: 0, count: batch * H)
            for b in 0..<batch { for h in 0..<H { p[b * H + h] = x[(b * H + h) * L + lengths[b] - 1] } }
            return p
        }
    }

    /// ∂L/∂x: g[b,h]/n_b on l < n_b (mean), or g[b,h] at l = n_b − 1 (last); 0 elsewhere.
    package static func backward(_ g: [Double], kind: Pooling, lengths: [Int], batch: Int, channels H: Int, length L: Int) -> [Double] {
        switch kind {
        case .mean: return MaskedMeanPool.backward(g, lengths: lengths, batch: batch, channels: H, length: L)
        case .last:
            var dx = [Double](repeating: 0, count: batch * H * L)
            for b in 0..<batch { for h in 0..<H { dx[(b * H + h) * L + lengths[b] - 1] = g[b * H + h] } }
            return dx
        }
    }
}

package enum DecoderLayer {
    /// logits[b,c] = Σ_h W[c,h]·p[b,h] + bias[c].
    package static func forward(_ p: [Double], weight: [Double], bias: [Double], batch: Int, channels H: Int, classes: Int) -> [Double] {
        var z = [Double](repeating: 0, count: batch * classes)
        for b in 0..<batch { for c in 0..<classes {
            var s = bias[c]
            for h in 0..<H { s += weight[c * H + h] * p[b * H + h] }
            z[b * classes + c] = s
        } }
        return z
    }

    /// ∂L/∂p = Wᵀg, ∂L/∂W = g pᵀ, ∂L/∂bias = Σ_b g.
    package static func backward(_ g: [Double], pooled p: [Double], weight: [Double], batch: Int, channels H: Int, classes: Int)
        -> (input: [Double], weight: [Double], bias: [Double]) {
        var dp = [Double](repeating: 0, count: batch * H), dw = [Double](repeating: 0, count: classes * H)
        var db = [Double](repeating: 0, count: classes)
        for b in 0..<batch { for c in 0..<classes {
            let gv = g[b * classes + c]
            db[c] += gv
            for h in 0..<H { dp[b * H + h] += weight[c * H + h] * gv; dw[c * H + h] += gv * p[b * H + h] }
        } }
        return (dp, dw, db)
    }
}

enum CrossEntropy {
    /// loss = (1/B) Σ_b [log Σ_c e^{z_bc} − z_{b,y_b}];  ∂loss/∂z = (softmax(z_b) − onehot(y_b))/B.
    /// Also the number of rows whose argmax equals the label (first maximum wins).
    static func lossAndGradient(logits z: [Double], labels: [Int], batch: Int, classes: Int) -> (loss: Double, correct: Int, gradient: [Double]) {
        var loss = 0.0, correct = 0
        var g = [Double](repeating: 0, count: z.count)
        for b in 0..<batch {
            let row = b * classes
            var mx = z[row], arg = 0
            for c in 1..<max(classes, 1) where z[row + c] > mx { mx = z[row + c]; arg = c }
            var s = 0.0
            for c in 0..<classes { s += Foundation.exp(z[row + c] - mx) }
            let lse = mx + Foundation.log(s)                                         // log-sum-exp, shifted
            loss += lse - z[row + labels[b]]
            if arg == labels[b] { correct += 1 }
            for c in 0..<classes { g[row + c] = Foundation.exp(z[row + c] - lse) / Double(batch) }
            g[row + labels[b]] -= 1 / Double(batch)
        }
        return (loss / Double(batch), correct, g)
    }
}
