// The S4D kernels of one training batch, evaluated once and shared read-only by the batch's parts (the trainer splits a
// batch of n samples into T parts of n_t samples that run concurrently, `phasor train --threads T`). The batch loss is
// L = Σ_t (n_t/n) L_t and every L_t reaches layer i's kernel parameters θ_i only through its kernel K_i = K(θ_i), so
//   forward   K_i is evaluated once, at the batch's longest length L; part t convolves with its first L_t taps
//   backward  part t stops at G_t = ∂L_t/∂K_i (zeros after L_t) instead of running the kernel's adjoint;
//             G = Σ_t (n_t/n) G_t in part order — the weights and order of every other gradient — and then ONE adjoint
//             ∂L/∂θ_i = (∂K/∂θ)ᵀ G, equal to Σ_t (n_t/n) (∂K/∂θ)ᵀ G_t because the adjoint is linear in G.
// One kernel and one adjoint per layer and batch instead of one per part (they are ~15% of a small model's epoch:
// docs/performance.md "Threads"). A one-part batch gives bit for bit what it gave before (G = 1·G_1, same K).
// Only the fused S4D blocks (example.py's) share: the other cores (S5, LRU, LinOSS, S6) run scans, whose per-part work
// is the scan itself, and their discretisation and its backward cost O(state × channels) per part — nothing to share.

/// Per layer, the batch's evaluated S4D kernel (or nil: the layer computes its own way).
struct SharedKernels: Sendable {
    /// The evaluation, or the error it threw — rethrown by every part that needs it, as its own evaluation would have
    /// been (so a non-finite kernel still reports the batch as diverged).
    let layers: [Result<S4DKernelEvaluation, any Error>?]

    /// Layer i's evaluation; nil when layer i does not share.
    func evaluation(_ i: Int) throws -> S4DKernelEvaluation? { try layers[i]?.get() }

    /// ∂L/∂K per layer, shape (H, L) (nil where the layer does not share): one part's, or the batch's sum.
    struct Gradient: Sendable {
        var layers: [[Double]?]

        /// self += w · part, layer by layer (w = n_t/n).
        mutating func add(_ part: Gradient, weight w: Double) {
            for i in layers.indices {
                guard let g = part.layers[i] else { continue }
                if layers[i] == nil { layers[i] = [Double](repeating: 0, count: g.count) }
                layers[i]!.withUnsafeMutableBufferPointer { acc in for j in acc.indices { acc[j] += w * g[j] } }
            }
        }
    }

    /// No gradient yet (what the parts' gradients are added to).
    var zeroGradient: Gradient { Gradient(layers: [[Double]?](repeating: nil, count: layers.count)) }

    /// gradients[θ_i] += (∂K/∂θ)ᵀ G_i for every layer that shares, under its kernel's keys; throws
    /// `ModelError.nonFinite` naming a tensor whose result is NaN or ±Inf.
    func addAdjoints(_ g: Gradient, to gradients: inout ParameterStore) throws {
        for (i, slot) in layers.enumerated() {
            guard case .success(let e)? = slot, let gi = g.layers[i] else { continue }
            let adjoint = e.parameterGradients(gi)
            let k = S4ModelKeys.block(i)
            for (key, value) in [(k.logDt, adjoint.logDt), (k.c, adjoint.C), (k.logAReal, adjoint.logAReal), (k.aImag, adjoint.AImag)] {
                var sum = try gradients.values(key)
                for j in sum.indices { sum[j] += value[j] }
                guard sum.allSatisfy(\.isFinite) else { throw ModelError.nonFinite(key: key) }
                try gradients.setValues(key, sum)
            }
        }
    }
}

extension S4Model {
    /// The kernels of the model's fused S4D blocks at `length` (the longest sample of a batch), each evaluated once.
    func sharedKernels(length: Int) -> SharedKernels {
        SharedKernels(layers: (0..<configuration.layers).map { i in
            block(i).fused.map { layer in Result { try S4DKernelEvaluation(layer.core, length: length) } }
        })
    }
}
