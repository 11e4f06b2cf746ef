// `phasor ring` as data: one S4D channel run as a ring of oscillators (Ring.swift) on the sequence its layer sees,
// checked against the MODEL'S OWN output of that layer and channel (its SSM output y = K * u + D u from the model's
// forward pass), with the impulse wave's speed and damping and the dispersion. Everything here is linear in L: the
// ring runs its recurrence (O(L·M²)), the impulse read-outs one step at a time.
import PhasorModels
import PhasorNumerics

public struct RingReport: Encodable, Sendable {
    public let layer: Int, channel: Int, sample: Int
    /// "model" (the input was the model's and ran through encoder, earlier blocks and norms) or "layer".
    public let input: String
    public let discretization: Discretization
    public let nodesCount: Int
    public let length: Int
    public let dt: Double
    /// Node states x_k (L × M × [re, im]).
    public let nodes: [[[Double]]]
    public let output: [Double]
    /// max_k |ring output − the model's own SSM output|.
    public let maxAbsDifferenceVsModel: Double
    public let speed: Double
    public let dampingPerStep: Double
    public let impulsePositions: [Double]
    public let impulsePeakNodes: [Int]
    public let impulsePeakAmplitudes: [Double]
    public let dispersion: [Double]
    /// w(d), F b and C̃F⁻¹ as [re, im] pairs.
    public let coupling: [[Double]]
    public let injection: [[Double]]
    public let readoutFilter: [[Double]]
    public let warnings: [String]

    /// Memory and work of a report over `length` steps of a ring of `nodes` nodes: two ring runs (the input's and the
    /// impulse's, O(L·M²) each, every node state kept: L arrays of M complex numbers), the inverse DFT of each impulse
    /// state (O(L·M²)), the report's [re, im] pairs and their JSON text. Checked by `phasor ring` with the model's own
    /// forward pass (S4ModelConfiguration.jobEstimate) before it runs.
    public static func jobEstimate(length: Int, nodes: Int) -> JobEstimate {
        let l = Double(length), m = Double(nodes)
        let states = l * (m * 16 + 48)                // [[Complex]]: M complex values and an array header per step
        let pairs = l * (m * (16 + 48) + 48)          // [[[Double]]]: a two-element array per node
        return JobEstimate(parts: [("ring node states", 3 * states), ("report", pairs), ("JSON text", l * m * 50)],
                           operations: 3 * l * m * m * 8)
    }

    /// Runs `channel` as a ring on `u` (the sequence the layer's core sees on that channel) and compares its output
    /// with `reference` (the model's own SSM output there). `fromModelInput` says which input the user gave.
    public init(layer: Int, channel: S4DChannel, sample: Int, input u: [Double], reference: [Double],
                fromModelInput: Bool) throws {
        guard u.count >= 2 else {
            throw CorrespondenceError.invalid("the input has \(u.count) step(s); a ring run needs at least 2")
        }
        guard reference.count == u.count else {
            throw CorrespondenceError.shapeMismatch("\(reference.count) reference outputs for \(u.count) inputs")
        }
        let ring = Ring(channel.ssm)
        let run = try ring.run(u)
        let wave = try TravellingWave.impulse(ring, length: u.count)
        self.layer = layer
        self.channel = channel.channel
        self.sample = sample
        input = fromModelInput ? "model" : "layer"
        discretization = channel.discretization
        nodesCount = ring.nodeCount
        length = u.count
        dt = channel.ssm.step
        nodes = run.nodes.map { $0.map(realImaginary) }
        output = run.output
        maxAbsDifferenceVsModel = zip(run.output, reference).map { abs($0 - $1) }.max() ?? 0
        speed = wave.speed
        dampingPerStep = wave.dampingPerStep
        impulsePositions = wave.positions
        impulsePeakNodes = wave.peakNodes
        impulsePeakAmplitudes = wave.peakAmplitudes
        dispersion = ring.nodeCount >= 2 ? try TravellingWave.dispersion(channel.ssm) : []
        coupling = ring.coupling.map(realImaginary)
        injection = ring.injection.map(realImaginary)
        readoutFilter = ring.readout.map(realImaginary)
        warnings = wave.warnings
    }

    enum CodingKeys: String, CodingKey {
        case layer, channel, sample, input, discretization, nodesCount = "nodes_count", length, dt, nodes, output
        case maxAbsDifferenceVsModel = "max_abs_difference_vs_model", speed
        case dampingPerStep = "damping_per_step", impulsePositions = "impulse_positions"
        case impulsePeakNodes = "impulse_peak_nodes", impulsePeakAmplitudes = "impulse_peak_amplitudes", dispersion
        case coupling, injection, readoutFilter = "readout_filter", warnings
    }

    /// The node states as complex numbers (for the space–time picture).
    public var nodeStates: [[Complex<Double>]] { nodes.map { $0.map { Complex($0[0], $0[1]) } } }
}
