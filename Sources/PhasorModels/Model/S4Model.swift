// The S4Model classifier of state-spaces `example.py`, forward and backward:
//   x = encoder(in)                                      (B, L, d_in) → (B, H, L)
//   per layer i:  z = prenorm ? LN_i(x) : x;  z = S4D_i(z);  z = dropout(z);  x = z + x;  if !prenorm: x = LN_i(x)
//   p = mean over l < n_b of x;  logits = decoder(p)
// Backward (residual): prenorm: ∂x_in = ∂x_out + LN′(S4D′(drop′(∂x_out)));  postnorm: s = LN′(∂x_out), ∂x_in = s + S4D′(drop′(s)).
import Foundation
import PhasorNumerics

/// An S4D classifier: configuration plus named parameters (keys of DESIGN.md §9).
public struct S4Model: Sendable {
    public var configuration: S4ModelConfiguration
    public var parameters: ParameterStore
    /// Arithmetic of the S4D blocks (convolution, GELU, 1×1 conv, GLU and their backward). `.f32` is for training
    /// speed; the kernel, LayerNorm, encoder, pooling, decoder, loss and all parameter gradients stay Double.
    public var blockPrecision: ComputePrecision = .f64

    /// Random initialisation: Linear/Conv1d as PyTorch (weight and bias U(−1/√fan_in, 1/√fan_in)), D ~ N(0,1),
    /// kernel as `S4DKernelParameters(channels:state:initialisation:generator:)`, LayerNorm γ = 1, β = 0.
    public init(configuration: S4ModelConfiguration, seed: UInt64) throws {
        try configuration.validate()
        var g = SeededGenerator(seed: seed)
        let c = configuration, h = c.dModel
        func uniform(_ count: Int, fanIn: Int) -> [Double] {
            let bound = 1 / Double(fanIn).squareRoot()
            return (0..<count).map { _ in (2 * g.uniform() - 1) * bound }
        }
        var values: [String: [Double]] = [:]
        values["encoder.weight"] = uniform(h * c.dInput, fanIn: c.dInput)
        values["encoder.bias"] = uniform(h, fanIn: c.dInput)
        for i in 0..<c.layers {
            let p = "s4_layers.\(i)."
            values[p + "D"] = (0..<h).map { _ in g.normal() }
            let k = try S4DKernelParameters(channels: h, state: c.dState, initialisation: c.initialisation, generator: &g)
            values[p + "kernel.C"] = k.C; values[p + "kernel.log_dt"] = k.logDt
            values[p + "kernel.log_A_real"] = k.logAReal; values[p + "kernel.A_imag"] = k.AImag
            values[p + "output_linear.0.weight"] = uniform(2 * h * h, fanIn: h)
            values[p + "output_linear.0.bias"] = uniform(2 * h, fanIn: h)
            values["norms.\(i).weight"] = [Double](repeating: 1, count: h)
            values["norms.\(i).bias"] = [Double](repeating: 0, count: h)
        }
        values["decoder.weight"] = uniform(c.classes * h, fanIn: h)
        values["decoder.bias"] = uniform(c.classes, fanIn: h)
        var store = ParameterStore()
        for (name, shape) in c.parameterShapes { try store.append(Parameter(name: name, shape: shape, values: values[name]!)) }
        self.configuration = configuration
        self.parameters = store
    }

    /// A model from existing parameters; checks that exactly the configuration's keys are present with its shapes
    /// and that every value is finite. Parameters are stored in `state_dict` order whatever order they came in.
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
    }

    /// S4D block `i` built from the store.
    public func layer(_ i: Int) throws -> S4DLayer {
        guard i >= 0, i < configuration.layers else {
            throw ModelError.invalidConfiguration("layer \(i) does not exist (the model has \(configuration.layers))")
        }
        let p = "s4_layers.\(i).", h = configuration.dModel
        let k = try S4DKernelParameters(channels: h, modes: configuration.dState / 2, logDt: parameters.values(p + "kernel.log_dt"),
                                        C: parameters.values(p + "kernel.C"), logAReal: parameters.values(p + "kernel.log_A_real"),
                                        AImag: parameters.values(p + "kernel.A_imag"))
        return try S4DLayer(kernel: k, D: parameters.values(p + "D"), outputWeight: parameters.values(p + "output_linear.0.weight"),
                            outputBias: parameters.values(p + "output_linear.0.bias"), discretization: configuration.discretization)
    }

    /// Class scores, shape (B, classes). `inputs` is (B, L, d_input) row-major; `lengths[b]` ≤ L marks the valid
    /// prefix of sample b (padding after it is ignored by the causal layers and the masked mean).
    public func logits(inputs: [Double], batch: Int, length: Int, lengths: [Int]? = nil) throws -> [Double] {
        var none = SeededGenerator(seed: 0)
        let fwd = try forward(inputs: inputs, batch: batch, length: length, lengths: lengths, training: false, generator: &none)
        return fwd.logits
    }

    /// Every intermediate of an evaluation-mode forward pass (Double), for the correspondence and operator layers.
    public func trace(inputs: [Double], batch: Int, length: Int, lengths: [Int]? = nil) throws -> S4ModelTrace {
        var none = SeededGenerator(seed: 0)
        var m = self
        m.blockPrecision = .f64
        let fwd = try m.forward(inputs: inputs, batch: batch, length: length, lengths: lengths, training: false, generator: &none)
        let layers: [S4ModelTrace.Layer] = fwd.layers.map { t in
            guard case .f64(let tape) = t.block else { preconditionFailure("trace runs in Double") }
            return S4ModelTrace.Layer(blockInput: tape.input, ssmOutput: tape.y, blockOutput: t.blockOutput, residualOutput: t.residualOutput)
        }
        return S4ModelTrace(encoded: fwd.encoded, layers: layers, pooled: fwd.pooled, logits: fwd.logits)
    }

    /// Mean cross-entropy over the batch, the number of correct argmax predictions, and ∂loss/∂parameters (same
    /// names and shapes as `parameters`). With `training`, dropout masks are drawn from `generator`.
    public func lossAndGradients(inputs: [Double], batch: Int, length: Int, lengths: [Int]?, labels: [Int],
                                 training: Bool, generator: inout SeededGenerator) throws -> (loss: Double, correct: Int, gradients: ParameterStore) {
        let c = configuration
        guard labels.count == batch else {
            throw ModelError.invalidConfiguration("got \(labels.count) labels for a batch of \(batch)")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= c.classes }) {
            throw ModelError.invalidConfiguration("label \(bad) is outside 0..<\(c.classes)")
        }
        let fwd = try forward(inputs: inputs, batch: batch, length: length, lengths: lengths, training: training, generator: &generator)
        let ce = CrossEntropy.lossAndGradient(logits: fwd.logits, labels: labels, batch: batch, classes: c.classes)
        var grads = parameters.zeros()
        let h = c.dModel, L = length
        let dec = Decoder.backward(ce.gradient, pooled: fwd.pooled, weight: try parameters.values("decoder.weight"),
                                   batch: batch, channels: h, classes: c.classes)
        try grads.setValues("decoder.weight", dec.weight); try grads.setValues("decoder.bias", dec.bias)
        var dx = MaskedMeanPool.backward(dec.input, lengths: fwd.lengths, batch: batch, channels: h, length: L)
        for i in stride(from: c.layers - 1, through: 0, by: -1) {
            let t = fwd.layers[i]
            let nw = try parameters.values("norms.\(i).weight")
            var dBlockOut: [Double], dResidual: [Double]
            if c.prenorm {
                dBlockOut = dx; dResidual = dx
            } else {
                let ln = LayerNorm.backward(dx, tape: t.norm, weight: nw, batch: batch, channels: h, length: L)
                try grads.setValues("norms.\(i).weight", ln.weight); try grads.setValues("norms.\(i).bias", ln.bias)
                dBlockOut = ln.input; dResidual = ln.input
            }
            if let mask = t.outerMask { scaleRows(&dBlockOut, mask, length: L) }
            let dBlockIn: [Double], lg: S4DLayerGradients
            switch t.block {
            case .f64(let tape):
                (dBlockIn, lg) = t.layer.backward(tape, outputGradient: dBlockOut)
            case .f32(let tape):
                let r = t.layer.backward(tape, outputGradient: converted(dBlockOut, to: Float.self))
                dBlockIn = converted(r.input, to: Double.self); lg = r.gradients
            }
            let p = "s4_layers.\(i)."
            try grads.setValues(p + "D", lg.D); try grads.setValues(p + "kernel.C", lg.kernel.C)
            try grads.setValues(p + "kernel.log_dt", lg.kernel.logDt); try grads.setValues(p + "kernel.log_A_real", lg.kernel.logAReal)
            try grads.setValues(p + "kernel.A_imag", lg.kernel.AImag)
            try grads.setValues(p + "output_linear.0.weight", lg.outputWeight); try grads.setValues(p + "output_linear.0.bias", lg.outputBias)
            var dIn = dBlockIn
            if c.prenorm {
                let ln = LayerNorm.backward(dBlockIn, tape: t.norm, weight: nw, batch: batch, channels: h, length: L)
                try grads.setValues("norms.\(i).weight", ln.weight); try grads.setValues("norms.\(i).bias", ln.bias)
                dIn = ln.input
            }
            addInPlace(&dIn, dResidual)
            dx = dIn
        }
        let enc = Encoder.backward(dx, input: inputs, batch: batch, length: L, dInput: c.dInput, channels: h)
        try grads.setValues("encoder.weight", enc.weight); try grads.setValues("encoder.bias", enc.bias)
        try requireFinite(ce.loss, "training loss")
        try grads.requireFinite()
        return (ce.loss, ce.correct, grads)
    }

    // MARK: forward with saved activations

    enum BlockTape {
        case f64(S4DLayer.Tape<Double>)
        case f32(S4DLayer.Tape<Float>)
    }

    struct LayerTape {
        var layer: S4DLayer
        var block: BlockTape
        var norm: LayerNorm.Tape
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

    func forward(inputs: [Double], batch: Int, length: Int, lengths: [Int]?, training: Bool,
                 generator: inout SeededGenerator) throws -> ForwardTape {
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
        var x = Encoder.forward(inputs, weight: try parameters.values("encoder.weight"), bias: try parameters.values("encoder.bias"),
                                batch: batch, length: L, dInput: c.dInput, channels: h)
        let encoded = training ? [] : x
        var tapes: [LayerTape] = []
        let useDropout = training && c.dropout > 0
        for i in 0..<c.layers {
            let layer = try self.layer(i)
            let nw = try parameters.values("norms.\(i).weight"), nb = try parameters.values("norms.\(i).bias")
            let innerMask = useDropout ? Self.dropoutMask(count: batch * h, p: c.dropout, generator: &generator) : nil
            let outerMask = useDropout ? Self.dropoutMask(count: batch * h, p: c.dropout, generator: &generator) : nil
            var z = x
            var normTape = LayerNorm.Tape(normalised: [], inverseStd: [])
            if c.prenorm { (z, normTape) = LayerNorm.forward(x, weight: nw, bias: nb, batch: batch, channels: h, length: L) }
            var out: [Double]
            let blockTape: BlockTape
            switch blockPrecision {
            case .f64:
                let (o, t) = try layer.forwardTape(input: z, batch: batch, length: L, mask: innerMask)
                out = o; blockTape = .f64(t)
            case .f32:
                let (o, t) = try layer.forwardTape(input: converted(z, to: Float.self), batch: batch, length: L, mask: innerMask)
                out = converted(o, to: Double.self); blockTape = .f32(t)
            }
            if let outerMask { scaleRows(&out, outerMask, length: L) }
            addInPlace(&x, out)                                                       // residual
            if !c.prenorm { (x, normTape) = LayerNorm.forward(x, weight: nw, bias: nb, batch: batch, channels: h, length: L) }
            tapes.append(LayerTape(layer: layer, block: blockTape, norm: normTape, outerMask: outerMask,
                                   blockOutput: training ? [] : out, residualOutput: training ? [] : x))
        }
        let pooled = MaskedMeanPool.forward(x, lengths: lens, batch: batch, channels: h, length: L)
        let logits = Decoder.forward(pooled, weight: try parameters.values("decoder.weight"), bias: try parameters.values("decoder.bias"),
                                     batch: batch, channels: h, classes: c.classes)
        try requireFinite(logits, "logits")
        return ForwardTape(encoded: encoded, layers: tapes, pooled: pooled, logits: logits, lengths: lens)
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

/// The intermediates of one evaluation-mode forward pass; every activation is (B, H, L) row-major.
public struct S4ModelTrace: Sendable {
    public struct Layer: Sendable {
        /// What the S4D block saw (after LayerNorm when prenorm).
        public var blockInput: [Double]
        /// The SSM output y = K * u + D⊙u before GELU.
        public var ssmOutput: [Double]
        /// The block's output (after GLU).
        public var blockOutput: [Double]
        /// The residual stream after this layer (after LayerNorm when postnorm).
        public var residualOutput: [Double]
    }
    /// The encoder output.
    public var encoded: [Double]
    public var layers: [Layer]
    /// Masked mean over time, (B, H).
    public var pooled: [Double]
    /// (B, classes).
    public var logits: [Double]
}
