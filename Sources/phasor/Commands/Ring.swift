// `phasor ring`: one S4D channel run as a ring of M coupled complex oscillators (DESIGN.md §6) on a given input;
// node states, output (checked against the direct convolution), wave speed, damping and dispersion.
import ArgumentParser
import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorModels
import PhasorNumerics

struct RingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ring",
        abstract: "Run one S4D channel as a ring of oscillators: node states, output, wave speed and damping.",
        discussion: """
        --input is the sequence the S4D layer sees on that channel: shape (L), (B, L), or (B, L, H) with H the \
        layer's channels (then channel --channel of sample --sample is used). Node states x = F h with F the unitary \
        DFT; the input enters at node 0 with weight √M. Speed is counted in nodes per step towards decreasing node \
        index (S4D-Lin: MΔ/2); a wave that laps the ring within L steps is reported in "warnings".
        """
    )

    @Option(help: "A checkpoint (.safetensors) with S4D layers.") var model: String
    @Option(help: "The S4D layer.") var layer: Int = 0
    @Option(help: "The channel of that layer.") var channel: Int = 0
    @Option(help: "The channel's input sequence (.npy): (L), (B, L) or (B, L, H).") var input: String?
    @Option(help: "Token ids (.npy int64, (L) or (B, L)) for a Mamba language model (instead of --input).") var tokens: String?
    @Option(help: "Which sample b of a batched input.") var sample: Int = 0
    @Option(help: "Write the space–time picture (node × time, hue = phase) as an SVG.") var plot: String?
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        guard (input == nil) != (tokens == nil) else { throw ValidationError("give exactly one of --input or --tokens") }
    }

    func run() throws {
        if let tokens {
            return try MambaRing.run(model: model, tokens: tokens, layer: layer, channel: channel, sample: sample, plot: plot, json: json)
        }
        guard let input else { return }
        let (store, layers) = try S4DFile.parameters(try SafeTensorsFile(contentsOf: model))
        guard layer >= 0, layer < layers else {
            throw CorrespondenceError.invalid("layer \(layer) does not exist: the checkpoint has \(layers) S4D layer(s)")
        }
        let (channels, _) = try DiagonalSSM.s4dShape(store, layer: layer)
        let ssm = try DiagonalSSM.s4d(store, layer: layer, channel: channel)
        let u = try channelInput(try NpyArray(contentsOf: input), channels: channels)
        guard u.count >= 2 else {
            throw CorrespondenceError.invalid("the input has \(u.count) step(s); a ring run needs at least 2")
        }
        let ring = Ring(ssm)
        let run = try ring.run(u)
        let reference = try ssm.convolve(u)  // y = K * u + D u, independently of the ring
        let difference = zip(run.output, reference).map { abs($0 - $1) }.max() ?? 0
        let wave = try TravellingWave.impulse(ring, length: u.count)
        let dispersion = ring.nodeCount >= 2 ? try TravellingWave.dispersion(ssm) : []
        if let plot { try AtomicFile.write(try SpaceTimePlot.svg(nodes: run.nodes), to: plot) }
        let result = RingJSON(
            layer: layer, channel: channel, sample: sample, nodesCount: ring.nodeCount, length: u.count, dt: ssm.step,
            nodes: run.nodes.map { $0.map(pair) }, output: run.output,
            maxAbsDifferenceVsConvolution: difference,
            speed: wave.speed, dampingPerStep: wave.dampingPerStep,
            impulsePositions: wave.positions, impulsePeakNodes: wave.peakNodes, impulsePeakAmplitudes: wave.peakAmplitudes,
            dispersion: dispersion, coupling: ring.coupling.map(pair), injection: ring.injection.map(pair),
            readoutFilter: ring.readout.map(pair), warnings: wave.warnings)
        if json { try JSONOutput.print(result); return }
        print("layer \(layer) channel \(channel): ring of \(ring.nodeCount) nodes, \(u.count) steps, Δ = \(ssm.step)")
        print("  speed \(wave.speed) nodes/step (towards decreasing index), damping \(wave.dampingPerStep) per step")
        print("  ring output vs direct convolution: max |difference| = \(difference)")
        for w in wave.warnings { print("  warning: \(w)") }
        if let plot { print("wrote \(plot)") }
    }

    /// u from (L), (B, L) or (B, L, H).
    private func channelInput(_ x: NpyArray, channels: Int) throws -> [Double] {
        let input = self.input ?? ""
        let values = try x.asDoubles()
        try requireFinite(values, "input \(input)")
        switch x.shape.count {
        case 1:
            return values
        case 2:
            guard sample >= 0, sample < x.shape[0] else {
                throw CorrespondenceError.invalid("sample \(sample) does not exist: \(input) has \(x.shape[0]) sample(s)")
            }
            let l = x.shape[1]
            return Array(values[(sample * l)..<((sample + 1) * l)])
        case 3:
            guard sample >= 0, sample < x.shape[0] else {
                throw CorrespondenceError.invalid("sample \(sample) does not exist: \(input) has \(x.shape[0]) sample(s)")
            }
            guard x.shape[2] == channels else {
                throw CorrespondenceError.shapeMismatch("\(input) has shape \(x.shape): its last axis (\(x.shape[2])) must be "
                    + "the layer's \(channels) channels (give (L) or (B, L) for one channel's sequence)")
            }
            let l = x.shape[1]
            return (0..<l).map { values[(sample * l + $0) * channels + channel] }
        default:
            throw CorrespondenceError.shapeMismatch("\(input) has shape \(x.shape); expected (L), (B, L) or (B, L, H)")
        }
    }
}

struct RingJSON: Encodable {
    let layer: Int, channel: Int, sample: Int
    let nodesCount: Int
    let length: Int
    let dt: Double
    let nodes: [[[Double]]]
    let output: [Double]
    let maxAbsDifferenceVsConvolution: Double
    let speed: Double
    let dampingPerStep: Double
    let impulsePositions: [Double]
    let impulsePeakNodes: [Int]
    let impulsePeakAmplitudes: [Double]
    let dispersion: [Double]
    let coupling: [[Double]]
    let injection: [[Double]]
    let readoutFilter: [[Double]]
    let warnings: [String]
    enum CodingKeys: String, CodingKey {
        case layer, channel, sample, nodesCount = "nodes_count", length, dt, nodes, output
        case maxAbsDifferenceVsConvolution = "max_abs_difference_vs_convolution", speed
        case dampingPerStep = "damping_per_step", impulsePositions = "impulse_positions"
        case impulsePeakNodes = "impulse_peak_nodes", impulsePeakAmplitudes = "impulse_peak_amplitudes", dispersion
        case coupling, injection, readoutFilter = "readout_filter", warnings
    }
}
