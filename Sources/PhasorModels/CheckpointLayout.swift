// The S4Model as state-spaces `example.py` names it — the ONE file of Phasor that writes its checkpoint key names
// (DESIGN.md §9). Everything else reaches a tensor through the typed parts (BlockParts.swift) or through the names
// below: training, checkpoints, the correspondence, the operator, the analyses, the demo and the CLI.
//
// Keys and shapes of a PyTorch `state_dict` of example.py's S4Model (checked against example.py and
// models/s4/s4d.py): encoder (Linear: weight (H, d_input), bias (H)); per layer i the S4D block
// s4_layers.{i}: D (H), kernel.C (H, N/2, 2 = re, im), kernel.log_dt (H), kernel.log_A_real (H, N/2),
// kernel.A_imag (H, N/2), output_linear.0 (Conv1d: weight (2H, H, 1), bias (2H)) — GELU, DropoutNd and GLU have no
// tensors; norms.{i} (LayerNorm: weight (H), bias (H)); decoder (Linear: weight (classes, H), bias (classes)).
// `S4DKernel.register` makes buffers instead of parameters when lr = 0, and buffers are in `state_dict` too, so the
// key set is the same either way. Nothing is ignored.
// The other block kinds keep these names (BilinearHead.swift, BatchNormParameters.swift): the bilinear head is the
// same Conv1d at output_linear.0 (its product has no tensors); a BatchNorm1d at norms.{i} has weight (H), bias (H)
// and the buffers running_mean (H), running_var (H), num_batches_tracked () (int64); a model without norms has no
// norms.{i} keys at all.
//
// A checkpoint carries no configuration file: the architecture is implied by the tensors. Layers = number of distinct
// s4_layers.{i} / norms.{i} indices (contiguous from 0), d_model H and d_input from encoder.weight, d_state
// N = 2·(N/2) from s4_layers.0.kernel.A_imag, classes from decoder.weight, the norm kind from the norms' keys
// (running_mean: BatchNorm; weight only: LayerNorm; none: no norm). Every tensor must then have exactly the shape this
// architecture implies; missing or extra keys are errors (an extra key means a different model). The head kind cannot
// be seen in the tensors (both heads are one Conv1d): it is the metadata's "block" (ModelFile.swift).

/// The key names of example.py's S4Model.
public enum S4ModelKeys {
    public static let encoderWeight = "encoder.weight"
    public static let encoderBias = "encoder.bias"
    public static let decoderWeight = "decoder.weight"
    public static let decoderBias = "decoder.bias"
    static let blockPrefix = "s4_layers."
    static let normPrefix = "norms."

    /// The names of block i's tensors.
    public struct Block: Sendable, Equatable {
        public let d, c, logDt, logAReal, aImag, outputWeight, outputBias, normWeight, normBias: String
        /// BatchNorm's buffers.
        public let normRunningMean, normRunningVariance, normBatchesTracked: String

        init(_ i: Int) {
            let p = S4ModelKeys.blockPrefix + "\(i).", n = S4ModelKeys.normPrefix + "\(i)."
            d = p + "D"
            c = p + "kernel.C"
            logDt = p + "kernel.log_dt"
            logAReal = p + "kernel.log_A_real"
            aImag = p + "kernel.A_imag"
            outputWeight = p + "output_linear.0.weight"
            outputBias = p + "output_linear.0.bias"
            normWeight = n + "weight"
            normBias = n + "bias"
            normRunningMean = n + "running_mean"
            normRunningVariance = n + "running_var"
            normBatchesTracked = n + "num_batches_tracked"
        }

        /// The norm's tensors in state_dict order.
        public func norm(_ kind: NormKind) -> [String] {
            switch kind {
            case .layer: return [normWeight, normBias]
            case .batch: return [normWeight, normBias, normRunningMean, normRunningVariance, normBatchesTracked]
            case .none: return []
            }
        }

        /// The S4D core's tensors (the whole content of a designed layer file).
        public var core: [String] { [d, logDt, c, logAReal, aImag] }
    }

    public static func block(_ i: Int) -> Block { Block(i) }

    /// The layer index of a key of a block or a norm ("s4_layers.3.…", "norms.3.…"), nil for other keys.
    static func layerIndex(_ key: String) -> Int? {
        for prefix in [blockPrefix, normPrefix] where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            if let dot = rest.firstIndex(of: "."), let i = Int(rest[..<dot]), i >= 0 { return i }
        }
        return nil
    }

    /// True for the SSM parameters (log_dt, log_A_real, A_imag) that train with their own learning rate and no
    /// weight decay (example.py's `_optim` group).
    public static func isSSMParameter(_ key: String) -> Bool {
        guard let i = layerIndex(key) else { return false }
        let b = block(i)
        return key == b.logDt || key == b.logAReal || key == b.aImag
    }

    /// True for a buffer of a norm (BatchNorm's running_mean, running_var, num_batches_tracked): saved in checkpoints
    /// and resume states like every tensor, updated by training batches, never stepped by the optimiser.
    public static func isBuffer(_ key: String) -> Bool {
        guard let i = layerIndex(key) else { return false }
        let b = block(i)
        return key == b.normRunningMean || key == b.normRunningVariance || key == b.normBatchesTracked
    }

    /// True for the integer tensor of a model (BatchNorm's num_batches_tracked, int64 in PyTorch).
    public static func isCounter(_ key: String) -> Bool { layerIndex(key).map { block($0).normBatchesTracked == key } ?? false }

    /// The norm kind a key set shows: BatchNorm when a norm has running statistics, LayerNorm when norms have
    /// tensors, none without norms.{i} keys.
    static func normKind<S: Sequence>(_ keys: S) -> NormKind where S.Element == String {
        var kind = NormKind.none
        for key in keys where key.hasPrefix(normPrefix) {
            if key.hasSuffix(".running_mean") { return .batch }
            kind = .layer
        }
        return kind
    }

    /// True for a key of example.py's S4Model (a block, a norm, the encoder or the decoder).
    public static func isModelKey(_ key: String) -> Bool {
        layerIndex(key) != nil || [encoderWeight, encoderBias, decoderWeight, decoderBias].contains(key)
    }

    /// True for a block's Δ (log_dt) tensor.
    static func isStep(_ key: String) -> Bool { layerIndex(key).map { block($0).logDt == key } ?? false }
}

extension S4ModelConfiguration {
    /// Every parameter name with its shape, in PyTorch `state_dict` order (other references: ReferenceLayout.swift).
    public var parameterShapes: [(name: String, shape: [Int])] {
        if skeleton != .stateSpaces { return ReferenceLayout.parameterShapes(self) }
        let h = dModel, m = dState / 2
        var out: [(String, [Int])] = [(S4ModelKeys.encoderWeight, [h, dInput]), (S4ModelKeys.encoderBias, [h])]
        for i in 0..<layers {
            let k = S4ModelKeys.block(i)
            out += [(k.d, [h]), (k.c, [h, m, 2]), (k.logDt, [h]), (k.logAReal, [h, m]), (k.aImag, [h, m]),
                    (k.outputWeight, [2 * h, h, 1]), (k.outputBias, [2 * h])]
        }
        for i in 0..<layers {
            let k = S4ModelKeys.block(i)
            out += k.norm(norm).map { ($0, $0 == k.normBatchesTracked ? [] : [h]) }    // num_batches_tracked: a scalar
        }
        out += [(S4ModelKeys.decoderWeight, [classes, h]), (S4ModelKeys.decoderBias, [classes])]
        return out
    }

    /// True for a buffer (a BatchNorm's running statistics: example.py's `S4ModelKeys.isBuffer`, the other
    /// references' `ReferenceLayout.isBuffer`): saved, moved by training batches, never stepped by the optimiser.
    public static func isBuffer(_ name: String) -> Bool { S4ModelKeys.isBuffer(name) || ReferenceLayout.isBuffer(name) }

    /// True for the SSM parameters: example.py's (see `S4ModelKeys.isSSMParameter`) and each reference's
    /// (`ReferenceLayout.isSSMParameter`).
    public static func isSSMParameter(_ name: String) -> Bool {
        S4ModelKeys.isSSMParameter(name) || ReferenceLayout.isSSMParameter(name)
    }
}

public enum CheckpointLayout {
    /// Reads the sizes and the norm kind from tensor shapes and checks that the key set and every shape agree with
    /// them. The result has the switches a `state_dict` cannot show at their example.py defaults (post-norm, ZOH,
    /// S4D-Lin, dropout 0, the gated GELU head).
    /// Throws `ModelError.missingKey`, `.unexpectedKeys`, `.shapeMismatch` or `.invalidConfiguration`.
    public static func configuration(shapes: [String: [Int]]) throws -> S4ModelConfiguration {
        func shape(_ key: String, rank: Int) throws -> [Int] {
            guard let s = shapes[key] else { throw ModelError.missingKey(key) }
            guard s.count == rank, s.allSatisfy({ $0 > 0 }) else {
                throw ModelError.invalidConfiguration("tensor '\(key)' has shape \(s); expected \(rank) positive dimensions")
            }
            return s
        }
        let layers = try layerCount(shapes.keys)
        let encoder = try shape(S4ModelKeys.encoderWeight, rank: 2)
        let modes = try shape(S4ModelKeys.block(0).aImag, rank: 2)
        let decoder = try shape(S4ModelKeys.decoderWeight, rank: 2)
        let c = S4ModelConfiguration(dInput: encoder[1], dModel: encoder[0], dState: 2 * modes[1], layers: layers,
                                     classes: decoder[0], prenorm: false, dropout: 0, initialisation: .lin,
                                     discretization: .zoh, norm: S4ModelKeys.normKind(shapes.keys), head: .glu)
        let expected = c.parameterShapes
        let expectedNames = Set(expected.map(\.name))
        let extra = shapes.keys.filter { !expectedNames.contains($0) }
        if !extra.isEmpty { throw ModelError.unexpectedKeys(extra.sorted()) }
        for (key, want) in expected {
            guard let found = shapes[key] else { throw ModelError.missingKey(key) }
            guard found == want else { throw ModelError.shapeMismatch(key: key, expected: want, found: found) }
        }
        try c.validate()
        return c
    }

    /// The number of layers: the indices after "s4_layers." / "norms." must run 0, 1, …, layers − 1 (at least one).
    static func layerCount<S: Sequence>(_ keys: S) throws -> Int where S.Element == String {
        let indices = Set(keys.compactMap(S4ModelKeys.layerIndex))
        guard !indices.isEmpty else { throw ModelError.missingKey(S4ModelKeys.block(0).aImag) }
        if let missing = (0..<indices.count).first(where: { !indices.contains($0) }) {
            throw ModelError.missingKey(S4ModelKeys.block(missing).aImag)
        }
        return indices.count
    }

    /// Whether `keys` are exactly the S4D core tensors of layers 0..<n (a designed layer file, no encoder/decoder),
    /// and n if so.
    static func coreLayerCount(_ keys: Set<String>) -> Int? {
        guard let n = try? layerCount(keys) else { return nil }
        let expected = Set((0..<n).flatMap { S4ModelKeys.block($0).core })
        return keys == expected ? n : nil
    }

    /// Whether `keys` hold a whole model (example.py's or another reference's) or a designed layer file (used to
    /// find a common prefix to strip).
    static func recognises(_ keys: Set<String>) -> Bool {
        keys.contains(S4ModelKeys.encoderWeight) || coreLayerCount(keys) != nil || ReferenceLayout.recognises(keys)
    }

    /// The S4D cores of a designed layer file's tensors (shapes (H), (H, M, 2), (H, M) as a state_dict has them).
    static func cores(values: [String: (shape: [Int], values: [Double])], layers: Int,
                      discretization: Discretization) throws -> [S4DCore] {
        try (0..<layers).map { i in
            let k = S4ModelKeys.block(i)
            func get(_ key: String) throws -> (shape: [Int], values: [Double]) {
                guard let t = values[key] else { throw ModelError.missingKey(key) }
                return t
            }
            let a = try get(k.aImag)
            guard a.shape.count == 2 else { throw ModelError.shapeMismatch(key: k.aImag, expected: [-1, -1], found: a.shape) }
            let h = a.shape[0], m = a.shape[1]
            for (key, want) in [(k.d, [h]), (k.logDt, [h]), (k.c, [h, m, 2]), (k.logAReal, [h, m])] {
                let s = try get(key).shape
                guard s == want else { throw ModelError.shapeMismatch(key: key, expected: want, found: s) }
            }
            let kernel = try S4DKernelParameters(channels: h, modes: m, logDt: get(k.logDt).values, C: get(k.c).values,
                                                 logAReal: get(k.logAReal).values, AImag: a.values)
            return try S4DCore(kernel: kernel, D: get(k.d).values, discretization: discretization)
        }
    }

    /// The tensors of S4D cores as layers 0, 1, … of a designed layer file (F64 shapes as a state_dict has them).
    public static func coreParameters(_ cores: [S4DCore], firstLayer: Int = 0) throws -> ParameterStore {
        // "s4_layers.-1.D" is a name no loader reads back, and a layer index past Int.max − count would overflow.
        guard firstLayer >= 0, firstLayer <= Int.max - cores.count else {
            throw ModelError.invalidConfiguration("layer index \(firstLayer) must be ≥ 0 (s4_layers.{i} counts from 0)")
        }
        var store = ParameterStore()
        for (j, core) in cores.enumerated() {
            let k = S4ModelKeys.block(firstLayer + j), h = core.channels, m = core.modes
            try store.append(Parameter(name: k.d, shape: [h], values: core.D))
            try store.append(Parameter(name: k.logDt, shape: [h], values: core.kernel.logDt))
            try store.append(Parameter(name: k.c, shape: [h, m, 2], values: core.kernel.C))
            try store.append(Parameter(name: k.logAReal, shape: [h, m], values: core.kernel.logAReal))
            try store.append(Parameter(name: k.aImag, shape: [h, m], values: core.kernel.AImag))
        }
        return store
    }
}

// MARK: typed parts ⇄ the flat store

extension S4Model {
    /// The encoder Linear(d_input → H).
    public var encoder: LinearMap {
        let c = configuration
        if c.skeleton != .stateSpaces { return try! ReferenceLayout.encoder(c, value: value) }   // shapes fixed by init
        return try! LinearMap(inputs: c.dInput, outputs: c.dModel, weight: value(S4ModelKeys.encoderWeight),
                              bias: value(S4ModelKeys.encoderBias))        // shapes fixed by init
    }

    /// The decoder Linear(H → classes).
    public var decoder: LinearMap {
        let c = configuration
        if c.skeleton != .stateSpaces { return try! ReferenceLayout.decoder(c, value: value) }
        return try! LinearMap(inputs: c.dModel, outputs: c.classes, weight: value(S4ModelKeys.decoderWeight),
                              bias: value(S4ModelKeys.decoderBias))
    }

    /// Block i (0 ≤ i < layers).
    public func block(_ i: Int) -> ResidualBlock {
        precondition(i >= 0 && i < configuration.layers, "block \(i) of a model with \(configuration.layers)")
        let c = configuration
        // Shapes, counts and finiteness were checked when the store was made, so these constructors cannot fail.
        if c.skeleton != .stateSpaces { return try! ReferenceLayout.block(i, c, value: value) }
        let k = S4ModelKeys.block(i)
        let kernel = try! S4DKernelParameters(channels: c.dModel, modes: c.dState / 2, logDt: value(k.logDt), C: value(k.c),
                                              logAReal: value(k.logAReal), AImag: value(k.aImag))
        return ResidualBlock(
            norm: try! norm(i),                                     // buffers were checked by `checkNorms`
            core: .s4d(try! S4DCore(kernel: kernel, D: value(k.d), discretization: c.discretization)),
            head: try! ActivationHead(kind: c.head, channels: c.dModel, weight: value(k.outputWeight), bias: value(k.outputBias)))
    }

    /// Block i's norm of the configuration's kind; throws when BatchNorm buffers are impossible (a negative running
    /// variance, a negative or fractional batch count).
    func norm(_ i: Int) throws -> Norm {
        let k = S4ModelKeys.block(i)
        switch configuration.norm {
        case .layer: return .layer(try LayerNormParameters(weight: value(k.normWeight), bias: value(k.normBias),
                                                           epsilon: configuration.normEpsilon))
        case .batch:
            let count = value(k.normBatchesTracked)[0]
            guard count >= 0, count == count.rounded(), count < 0x1p62 else {
                throw ModelError.invalidConfiguration("\(k.normBatchesTracked) is \(count); it counts batches (an integer ≥ 0)")
            }
            do {
                return .batch(try BatchNormParameters(weight: value(k.normWeight), bias: value(k.normBias),
                                                      runningMean: value(k.normRunningMean),
                                                      runningVariance: value(k.normRunningVariance), batchesTracked: Int(count)))
            } catch ModelError.invalidConfiguration(let why) {
                throw ModelError.invalidConfiguration("\(k.normRunningVariance): \(why)")
            }
        case .none: return .none
        }
    }

    /// Checks every block's norm buffers (see `norm(_:)`; the other references' through their layout); called when
    /// a model is made from a store.
    func checkNorms() throws {
        for i in 0..<configuration.layers {
            if configuration.skeleton == .stateSpaces { _ = try norm(i) } else { _ = try ReferenceLayout.block(i, configuration, value: value) }
        }
    }

    /// Every block, in order.
    public var blocks: [ResidualBlock] { (0..<configuration.layers).map(block) }

    /// A model assembled from typed parts (their sizes must be the configuration's; values must be finite).
    public init(configuration: S4ModelConfiguration, encoder: LinearMap, blocks: [ResidualBlock], decoder: LinearMap) throws {
        try self.init(configuration: configuration,
                      parameters: Self.layout(configuration, encoder: encoder, blocks: blocks, decoder: decoder))
    }

    /// Replaces block i (same sizes).
    public mutating func setBlock(_ i: Int, _ block: ResidualBlock) throws {
        guard i >= 0, i < configuration.layers else {
            throw ModelError.invalidConfiguration("block \(i) does not exist (the model has \(configuration.layers))")
        }
        var all = blocks
        all[i] = block
        self = try S4Model(configuration: configuration, encoder: encoder, blocks: all, decoder: decoder)
    }

    /// The flat store of typed parts in state_dict order — the model's parameters, or a gradient with their layout.
    static func layout(_ c: S4ModelConfiguration, encoder: LinearMap, blocks: [ResidualBlock],
                       decoder: LinearMap) throws -> ParameterStore {
        guard blocks.count == c.layers else {
            throw ModelError.invalidConfiguration("\(blocks.count) blocks for a model with \(c.layers) layers")
        }
        var values: [String: [Double]]
        if c.skeleton != .stateSpaces {
            values = try ReferenceLayout.values(c, encoder: encoder, blocks: blocks, decoder: decoder)
        } else {
        values = [S4ModelKeys.encoderWeight: encoder.weight, S4ModelKeys.encoderBias: encoder.bias,
                  S4ModelKeys.decoderWeight: decoder.weight, S4ModelKeys.decoderBias: decoder.bias]
        for (i, b) in blocks.enumerated() {
            guard b.norm.kind == c.norm, b.head.kind == c.head else {
                throw ModelError.invalidConfiguration("block \(i) has a \(b.norm.kind.rawValue) norm and a \(b.head.kind.rawValue) head; "
                    + "the model's are \(c.norm.rawValue) and \(c.head.rawValue)")
            }
            guard case .s4d(let core) = b.core else {
                throw ModelError.invalidConfiguration("block \(i) has a \(b.core.kind.rawValue) core; example.py's blocks are S4D")
            }
            let k = S4ModelKeys.block(i)
            values[k.d] = core.D; values[k.c] = core.kernel.C; values[k.logDt] = core.kernel.logDt
            values[k.logAReal] = core.kernel.logAReal; values[k.aImag] = core.kernel.AImag
            values[k.outputWeight] = b.head.weight; values[k.outputBias] = b.head.bias
            switch b.norm {
            case .layer(let p): values[k.normWeight] = p.weight; values[k.normBias] = p.bias
            case .batch(let p):
                values[k.normWeight] = p.weight; values[k.normBias] = p.bias
                values[k.normRunningMean] = p.runningMean; values[k.normRunningVariance] = p.runningVariance
                values[k.normBatchesTracked] = [Double(p.batchesTracked)]
            case .none: break
            }
        }
        }
        var store = ParameterStore()
        for (name, shape) in c.parameterShapes {
            try store.append(Parameter(name: name, shape: shape, values: values[name] ?? []))
        }
        return store
    }

    /// The values of a key the store is known to hold.
    private func value(_ key: String) -> [Double] {
        guard let v = try? parameters.values(key) else { preconditionFailure("S4Model store lacks '\(key)'") }
        return v
    }
}
