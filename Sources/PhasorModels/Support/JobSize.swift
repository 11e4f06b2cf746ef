import PhasorNumerics

// The size of every job that runs an S4Model — the ONE estimate that `train`, `eval`, `predict`, `bench`, `ring`,
// `analyze` and `operator` check against ResourceLimits (PhasorNumerics/Support/ResourceLimits.swift) before they
// allocate anything. All arithmetic is in Double, so absurd sizes (10⁸ layers, N = 4·10⁹) give large numbers, not
// overflow traps. With H = d_model, N = d_state, M = N/2 modes, d = d_input, s = bytes per block element (8 for f64
// blocks, 4 for f32), B the samples processed at once and L their length:
//
//   weights       P = d·H + H + layers·(2H² + 4H·M + 6H) + classes·H + classes   parameters (CheckpointLayout's shapes)
//                 × 8 bytes × (2 for a forward; 4 + threads when training: model, AdamW's two moments, the summed
//                 gradient and one gradient per thread)
//   activations   per layer, kept for the backward pass (S4DLayer.Tape, LayerNorm tape, residual):
//                 B·H·L·(6s + 24) + H·L·(s + 8); plus the encoder output B·H·L·8 and the input B·L·d·16;
//                 training adds the backward's working arrays of one layer, 6·B·H·L·8, and its validation and test
//                 passes run with Double blocks (s = 8) at the same batch size: the larger of the two counts
//   data          the data set held by the command: samples·L·d·8, three times when training (as read, as batches,
//                 standardised)
//   workspace     FFT buffers, 64·L bytes per thread, and 48 MB for the process itself
//
// Work, per sample and layer (forward): 4H²L (1×1 convolution) + H·L·(20·log₂(2L) + 52) (FFT convolution and the
// pointwise functions) + 4H·M·L per batch for the kernel; the encoder 2·d·H·L; training counts 3× a forward.
// The constants were calibrated against the peak resident memory of real runs (docs/reliability.md §2, table
// "estimate vs measured"): the estimate is an upper bound within a factor of about 2.

/// What a job does with the model.
public enum ModelWork: Sendable, Equatable {
    /// Forward passes (eval, predict, ring, analyze, operator).
    case inference
    /// Forward + backward + AdamW steps for `epochs` epochs with `threads` threads per batch.
    case training(epochs: Int, threads: Int)
}

extension S4ModelConfiguration {
    /// The number of parameters, P (as Double: exact below 2⁵³, never an overflow).
    public var parameterCount: Double {
        let h = Double(dModel), m = Double(dState / 2), d = Double(dInput), k = Double(classes)
        return d * h + h + Double(layers) * (2 * h * h + 4 * h * m + 6 * h) + k * h + k
    }

    /// Memory and arithmetic of running this model on `samples` sequences of up to `length` steps, `batch` at a time
    /// (see the file comment for the terms). `blockPrecision` is the arithmetic of the S4D blocks.
    public func jobEstimate(samples: Int, batch: Int, length: Int, work: ModelWork,
                            blockPrecision: ComputePrecision = .f64) -> JobEstimate {
        let n = Double(max(samples, 1)), b = Double(max(1, min(batch, max(samples, 1)))), l = Double(max(length, 1))
        let h = Double(dModel), m = Double(dState / 2), d = Double(dInput), layerCount = Double(layers)
        let s: Double = blockPrecision == .f32 ? 4 : 8
        let training: Bool, epochs: Double, threads: Double
        switch work {
        case .inference: (training, epochs, threads) = (false, 1, 1)
        case let .training(e, t): (training, epochs, threads) = (true, Double(max(e, 1)), Double(max(t, 1)))
        }
        let weights = parameterCount * 8 * (training ? 4 + threads : 2)
        let bhl = b * h * l
        func forward(_ s: Double) -> Double { layerCount * (bhl * (6 * s + 24) + h * l * (s + 8)) + bhl * 8 + b * l * d * 16 }
        // Training keeps its tapes for the backward pass; its validation and test passes run in Double.
        let activations = training ? max(forward(s) + 6 * bhl * 8, forward(8)) : forward(s)
        let data = n * l * d * 8 * (training ? 3 : 1)
        let workspace = 64 * l * threads + 48 * 1_048_576

        let perSample = 2 * d * h * l + layerCount * (4 * h * h * l + h * l * (20 * Double.log2(2 * l) + 52))
        let perBatch = layerCount * 4 * h * m * l
        let forward = n * perSample + (n / b).rounded(.up) * perBatch
        let operations = forward * (training ? 3 * epochs : 1)
        return JobEstimate(parts: [("weights", weights), ("activations", activations), ("data", data), ("workspace", workspace)],
                           operations: operations)
    }
}
