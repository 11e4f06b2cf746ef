// The published initialisation of the reference classifiers (docs/architectures-reference.md §2.2, §3.3, §4.1):
//   cores   S5: HiPPO-N blocks (S5Initialisation.swift);  LRU: the ring initialisation (LRULayer.swift);
//           LinOSS: A_diag, steps ~ U[0, 1), B ~ U(±1/√H), C ~ U(±1/√P), D ~ N(0, 1) (Cores/LinOSSCore.swift);
//           S6: Mamba's (A_log = log(n + 1), D = 1, Δ log-uniform in [1e-3, 1e-1], SelectiveLayer.swift)
//   maps    Flax Dense (lindermanlab/S5, minimal-LRU): kernel lecun-normal (fan-in = inputs), bias 0;
//           Equinox Linear (LinOSS repository) and torch Linear (log-neural-cdes' S6): weight and bias U(−1/√in, 1/√in)
//           (the S6 head's one H → 2H map is drawn as its two halves)
//   norms   LayerNorm scale 1, bias 0; BatchNorm scale 1, bias 0, running mean 0, running variance 1
// Draws in order: encoder, then per block the core and the head's maps (W₁ then W₂), then the decoder.
import PhasorNumerics

enum ReferenceInitialisation {
    static func parts(_ c: S4ModelConfiguration, generator g: inout SeededGenerator) throws
        -> (encoder: LinearMap, blocks: [ResidualBlock], decoder: LinearMap) {
        let h = c.dModel
        func map(inputs: Int, outputs: Int) throws -> LinearMap {
            if c.skeleton.isFlax {
                let w = (0..<(inputs * outputs)).map { _ in g.lecunNormal(fanIn: inputs) }
                return try LinearMap(inputs: inputs, outputs: outputs, weight: w, bias: [Double](repeating: 0, count: outputs))
            }
            let bound = 1 / Double(inputs).squareRoot()
            let w = (0..<(inputs * outputs)).map { _ in (2 * g.uniform() - 1) * bound }
            let b = (0..<outputs).map { _ in (2 * g.uniform() - 1) * bound }
            return try LinearMap(inputs: inputs, outputs: outputs, weight: w, bias: b)
        }
        let encoder = try map(inputs: c.dInput, outputs: h)
        var blocks: [ResidualBlock] = []
        for _ in 0..<c.layers {
            let core: SequenceCore
            switch c.core {
            case .s5:
                let o = c.s5
                core = .s5(try S5Layer(channels: h, stateSize: c.dState, conjugateSymmetric: o.conjugateSymmetric,
                                       blocks: o.blocks, cInit: o.cInit, bidirectional: o.bidirectional, dtMin: o.dtMin,
                                       dtMax: o.dtMax, discretization: c.discretization, clipEigenvalues: o.clipEigenvalues,
                                       stepRescale: o.stepRescale, generator: &g))
            case .lru:
                core = .lru(try LRULayer(channels: h, states: c.dState, rMin: c.lru.rMin, rMax: c.lru.rMax,
                                         maxPhase: c.lru.maxPhase, generator: &g))
            case .linossIM, .linossIMEX:
                core = .linoss(try LinOSSLayer(channels: h, oscillators: c.dState, scheme: c.core.linossScheme!, generator: &g))
            case .s6:
                core = .s6(try SelectiveLayer(channels: h, states: c.dState, dtRank: c.dtRank, generator: &g))
            case .s4d:
                throw ModelError.invalidConfiguration("an S4D core is initialised as example.py's (S4Model.init)")
            }
            let head = try ReferenceLayout.head(c, value: { let m = try map(inputs: h, outputs: h); return (m.weight, m.bias) },
                                                gate: { let m = try map(inputs: h, outputs: h); return (m.weight, m.bias) })
            let norm: Norm
            switch c.norm {
            case .layer:
                norm = .layer(try LayerNormParameters(weight: [Double](repeating: 1, count: h), bias: [Double](repeating: 0, count: h),
                                                      epsilon: c.normEpsilon))
            case .batch:
                var p = BatchNormParameters(channels: h)                                     // γ 1, β 0, mean 0, var 1
                p.momentum = c.batchMomentum; p.unbiasedRunningVariance = false
                norm = .batch(p)
            case .none:
                throw ModelError.invalidConfiguration("the \(c.skeleton.rawValue) block has a norm")
            }
            blocks.append(ResidualBlock(norm: norm, core: core, head: head))
        }
        let decoder = try map(inputs: h, outputs: c.classes)
        return (encoder, blocks, decoder)
    }
}
