// `phasor ring`: one S4D channel run as a ring of M coupled complex oscillators (DESIGN.md §6) on the sequence its
// layer sees — from a MODEL input run through the model exactly as `predict` runs it, or (--layer-input) the layer's
// own input — checked against the model's own output of that layer; node states, wave speed, damping, dispersion.
// Thin: load → the library's trace / core → RingReport (PhasorCorrespondence) → print.
import ArgumentParser
import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorFigures
import PhasorModels
import PhasorNumerics

struct RingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ring",
        abstract: "Run one S4D channel (or a whole LinOSS layer) as a ring of oscillators: node states, output, wave speed and damping.",
        discussion: """
        --input is a MODEL input X, (B, L, d_input) or (L, d_input): it is standardised with the checkpoint's \
        statistics and run through the encoder, the earlier blocks and the norms exactly as `predict` runs it, and the \
        ring gets what layer --layer's S4D core sees on --channel. With --layer-input, --input is that sequence itself: \
        (L), (B, L), or (B, L, H) with H the layer's channels (a designed layer file works too). The ring's output is \
        checked against the model's own SSM output of that layer and channel (max_abs_difference_vs_model). Node \
        states x = F h with F the unitary DFT; the input enters at node 0 with weight √M. Speed is in nodes per step \
        towards decreasing node index (S4D-Lin: MΔ/2); a wave that laps the ring within L steps is a "warning". \
        A LinOSS layer is multi-input multi-output: its modes (two per oscillator) form ONE ring for all channels \
        (--channel does not apply; --layer-input takes (L, H) or (B, L, H)); oscillators without an eigen-reading \
        (relu(A_diag) = 0) run by their 2×2 recurrence beside it. An S6 layer's channel --channel is a ring of its N \
        states with a coupling that changes every step (Δ_t, B_t, C_t depend on the input). With --tokens (int64 ids) the model is a Mamba \
        language model and the ring is channel --channel of selective layer --layer along those tokens, with a \
        token-dependent circulant coupling (docs/mamba.md).
        """
    )

    @Option(help: "A checkpoint (.safetensors) with S4D layers.") var model: String
    @OptionGroup var loading: LoadingOptions
    @Option(help: "The S4D layer.") var layer: Int = 0
    @Option(help: "The channel of that layer.") var channel: Int = 0
    @Option(name: .customLong("input"), help: "Model input X (.npy): (B, L, d_input) or (L, d_input); with --layer-input the layer's own input.")
    var inputPath: String?
    private var input: String { inputPath ?? "" }
    @Option(help: "Token ids (.npy int64, (L) or (B, L)) for a Mamba language model (instead of --input).") var tokens: String?
    @Flag(help: "--input is the sequence the layer itself sees: (L), (B, L) or (B, L, H).") var layerInput = false
    @Option(help: "Which sample b of a batched input.") var sample: Int = 0
    @Option(help: "Write the space–time picture (node × time, hue = phase) as an SVG.") var plot: String?
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        guard (inputPath == nil) != (tokens == nil) else { throw ValidationError("give exactly one of --input or --tokens") }
    }

    func run() throws {
        if let tokens {
            return try MambaRing.run(model: model, tokens: tokens, layer: layer, channel: channel, sample: sample, plot: plot, json: json)
        }
        let x = try NpyArray(contentsOf: input)
        let values = try x.asDoubles()
        try requireFinite(values, "input \(input)")
        let report: RingReport
        if layerInput {
            let loaded = try loading.cores(model, normPlacementMatters: false)
            if let m = loaded.checkpoint?.model, m.configuration.core != .s4d {
                return try runLayer(m, checkpoint: nil, x, values)
            }
            let cores = loaded.cores
            let core = try pick(cores)
            let u = try layerSequence(x, values, channels: core.channels)
            let reference = try core.channel(channel).ssmOutput(input: u, batch: 1, length: u.count)   // the model's own layer
            report = try RingReport(layer: layer, channel: try core.diagonalSystem(channel: channel), sample: sample,
                                    input: u, reference: reference, fromModelInput: false)
        } else {
            let checkpoint = try loading.checkpoint(model)
            if checkpoint.model.configuration.core != .s4d {
                return try runLayer(checkpoint.model, checkpoint: checkpoint, x, values)
            }
            let cores = try checkpoint.model.s4dCores()
            let core = try pick(cores)
            let (length, sampleValues) = try modelSample(x, values, dInput: checkpoint.model.configuration.dInput)
            let trace = try checkpoint.trace(inputs: sampleValues, batch: 1, length: length)
            let h = core.channels
            let u = S4ModelTrace.sequence(trace.layers[layer].blockInput, sample: 0, channel: channel, channels: h, length: length)
            let reference = S4ModelTrace.sequence(trace.layers[layer].ssmOutput, sample: 0, channel: channel, channels: h, length: length)
            report = try RingReport(layer: layer, channel: try core.diagonalSystem(channel: channel), sample: sample,
                                    input: u, reference: reference, fromModelInput: true)
        }
        if let plot { try AtomicFile.write(Charts.file(try Charts.spaceTime(report.nodeStates)), to: plot) }
        if json { try JSONOutput.print(report); return }
        print("layer \(layer) channel \(channel): ring of \(report.nodesCount) nodes, \(report.length) steps, Δ = \(report.dt) (\(report.discretization.rawValue))")
        print("  speed \(report.speed) nodes/step (towards decreasing index), damping \(report.dampingPerStep) per step")
        print("  ring output vs the model's own layer output: max |difference| = \(report.maxAbsDifferenceVsModel)")
        for w in report.warnings { print("  warning: \(w)") }
        if let plot { print("wrote \(plot)") }
    }

    /// A LinOSS layer as one ring of its modes (all channels), or channel --channel of an S6 layer as a ring with a
    /// token-dependent coupling, on the model's input (`checkpoint` given: run through the model as `predict` runs it)
    /// or on the layer's own input (B, L, H) / (L, H).
    private func runLayer(_ model: S4Model, checkpoint: Checkpoint?, _ x: NpyArray, _ values: [Double]) throws {
        guard layer >= 0, layer < model.configuration.layers else {
            throw CLIError("layer \(layer) does not exist: the checkpoint has \(model.configuration.layers) layer(s)")
        }
        let core = model.block(layer).core, h = core.channels, length: Int, u: [Double], reference: [Double]
        if let checkpoint {
            let sampleValues: [Double]
            (length, sampleValues) = try modelSample(x, values, dInput: model.configuration.dInput)
            let trace = try checkpoint.trace(inputs: sampleValues, batch: 1, length: length)
            u = trace.layers[layer].blockInput; reference = trace.layers[layer].ssmOutput      // (H, L) of sample 0
        } else {
            (length, u) = try layerSequences(x, values, channels: h)
            reference = try core.output(u, batch: 1, length: length)                            // the model's own core
        }
        switch core {
        case .linoss(let linoss):
            let report = try LayerRingReport(layer: layer, core: linoss, sample: sample, input: u, reference: reference,
                                             fromModelInput: checkpoint != nil)
            if let plot, report.nodesCount > 0 { try AtomicFile.write(Charts.file(try Charts.spaceTime(report.nodeStates)), to: plot) }
            if json { try JSONOutput.print(report); return }
            print("layer \(layer) (\(report.core.rawValue), \(h) channels): ring of \(report.nodesCount) nodes (two modes per oscillator), \(report.length) steps")
            print("  ring output vs the model's own layer output: max |difference| = \(report.maxAbsDifferenceVsModel)")
            for w in report.warnings { print("  warning: \(w)") }
        case .s6(let selective):
            let report = try SelectiveRingReport(layer: layer, selective: selective, input: u,
                                                 tokens: try selective.tokens(u, length: length), output: reference, channel: channel)
            if let plot { try AtomicFile.write(Charts.file(try Charts.spaceTime(report.nodeStates)), to: plot) }
            if json { try JSONOutput.print(report); return }
            print("layer \(layer) channel \(channel) (s6): ring of \(report.nodesCount) nodes, \(length) steps, coupling W_t = F diag(μ_t) F⁻¹ per step")
            print("  ring output vs the model's own layer output: max |difference| = \(report.maxAbsDifferenceVsScan)")
            print("  \(report.note)")
        case .s4d:
            throw CLIError("an S4D layer's ring is per channel")
        }
        if let plot { print("wrote \(plot)") }
    }

    /// (L, u (H, L)) from a layer input (B, L, H) or (L, H): every channel of one sample.
    private func layerSequences(_ x: NpyArray, _ values: [Double], channels h: Int) throws -> (Int, [Double]) {
        let input = self.input ?? ""
        guard (2...3).contains(x.shape.count), x.shape.last == h else {
            throw CLIError("\(input) has shape \(x.shape); with --layer-input a \(h)-channel layer takes (L, \(h)) or (B, L, \(h))")
        }
        let l = x.shape[x.shape.count - 2]
        let b = x.shape.count == 3 ? x.shape[0] : 1
        try checkSample(b)
        let o = sample * l * h
        return (l, (0..<(h * l)).map { e in values[o + (e % l) * h + e / l] })               // (L, H) → (H, L)
    }

    private func pick(_ cores: [S4DCore]) throws -> S4DCore {
        guard layer >= 0, layer < cores.count else {
            throw CLIError("layer \(layer) does not exist: the checkpoint has \(cores.count) S4D layer(s)")
        }
        guard channel >= 0, channel < cores[layer].channels else {
            throw CLIError("channel \(channel) does not exist: layer \(layer) has \(cores[layer].channels) channels (0..<\(cores[layer].channels))")
        }
        return cores[layer]
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
