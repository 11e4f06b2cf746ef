// A block's BatchNorm (PyTorch `nn.BatchNorm1d(H)`, Layers/BatchNorm.swift): the affine parameters γ, β that the
// optimiser steps, and the running statistics — buffers, updated by training batches (momentum 0.1, unbiased
// variance), never by the optimiser, saved in checkpoints and in the resume state like every tensor of a state_dict.

/// BatchNorm's parameters and buffers over the H channels.
public struct BatchNormParameters: Sendable, Equatable {
    /// γ (H).
    public var weight: [Double]
    /// β (H).
    public var bias: [Double]
    /// Running mean r_μ (H), a buffer.
    public var runningMean: [Double]
    /// Running (unbiased) variance r_σ² (H), a buffer; every entry ≥ 0.
    public var runningVariance: [Double]
    /// Number of training batches seen (PyTorch's `num_batches_tracked`, an int64 buffer).
    public var batchesTracked: Int
    /// The weight m of a new batch in the running statistics (PyTorch 0.1; Flax's momentum μ_F is m = 1 − μ_F).
    public var momentum: Double = BatchNorm.momentum
    /// Whether the running variance tracks the unbiased batch variance (PyTorch) or the biased one (Flax, Equinox).
    public var unbiasedRunningVariance = true

    public init(weight: [Double], bias: [Double], runningMean: [Double], runningVariance: [Double], batchesTracked: Int) throws {
        let h = weight.count
        guard h > 0, bias.count == h, runningMean.count == h, runningVariance.count == h else {
            throw ModelError.shapeMismatch(key: "BatchNorm (γ, β, running_mean, running_var)", expected: [h, h, h, h],
                                           found: [weight.count, bias.count, runningMean.count, runningVariance.count])
        }
        guard runningVariance.allSatisfy({ $0 >= 0 }) else {
            throw ModelError.invalidConfiguration("a BatchNorm running variance is negative (\(runningVariance.min()!)); variances are ≥ 0")
        }
        guard batchesTracked >= 0 else {
            throw ModelError.invalidConfiguration("BatchNorm num_batches_tracked is negative (\(batchesTracked))")
        }
        self.weight = weight; self.bias = bias; self.runningMean = runningMean; self.runningVariance = runningVariance
        self.batchesTracked = batchesTracked
    }

    /// PyTorch's initial state: γ = 1, β = 0, r_μ = 0, r_σ² = 1, no batches.
    public init(channels h: Int) {
        weight = [Double](repeating: 1, count: h); bias = [Double](repeating: 0, count: h)
        runningMean = [Double](repeating: 0, count: h); runningVariance = [Double](repeating: 1, count: h)
        batchesTracked = 0
    }

    public var channels: Int { weight.count }

    /// The evaluation map out = s⊙x + t (s = γ/√(r_σ² + ε), t = β − s⊙r_μ): exact and affine.
    public var affine: (scale: [Double], shift: [Double]) {
        BatchNorm.affine(weight: weight, bias: bias, runningMean: runningMean, runningVariance: runningVariance)
    }

    /// The buffers after one training batch with statistics `s` (the momentum update; one more batch tracked).
    package func updated(with s: BatchNorm.Statistics) -> BatchNormParameters {
        var out = self
        (out.runningMean, out.runningVariance) = BatchNorm.updated(mean: runningMean, variance: runningVariance, with: s,
                                                                   momentum: momentum, unbiased: unbiasedRunningVariance)
        out.batchesTracked += 1
        return out
    }
}
