// The classifier skeleton — state-spaces `example.py`'s S4Model and the S5/LRU reference classifiers (CoreKind.swift)
// — forward and backward, over its typed parts (BlockParts.swift):
//   x = encoder(in)                                      (B, L, d_in) → (B, H, L)
//   per block i:  z = prenorm ? N_i(x) : x;  z = head_i(core_i(z));  z = dropout(z);  x = z + x;  if !prenorm: x = N_i(x)
//   p = mean over l < n_b of x (or x at l = n_b − 1);  logits = decoder(p)
// Backward (residual): prenorm: ∂x_in = ∂x_out + N′(block′(drop′(∂x_out)));  postnorm: s = N′(∂x_out), ∂x_in = s + block′(drop′(s)).
// example.py's block (S4D, GELU erf → 1×1 conv → GLU) runs fused in S4DLayer (in Float when training asks for it);
// every other block part by part in Double (BlockExecution.swift).
// N_i is the block's norm (NormForward.swift): LayerNorm, BatchNorm (batch statistics while training — the forward
// pass returns them and `updateRunningStatistics` moves the running buffers — running statistics otherwise) or none.
// The evaluation pass (`evaluate`, S4ModelEvaluation.swift) is this same forward in Double, with optional per-layer,
// per-channel replacements of the head's pointwise functions and frozen LayerNorm gains.
import Foundation
import PhasorNumerics

/// An S4D classifier: its configuration and its parameters, a flat store in `state_dict` order whose typed views are
/// `encoder`, `blocks` and `decoder` (CheckpointLayout.swift maps one onto the other).
public struct S4Model: Sendable {
    public var configuration: S4ModelConfiguration
    /// The flat parameters (what the optimiser steps and a checkpoint writes). Set only through `init` or in place by
    /// this module (names and sizes never change).
    public internal(set) var parameters: ParameterStore
    /// Arithmetic of the S4D blocks (convolution, GELU, 1×1 conv, GLU and their backward). `.f32` is for training
    /// speed; the kernel, LayerNorm, encoder, pooling, decoder, loss and all parameter gradients stay Double.
    public var blockPrecision: ComputePrecision = .f64

    /// Random initialisation. example.py: Linear/Conv1d as PyTorch (weight and bias U(−1/√fan_in, 1/√fan_in)),
    /// D ~ N(0,1), kernel as `S4DKernelParameters(channels:state:initialisation:generator:)`, LayerNorm γ = 1, β = 0,
    /// BatchNorm as PyTorch's (γ = 1, β = 0, running mean 0, running variance 1); a bilinear head's second half is then
    /// rescaled (`BilinearHead.startAsLinearisedGLU`). The draws come in state_dict order: encoder, then per block D,
    /// kernel, 1×1 conv; then the decoder — the same for either head and any norm. The other references as their code
    /// initialises (ReferenceInitialisation.swift).
    public init(configuration: S4ModelConfiguration, seed: UInt64) throws {
        try configuration.validate()
        var g = SeededGenerator(seed: seed)
        let c = configuration, h = c.dModel
        guard c.skeleton == .stateSpaces else {
            let parts = try ReferenceInitialisation.parts(c, generator: &g)
            self.configuration = configuration
            self.parameters = try Self.layout(c, encoder: parts.encoder, blocks: parts.blocks, decoder: parts.decoder)
            return
        }
        func uniform(_ count: Int, fanIn: Int) -> [Double] {
            let bound = 1 / Double(fanIn).squareRoot()
            return (0..<count).map { _ in (2 * g.uniform() - 1) * bound }
        }
        let encoderWeight = uniform(h * c.dInput, fanIn: c.dInput), encoderBias = uniform(h, fanIn: c.dInput)
        let encoder = try LinearMap(inputs: c.dInput, outputs: h, weight: encoderWeight, bias: encoderBias)
        var blocks: [ResidualBlock] = []
        for _ in 0..<c.layers {
            let d = (0..<h).map { _ in g.normal() }
            let kernel = try S4DKernelParameters(channels: h, state: c.dState, initialisation: c.initialisation, generator: &g)
            var weight = uniform(2 * h * h, fanIn: h), bias = uniform(2 * h, fanIn: h)
            if c.head == .bilinear { BilinearHead.startAsLinearisedGLU(weight: &weight, bias: &bias, channels: h) }
            let norm: Norm
            switch c.norm {
            case .layer: norm = .layer(try LayerNormParameters(weight: [Double](repeating: 1, count: h), bias: [Double](repeating: 0, count: h)))
            case .batch: norm = .batch(BatchNormParameters(channels: h))
            case .none: norm = .none
            }
            blocks.append(ResidualBlock(norm: norm, core: .s4d(try S4DCore(kernel: kernel, D: d, discretization: c.discretization)),
                                        head: try ActivationHead(kind: c.head, channels: h, weight: weight, bias: bias)))
        }
        let decoderWeight = uniform(c.classes * h, fanIn: h), decoderBias = uniform(c.classes, fanIn: h)
        let decoder = try LinearMap(inputs: h, outputs: c.classes, weight: decoderWeight, bias: decoderBias)
        self.configuration = configuration
        self.parameters = try Self.layout(c, encoder: encoder, blocks: blocks, decoder: decoder)
    }

    /// A model from existing parameters; checks that exactly the configuration's keys are present with its shapes,
    /// that every value is finite and that BatchNorm buffers are possible (variances ≥ 0, integer batch counts).
    /// Parameters are stored in `state_dict` order whatever order they came in.
    public init(configuration: S4ModelConfiguration, parameters: ParameterStore) throws {
        try configuration.validate()
        let shapes = configuration.parameterShapes
        let expected = Set(shapes.map(\.name))
        let extra = parameters.names.filter { !expected.contains($0) }
        guard extra.isEmpty else { throw ModelError.unexpectedKeys(extra) }
        var store = ParameterStore()
        for (name, shape) in shapes {
            let p = try parameters.parameter(name)
            let sameShape = p.shape == shape || (p.values.count == shape.reduce(1, *) && p.shape.filter { $0 != 1 } == shape.filter { $0 != 1 })
            guard sameShape else { throw ModelError.shapeMismatch(key: name, expected: shape, found: p.shape) }
            try store.append(Parameter(name: name, shape: shape, values: p.values))
        }
        try store.requireFinite()
        self.configuration = configuration
        self.parameters = store
        try checkNorms()
    }

    /// The fused S4D block `i` (its core and head); an error when block i is not example.py's.
    public func layer(_ i: Int) throws -> S4DLayer {
        guard i >= 0, i < configuration.layers else {
            throw ModelError.invalidConfiguration("layer \(i) does not exist (the model has \(configuration.layers))")
        }
        return try block(i).layer()
    }

    /// Class scores, shape (B, classes). `inputs` is (B, L, d_input) row-major; `lengths[b]` ≤ L marks the valid
    /// prefix of sample b (padding after it is ignored by the causal layers and the masked mean).
    public func logits(inputs: [Double], batch: Int, length: Int, lengths: [Int]? = nil) throws -> [Double] {
        var none = SeededGenerator(seed: 0)
        let fwd = try forward(inputs: inputs, batch: batch, length: length, lengths: lengths, training: false, generator: &none)
        return fwd.logits
    }

    /// Mean cross-entropy over the batch, the number of correct argmax predictions, and ∂loss/∂parameters (same
    /// names and shapes as `parameters`; zero for BatchNorm's buffers). With `training`, dropout masks are drawn from
    /// `generator` and BatchNorm uses the batch's statistics (the running buffers are not moved: see `trainingPass`).
    public func lossAndGradients(inputs: [Double], batch: Int, length: Int, lengths: [Int]?, labels: [Int],
                                 training: Bool, generator: inout SeededGenerator) throws -> (loss: Double, correct: Int, gradients: ParameterStore) {
        let r = try trainingPass(inputs: inputs, batch: batch, length: length, lengths: lengths, labels: labels,
                                 training: training, generator: &generator)
        return (r.loss, r.correct, r.gradients)
    }

    /// `lossAndGradients` and, per layer, the BatchNorm batch statistics of a training pass (nil for other norms and
    /// in evaluation) for `updateRunningStatistics`. With `kernels` (a part of a training batch, SharedKernels.swift)
    /// the layers that share take their kernel from it and stop at ∂L/∂K: their kernel parameters' gradients are zero
    /// here and `kernelGradient` holds ∂L/∂K for the batch's one adjoint; without, `kernelGradient` is empty.
    func trainingPass(inputs: [Double], batch: Int, length: Int, lengths: [Int]?, labels: [Int], training: Bool,
                      generator: inout SeededGenerator, kernels: SharedKernels? = nil)
        throws -> (loss: Double, correct: Int, gradients: ParameterStore, statistics: [BatchNorm.Statistics?],
                   kernelGradient: SharedKernels.Gradient) {
        let c = configuration
        guard labels.count == batch else {
            throw ModelError.invalidConfiguration("got \(labels.count) labels for a batch of \(batch)")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= c.classes }) {
            throw ModelError.invalidConfiguration("label \(bad) is outside 0..<\(c.classes)")
        }
        let fwd = try forward(inputs: inputs, batch: batch, length: length, lengths: lengths, training: training,
                              generator: &generator, kernels: kernels)
        let ce = CrossEntropy.lossAndGradient(logits: fwd.logits, labels: labels, batch: batch, classes: c.classes)
        let h = c.dModel, L = length
        let output = self.decoder
        let dec = DecoderLayer.backward(ce.gradient, pooled: fwd.pooled, weight: output.weight, batch: batch, channels: h, classes: c.classes)
        let decoderGradient = try LinearMap(inputs: h, outputs: c.classes, weight: dec.weight, bias: dec.bias)
        var dx = SequencePooling.backward(dec.input, kind: c.pooling, lengths: fwd.lengths, batch: batch, channels: h, length: L)
        var blockGradients: [ResidualBlock?] = Array(repeating: nil, count: c.layers)
        var kernelGradient = SharedKernels.Gradient(layers: Array(repeating: nil, count: kernels == nil ? 0 : c.layers))
        for i in stride(from: c.layers - 1, through: 0, by: -1) {
            let t = fwd.layers[i]
            var normGradient = t.block.norm
            var dBlockOut: [Double], dResidual: [Double]
            if c.prenorm {
                dBlockOut = dx; dResidual = dx
            } else {
                let nb = t.block.norm.backward(dx, tape: t.normTape, batch: batch, channels: h, length: L)
                normGradient = nb.gradient
                dBlockOut = nb.input; dResidual = nb.input
            }
            if let mask = t.outerMask { scaleRows(&dBlockOut, mask, length: L) }
            let dBlockIn: [Double]
            let coreGradient: SequenceCore, headGradient: ActivationHead
            switch t.tape {
            case .f64(let tape, let layer):
                let r = layer.backward(tape, outputGradient: dBlockOut, shared: t.sharedKernel)
                dBlockIn = r.input
                if let g = r.kernel { kernelGradient.layers[i] = g }                  // ∂L/∂K: the batch's adjoint
                (coreGradient, headGradient) = try Self.fusedGradients(r.gradients, c)
            case .f32(let tape, let layer):
                let r = layer.backward(tape, outputGradient: converted(dBlockOut, to: Float.self), shared: t.sharedKernel)
                dBlockIn = converted(r.input, to: Double.self)
                if let g = r.kernel { kernelGradient.layers[i] = g }
                (coreGradient, headGradient) = try Self.fusedGradients(r.gradients, c)
            case .parts(let tape):
                let (dy, hg) = try t.block.head.backward(tape, outputGradient: dBlockOut, batch: batch, channels: h, length: L)
                let (du, cg) = try t.block.core.backward(tape.core, input: tape.input, outputGradient: dy, batch: batch,
                                                         length: L, lengths: tape.lengths)
                dBlockIn = du; coreGradient = cg; headGradient = hg
            }
            var dIn = dBlockIn
            if c.prenorm {
                let nb = t.block.norm.backward(dBlockIn, tape: t.normTape, batch: batch, channels: h, length: L)
                normGradient = nb.gradient
                dIn = nb.input
            }
            blockGradients[i] = ResidualBlock(norm: normGradient, core: coreGradient, head: headGradient)
            addInPlace(&dIn, dResidual)
            dx = dIn
        }
        let enc = EncoderLayer.backward(dx, input: inputs, batch: batch, length: L, dInput: c.dInput, channels: h)
        let encoderGradient = try LinearMap(inputs: c.dInput, outputs: h, weight: enc.weight, bias: enc.bias)
        let grads = try Self.layout(c, encoder: encoderGradient, blocks: blockGradients.map { $0! }, decoder: decoderGradient)
        try requireFinite(ce.loss, "training loss")
        try grads.requireFinite()
        for g in kernelGradient.layers { if let g { try requireFinite(g, "kernel gradient ∂L/∂K") } }
        return (ce.loss, ce.correct, grads, fwd.layers.map(\.statistics), kernelGradient)
    }

    /// Moves the BatchNorm running buffers by one training batch's statistics (PyTorch's momentum update, one more
    /// batch tracked); `statistics[i]` nil leaves layer i as it is (other norms have no buffers).
    package mutating func updateRunningStatistics(_ statistics: [BatchNorm.Statistics?]) throws {
        if statistics.allSatisfy({ $0 == nil }) { return }
        let precision = blockPrecision
        for (i, s) in statistics.enumerated() {
            guard let s, i < configuration.layers, case .batch(let p) = block(i).norm else { continue }
            var b = block(i)
            b.norm = .batch(p.updated(with: s))
            try setBlock(i, b)
        }
        blockPrecision = precision
    }

    // MARK: forward with saved activations

    enum BlockTape {
        case f64(S4DLayer.Tape<Double>, S4DLayer)
        case f32(S4DLayer.Tape<Float>, S4DLayer)
        case parts(PartsTape)
    }

    struct LayerTape {
        var block: ResidualBlock
        var tape: BlockTape
        /// The fused block's kernel when it came from the batch's shared evaluation (SharedKernels.swift).
        var sharedKernel: S4DKernelEvaluation?
        var normTape: NormTape
        /// BatchNorm's batch statistics (training only).
        var statistics: BatchNorm.Statistics?
        var outerMask: [Double]?
        var blockOutput: [Double]
        var residualOutput: [Double]
    }

    struct ForwardTape {
        var encoded: [Double]
        var layers: [LayerTape]
        var pooled: [Double]
        var logits: [Double]
        var lengths: [Int]
    }

    /// The typed gradients of a fused S4D block.
    static func fusedGradients(_ lg: S4DLayerGradients, _ c: S4ModelConfiguration) throws -> (SequenceCore, ActivationHead) {
        let h = c.dModel
        let kernel = try S4DKernelParameters(channels: h, modes: c.dState / 2, logDt: lg.kernel.logDt, C: lg.kernel.C,
                                             logAReal: lg.kernel.logAReal, AImag: lg.kernel.AImag)
        return (.s4d(try S4DCore(kernel: kernel, D: lg.D, discretization: c.discretization)),
                try ActivationHead(kind: c.head, channels: h, weight: lg.outputWeight, bias: lg.outputBias))
    }

    /// The forward pass. `options` (evaluation only, Double blocks): replaced pointwise functions and frozen gains.
    /// `kernels`: the fused blocks' kernels evaluated once for the training batch this pass is a part of.
    func forward(inputs: [Double], batch: Int, length: Int, lengths: [Int]?, training: Bool,
                 generator: inout SeededGenerator, options: EvaluationOptions? = nil,
                 kernels: SharedKernels? = nil) throws -> ForwardTape {
        let c = configuration, h = c.dModel, L = length
        guard batch > 0, length > 0 else { throw ModelError.invalidConfiguration("batch and length must be positive (got B=\(batch), L=\(length))") }
        guard inputs.count == batch * length * c.dInput else {
            if inputs.count % (batch * length) == 0 { throw ModelError.inputWidth(expected: c.dInput, found: inputs.count / (batch * length)) }
            throw ModelError.shapeMismatch(key: "inputs (B, L, d_input)", expected: [batch, length, c.dInput], found: [inputs.count])
        }
        try requireFinite(inputs, "model input")
        let lens = lengths ?? [Int](repeating: length, count: batch)
        guard lens.count == batch else { throw ModelError.invalidConfiguration("got \(lens.count) lengths for a batch of \(batch)") }
        if let bad = lens.first(where: { $0 < 1 || $0 > length }) {
            throw ModelError.invalidConfiguration("sequence length \(bad) is outside 1…\(length)")
        }
        if let gains = options?.frozenGains,
           gains.count != c.layers || gains.contains(where: { $0.count != batch * L && (c.norm == .layer || !$0.isEmpty) }) {
            throw ModelError.invalidConfiguration("frozen LayerNorm gains must be \(c.layers) arrays of B·L = \(batch * L) values (empty for layers without a LayerNorm)")
        }
        let input = self.encoder
        var x = EncoderLayer.forward(inputs, weight: input.weight, bias: input.bias, batch: batch, length: L, dInput: c.dInput, channels: h)
        let keep = !training && options?.record != false
        let encoded = keep ? x : []
        var tapes: [LayerTape] = []
        let useDropout = training && c.dropout > 0
        let precision = options == nil ? blockPrecision : .f64
        for i in 0..<c.layers {
            let block = self.block(i)
            let fused = block.fused
            let gains = c.norm == .layer ? options?.frozenGains?[i] : nil
            let pointwise = options.map { BlockPointwise(layer: i, overrides: $0.pointwise) }
            let innerMask = useDropout ? Self.dropoutMask(count: batch * h, p: c.dropout, generator: &generator) : nil
            let outerMask = useDropout ? Self.dropoutMask(count: batch * h, p: c.dropout, generator: &generator) : nil
            var z = x
            var normTape = NormTape.none, statistics: BatchNorm.Statistics?
            if c.prenorm {
                (z, normTape, statistics) = try block.norm.forward(x, batch: batch, channels: h, length: L, lengths: lens,
                                                                   training: training, gains: gains)
            }
            var out: [Double]
            let blockTape: BlockTape
            let shared = try kernels?.evaluation(i)
            if let layer = fused {
                switch precision {
                case .f64:
                    let (o, t) = try layer.forwardTape(input: z, batch: batch, length: L, mask: innerMask, pointwise: pointwise,
                                                       shared: shared)
                    out = o; blockTape = .f64(t, layer)
                case .f32:
                    let (o, t) = try layer.forwardTape(input: converted(z, to: Float.self), batch: batch, length: L, mask: innerMask,
                                                       shared: shared)
                    out = converted(o, to: Double.self); blockTape = .f32(t, layer)
                }
            } else {
                let (y, coreTape) = try block.core.forwardTape(z, batch: batch, length: L, lengths: lens)
                let head = try block.head.forward(y, batch: batch, channels: h, length: L, mask: innerMask, pointwise: pointwise)
                try requireFinite(head.out, "block \(i) output")
                out = head.out
                blockTape = .parts(PartsTape(input: z, core: coreTape, y: y, g: head.g, z: head.z, gate: head.gate,
                                             mask: innerMask, lengths: lens))
            }
            if let outerMask { scaleRows(&out, outerMask, length: L) }
            addInPlace(&x, out)                                                       // residual
            if !c.prenorm {
                (x, normTape, statistics) = try block.norm.forward(x, batch: batch, channels: h, length: L, lengths: lens,
                                                                   training: training, gains: gains)
            }
            tapes.append(LayerTape(block: block, tape: blockTape, sharedKernel: shared, normTape: normTape, statistics: statistics,
                                   outerMask: outerMask, blockOutput: keep ? out : [], residualOutput: keep ? x : []))
        }
        let pooled = SequencePooling.forward(x, kind: c.pooling, lengths: lens, batch: batch, channels: h, length: L)
        let output = self.decoder
        let logits = DecoderLayer.forward(pooled, weight: output.weight, bias: output.bias, batch: batch, channels: h, classes: c.classes)
        try requireFinite(logits, "logits")
        return ForwardTape(encoded: encoded, layers: tapes, pooled: pooled, logits: logits, lengths: lens)
    }

    /// Discretises every block's core once, so that a core without a valid discrete form (an LRU with |λ| ≥ 1, a step
    /// Δ that is not positive) is refused when the model is read, not at its first input.
    func checkCores() throws {
        for i in 0..<configuration.layers {
            switch block(i).core {
            case .s4d(let c): _ = try c.discretised()
            case .s5(let c): _ = try c.discrete()
            case .lru(let c): _ = try c.discrete()
            case .linoss(let c): _ = try c.blocks(requireStable: false)             // Δ = sigmoid(steps) > 0
            case .s6: break                                                        // its steps depend on the input
            }
        }
    }

    /// One Bernoulli(1−p) draw per (b, h), scaled by 1/(1−p) (inverted dropout; tied along L like `Dropout1d`).
    static func dropoutMask(count: Int, p: Double, generator: inout SeededGenerator) -> [Double] {
        (0..<count).map { _ in generator.uniform() < 1 - p ? 1 / (1 - p) : 0 }
    }
}

/// x[r, l] *= s[r] for rows r of length L (rows in parallel).
func scaleRows(_ x: inout [Double], _ s: [Double], length L: Int) {
    x.withUnsafeMutableBufferPointer { xb in
        guard let base = xb.baseAddress else { return }
        let p = SharedPointer(base)
        parallelFor(s.count) { r in let v = s[r], row = p.base + r * L; for l in 0..<L { row[l] *= v } }
    }
}
