// What a file holds, before training on it or loading it as a model (`phasor inspect`): the typed summary of a
// safetensors file (tensor names, dtypes, shapes, metadata), an .npy array (dtype, shape, value range — of the modulus
// for complex data) or a dataset (.ts, CSV/TSV, or a folder with NAME_TRAIN.ts / NAME_TEST.ts: cases, channels,
// length range, class counts, the readers' notes), Codable to the JSON of the command line (snake_case keys), with
// its text form.
import Foundation

/// A summary of a safetensors, .npy or dataset file.
public enum FileSummary: Sendable, Equatable, Encodable {
    case safetensors(SafeTensorsSummary)
    case npy(NpySummary)
    case dataset(DatasetSummary)

    public struct TensorEntry: Sendable, Equatable, Encodable {
        public let name: String
        public let dtype: String
        public let shape: [Int]
        public let elements: Int
    }

    public struct SafeTensorsSummary: Sendable, Equatable, Encodable {
        public let file: String
        public let format = "safetensors"
        public let tensors: [TensorEntry]
        public let metadata: [String: String]
        /// Elements over all tensors.
        public let parameters: Int
    }

    public struct NpySummary: Sendable, Equatable, Encodable {
        public let file: String
        public let format = "npy"
        public let dtype: String
        public let shape: [Int]
        public let elements: Int
        /// "modulus" when the range is that of |z| (complex data); absent otherwise.
        public let rangeOf: String?
        public let nonFinite: Int
        public let min: Double?
        public let max: Double?
        public let mean: Double?
        enum CodingKeys: String, CodingKey {
            case file, format, dtype, shape, elements, rangeOf = "range_of", nonFinite = "non_finite", min, max, mean
        }
    }

    public struct SplitSummary: Sendable, Equatable, Encodable {
        public let cases: Int
        public let minLength: Int
        public let maxLength: Int
        public let equalLength: Bool
        public let classCounts: [Int]
        enum CodingKeys: String, CodingKey {
            case cases, minLength = "min_length", maxLength = "max_length", equalLength = "equal_length"
            case classCounts = "class_counts"
        }
        init(_ data: SequenceDataset) {
            cases = data.samples.count
            minLength = data.minLength
            maxLength = data.maxLength
            equalLength = data.isEqualLength
            classCounts = data.classCounts()
        }
    }

    public struct DatasetSummary: Sendable, Equatable, Encodable {
        public let file: String
        public let format = "dataset"
        public let name: String
        public let channels: Int
        public let classes: [String]
        public let train: SplitSummary
        public let test: SplitSummary?
        /// What the readers decided (a skipped header row, missing values filled or trailing), "FILE: DECISION".
        public let notes: [String]
    }

    /// Reads and summarises the file or dataset folder at `path` (the kind from the extension; an unknown extension
    /// is sniffed: the .npy magic, else safetensors, whose reader explains a mismatch). `labelColumn` is where a
    /// CSV/TSV row keeps its label.
    public init(path: String, labelColumn: LabelColumn = .last) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let ext = (path as NSString).pathExtension.lowercased()
        if exists && isDirectory.boolValue || ["ts", "csv", "txt", "tsv"].contains(ext) {
            let (train, test) = try DatasetLoader.load(path: path, labelColumn: labelColumn)
            self = .dataset(DatasetSummary(file: path, name: train.name, channels: train.channels, classes: train.classNames,
                                           train: SplitSummary(train), test: test.map(SplitSummary.init),
                                           notes: train.notes.messages + (test?.notes.messages ?? [])))
        } else if ext == "npy" || (ext != "safetensors" && NpyArray.hasMagic(atPath: path)) {
            let array = try NpyArray(contentsOf: path)
            let values: [Double] = array.dtype == .complex128 ? array.asComplex().map { $0.length } : try array.asDoubles()
            let finite = values.filter(\.isFinite)
            self = .npy(NpySummary(file: path, dtype: array.dtype.rawValue, shape: array.shape, elements: array.count,
                                   rangeOf: array.dtype == .complex128 ? "modulus" : nil, nonFinite: values.count - finite.count,
                                   min: finite.min(), max: finite.max(),
                                   mean: finite.isEmpty ? nil : Statistics.mean(finite)))   // Σx/n would overflow
        } else {
            let file = try SafeTensorsFile(contentsOf: path)
            let tensors = file.tensors.keys.sorted().map { name -> TensorEntry in
                let t = file.tensors[name]!
                return TensorEntry(name: name, dtype: t.dtype.rawValue, shape: t.shape, elements: t.count)
            }
            self = .safetensors(SafeTensorsSummary(file: path, tensors: tensors, metadata: file.metadata,
                                                   parameters: tensors.reduce(0) { $0 + $1.elements }))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .safetensors(let s): try s.encode(to: encoder)
        case .npy(let s): try s.encode(to: encoder)
        case .dataset(let s): try s.encode(to: encoder)
        }
    }

    /// The summary as text lines.
    public var text: String {
        var out = ""
        switch self {
        case .safetensors(let s):
            out += "\(s.file): safetensors, \(s.tensors.count) tensors, \(s.parameters) elements\n"
            let width = s.tensors.map(\.name.count).max() ?? 0
            for t in s.tensors {
                let shape = t.shape.map(String.init).joined(separator: ", ")
                out += "  \(t.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(t.dtype)  (\(shape))\n"
            }
            if !s.metadata.isEmpty {
                out += "metadata:\n"
                for key in s.metadata.keys.sorted() { out += "  \(key) = \(s.metadata[key]!)\n" }
            }
        case .npy(let s):
            out += "\(s.file): npy \(s.dtype), shape (\(s.shape.map(String.init).joined(separator: ", "))), \(s.elements) elements\n"
            if let lo = s.min, let hi = s.max, let mean = s.mean {
                out += "  range\(s.rangeOf.map { " of the \($0)" } ?? ""): min \(lo), max \(hi), mean \(mean)\n"
            }
            if s.nonFinite > 0 { out += "  non-finite elements: \(s.nonFinite)\n" }
        case .dataset(let s):
            out += "\(s.file): dataset \(s.name), \(s.channels) channel(s), \(s.classes.count) classes\n"
            for (part, split) in [("train", Optional(s.train)), ("test", s.test)] {
                guard let split else { continue }
                let perClass = zip(s.classes, split.classCounts).map { "\($0)=\($1)" }.joined(separator: " ")
                out += "  \(part): \(split.cases) cases, length \(split.minLength)–\(split.maxLength)\n"
                out += "    classes: \(perClass)\n"
            }
            for note in s.notes { out += "  note: \(note)\n" }
        }
        return out
    }
}
