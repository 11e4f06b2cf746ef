import Foundation
import PhasorData
import PhasorFigures
import PhasorModels
import PhasorOperator

// `phasor operator --model M --tokens T.npy --layer i`: thin — load → HiddenAttentionReport (PhasorOperator) → print,
// heat maps per channel group. (An S6 classifier's layer goes through `present` too, Operator.swift.)

enum MambaOperatorCommand {
    static func run(model path: String, tokens: String, layer: Int, groups: Int, mass: Double, plot: String?, json: Bool) throws {
        let model = try MambaLanguageModel(path: path)
        let ids = try MambaMap.sequence(tokens)
        let report = try HiddenAttentionReport(source: path, model: model, ids: ids, layer: layer, groups: groups, mass: mass)
        try present(report, what: "\(model.configuration.dInner) channels over \(report.tokens) tokens", plot: plot, json: json)
    }

    /// Heat maps per channel group (--plot), then the JSON or a summary.
    static func present(_ report: HiddenAttentionReport, what: String, plot: String?, json: Bool) throws {
        let path = report.source, layer = report.layer, mass = report.influenceMass
        var written: [String] = []
        if let plot {
            try AtomicFile.createFolder(atPath: plot)
            for (g, range) in report.attention.groups.enumerated() {
                let file = URL(fileURLWithPath: plot).appendingPathComponent("hidden_attention_layer\(layer)_group\(g).svg").path
                let title = "layer \(layer), channels \(range.lowerBound)–\(range.upperBound - 1): mean |K(t,s)|"
                try AtomicFile.write(Charts.file(try HiddenAttentionPlot.svg(map: report.attention.maps[g], length: report.tokens, title: title)),
                                     to: file)
                written.append(file)
            }
        }
        if json { try JSONOutput.print(report); return }
        let ranges = report.influenceRange
        print("\(path) layer \(layer): hidden attention of \(what)")
        print("  kernel sum vs scan: max |Δy| / max |y| = \(report.identityError)")
        print(String(format: "  range of influence (%.0f%% of Σ|K u|): mean %.2f tokens back, last token %.2f", mass * 100,
                     ranges.reduce(0, +) / Double(ranges.count), ranges.last ?? 0))
        for f in written { print("wrote \(f)") }
    }
}
