// BatchNorm over the channel axis H of a (B, H, L) activation — PyTorch `nn.BatchNorm1d(H)` applied to (B, H, L) —
// forward and backward, in training mode (batch statistics) and in evaluation mode (running statistics).
//
// Training, per channel h, over the VALID positions V = {(b, l) : l < n_b} of the batch (n = |V| = Σ_b n_b):
//   μ_h = (1/n) Σ_V x,   σ²_h = (1/n) Σ_V (x − μ_h)²   (biased, as PyTorch normalises with),
//   x̂ = (x − μ_h)·r_h,  r_h = 1/√(σ²_h + ε),   out = γ_h x̂ + β_h   at EVERY position (padding too; nothing reads it)
//   backward (exact for this forward; μ, σ² depend on the valid x only, the sums run over all positions):
//     ĝ = γ_h g;  ∂x = r_h·(ĝ − [x ∈ V]·((1/n) Σ ĝ + x̂·(1/n) Σ ĝ x̂));  ∂γ_h = Σ g x̂;  ∂β_h = Σ g
//   running statistics (buffers; PyTorch's update, momentum m = 0.1, with the UNBIASED variance):
//     r_μ ← (1 − m)·r_μ + m·μ_h,   r_σ² ← (1 − m)·r_σ² + m·σ²_h·n/(n − 1),   num_batches_tracked ← num_batches_tracked + 1
//   — the JAX references (Flax BatchNorm, Equinox) track the BIASED variance σ²_h with their own m (Flax's momentum
//   0.95/0.99 is the decay 1 − m): `updated(…, momentum:, unbiased: false)`.
// Evaluation: an exact affine map per channel (what makes a BatchNorm model a polynomial in its input):
//   out = s_h·x + t_h,   s_h = γ_h/√(r_σ²_h + ε),   t_h = β_h − s_h·r_μ_h
//   backward: ∂x = s_h g;  ∂γ_h = Σ g·(x − r_μ_h)/√(r_σ²_h + ε);  ∂β_h = Σ g
// Padding: positions past a sample's length are left out of the statistics, so a sample's output does not depend on
// how its batch was padded (the causal layers and the masked mean already guarantee that for everything else). On a
// batch of equal lengths this is exactly nn.BatchNorm1d; with padding it is a masked BatchNorm (PyTorch's module would
// count the padding). Channels run in parallel, each summing over (b, l) in order: thread-count independent.

package enum BatchNorm {
    package static let epsilon = 1e-5
    package static let momentum = 0.1

    /// One batch's statistics over the valid positions: mean, UNBIASED variance (what the running variance tracks)
    /// and the number n of valid positions per channel.
    package struct Statistics: Sendable, Equatable {
        package var mean: [Double]
        package var variance: [Double]
        package var count: Int
    }

    package struct Tape: Sendable {
        /// x̂ (B, H, L): (x − μ)·r with batch statistics, or (x − r_μ)/√(r_σ² + ε) with running statistics.
        package var normalised: [Double]
        /// r_h = 1/√(σ²_h + ε) (training) or 1/√(r_σ²_h + ε) (evaluation), (H).
        package var inverseStd: [Double]
        /// Valid lengths per sample (training: the positions the statistics were taken over).
        package var lengths: [Int]
        /// Whether the batch statistics were used (training) or the running ones (evaluation).
        package var batchStatistics: Bool
    }

    /// Training mode: normalises with the statistics of the valid positions (see the header). Throws when a channel
    /// has fewer than two valid positions (the unbiased variance is undefined; PyTorch refuses the same batch).
    package static func forward(_ x: [Double], weight: [Double], bias: [Double], batch: Int, channels H: Int, length L: Int,
                                lengths: [Int]) throws -> ([Double], Tape, Statistics) {
        let n = lengths.reduce(0, +)
        guard n >= 2 else {
            throw ModelError.invalidConfiguration("BatchNorm in training needs more than one valid position per channel "
                + "(the batch has \(n)); use a larger batch or longer sequences")
        }
        var mean = [Double](repeating: 0, count: H), variance = mean, inv = mean
        x.withUnsafeBufferPointer { xb in mean.withUnsafeMutableBufferPointer { mb in variance.withUnsafeMutableBufferPointer { vb in
            inv.withUnsafeMutableBufferPointer { ib in
                let xp = SharedReadPointer(xb.baseAddress!), mp = SharedPointer(mb.baseAddress!)
                let vp = SharedPointer(vb.baseAddress!), ip = SharedPointer(ib.baseAddress!)
                parallelFor(H) { h in
                    var s = 0.0
                    for b in 0..<batch { let r = xp.base + (b * H + h) * L; for l in 0..<lengths[b] { s += r[l] } }
                    let mu = s / Double(n)                                                  // μ_h
                    var q = 0.0
                    for b in 0..<batch { let r = xp.base + (b * H + h) * L; for l in 0..<lengths[b] { let c = r[l] - mu; q += c * c } }
                    let biased = q / Double(n)                                              // σ²_h
                    mp.base[h] = mu
                    vp.base[h] = biased * Double(n) / Double(n - 1)                          // unbiased, for r_σ²
                    ip.base[h] = 1 / (biased + epsilon).squareRoot()                         // r_h
                }
            }
        } } }
        let (out, normalised) = normalise(x, weight: weight, bias: bias, mean: mean, inverseStd: inv, batch: batch, channels: H, length: L)
        return (out, Tape(normalised: normalised, inverseStd: inv, lengths: lengths, batchStatistics: true),
                Statistics(mean: mean, variance: variance, count: n))
    }

    /// Evaluation mode: out = s_h x + t_h with the running statistics (an exact affine map).
    package static func forward(_ x: [Double], weight: [Double], bias: [Double], runningMean: [Double], runningVariance: [Double],
                                batch: Int, channels H: Int, length L: Int) -> ([Double], Tape) {
        let inv = runningVariance.map { 1 / ($0 + epsilon).squareRoot() }
        let (out, normalised) = normalise(x, weight: weight, bias: bias, mean: runningMean, inverseStd: inv, batch: batch, channels: H, length: L)
        return (out, Tape(normalised: normalised, inverseStd: inv, lengths: [Int](repeating: L, count: batch), batchStatistics: false))
    }

    /// The evaluation map's slope s_h = γ_h/√(r_σ²_h + ε) and offset t_h = β_h − s_h·r_μ_h.
    package static func affine(weight: [Double], bias: [Double], runningMean: [Double], runningVariance: [Double])
        -> (scale: [Double], shift: [Double]) {
        let scale = (0..<weight.count).map { weight[$0] / (runningVariance[$0] + epsilon).squareRoot() }
        return (scale, (0..<weight.count).map { bias[$0] - scale[$0] * runningMean[$0] })
    }

    /// x̂ = (x − mean_h)·inv_h and out = γ_h x̂ + β_h at every position.
    static func normalise(_ x: [Double], weight: [Double], bias: [Double], mean: [Double], inverseStd inv: [Double],
                          batch: Int, channels H: Int, length L: Int) -> (out: [Double], normalised: [Double]) {
        var xhat = [Double](repeating: 0, count: x.count), out = xhat
        x.withUnsafeBufferPointer { xb in xhat.withUnsafeMutableBufferPointer { nb in out.withUnsafeMutableBufferPointer { ob in
            let xp = SharedReadPointer(xb.baseAddress!), np = SharedPointer(nb.baseAddress!), op = SharedPointer(ob.baseAddress!)
            parallelFor(batch) { b in
                for h in 0..<H {
                    let o = (b * H + h) * L, mu = mean[h], r = inv[h], w = weight[h], c = bias[h]
                    for l in 0..<L {
                        let v = (xp.base[o + l] - mu) * r
                        np.base[o + l] = v
                        op.base[o + l] = w * v + c
                    }
                }
            }
        } } }
        return (out, xhat)
    }

    /// ∂L/∂x, ∂L/∂γ, ∂L/∂β given ∂L/∂out, in the mode the tape was recorded in (see the header).
    package static func backward(_ g: [Double], tape: Tape, weight: [Double], batch: Int, channels H: Int, length L: Int)
        -> (input: [Double], weight: [Double], bias: [Double]) {
        var dx = [Double](repeating: 0, count: g.count)
        var dw = [Double](repeating: 0, count: H), db = dw
        let n = Double(tape.lengths.reduce(0, +))
        g.withUnsafeBufferPointer { gb in tape.normalised.withUnsafeBufferPointer { nb in dx.withUnsafeMutableBufferPointer { xb in
            dw.withUnsafeMutableBufferPointer { wb in db.withUnsafeMutableBufferPointer { bb in
                let gp = SharedReadPointer(gb.baseAddress!), np = SharedReadPointer(nb.baseAddress!), dp = SharedPointer(xb.baseAddress!)
                let wp = SharedPointer(wb.baseAddress!), bp = SharedPointer(bb.baseAddress!)
                parallelFor(H) { h in
                    var sg = 0.0, sgx = 0.0                                                  // Σ g, Σ g x̂
                    for b in 0..<batch { let o = (b * H + h) * L; for l in 0..<L { sg += gp.base[o + l]; sgx += gp.base[o + l] * np.base[o + l] } }
                    wp.base[h] = sgx; bp.base[h] = sg                                        // ∂γ, ∂β
                    let w = weight[h], r = tape.inverseStd[h]
                    let m1 = tape.batchStatistics ? w * sg / n : 0, m2 = tape.batchStatistics ? w * sgx / n : 0
                    for b in 0..<batch {
                        let o = (b * H + h) * L, valid = tape.lengths[b]
                        for l in 0..<L {
                            let gh = w * gp.base[o + l]                                       // ĝ
                            dp.base[o + l] = l < valid ? r * (gh - m1 - np.base[o + l] * m2) : r * gh
                        }
                    }
                }
            } }
        } } }
        return (dx, dw, db)
    }

    /// The running statistics after one training batch: (1 − m)·running + m·batch (unbiased variance).
    package static func updated(mean: [Double], variance: [Double], with s: Statistics, momentum m: Double = momentum,
                                unbiased: Bool = true) -> (mean: [Double], variance: [Double]) {
        let scale = unbiased ? 1 : Double(s.count - 1) / Double(s.count)          // σ² = unbiased·(n − 1)/n
        return ((0..<mean.count).map { (1 - m) * mean[$0] + m * s.mean[$0] },
                (0..<variance.count).map { (1 - m) * variance[$0] + m * s.variance[$0] * scale })
    }
}
