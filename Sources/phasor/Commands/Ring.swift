// `phasor ring`: one S4D channel run as a ring of M coupled complex oscillators (DESIGN.md §6) — or an S5/LRU layer's
// modes as one ring shared by all channels (two for a bidirectional S5) — on the sequence its layer sees: from a MODEL
// input run through the model exactly as `predict` runs it, or (--layer-input) the layer's own input; checked against
// the model's own output of that layer; node states, wave speed, damping, dispersion.
// Thin: load → the library's trace / core → RingReport or MIMORingReport (PhasorCorrespondence) → print.
import ArgumentParser
import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorFigures
import PhasorModels
import PhasorNumerics

struct RingCommand: ParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        commandName: "ring",
        abstract: "Run an SSM layer as a ring of oscillators: node states, output, wave speed and damping.",
        discussion: """
        --input is a MODEL input X, (B, L, d_input) or (L, d_input): it is standardised with the checkpoint's \
        statistics and run through the encoder, the earlier blocks and the norms exactly as `predict` runs it, and the \
        ring gets what layer --layer's S4D core sees on --channel. With --layer-input, --input is that sequence itself: \
        (L), (B, L), or (B, L, H) with H the layer's channels (a designed layer file works too). The ring's output is \
        checked against the model's own SSM output of that layer and channel (max_abs_difference_vs_model). Node \
        states x = F h with F the unitary DFT; the input enters at node 0 with weight √M. Speed is in nodes per step \
        towards decreasing node index (S4D-Lin: MΔ/2); a wave that laps the ring within L steps is a "warning". \
        An S5, LRU or LinOSS layer mixes its channels: its modes form ONE ring with an injection per input channel and \
        a read-out filter per output channel, checked on every channel (--layer-input then takes (L, H) or (B, L, H)); \
        --channel picks the path whose impulse wave and dispersion are reported. A bidirectional S5 is not causal: its \
        second, anti-causal ring runs on the time-reversed sequence and both read-outs add up to the layer's output. \
        LinOSS oscillators without an eigen-reading (relu(A_diag) = 0) run by their 2×2 recurrence beside the ring. \
        An S6 layer's channel --channel is a ring of its N states whose coupling changes every step (Δ_t, B_t, C_t \
        depend on the input). With --tokens (int64 ids) the model is a Mamba language model and the ring is channel \
        --channel of selective layer --layer along those tokens, with a token-dependent circulant coupling (docs/mamba.md).
        """
    )

    @Option(help: "A checkpoint (.safetensors): S4D, S5, LRU, LinOSS or S6 layers.") var model: String
    @OptionGroup var loading: LoadingOptions
    @Option(help: "The layer.") var layer: Int = 0
    @Option(help: "The channel of that layer.") var channel: Int = 0
    @Option(name: .customLong("input"), help: "Model input X (.npy): (B, L, d_input) or (L, d_input); with --layer-input the layer's own input.")
    var inputPath: String?
    private var input: String { inputPath ?? "" }
    @Option(help: "Token ids (.npy int64, (L) or (B, L)) for a Mamba language model (instead of --input).") var tokens: String?
    @Flag(help: "--input is the sequence the layer itself sees: (L), (B, L) or (B, L, H).") var layerInput = false
    @Option(help: "Which sample b of a batched input.") var sample: Int = 0
    @Option(help: "Write the space–time picture (node × time, hue = phase) as an SVG.") var plot: String?
    @Flag(help: "Print the result as JSON.") var json = false

    var outputs: [OutputFile] { [.file("--plot", plot)] }

    func validate() throws {
        guard (inputPath == nil) != (tokens == nil) else { throw ValidationError("give exactly one of --input or --tokens") }
    }

    func run() throws {
        if let tokens {
            try loading.requireNoneForLanguageModel()
            return try MambaRing.run(model: model, tokens: tokens, layer: layer, channel: channel, sample: sample, plot: plot, json: json)
        }
        let x = try NpyArray(contentsOf: input)
        let values = try x.asDoubles()
        try requireFinite(values, "input \(input)")
        var u: [Double], reference: [Double], length: Int, core: SequenceCore
        if layerInput {
            core = try pick(try loading.cores(model, normPlacementMatters: false).cores)
            if case .s4d(let c) = core {
                u = try layerSequence(x, values, channels: c.channels); length = u.count
                try requireSize(RingReport.jobEstimate(length: length, nodes: try ringNodes(core)))
                reference = try c.channel(channel).ssmOutput(input: u, batch: 1, length: length)   // the model's own layer
            } else {
                (length, u) = try layerSequences(x, values, channels: core.channels)
                try requireSize(RingReport.jobEstimate(length: length, nodes: try ringNodes(core)))
                reference = try core.output(u, batch: 1, length: length)                            // the model's own layer
            }
        } else {
            let checkpoint = try loading.checkpoint(model)
            core = try pick(checkpoint.model.blocks.map(\.core))
            let (l, sampleValues) = try modelSample(x, values, dInput: checkpoint.model.configuration.dInput)
            length = l
            try requireSize(RingReport.jobEstimate(length: length, nodes: try ringNodes(core))
                + checkpoint.model.configuration.jobEstimate(samples: 1, batch: 1, length: length, work: .inference))
            let trace = try checkpoint.trace(inputs: sampleValues, batch: 1, length: length)
            let h = core.channels
            if case .s4d = core {
                u = S4ModelTrace.sequence(trace.layers[layer].blockInput, sample: 0, channel: channel, channels: h, length: length)
                reference = S4ModelTrace.sequence(trace.layers[layer].ssmOutput, sample: 0, channel: channel, channels: h, length: length)
            } else {
                u = trace.layers[layer].blockInput; reference = trace.layers[layer].ssmOutput                // (H, L), one sample
            }
        }
        if case .s4d(let c) = core {
            let report = try RingReport(layer: layer, channel: try c.diagonalSystem(channel: channel), sample: sample,
                                        input: u, reference: reference, fromModelInput: !layerInput)
            if let plot { try AtomicFile.write(Charts.file(try Charts.spaceTime(report.nodeStates)), to: plot) }
            if json { try JSONOutput.print(report); return }
            print("layer \(layer) channel \(channel): ring of \(report.nodesCount) nodes, \(report.length) steps, Δ = \(report.dt) (\(report.discretization.rawValue))")
            print("  speed \(report.speed) nodes/step (towards decreasing index), damping \(report.dampingPerStep) per step")
            print("  ring output vs the model's own layer output: max |difference| = \(report.maxAbsDifferenceVsModel)")
            for w in report.warnings { print("  warning: \(w)") }
        } else if case .s6(let selective) = core {                            // not LTI: the coupling changes every step
            let report = try SelectiveRingReport(layer: layer, selective: selective, input: u,
                                                 tokens: try selective.tokens(u, length: length), output: reference, channel: channel)
            if let plot { try AtomicFile.write(Charts.file(try Charts.spaceTime(report.nodeStates)), to: plot) }
            if json { try JSONOutput.print(report); return }
            print("layer \(layer) channel \(channel) (s6): ring of \(report.nodesCount) nodes, \(length) steps, coupling W_t = F diag(μ_t) F⁻¹ per step")
            print("  ring output vs the model's own layer output: max |difference| = \(report.maxAbsDifferenceVsScan)")
            print("  \(report.note)")
        } else {
            let report = try MIMORingReport(layer: layer, channel: channel, core: core.kind, systems: try core.diagonalSystems(),
                                            sample: sample, input: u, length: length, reference: reference,
                                            fromModelInput: !layerInput)
            if let plot { try AtomicFile.write(Charts.file(try Charts.spaceTime(report.nodeStates)), to: plot) }
            if json { try JSONOutput.print(report); return }
            print("layer \(layer) (\(report.core.rawValue)): one ring of \(report.nodesCount) nodes shared by \(report.channels) channels, \(report.length) steps"
                + (report.anticausalNodes == nil ? "" : ", plus its anti-causal ring on the reversed sequence (bidirectional)"))
            print("  channel \(channel)'s path: speed \(report.speed) nodes/step (towards decreasing index), damping \(report.dampingPerStep) per step")
            print("  ring output vs the model's own layer output (all channels): max |difference| = \(report.maxAbsDifferenceVsModel)")
            for w in report.warnings.prefix(10) { print("  warning: \(w)") }
        }
        if let plot { print("wrote \(plot)") }
    }

    private func requireSize(_ estimate: JobEstimate) throws {
        try ResourceLimits.require(estimate, job: "ring", limitWork: false, fix: "give a shorter --input (fewer steps)")
    }

    /// The ring's node count: S4D's modes per channel, S6's N, a MIMO layer's modes.
    private func ringNodes(_ core: SequenceCore) throws -> Int {
        switch core {
        case .s4d(let c): return c.modes
        case .s6(let s): return s.states
        default: return try core.diagonalSystems().modes.count
        }
    }

    private func pick(_ cores: [SequenceCore]) throws -> SequenceCore {
        guard layer >= 0, layer < cores.count else {
            throw CLIError("layer \(layer) does not exist: the checkpoint has \(cores.count) layer(s)")
        }
        guard channel >= 0, channel < cores[layer].channels else {
            throw CLIError("channel \(channel) does not exist: layer \(layer) has \(cores[layer].channels) channels (0..<\(cores[layer].channels))")
        }
        return cores[layer]
    }

    /// (L, u (H, L)) from (L, H) or (B, L, H): a MIMO layer sees every channel.
    private func layerSequences(_ x: NpyArray, _ values: [Double], channels: Int) throws -> (Int, [Double]) {
        let (l, offset): (Int, Int)
        switch x.shape.count {
        case 2: try checkSample(1); l = x.shape[0]; offset = 0
        case 3: try checkSample(x.shape[0]); l = x.shape[1]; offset = sample * x.shape[1] * channels
        default:
            throw CLIError("\(input) has shape \(x.shape); with --layer-input an S5/LRU layer needs (L, H) or (B, L, H) (it mixes all \(channels) channels)")
        }
        guard x.shape.last == channels else {
            throw CLIError("\(input) has shape \(x.shape): its last axis must be the layer's \(channels) channels (an S5/LRU layer mixes them all)")
        }
        return (l, (0..<(channels * l)).map { values[offset + ($0 % l) * channels + $0 / l] })
    }

    private func checkSample(_ count: Int) throws {
        guard sample >= 0, sample < count else {
            throw CLIError("sample \(sample) does not exist: \(input) has \(count) sample(s)")
        }
    }

    /// (L, that sample's L·d_input values) from a model input (B, L, d_input) or (L, d_input).
    private func modelSample(_ x: NpyArray, _ values: [Double], dInput: Int) throws -> (Int, [Double]) {
        switch x.shape.count {
        case 2:
            try checkSample(1)
            guard x.shape[1] == dInput else {
                throw CLIError("\(input) has shape \(x.shape): a model input (L, d_input) needs d_input = \(dInput) (the layer's own input goes with --layer-input)")
            }
            return (x.shape[0], values)
        case 3:
            try checkSample(x.shape[0])
            guard x.shape[2] == dInput else {
                throw CLIError("\(input) has shape \(x.shape): a model input (B, L, d_input) needs d_input = \(dInput) (the layer's own input goes with --layer-input)")
            }
            let n = x.shape[1] * dInput
            return (x.shape[1], Array(values[sample * n ..< (sample + 1) * n]))
        default:
            throw CLIError("\(input) has shape \(x.shape); a model input is (B, L, d_input) or (L, d_input) (a layer's own sequence goes with --layer-input)")
        }
    }

    /// u from (L), (B, L) or (B, L, H).
    private func layerSequence(_ x: NpyArray, _ values: [Double], channels: Int) throws -> [Double] {
        switch x.shape.count {
        case 1:
            return values
        case 2:
            try checkSample(x.shape[0])
            let l = x.shape[1]
            return Array(values[(sample * l)..<((sample + 1) * l)])
        case 3:
            try checkSample(x.shape[0])
            guard x.shape[2] == channels else {
                throw CLIError("\(input) has shape \(x.shape): its last axis (\(x.shape[2])) must be the layer's \(channels) channels "
                    + "(give (L) or (B, L) for one channel's sequence)")
            }
            let l = x.shape[1]
            return (0..<l).map { values[(sample * l + $0) * channels + channel] }
        default:
            throw CLIError("\(input) has shape \(x.shape); with --layer-input expected (L), (B, L) or (B, L, H)")
        }
    }
}
