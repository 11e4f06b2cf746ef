import PhasorCorrespondence
import PhasorData
import PhasorFigures
import PhasorModels

// `phasor ring --model M --tokens T.npy --layer i --channel c`: thin — load → SelectiveRingReport → print / figure.

enum MambaRing {
    static func run(model path: String, tokens: String, layer: Int, channel: Int, sample: Int, plot: String?, json: Bool) throws {
        let model = try MambaLanguageModel(path: path)
        let (all, b, l) = try MambaTokensFile.read(tokens)
        guard (0..<b).contains(sample) else { throw CLIError("sample \(sample) does not exist: \(tokens) has \(b) sequence(s)") }
        let report = try SelectiveRingReport(model: model, ids: Array(all[(sample * l)..<((sample + 1) * l)]), layer: layer, channel: channel)
        if let plot {
            let title = "layer \(layer) channel \(channel): ring nodes (hue = phase, brightness = |z|)"
            try AtomicFile.write(Charts.file(try Charts.spaceTime(report.nodeStates, title: title)), to: plot)
        }
        if json { try JSONOutput.print(report); return }
        print("layer \(layer) channel \(channel): ring of \(report.nodesCount) nodes, \(l) tokens, coupling W_t = F diag(μ_t) F⁻¹ per token")
        print("  ring output vs the scan: max |difference| = \(report.maxAbsDifferenceVsScan)")
        print("  \(report.note)")
        if let plot { print("wrote \(plot)") }
    }
}
