// THE file with the skeleton key names of the reference classifiers other than example.py (whose names are
// CheckpointLayout.swift's): the Flax ClassificationModels of lindermanlab/S5 and minimal-LRU, and the Equinox
// classifiers of the LinOSS repository (docs/architectures-reference.md §1.1, §1.3). The cores' own tensor names are
// S5Layout.swift's and LRULayout.swift's; this file places them under each block's prefix and maps the flat store
// onto the typed parts (BlockParts.swift) and back.
//
// Flax (`flax.traverse_util.flatten_dict(variables, sep=".")`; Dense kernels are (in, out): W = kernelᵀ):
//   params.encoder.encoder.{kernel (d_in, H), bias}          encoder
//   params.encoder.layers_{i}.seq.…                          core
//   params.encoder.layers_{i}.out1.{kernel (H, H), bias}     full_glu's value map W₁ (full_glu only)
//   params.encoder.layers_{i}.out2.{kernel (H, H), bias}     the gate's map W₂ (every GLU)
//   params.encoder.layers_{i}.<norm>.{scale, bias}           LayerNorm or BatchNorm (<norm> = `norm` in S5,
//                                                            `normalization` in minimal-LRU)
//   batch_stats.encoder.layers_{i}.<norm>.{mean, var}        BatchNorm's running statistics (buffers; biased variance)
//   params.decoder.{kernel (H, classes), bias}               decoder
// LinOSS repository (Equinox attribute paths; Linear weights are (out, in)):
//   linear_encoder.{weight (H, d_in), bias}; blocks.{i}.<core>.… (<core> = `ssm` for S5, `lru` for LRU);
//   blocks.{i}.glu.w1.{weight, bias} (W₁), blocks.{i}.glu.w2.{weight, bias} (W₂); linear_layer.{weight, bias};
//   state.blocks.{i}.norm.{mean, var}: the BatchNorm's running statistics, its only tensors (no scale, no bias:
//   γ = 1, β = 0 fixed, their gradients dropped)
// log-neural-cdes torch S6 classifier (`log-ncde-mamba`; a PyTorch state_dict, Linear weights (out, in)):
//   linear_encoder.{weight (H, d_in), bias}; blocks.{i}.norm.{weight, bias} (LayerNorm, ε 1e-5);
//   blocks.{i}.mamba.… (the S6 core, S6Layout.swift); blocks.{i}.glu.linear.{weight (2H, H), bias (2H)} (the GLU's
//   one H → 2H map); linear_decoder.{weight (classes, H), bias}
// The LinOSS core sits in the linoss-repo skeleton under blocks.{i}.ssm. (LinOSSLayout.swift), as S5 does.
// Typed parts: the GLU head's W is [W₁; W₂] (2H, H) (GatedGELUHead), a half GLU's is W₂ (HalfGatedHead).
import PhasorNumerics

enum ReferenceLayout {
    // Flax
    static let flaxParameters = "params.", flaxEncoder = "params.encoder.encoder.", flaxDecoder = "params.decoder."
    static let flaxKernel = "kernel", flaxBias = "bias", flaxScale = "scale", flaxCore = "seq."
    static let flaxStatistics = "batch_stats.", runningMean = "mean", runningVariance = "var"
    static let flaxValue = "out1.", flaxGate = "out2."
    static func flaxBlock(_ i: Int) -> String { "encoder.layers_\(i)." }
    static func flaxNorm(_ s: ReferenceSkeleton) -> String { s == .minimalLRU ? "normalization." : "norm." }
    // Equinox (LinOSS repository)
    static let eqxEncoder = "linear_encoder.", eqxDecoder = "linear_layer.", eqxWeight = "weight", eqxBias = "bias"
    static let eqxValue = "glu.w1.", eqxGate = "glu.w2.", eqxState = "state.", eqxNorm = "norm."
    static func eqxBlock(_ i: Int) -> String { "blocks.\(i)." }
    static func eqxCore(_ core: CoreKind) -> String { core == .lru ? "lru." : (core == .s6 ? torchCore : "ssm.") }
    // PyTorch (log-neural-cdes' S6 classifier): the encoder and blocks as Equinox's, and these
    static let torchDecoder = "linear_decoder.", torchCore = "mamba.", torchHead = "glu.linear."

    /// The names of one model's tensors.
    struct Names {
        let transposed: Bool                                   // Flax: kernels (in, out)
        let encoderWeight, encoderBias, decoderWeight, decoderBias: String
        let skeleton: ReferenceSkeleton, core: CoreKind

        init(_ c: S4ModelConfiguration) {
            skeleton = c.skeleton; core = c.core
            transposed = c.skeleton.isFlax
            if transposed {
                encoderWeight = flaxEncoder + flaxKernel; encoderBias = flaxEncoder + flaxBias
                decoderWeight = flaxDecoder + flaxKernel; decoderBias = flaxDecoder + flaxBias
            } else {
                let decoder = c.skeleton == .logNCDEMamba ? torchDecoder : eqxDecoder
                encoderWeight = eqxEncoder + eqxWeight; encoderBias = eqxEncoder + eqxBias
                decoderWeight = decoder + eqxWeight; decoderBias = decoder + eqxBias
            }
        }

        /// The GLU's one H → 2H map (weight, bias) of block i (log-ncde-mamba).
        func headLinear(_ i: Int) -> (String, String) { (eqxBlock(i) + torchHead + eqxWeight, eqxBlock(i) + torchHead + eqxBias) }

        /// The prefix of block i's core tensors.
        func corePrefix(_ i: Int) -> String {
            transposed ? flaxParameters + flaxBlock(i) + flaxCore : eqxBlock(i) + eqxCore(core)
        }
        /// (weight, bias) of W₁ and W₂.
        func value(_ i: Int) -> (String, String) { map(i, flaxValue, eqxValue) }
        func gate(_ i: Int) -> (String, String) { map(i, flaxGate, eqxGate) }
        private func map(_ i: Int, _ flax: String, _ eqx: String) -> (String, String) {
            transposed ? (flaxParameters + flaxBlock(i) + flax + flaxKernel, flaxParameters + flaxBlock(i) + flax + flaxBias)
                : (eqxBlock(i) + eqx + eqxWeight, eqxBlock(i) + eqx + eqxBias)
        }
        /// The norm's (scale, bias) of block i (Flax; torch LayerNorm's (weight, bias); the LinOSS repository's BatchNorm
        /// has none).
        func affine(_ i: Int) -> (String, String) {
            if skeleton == .logNCDEMamba { return (eqxBlock(i) + eqxNorm + eqxWeight, eqxBlock(i) + eqxNorm + eqxBias) }
            let p = flaxParameters + flaxBlock(i) + flaxNorm(skeleton)
            return (p + flaxScale, p + flaxBias)
        }
        /// A BatchNorm's running (mean, var) of block i.
        func statistics(_ i: Int) -> (String, String) {
            let p = transposed ? flaxStatistics + flaxBlock(i) + flaxNorm(skeleton) : eqxState + eqxBlock(i) + eqxNorm
            return (p + runningMean, p + runningVariance)
        }
    }

    /// Every tensor name with its shape, in the order the store keeps them.
    static func parameterShapes(_ c: S4ModelConfiguration) -> [(name: String, shape: [Int])] {
        let n = Names(c), h = c.dModel
        func linear(_ names: (String, String), inputs: Int, outputs: Int) -> [(String, [Int])] {
            [(names.0, n.transposed ? [inputs, outputs] : [outputs, inputs]), (names.1, [outputs])]
        }
        var out = linear((n.encoderWeight, n.encoderBias), inputs: c.dInput, outputs: h)
        for i in 0..<c.layers {
            switch c.core {
            case .s5: out += S5Layout.shapes(prefix: n.corePrefix(i), c)
            case .lru: out += LRULayout.shapes(prefix: n.corePrefix(i), c)
            case .linossIM, .linossIMEX: out += LinOSSLayout.shapes(prefix: n.corePrefix(i), c)
            case .s6: out += S6Layout.shapes(prefix: n.corePrefix(i), c)
            case .s4d: break                                                          // example.py: CheckpointLayout
            }
            if c.skeleton == .logNCDEMamba {
                out += linear(n.headLinear(i), inputs: h, outputs: 2 * h)
            } else {
                if c.head == .glu { out += linear(n.value(i), inputs: h, outputs: h) }
                if c.head.hasGate { out += linear(n.gate(i), inputs: h, outputs: h) }
            }
            if c.norm == .layer || c.skeleton.batchNormAffine { let a = n.affine(i); out += [(a.0, [h]), (a.1, [h])] }
            if c.norm == .batch { let st = n.statistics(i); out += [(st.0, [h]), (st.1, [h])] }
        }
        out += linear((n.decoderWeight, n.decoderBias), inputs: h, outputs: c.classes)
        return out
    }

    /// W (outputs, inputs) from a stored weight (Flax: its transpose).
    static func weight(_ stored: [Double], inputs: Int, outputs: Int, transposed: Bool) -> [Double] {
        transposed ? transpose(stored, rows: inputs, columns: outputs) : stored
    }

    /// The stored form of W (outputs, inputs).
    static func stored(_ w: [Double], inputs: Int, outputs: Int, transposed: Bool) -> [Double] {
        transposed ? transpose(w, rows: outputs, columns: inputs) : w
    }

    static func transpose(_ a: [Double], rows: Int, columns: Int) -> [Double] {
        var t = [Double](repeating: 0, count: a.count)
        for r in 0..<rows { for q in 0..<columns { t[q * rows + r] = a[r * columns + q] } }
        return t
    }

    static func encoder(_ c: S4ModelConfiguration, value: (String) throws -> [Double]) throws -> LinearMap {
        let n = Names(c)
        return try LinearMap(inputs: c.dInput, outputs: c.dModel,
                             weight: weight(try value(n.encoderWeight), inputs: c.dInput, outputs: c.dModel, transposed: n.transposed),
                             bias: try value(n.encoderBias))
    }

    static func decoder(_ c: S4ModelConfiguration, value: (String) throws -> [Double]) throws -> LinearMap {
        let n = Names(c)
        return try LinearMap(inputs: c.dModel, outputs: c.classes,
                             weight: weight(try value(n.decoderWeight), inputs: c.dModel, outputs: c.classes, transposed: n.transposed),
                             bias: try value(n.decoderBias))
    }

    static func block(_ i: Int, _ c: S4ModelConfiguration, value: (String) throws -> [Double]) throws -> ResidualBlock {
        let n = Names(c), h = c.dModel
        let core: SequenceCore
        switch c.core {
        case .s5: core = .s5(try S5Layout.core(prefix: n.corePrefix(i), c, value: value))
        case .lru: core = .lru(try LRULayout.core(prefix: n.corePrefix(i), c, value: value))
        case .linossIM, .linossIMEX: core = .linoss(try LinOSSLayout.core(prefix: n.corePrefix(i), c, value: value))
        case .s6: core = .s6(try S6Layout.core(prefix: n.corePrefix(i), c, value: value))
        case .s4d: throw ModelError.invalidConfiguration("an S4D core is laid out by example.py's names (CheckpointLayout)")
        }
        func map(_ names: (String, String)) throws -> (w: [Double], b: [Double]) {
            (weight(try value(names.0), inputs: h, outputs: h, transposed: n.transposed), try value(names.1))
        }
        let head: ActivationHead
        if c.skeleton == .logNCDEMamba {                                               // one H → 2H map, [W₁; W₂] as stored
            let lin = n.headLinear(i)
            head = .gatedGELU(try GatedGELUHead(channels: h, weight: try value(lin.0), bias: try value(lin.1), gelu: c.gelu))
        } else {
            head = try Self.head(c, value: { try map(n.value(i)) }, gate: { try map(n.gate(i)) })
        }
        let norm: Norm
        switch c.norm {
        case .layer:
            let a = n.affine(i)
            norm = .layer(try LayerNormParameters(weight: try value(a.0), bias: try value(a.1), epsilon: c.normEpsilon))
        case .batch:
            let a = n.affine(i), st = n.statistics(i)
            let ones = [Double](repeating: 1, count: h), zeros = [Double](repeating: 0, count: h)
            let affine = c.skeleton.batchNormAffine
            var p: BatchNormParameters
            do {
                p = try BatchNormParameters(weight: affine ? try value(a.0) : ones, bias: affine ? try value(a.1) : zeros,
                                            runningMean: try value(st.0), runningVariance: try value(st.1), batchesTracked: 0)
            } catch ModelError.invalidConfiguration(let why) {
                throw ModelError.invalidConfiguration("\(st.1): \(why)")
            }
            p.momentum = c.batchMomentum; p.unbiasedRunningVariance = false                  // Flax, Equinox
            norm = .batch(p)
        case .none:
            throw ModelError.invalidConfiguration("the \(c.skeleton.rawValue) block has a norm")
        }
        return ResidualBlock(norm: norm, core: core, head: head)
    }

    /// The head of `c` from its maps, asked for in this order: (W₁, b₁) for glu, then (W₂, b₂) for every gated head.
    static func head(_ c: S4ModelConfiguration, value: () throws -> (w: [Double], b: [Double]),
                     gate: () throws -> (w: [Double], b: [Double])) throws -> ActivationHead {
        let h = c.dModel
        switch c.head {
        case .glu:
            let v = try value(), g = try gate()
            return .gatedGELU(try GatedGELUHead(channels: h, weight: v.w + g.w, bias: v.b + g.b, gelu: c.gelu))   // [W₁; W₂]
        case .halfGLU1, .halfGLU2:
            let g = try gate()
            return try ActivationHead(kind: c.head, channels: h, weight: g.w, bias: g.b, gelu: c.gelu)
        case .gelu:
            return .gelu(c.gelu)
        case .bilinear:
            throw ModelError.invalidConfiguration("the \(c.skeleton.rawValue) block has no bilinear head")
        }
    }

    /// The tensors of typed parts (parameters or gradients), named as `parameterShapes` names them.
    static func values(_ c: S4ModelConfiguration, encoder: LinearMap, blocks: [ResidualBlock], decoder: LinearMap) throws
        -> [String: [Double]] {
        let n = Names(c), h = c.dModel
        var out = [n.encoderWeight: stored(encoder.weight, inputs: c.dInput, outputs: h, transposed: n.transposed),
                   n.encoderBias: encoder.bias,
                   n.decoderWeight: stored(decoder.weight, inputs: h, outputs: c.classes, transposed: n.transposed),
                   n.decoderBias: decoder.bias]
        for (i, b) in blocks.enumerated() {
            switch b.core {
            case .s5(let l): out.merge(S5Layout.values(prefix: n.corePrefix(i), l, c)) { a, _ in a }
            case .lru(let l): out.merge(LRULayout.values(prefix: n.corePrefix(i), l)) { a, _ in a }
            case .linoss(let l): out.merge(LinOSSLayout.values(prefix: n.corePrefix(i), l)) { a, _ in a }
            case .s6(let l): out.merge(S6Layout.values(prefix: n.corePrefix(i), l)) { a, _ in a }
            case .s4d: throw ModelError.invalidConfiguration("an S4D core is laid out by example.py's names (CheckpointLayout)")
            }
            switch b.head {
            case .bilinear: throw ModelError.invalidConfiguration("the \(c.skeleton.rawValue) block has no bilinear head")
            case .gatedGELU(let p) where c.skeleton == .logNCDEMamba:
                let lin = n.headLinear(i)
                out[lin.0] = p.weight; out[lin.1] = p.bias
            case .gatedGELU(let p):
                let v = n.value(i), g = n.gate(i)
                out[v.0] = stored(Array(p.weight[0 ..< h * h]), inputs: h, outputs: h, transposed: n.transposed)
                out[g.0] = stored(Array(p.weight[h * h ..< 2 * h * h]), inputs: h, outputs: h, transposed: n.transposed)
                out[v.1] = Array(p.bias[0 ..< h]); out[g.1] = Array(p.bias[h ..< 2 * h])
            case .halfGated(let p):
                let g = n.gate(i)
                out[g.0] = stored(p.weight, inputs: h, outputs: h, transposed: n.transposed); out[g.1] = p.bias
            case .gelu: break
            }
            switch b.norm {
            case .layer(let p): let a = n.affine(i); out[a.0] = p.weight; out[a.1] = p.bias
            case .batch(let p):
                if c.skeleton.batchNormAffine { let a = n.affine(i); out[a.0] = p.weight; out[a.1] = p.bias }
                let st = n.statistics(i); out[st.0] = p.runningMean; out[st.1] = p.runningVariance
            case .none: break
            }
        }
        return out
    }

    /// True for a core tensor that trains with the SSM learning rate and no weight decay (S5Layout, LRULayout):
    /// `params.encoder.layers_{i}.seq.<name>` or `blocks.{i}.ssm.<name>` / `blocks.{i}.lru.<name>`.
    static func isSSMParameter(_ key: String) -> Bool {
        guard let dot = key.lastIndex(of: ".") else { return false }
        let name = String(key[key.index(after: dot)...]), prefix = String(key[...dot])
        guard S5Layout.ssmParameters.contains(name) || LRULayout.ssmParameters.contains(name) else { return false }
        for (start, cores) in [(flaxParameters + flaxBlock(0).prefix { $0 != "0" }, [flaxCore]),
                               (eqxBlock(0).prefix { $0 != "0" }, [eqxCore(.s5), eqxCore(.lru)])] where prefix.hasPrefix(start) {
            let rest = prefix.dropFirst(start.count)
            guard let d = rest.firstIndex(of: "."), Int(rest[..<d]) != nil else { continue }
            if cores.contains(String(rest[rest.index(after: d)...])) { return true }
        }
        return false
    }

    /// True for a BatchNorm running statistic (Flax `batch_stats.…`, Equinox `state.…`).
    static func isBuffer(_ key: String) -> Bool { key.hasPrefix(flaxStatistics) || key.hasPrefix(eqxState) }

    // MARK: reading a checkpoint's key set

    /// The core and skeleton the key set belongs to (nil: not one of these references).
    static func kinds(_ keys: Set<String>) -> (core: CoreKind, skeleton: ReferenceSkeleton)? {
        if keys.contains(flaxEncoder + flaxKernel) {
            let p = flaxParameters + flaxBlock(0) + flaxCore
            if keys.contains(p + S5Layout.marker) { return (.s5, .s5Flax) }
            if keys.contains(p + LRULayout.marker) { return (.lru, .minimalLRU) }
        }
        if keys.contains(eqxEncoder + eqxWeight) {
            if keys.contains(eqxBlock(0) + eqxCore(.s5) + S5Layout.marker) { return (.s5, .linossRepo) }
            if keys.contains(eqxBlock(0) + eqxCore(.lru) + LRULayout.marker) { return (.lru, .linossRepo) }
            // IM or IMEX: the metadata's "discretization" (ReferenceMetadata.apply)
            if keys.contains(eqxBlock(0) + eqxCore(.linossIM) + LinOSSLayout.marker) { return (.linossIM, .linossRepo) }
            if keys.contains(eqxBlock(0) + eqxCore(.s6) + S6Layout.marker) { return (.s6, .logNCDEMamba) }
        }
        return nil
    }

    /// Whether the key set is a whole model of one of these references (for finding a common prefix to strip).
    static func recognises(_ keys: Set<String>) -> Bool { kinds(keys) != nil }

    /// The layer count: block indices must run 0, 1, …, n − 1.
    static func layerCount(_ keys: Set<String>, _ skeleton: ReferenceSkeleton) throws -> Int {
        let prefix = skeleton.isFlax ? flaxParameters + "encoder.layers_" : "blocks."
        let indices = Set(keys.compactMap { key -> Int? in
            guard key.hasPrefix(prefix) else { return nil }
            let rest = key.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: "."), let i = Int(rest[..<dot]), i >= 0 else { return nil }
            return i
        })
        guard !indices.isEmpty else { throw ModelError.invalidConfiguration("the checkpoint has no blocks (no '\(prefix)0.…' tensors)") }
        if let missing = (0..<indices.count).first(where: { !indices.contains($0) }) {
            throw ModelError.invalidConfiguration("block \(missing) is missing ('\(prefix)\(missing).…') though block \(indices.max()!) exists")
        }
        return indices.count
    }

    /// The sizes, and the switches the tensors show (bidirectional, activation, norm), of a reference key set; the
    /// switches they cannot show are the reference's defaults until the metadata sets them (ReferenceMetadata.swift).
    /// For S5, d_state is left at the stored mode count P; the caller sets 2P once conj_sym is known.
    static func configuration(shapes: [String: [Int]], core: CoreKind, skeleton: ReferenceSkeleton) throws
        -> (configuration: S4ModelConfiguration, activationShown: Bool) {
        let keys = Set(shapes.keys)
        func shape(_ key: String, rank: Int) throws -> [Int] {
            guard let s = shapes[key] else { throw ModelError.missingKey(key) }
            guard s.count == rank, s.allSatisfy({ $0 > 0 }) else {
                throw ModelError.invalidConfiguration("tensor '\(key)' has shape \(s); expected \(rank) positive dimensions")
            }
            return s
        }
        let layers = try layerCount(keys, skeleton)
        var probe = S4ModelConfiguration(core: core, skeleton: skeleton, dInput: 1, dModel: 1, dState: 2, layers: layers,
                                         classes: 2, dropout: 0)
        let n = Names(probe)
        let enc = try shape(n.encoderWeight, rank: 2), dec = try shape(n.decoderWeight, rank: 2)
        let (dIn, h) = n.transposed ? (enc[0], enc[1]) : (enc[1], enc[0])
        let classes = n.transposed ? dec[1] : dec[0]
        var dState: Int, bidirectional = false, oneC = false, rank: Int?
        switch core {
        case .s5:
            let s = try S5Layout.sizes(prefix: n.corePrefix(0), shapes: shapes)
            dState = s.modes; bidirectional = s.bidirectional; oneC = s.oneC
        case .lru:
            dState = try LRULayout.states(prefix: n.corePrefix(0), shapes: shapes)
        case .linossIM, .linossIMEX:
            dState = try LinOSSLayout.oscillators(prefix: n.corePrefix(0), shapes: shapes)
        case .s6:
            (dState, rank) = try S6Layout.sizes(prefix: n.corePrefix(0), shapes: shapes)
        case .s4d: throw ModelError.invalidConfiguration("an S4D key set is read by CheckpointLayout")
        }
        let hasValue = keys.contains(n.value(0).0) || keys.contains(n.headLinear(0).0), hasGate = keys.contains(n.gate(0).0)
        let activation: HeadKind = hasValue ? .glu : (hasGate ? .halfGLU1 : .gelu)
        let norm: NormKind = (skeleton.isFlax || skeleton.isTorch) && !keys.contains(n.statistics(0).0) ? .layer : .batch
        probe = S4ModelConfiguration(core: core, skeleton: skeleton, dInput: dIn, dModel: h, dState: dState, layers: layers,
                                     classes: classes, dropout: 0, head: activation, norm: norm, dtRank: rank)
        probe.s5.bidirectional = bidirectional
        if bidirectional, oneC { probe.s5.cInit = .complexNormal }
        return (probe, hasValue || !hasGate)
    }
}
