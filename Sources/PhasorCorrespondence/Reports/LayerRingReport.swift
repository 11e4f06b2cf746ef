// `phasor ring` of a whole multi-input multi-output layer (LinOSS) as data: the layer's modes (its one conversion,
// LinOSSSystems.swift) run as ONE ring of M = 2P' coupled complex oscillators (MIMORing.swift: circulant coupling
// W = F diag(μ) F⁻¹, every input channel j injecting its own profile p_j = F B̄_·j, every output channel i reading its
// own spatial filter r_i = C̃_i·F⁻¹), on the sequence the layer's core sees (all H channels of one sample) —
// checked against the MODEL'S OWN output of that core. Oscillators without an eigen-reading (relu(A_diag) = 0: a
// Jordan block) are not nodes of the ring: they run by their 2×2 recurrence and are added, and the report lists them.
//     y_k = Re(Σ_i r_i·x_k) + D ⊙ u_k + integrators(u)_k
// The node order is the modes' (μ₊, μ₋ of each oscillator in turn), so the node index is not a frequency axis: no wave
// speed is read off (S4D's ring, ordered by frequency, has one).
import PhasorModels
import PhasorNumerics

public struct LayerRingReport: Encodable, Sendable {
    public let layer: Int, sample: Int
    /// "model" (the input was the model's and ran through encoder, earlier blocks and norms) or "layer".
    public let input: String
    public let core: CoreKind
    public let nodesCount: Int
    public let channels: Int
    public let length: Int
    /// Node states x_k (L × M × [re, im]).
    public let nodes: [[[Double]]]
    /// The ring's output (H × L: one row per channel).
    public let output: [[Double]]
    /// max over channels and steps of |ring output − the model's own core output|.
    public let maxAbsDifferenceVsModel: Double
    /// The oscillators run beside the ring by their recurrence (no eigen-reading).
    public let integratorOscillators: [Int]
    /// w(d) as [re, im] pairs; the injection profiles p_j (H × M) and read-out filters r_i (H × M).
    public let coupling: [[Double]]
    public let injection: [[[Double]]]
    public let readoutFilters: [[[Double]]]
    public let warnings: [String]

    /// Runs layer `layer`'s LinOSS core as a ring on u (H, L) and compares with `reference` (H, L), the model's own
    /// core output there.
    public init(layer: Int, core: LinOSSLayer, sample: Int, input u: [Double], reference: [Double], fromModelInput: Bool) throws {
        let h = core.channels
        guard u.count % h == 0, u.count / h >= 2 else {
            throw CorrespondenceError.invalid("the input has \(u.count / max(h, 1)) step(s) of \(h) channels; a ring run needs at least 2")
        }
        let length = u.count / h
        guard reference.count == u.count else {
            throw CorrespondenceError.shapeMismatch("\(reference.count) reference outputs for \(u.count) inputs")
        }
        let systems = try core.diagonalSystems()
        var y: [Double], nodes: [[Complex<Double>]] = []
        var warnings: [String] = []
        if let modes = systems.modes {
            let ring = try MIMORing(modes)
            let run = try ring.run(u, length: length)
            y = run.output; nodes = run.nodes
            coupling = ring.coupling.map(realImaginary)
            injection = ring.injection.map { $0.map(realImaginary) }
            readoutFilters = ring.readout.map { $0.map(realImaginary) }
            nodesCount = ring.nodeCount
        } else {
            y = (0..<u.count).map { core.d[$0 / length] * u[$0] }                 // D ⊙ u alone
            coupling = []; injection = []; readoutFilters = []; nodesCount = 0
            warnings.append("no oscillator of layer \(layer) has an eigen-reading: the ring is empty")
        }
        try systems.addIntegrators(&y, u, length: length)
        if !systems.integratorOscillators.isEmpty {
            warnings.append("oscillator(s) \(systems.integratorOscillators.map(String.init).joined(separator: ", ")) of layer \(layer) "
                + "have no eigen-reading (relu(A_diag) = 0 or κ(V) > \(LinOSSSystems.conditionLimit)): run by their 2×2 recurrence beside the ring")
        }
        self.layer = layer
        self.sample = sample
        input = fromModelInput ? "model" : "layer"
        self.core = .linoss(core.scheme)
        channels = h
        self.length = length
        self.nodes = nodes.map { $0.map(realImaginary) }
        output = (0..<h).map { Array(y[($0 * length) ..< (($0 + 1) * length)]) }
        maxAbsDifferenceVsModel = zip(y, reference).map { abs($0 - $1) }.max() ?? 0
        integratorOscillators = systems.integratorOscillators
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case layer, sample, input, core, nodesCount = "nodes_count", channels, length, nodes, output
        case maxAbsDifferenceVsModel = "max_abs_difference_vs_model", integratorOscillators = "integrator_oscillators"
        case coupling, injection, readoutFilters = "readout_filters", warnings
    }

    /// The node states as complex numbers (for the space–time picture).
    public var nodeStates: [[Complex<Double>]] { nodes.map { $0.map { Complex($0[0], $0[1]) } } }
}
