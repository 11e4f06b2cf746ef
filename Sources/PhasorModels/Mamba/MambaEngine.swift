// The Mamba language model's forward pass in arithmetic T (Double or Float), streaming: the state after the last
// token of a call — each layer's last K−1 convolution inputs and its SSM state — is handed to the next call, so a
// sequence fed in chunks gives the logits of one call (the recurrence is the same arithmetic either way).
//
// Layout (SelectiveScan.swift): channel-major, column j = b·L + t. Per layer, with C = B·L columns:
//   xn = RMSNorm(h)                    (d_model × C)
//   [x; z] = W_in xn (+ b_in)          (2E × C)    one product, rows split over the cores
//   x̂ = conv1d(x) (+ b_conv), u = SiLU(x̂)        (E × C)   history from the carried state
//   Δ, B, C = project(u); y = scan(u) + D u       SelectiveWeights (the selective layer's own routines)
//   h += W_out (y ⊙ SiLU(z)) (+ b_out)
// logits (C × vocab) = (W_head · RMSNorm(h))ᵀ.
import PhasorNumerics

/// What a streaming run carries from one call to the next: per layer the last K−1 inputs of the causal convolution
/// (B, E, K−1, oldest first) and the SSM state (B, E, N). Zero at the start of a sequence.
public struct MambaState: Sendable, Equatable {
    public let batch: Int
    public let dInner: Int
    public let states: Int
    public let convolutionWidth: Int
    /// Per layer, (B, E, K−1) row-major.
    public var convolution: [[Double]]
    /// Per layer, (B, E, N) row-major.
    public var ssm: [[Double]]
    /// Tokens per sequence consumed so far.
    public var position: Int

    /// The zero state of a sequence batch of size `batch`.
    public init(for configuration: MambaConfiguration, batch: Int) {
        let c = configuration
        self.batch = batch; dInner = c.dInner; states = c.states; convolutionWidth = c.convolutionWidth
        convolution = [[Double]](repeating: [Double](repeating: 0, count: batch * c.dInner * (c.convolutionWidth - 1)), count: c.layers)
        ssm = [[Double]](repeating: [Double](repeating: 0, count: batch * c.dInner * c.states), count: c.layers)
        position = 0
    }
}

/// One layer's selective SSM along one token sequence, as the forward pass computed it (Double).
public struct MambaLayerTrace: Sendable {
    public let layer: Int
    public let length: Int
    /// The scan's input u = SiLU(conv1d(x)), (E, L) row-major (`SelectiveLayer`'s layout).
    public let input: [Double]
    /// Δ_t (L, E), B_t and C_t (L, N).
    public let tokens: SelectiveTokens
    /// The scan's output y_t = C_t x_t + D u_t, (E, L), before the gate.
    public let output: [Double]
    /// The gate z, (E, L); the mixer multiplies y by SiLU(z).
    public let gate: [Double]
    /// The SSM state before the first token, (E, N) (zero unless the run continued a stream).
    public let initialState: [Double]
}

/// The model's weights in arithmetic T, converted once.
struct MambaEngine<T: SelectiveScalar>: Sendable {
    struct Layer: Sendable {
        let norm: [T], inBias: [T]?, convolution: [T], convBias: [T]?, outBias: [T]?
        let inProj: PanelMatrix<T>, outProj: PanelMatrix<T>
        let selective: SelectiveWeights<T>
    }
    let configuration: MambaConfiguration
    let embedding: [T], head: PanelMatrix<T>, finalNorm: [T], epsilon: T
    let layers: [Layer]

    init(_ model: MambaLanguageModel) {
        func cast(_ v: [Double]) -> [T] { (v as? [T]) ?? v.map { T($0) } }
        configuration = model.configuration
        embedding = cast(model.embedding)
        head = PanelMatrix(model.headWeights, rows: model.configuration.vocabulary, columns: model.configuration.dModel)
        finalNorm = cast(model.finalNorm)
        epsilon = T(model.configuration.epsilon)
        let c = model.configuration
        layers = model.layers.map { l in
            Layer(norm: cast(l.norm), inBias: l.mixer.inProjBias.map(cast),
                  convolution: cast(l.mixer.convolution), convBias: l.mixer.convolutionBias.map(cast),
                  outBias: l.mixer.outProjBias.map(cast),
                  inProj: PanelMatrix(l.mixer.inProj, rows: 2 * c.dInner, columns: c.dModel),
                  outProj: PanelMatrix(l.mixer.outProj, rows: c.dModel, columns: c.dInner),
                  selective: SelectiveWeights<T>(l.mixer.selective))
        }
    }

    /// out = x / √(mean_d x² + ε) ⊙ g, per column of x (rows × columns).
    func rmsNorm(_ x: UnsafePointer<T>, _ g: [T], rows: Int, columns: Int, _ out: UnsafeMutablePointer<T>) {
        var scale = [T](repeating: 0, count: columns)
        for d in 0..<rows { for j in 0..<columns { scale[j] += x[d * columns + j] * x[d * columns + j] } }   // Σ_d x²
        for j in 0..<columns { scale[j] = 1 / (scale[j] / T(rows) + epsilon).squareRoot() }            // 1/√(mean + ε)
        for d in 0..<rows { for j in 0..<columns { out[d * columns + j] = x[d * columns + j] * scale[j] * g[d] } }
    }

    /// Logits (B, L, vocab) of `tokens` (B, L), continuing from `state` and leaving the final state in it; with
    /// `trace` (B = 1 only) also each layer's selective-SSM quantities; without `head` only the state advances (no logits).
    func run(tokens: [Int], batch: Int, length: Int, state: inout MambaState, trace: Bool, head computeLogits: Bool = true) throws
        -> (logits: [Double], traces: [MambaLayerTrace]) {
        let c = configuration, d = c.dModel, e = c.dInner, n = c.states, k = c.convolutionWidth, v = c.vocabulary
        let columns = batch * length
        let np = T.paddedStates(n)
        var h = [T](repeating: 0, count: d * columns)
        for (j, id) in tokens.enumerated() { for q in 0..<d { h[q * columns + j] = embedding[id * d + q] } }   // h⁰ = E[token]
        var xn = [T](repeating: 0, count: d * columns), xz = [T](repeating: 0, count: 2 * e * columns)
        var u = [T](repeating: 0, count: e * columns), delta = u, y = u, out = xn
        var bt = [T](repeating: 0, count: columns * np), ct = bt, ssm = [T](repeating: 0, count: e * np)
        var traces: [MambaLayerTrace] = []
        for (l, layer) in layers.enumerated() {
            h.withUnsafeBufferPointer { hb in xn.withUnsafeMutableBufferPointer { rmsNorm(hb.baseAddress!, layer.norm, rows: d, columns: columns, $0.baseAddress!) } }
            xn.withUnsafeBufferPointer { xb in xz.withUnsafeMutableBufferPointer { layer.inProj.apply(xb.baseAddress!, n: columns, $0.baseAddress!) } }  // [x; z] = W_in xn
            if let bias = layer.inBias { for r in 0..<(2 * e) { for j in 0..<columns { xz[r * columns + j] += bias[r] } } }
            // x̂_t = Σ_k w_k x_{t−K+1+k} (+ b), history x_{<0} from the carried state; the state keeps the last K−1.
            var history = state.convolution[l]
            for b in 0..<batch {
                for q in 0..<e {
                    let hist = (b * e + q) * (k - 1)
                    var window = (0..<(k - 1)).map { T(history[hist + $0]) }
                    for t in 0..<length {
                        let j = b * length + t
                        window.append(xz[q * columns + j])
                        var s = layer.convBias?[q] ?? 0
                        for tap in 0..<k { s += layer.convolution[q * k + tap] * window[window.count - k + tap] }
                        u[q * columns + j] = s
                    }
                    for i in 0..<(k - 1) { history[hist + i] = Double(window[window.count - (k - 1) + i]) }
                }
            }
            state.convolution[l] = history
            u.withUnsafeMutableBufferPointer { T.silu($0.baseAddress!, $0.baseAddress!, count: e * columns, gate: false) }  // u = SiLU(x̂)
            try u.withUnsafeBufferPointer { ub in try delta.withUnsafeMutableBufferPointer { db in
                try bt.withUnsafeMutableBufferPointer { bb in try ct.withUnsafeMutableBufferPointer { cb in
                    try layer.selective.project(ub.baseAddress!, columns: columns, delta: db.baseAddress!,
                                                b: bb.baseAddress!, c: cb.baseAddress!)
                } }
            } }
            var carried = state.ssm[l]
            var initial: [Double] = []
            for b in 0..<batch {
                for q in 0..<e { for s in 0..<np { ssm[q * np + s] = s < n ? T(carried[(b * e + q) * n + s]) : 0 } }
                if trace { initial = (0..<(e * n)).map { Double(ssm[($0 / n) * np + $0 % n]) } }
                u.withUnsafeBufferPointer { ub in delta.withUnsafeBufferPointer { db in bt.withUnsafeBufferPointer { bb in
                    ct.withUnsafeBufferPointer { cb in ssm.withUnsafeMutableBufferPointer { sb in y.withUnsafeMutableBufferPointer { yb in
                        layer.selective.scan(ub.baseAddress!, delta: db.baseAddress!, b: bb.baseAddress!, c: cb.baseAddress!,
                                             columns: columns, first: b * length, length: length, state: sb.baseAddress!,
                                             y: yb.baseAddress!)
                    } } }
                } } }
                for q in 0..<e { for s in 0..<n { carried[(b * e + q) * n + s] = Double(ssm[q * np + s]) } }
            }
            state.ssm[l] = carried
            if trace { traces.append(record(layer: l, length: length, u: u, delta: delta, b: bt, c: ct, y: y, xz: xz, initial: initial)) }
            xz.withUnsafeBufferPointer { zb in y.withUnsafeMutableBufferPointer {                               // y ⊙ SiLU(z)
                T.silu(zb.baseAddress! + e * columns, $0.baseAddress!, count: e * columns, gate: true)
            } }
            y.withUnsafeBufferPointer { yb in out.withUnsafeMutableBufferPointer { layer.outProj.apply(yb.baseAddress!, n: columns, $0.baseAddress!) } }  // W_out (y ⊙ SiLU(z))
            for q in 0..<d {
                let bias = layer.outBias?[q] ?? 0
                for j in 0..<columns { h[q * columns + j] += out[q * columns + j] + bias }                   // residual
            }
        }
        state.position += length
        guard computeLogits else { return ([], traces) }
        h.withUnsafeBufferPointer { hb in xn.withUnsafeMutableBufferPointer { rmsNorm(hb.baseAddress!, finalNorm, rows: d, columns: columns, $0.baseAddress!) } }
        var logitsT = [T](repeating: 0, count: v * columns), logits = [T](repeating: 0, count: v * columns)
        xn.withUnsafeBufferPointer { xb in logitsT.withUnsafeMutableBufferPointer { head.apply(xb.baseAddress!, n: columns, $0.baseAddress!) } }  // W_head · RMSNorm(h)
        logitsT.withUnsafeBufferPointer { src in logits.withUnsafeMutableBufferPointer { dst in
            MatrixProduct.transpose(rows: v, cols: columns, src.baseAddress!, dst.baseAddress!)             // (vocab, C) → (C, vocab)
        } }
        let result = (logits as? [Double]) ?? converted(logits, to: Double.self)
        try ArchitectureCheck.output(result, "Mamba logits")
        return (result, traces)
    }

    /// A layer's selective-SSM quantities of the single sequence (B = 1) in `SelectiveLayer`'s layouts.
    private func record(layer: Int, length: Int, u: [T], delta: [T], b: [T], c: [T], y: [T], xz: [T], initial: [Double])
        -> MambaLayerTrace {
        let e = configuration.dInner, n = configuration.states, np = T.paddedStates(n)
        var steps = [Double](repeating: 0, count: length * e)
        for q in 0..<e { for t in 0..<length { steps[t * e + q] = Double(delta[q * length + t]) } }
        let bs = (0..<(length * n)).map { Double(b[($0 / n) * np + $0 % n]) }, cs = (0..<(length * n)).map { Double(c[($0 / n) * np + $0 % n]) }
        return MambaLayerTrace(layer: layer, length: length, input: u.map { Double($0) },
                               tokens: SelectiveTokens(length: length, delta: steps, b: bs, c: cs),
                               output: y.map { Double($0) }, gate: (0..<(e * length)).map { Double(xz[e * length + $0]) },
                               initialState: initial)
    }
}

/// A model prepared for repeated calls in one arithmetic (weights converted once).
public struct MambaRunner: Sendable {
    public let precision: ComputePrecision
    public var configuration: MambaConfiguration { double?.configuration ?? single!.configuration }
    private let double: MambaEngine<Double>?
    private let single: MambaEngine<Float>?

    public init(_ model: MambaLanguageModel, precision: ComputePrecision) {
        self.precision = precision
        double = precision == .f64 ? MambaEngine<Double>(model) : nil
        single = precision == .f32 ? MambaEngine<Float>(model) : nil
    }

    /// Logits (B, L, vocab) for token ids (B, L), row-major, continuing from `state` (updated to the state after
    /// the last token). Chunks fed one after another give the logits of the whole sequence in one call.
    public func logits(tokens: [Int], batch: Int, length: Int, state: inout MambaState) throws -> [Double] {
        try Self.check(configuration, tokens: tokens, batch: batch, length: length, state: state)
        if let double { return try double.run(tokens: tokens, batch: batch, length: length, state: &state, trace: false).logits }
        return try single!.run(tokens: tokens, batch: batch, length: length, state: &state, trace: false).logits
    }

    /// Advances `state` over the tokens (B, L) without computing logits (prefill, or a perturbed trajectory).
    public func advance(tokens: [Int], batch: Int, length: Int, state: inout MambaState) throws {
        try Self.check(configuration, tokens: tokens, batch: batch, length: length, state: state)
        if let double { _ = try double.run(tokens: tokens, batch: batch, length: length, state: &state, trace: false, head: false) }
        else { _ = try single!.run(tokens: tokens, batch: batch, length: length, state: &state, trace: false, head: false) }
    }

    /// Logits (B, L, vocab) from the zero state.
    public func logits(tokens: [Int], batch: Int, length: Int) throws -> [Double] {
        var state = MambaState(for: configuration, batch: batch)
        return try logits(tokens: tokens, batch: batch, length: length, state: &state)
    }

    static func check(_ c: MambaConfiguration, tokens: [Int], batch: Int, length: Int, state: MambaState) throws {
        guard batch > 0, length > 0, tokens.count == batch * length else {
            throw MambaError.tokenShape("\(tokens.count) ids for (B, L) = (\(batch), \(length)); both must be positive")
        }
        if let i = tokens.firstIndex(where: { $0 < 0 || $0 >= c.vocabulary }) {
            throw MambaError.tokenOutOfRange(index: i, id: Int64(tokens[i]), vocabulary: c.vocabulary)
        }
        guard state.batch == batch, state.dInner == c.dInner, state.states == c.states, state.convolutionWidth == c.convolutionWidth,
              state.ssm.count == c.layers, state.convolution.count == c.layers,
              state.ssm.allSatisfy({ $0.count == batch * c.dInner * c.states }),
              state.convolution.allSatisfy({ $0.count == batch * c.dInner * (c.convolutionWidth - 1) }) else {
            throw MambaError.stateMismatch("state for batch \(state.batch), d_inner \(state.dInner), d_state \(state.states), \(state.ssm.count) layers; the call has batch \(batch) and the model d_inner \(c.dInner), d_state \(c.states), \(c.layers) layers")
        }
        for layer in state.ssm + state.convolution { try ArchitectureCheck.output(layer, "streaming state") }
    }
}

extension MambaLanguageModel {
    /// Logits (B, L, vocab) for token ids (B, L) from the zero state, in Double (f64) or Float (f32).
    public func logits(tokens: [Int], batch: Int, length: Int, precision: ComputePrecision = .f64) throws -> [Double] {
        try MambaRunner(self, precision: precision).logits(tokens: tokens, batch: batch, length: length)
    }

    /// Streaming: logits of the next tokens, continuing from `state` and leaving the state after them in it.
    public func logits(tokens: [Int], batch: Int, length: Int, precision: ComputePrecision = .f64,
                       state: inout MambaState) throws -> [Double] {
        try MambaRunner(self, precision: precision).logits(tokens: tokens, batch: batch, length: length, state: &state)
    }

    /// Logits (L, vocab) of one sequence and every layer's selective-SSM quantities along it (Double), from `state`
    /// (zero when nil).
    public func trace(tokens: [Int], state: MambaState? = nil) throws -> (logits: [Double], layers: [MambaLayerTrace]) {
        var s = state ?? MambaState(for: configuration, batch: 1)
        try MambaRunner.check(configuration, tokens: tokens, batch: 1, length: tokens.count, state: s)
        let result = try MambaEngine<Double>(self).run(tokens: tokens, batch: 1, length: tokens.count, state: &s, trace: true)
        return (result.logits, result.traces)
    }
}
