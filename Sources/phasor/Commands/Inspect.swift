import ArgumentParser
import Foundation
import PhasorData

// `phasor inspect FILE`: what a file holds, before training on it or loading it as a model. Thin: the library reads
// and summarises the file (PhasorData's FileSummary, all format checks live there); this prints it as text or JSON.

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a safetensors, .npy, .ts or CSV file (or a UCR/UEA dataset folder).",
        discussion: """
        safetensors: tensor names, dtypes, shapes and metadata. .npy: dtype, shape and value range.
        .ts / CSV / folder with NAME_TRAIN.ts and NAME_TEST.ts: cases, channels, length range and class counts.
        """
    )

    @Argument(help: "The file or dataset folder to inspect.")
    var file: String

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @OptionGroup var dataset: DatasetOptions

    func run() throws {
        let summary = try FileSummary(path: file, labelColumn: dataset.labelColumn)
        if json { try JSONOutput.print(summary) } else { print(summary.text, terminator: "") }
    }
}
