// `phasor ring` for a MIMO core (S5, LRU): the layer's P modes as ONE ring of P oscillators shared by all H channels
// (MIMORing.swift), run on the (H, L) sequence the layer sees and checked against the model's own output of that
// layer on every channel. A bidirectional S5 has a second ring, anti-causal: the same coupling W and injections,
// read out by C̃₂F⁻¹, run on the time-reversed sequence (x'_k = W x'_{k+1} + Σ_j p_j u_{k,j}); the layer's output is
// the sum of both rings' read-outs (+ D⊙u once). The chosen channel h gives the impulse wave and dispersion of its
// own path (input h → output h, `ArchitectureReading.channelPath`). A LinOSS layer's ring is the modes of its
// oscillators with an eigen-reading (two per oscillator, LinOSSSystems.swift); the others (relu(A_diag) = 0: Jordan
// blocks, double integrators) run by their 2×2 recurrence beside it and are added to its output
// (`integrator_oscillators`), so ring + integrators ≡ the layer.
import PhasorModels
import PhasorNumerics

public struct MIMORingReport: Encodable, Sendable {
    public let layer: Int, channel: Int, sample: Int
    public let core: CoreKind
    /// "model" or "layer" (see RingReport).
    public let input: String
    public let nodesCount: Int
    public let channels: Int
    public let length: Int
    /// Node states x_k of the causal ring (L × P × [re, im]).
    public let nodes: [[[Double]]]
    /// Node states of the anti-causal ring, indexed by the step k they belong to (bidirectional S5 only).
    public let anticausalNodes: [[[Double]]]?
    /// The ring's output, (H, L) row-major.
    public let output: [Double]
    /// max over channels and steps of |ring output − the model's own output of the layer|.
    public let maxAbsDifferenceVsModel: Double
    /// LinOSS: the oscillators run beside the ring by their recurrence (no eigen-reading); empty otherwise.
    public let integratorOscillators: [Int]
    /// Channel h's path: impulse speed (nodes per step) and damping per step; dispersion v(n).
    public let speed: Double
    public let dampingPerStep: Double
    public let dispersion: [Double]
    /// w(d), p_j = F B̄_·j per input channel, r_i = C̃_i·F⁻¹ per output channel, as [re, im].
    public let coupling: [[Double]]
    public let injection: [[[Double]]]
    public let readoutFilter: [[[Double]]]
    public let warnings: [String]

    /// Runs `systems` (a MIMO core's, CoreSystems.swift) as rings on `u` (H, L) and compares with `reference` (the
    /// model's own output of the layer, (H, L)).
    public init(layer: Int, channel h: Int, core: CoreKind, systems: CoreSystems, sample: Int, input u: [Double],
                length L: Int, reference: [Double], fromModelInput: Bool) throws {
        let causal: ArchitectureReading, anticausal: ArchitectureReading?, linoss: LinOSSSystems?
        switch systems {
        case .mimo(let c, let a): (causal, anticausal, linoss) = (c, a, nil)
        case .oscillators(let reading, let s):
            guard let reading else {
                throw CorrespondenceError.invalid("no oscillator of layer \(layer) has an eigen-reading (every relu(A_diag) = 0): "
                    + "the ring has no nodes; the layer is its oscillators' 2×2 recurrences")
            }
            (causal, anticausal, linoss) = (reading, nil, s)
        case .channels:
            throw CorrespondenceError.invalid("a MIMO ring needs an S5, LRU or LinOSS core (an S4D channel is read by RingReport)")
        }
        let H = causal.direct.count
        guard (0..<H).contains(h) else { throw CorrespondenceError.invalid("channel \(h) does not exist: the layer has \(H) channels") }
        guard L >= 2 else { throw CorrespondenceError.invalid("the input has \(L) step(s); a ring run needs at least 2") }
        guard u.count == H * L, reference.count == H * L else {
            throw CorrespondenceError.shapeMismatch("\(u.count) inputs and \(reference.count) reference outputs for (H, L) = (\(H), \(L))")
        }
        let ring = try MIMORing(causal.system)
        var run = try ring.run(u, length: L)
        var anticausalNodes: [[[Double]]]?
        if let a = anticausal {
            let reversed = (0..<(H * L)).map { u[($0 / L) * L + L - 1 - $0 % L] }
            let back = try MIMORing(a.system).run(reversed, length: L)
            for i in 0..<H { for k in 0..<L { run.output[i * L + k] += back.output[i * L + L - 1 - k] } }  // + reversed read-out
            anticausalNodes = back.nodes.reversed().map { $0.map(realImaginary) }
        }
        try linoss?.addIntegrators(&run.output, u, length: L)                    // LinOSS: the Jordan oscillators
        let path = try causal.channelPath(h)
        let pathRing = Ring(path)
        let wave = try TravellingWave.impulse(pathRing, length: L)
        self.layer = layer; self.channel = h; self.sample = sample; self.core = core
        input = fromModelInput ? "model" : "layer"
        nodesCount = ring.nodeCount; channels = H; length = L
        nodes = run.nodes.map { $0.map(realImaginary) }
        self.anticausalNodes = anticausalNodes
        output = run.output
        maxAbsDifferenceVsModel = zip(run.output, reference).map { abs($0 - $1) }.max() ?? 0
        integratorOscillators = linoss?.integratorOscillators ?? []
        speed = wave.speed
        dampingPerStep = wave.dampingPerStep
        dispersion = ring.nodeCount >= 2 ? try TravellingWave.dispersion(path) : []
        coupling = ring.coupling.map(realImaginary)
        injection = ring.injection.map { $0.map(realImaginary) }
        readoutFilter = ring.readout.map { $0.map(realImaginary) }
        warnings = wave.warnings + causal.warnings + (integratorOscillators.isEmpty ? [] : [
            "oscillator(s) \(integratorOscillators.map(String.init).joined(separator: ", ")) of layer \(layer) have no eigen-reading "
                + "(relu(A_diag) = 0 or κ(V) > \(LinOSSSystems.conditionLimit)): run by their 2×2 recurrence beside the ring"])
    }

    enum CodingKeys: String, CodingKey {
        case layer, channel, sample, core, input, nodesCount = "nodes_count", channels, length, nodes
        case anticausalNodes = "anticausal_nodes", output, maxAbsDifferenceVsModel = "max_abs_difference_vs_model"
        case integratorOscillators = "integrator_oscillators"
        case speed, dampingPerStep = "damping_per_step", dispersion, coupling, injection, readoutFilter = "readout_filter"
        case warnings
    }

    /// The causal ring's node states as complex numbers (for the space–time picture).
    public var nodeStates: [[Complex<Double>]] { nodes.map { $0.map { Complex($0[0], $0[1]) } } }
}
