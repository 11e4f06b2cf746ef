import ArgumentParser
import Foundation
import PhasorData

// `phasor inspect FILE`: what a file holds, before training on it or loading it as a model. Thin: the library reads
// the file (all format checks live there); this prints a summary as text or JSON.

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
        let summary = try Self.summary(of: file, labelColumn: dataset.labelColumn)
        if json {
            let data = try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(Self.text(summary), terminator: "")
        }
    }

    enum Kind { case safetensors, npy, dataset }

    static func kind(of path: String) -> Kind {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return .dataset }
        switch (path as NSString).pathExtension.lowercased() {
        case "safetensors": return .safetensors
        case "npy": return .npy
        case "ts", "csv", "txt", "tsv": return .dataset
        default:
            // Unknown extension: sniff the .npy magic, else try safetensors (whose reader explains a mismatch).
            if NpyArray.hasMagic(atPath: path) { return .npy }
            return .safetensors
        }
    }

    /// A JSON-ready summary of the file.
    static func summary(of path: String, labelColumn: LabelColumn) throws -> [String: Any] {
        switch kind(of: path) {
        case .safetensors:
            let file = try SafeTensorsFile(contentsOf: path)
            let tensors = file.tensors.keys.sorted().map { name -> [String: Any] in
                let t = file.tensors[name]!
                return ["name": name, "dtype": t.dtype.rawValue, "shape": t.shape, "elements": t.count]
            }
            return ["file": path, "format": "safetensors", "tensors": tensors, "metadata": file.metadata,
                    "parameters": file.tensors.values.reduce(0) { $0 + $1.count }]
        case .npy:
            let array = try NpyArray(contentsOf: path)
            var result: [String: Any] = ["file": path, "format": "npy", "dtype": array.dtype.rawValue,
                                         "shape": array.shape, "elements": array.count]
            let values: [Double]
            if array.dtype == .complex128 {
                values = array.asComplex().map { $0.length }
                result["range_of"] = "modulus"
            } else {
                values = try array.asDoubles()
            }
            let finite = values.filter(\.isFinite)
            result["non_finite"] = values.count - finite.count
            if let lo = finite.min(), let hi = finite.max() {
                result["min"] = lo
                result["max"] = hi
                result["mean"] = Statistics.mean(finite)
            }
            return result
        case .dataset:
            let (train, test) = try DatasetLoader.load(path: path, labelColumn: labelColumn)
            var result: [String: Any] = ["file": path, "format": "dataset", "name": train.name,
                                         "channels": train.channels, "classes": train.classNames,
                                         "train": split(train), "notes": train.notes.messages + (test?.notes.messages ?? [])]
            if let test { result["test"] = split(test) }
            return result
        }
    }

    static func split(_ data: SequenceDataset) -> [String: Any] {
        ["cases": data.samples.count, "min_length": data.minLength, "max_length": data.maxLength,
         "equal_length": data.isEqualLength, "class_counts": data.classCounts()]
    }

    static func text(_ s: [String: Any]) -> String {
        var out = ""
        let file = s["file"] as? String ?? ""
        switch s["format"] as? String {
        case "safetensors":
            let tensors = s["tensors"] as? [[String: Any]] ?? []
            out += "\(file): safetensors, \(tensors.count) tensors, \(s["parameters"] ?? 0) elements\n"
            let width = tensors.map { ($0["name"] as? String ?? "").count }.max() ?? 0
            for t in tensors {
                let name = t["name"] as? String ?? ""
                let shape = (t["shape"] as? [Int] ?? []).map(String.init).joined(separator: ", ")
                out += "  \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(t["dtype"] ?? "")  (\(shape))\n"
            }
            let metadata = s["metadata"] as? [String: String] ?? [:]
            if !metadata.isEmpty {
                out += "metadata:\n"
                for key in metadata.keys.sorted() { out += "  \(key) = \(metadata[key]!)\n" }
            }
        case "npy":
            let shape = (s["shape"] as? [Int] ?? []).map(String.init).joined(separator: ", ")
            out += "\(file): npy \(s["dtype"] ?? ""), shape (\(shape)), \(s["elements"] ?? 0) elements\n"
            if let lo = s["min"], let hi = s["max"], let mean = s["mean"] {
                let of = (s["range_of"] as? String).map { " of the \($0)" } ?? ""
                out += "  range\(of): min \(lo), max \(hi), mean \(mean)\n"
            }
            if let bad = s["non_finite"] as? Int, bad > 0 { out += "  non-finite elements: \(bad)\n" }
        default:
            let classes = s["classes"] as? [String] ?? []
            out += "\(file): dataset \(s["name"] ?? ""), \(s["channels"] ?? 0) channel(s), \(classes.count) classes\n"
            for part in ["train", "test"] {
                guard let p = s[part] as? [String: Any] else { continue }
                let counts = p["class_counts"] as? [Int] ?? []
                let perClass = zip(classes, counts).map { "\($0)=\($1)" }.joined(separator: " ")
                out += "  \(part): \(p["cases"] ?? 0) cases, length \(p["min_length"] ?? 0)–\(p["max_length"] ?? 0)\n"
                out += "    classes: \(perClass)\n"
            }
            for note in s["notes"] as? [String] ?? [] { out += "  note: \(note)\n" }
        }
        return out
    }
}
