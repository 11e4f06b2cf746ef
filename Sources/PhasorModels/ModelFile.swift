// The one door through which every command and every library reader opens a model file (a safetensors checkpoint).
// It accepts state dicts as PyTorch users save them and says what it assumed, as notes for the caller to print:
//   • prefixes: when the key set is not a model's but every key starts with the same dotted prefix — `module.`
//     (DataParallel/DDP), `_orig_mod.` (torch.compile), `model.` (Lightning), or several of them — the prefix is
//     stripped (one note). `prefix` picks a sub-model out of a larger file: only keys under it are read.
//   • norm placement: metadata "prenorm" (true/false, True/False, 1/0) decides; a stated placement (--prenorm /
//     --postnorm) that contradicts the metadata is an ERROR (one of the two is wrong, and guessing gives wrong
//     numbers); without metadata a stated placement is used, and without either the model is read as post-norm
//     (example.py's default) with a note — the shapes cannot tell.
//   • discretisation: metadata "discretization" (zoh | bilinear; default zoh, s4d.py's).
//   • the skeleton: the key set says which reference classifier the file is (example.py's S4D, tk-rusch/linoss's
//     LinOSS, log-neural-cdes' S6: ModelLayout.swift); the metadata (ReferenceMetadata.swift) gives its switches.
//   • precision: F64, F32, F16 and BF16 tensors are read exactly (each value converted to Double) and run in Double.
// A file may also hold only S4D cores (the kernel tensors and D of layers 0…n−1, as `phasor design --out` writes; other
// tensors of a state dict without an encoder are ignored with a note): `loadCores` accepts it for readers that need
// nothing else (map, ring on a layer's own input).
import Foundation
import PhasorData
import PhasorNumerics

/// How to read a model file: the options every command that loads a model shares.
public struct ModelLoadOptions: Sendable, Equatable {
    /// Read only the tensors whose names start with this prefix (a sub-model of a larger file), prefix removed.
    public var prefix: String?
    /// The norm placement the user states (--prenorm / --postnorm); nil: from the metadata.
    public var normPlacement: NormPlacement?
    /// Whether the caller's numbers depend on the norm placement (an oscillator map's do not: no note then).
    public var normPlacementMatters: Bool

    public init(prefix: String? = nil, normPlacement: NormPlacement? = nil, normPlacementMatters: Bool = true) {
        self.prefix = prefix
        self.normPlacement = normPlacement
        self.normPlacementMatters = normPlacementMatters
    }
}

/// A checkpoint read through the door, and what the user should be told about how it was read (one line each).
public struct LoadedModel: Sendable {
    public var checkpoint: Checkpoint
    public var notes: [String]
}

/// The S4D cores of a model file — a whole model's (then `checkpoint` is set) or a designed layer file's. A whole model
/// with another core has no S4D cores (`cores` empty; its blocks are the checkpoint's).
public struct LoadedCores: Sendable {
    public var cores: [S4DCore]
    public var checkpoint: Checkpoint?
    public var notes: [String]
}

public enum ModelFile {
    public static let prenormKey = ReferenceMetadata.prenormKey
    public static let discretizationKey = ReferenceMetadata.discretizationKey
    public static let classNamesKey = "class_names"

    /// Reads the checkpoint at `path`.
    public static func load(path: String, options: ModelLoadOptions = ModelLoadOptions()) throws -> LoadedModel {
        try load(SafeTensorsFile(contentsOf: path), options: options)
    }

    /// Reads a checkpoint from safetensors contents.
    public static func load(_ file: SafeTensorsFile, options: ModelLoadOptions = ModelLoadOptions()) throws -> LoadedModel {
        var notes: [String] = []
        let tensors = try selectTensors(file, prefix: options.prefix, notes: &notes)
        if CheckpointLayout.coreLayerCount(Set(tensors.keys)) != nil {
            throw ModelError.invalidConfiguration("the file holds only S4D layers (kernel and D, no encoder or decoder): "
                + "it is a designed layer, not a model; `phasor map` and `phasor ring --layer-input` read it")
        }
        let checkpoint = try checkpoint(tensors: tensors, metadata: file.metadata, options: options, notes: &notes)
        return LoadedModel(checkpoint: checkpoint, notes: notes)
    }

    /// Reads the S4D cores at `path`: every layer of a whole model, or a designed layer file.
    public static func loadCores(path: String, options: ModelLoadOptions = ModelLoadOptions()) throws -> LoadedCores {
        let file = try SafeTensorsFile(contentsOf: path)
        var notes: [String] = []
        let tensors = try selectTensors(file, prefix: options.prefix, notes: &notes)
        let keys = Set(tensors.keys)
        if !keys.contains(S4ModelKeys.encoderWeight), let layers = try? CheckpointLayout.layerCount(keys) {
            // a designed layer file (or the S4D layers of a partial state dict): only the cores are read
            let ignored = keys.subtracting((0..<layers).flatMap { S4ModelKeys.block($0).core })
            if !ignored.isEmpty {
                notes.append("read the \(layers) S4D layer(s)' kernel and D only; \(ignored.count) other tensor(s) ignored")
            }
            let discretization = try ReferenceMetadata(file.metadata).s4dDiscretization()
            let read = try tensors.mapValues { t in (shape: t.shape, values: try floatingValues(t.tensor, key: t.key)) }
            return LoadedCores(cores: try CheckpointLayout.cores(values: read, layers: layers, discretization: discretization),
                               checkpoint: nil, notes: notes)
        }
        let checkpoint = try checkpoint(tensors: tensors, metadata: file.metadata, options: options, notes: &notes)
        let cores = checkpoint.model.configuration.core == .s4d ? try checkpoint.model.s4dCores() : []
        return LoadedCores(cores: cores, checkpoint: checkpoint, notes: notes)
    }

    // MARK: the steps

    /// The tensors to read, keyed by their example.py names (prefix removed), each with its original name.
    static func selectTensors(_ file: SafeTensorsFile, prefix: String?, notes: inout [String])
        throws -> [String: (key: String, shape: [Int], tensor: Tensor)] {
        var names = Array(file.tensors.keys)
        var strip = ""
        if let prefix, !prefix.isEmpty {
            let p = prefix.hasSuffix(".") ? prefix : prefix + "."
            names = names.filter { $0.hasPrefix(p) }
            guard !names.isEmpty else {
                throw ModelError.invalidConfiguration("no tensor name starts with '\(p)' (--prefix); the file's names begin "
                    + Self.sample(file.tensors.keys))
            }
            strip = p
        } else if !recognises(Set(names)) {
            let common = commonPrefix(names)
            if !common.isEmpty, recognises(Set(names.map { String($0.dropFirst(common.count)) })) {
                strip = common
                notes.append("stripped the prefix '\(common)' shared by every tensor name (a DataParallel/DDP, "
                    + "torch.compile or Lightning wrapper)")
            } else if let hint = prefixHint(names) {
                throw ModelError.underPrefix(hint)
            }
        }
        var out: [String: (key: String, shape: [Int], tensor: Tensor)] = [:]
        for name in names {
            let t = file.tensors[name]!
            out[String(name.dropFirst(strip.count))] = (name, t.shape, t)
        }
        return out
    }

    /// Whether some skeleton's layout recognises `keys` as a model (or S4D's as a designed layer file).
    static func recognises(_ keys: Set<String>) -> Bool { CoreKind.layouts.contains { $0.recognises(keys) } }

    /// The dotted prefix ("a.b.") that every name shares, leaving at least one component of each name.
    static func commonPrefix(_ names: [String]) -> String {
        guard let first = names.first else { return "" }
        var common = first.split(separator: ".", omittingEmptySubsequences: false).dropLast().map(String.init)
        for name in names.dropFirst() {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false).dropLast().map(String.init)
            var k = 0
            while k < min(common.count, parts.count), common[k] == parts[k] { k += 1 }
            common = Array(common.prefix(k))
        }
        return common.isEmpty ? "" : common.joined(separator: ".") + "."
    }

    /// The prefixes under which a model's encoder weight sits, when the file is larger than one model ("a", "a.b").
    static func prefixHint(_ names: [String]) -> String? {
        var found: [String] = []
        for weight in Set(CoreKind.layouts.map { $0.encoderWeight }) {
            found += names.filter { $0.hasSuffix("." + weight) }.map { String($0.dropLast(weight.count + 1)) }
        }
        return found.isEmpty ? nil : found.sorted().map { "'\($0)'" }.joined(separator: ", ")
    }

    static func sample<S: Sequence>(_ keys: S) -> String where S.Element == String {
        let sorted = keys.sorted()
        return sorted.prefix(4).map { "'\($0)'" }.joined(separator: ", ") + (sorted.count > 4 ? ", …" : "")
    }

    /// The values of a floating-point tensor (F64, F32, F16, BF16), all finite.
    static func floatingValues(_ tensor: Tensor, key: String) throws -> [Double] {
        guard tensor.dtype.isFloatingPoint else {
            throw ModelError.invalidConfiguration("tensor '\(key)' has dtype \(tensor.dtype.rawValue); a checkpoint holds floating-point tensors (F64, F32, F16 or BF16)")
        }
        let values = tensor.asDoubles()
        guard values.allSatisfy({ $0.isFinite }) else { throw ModelError.nonFinite(key: key) }
        return values
    }

    /// The checkpoint of selected tensors: the skeleton from the key set, sizes from the shapes, switches from the
    /// metadata and options; every key and shape must then be the configuration's.
    static func checkpoint(tensors: [String: (key: String, shape: [Int], tensor: Tensor)], metadata: [String: String],
                           options: ModelLoadOptions, notes: inout [String]) throws -> Checkpoint {
        let keys = Set(tensors.keys), reference = ReferenceMetadata(metadata)
        // example.py's S4D is the default: a file no skeleton recognises gets its (missing-key) errors
        let layout = CoreKind.layouts.first { $0.recognises(keys) } ?? S4DLayout.self
        let shapes = tensors.mapValues(\.shape)
        let configuration = try layout.configuration(shapes: shapes, metadata: reference, options: options, notes: &notes)
        let expected = configuration.parameterShapes
        let expectedNames = Set(expected.map(\.name))
        let unknown = keys.filter { !expectedNames.contains($0) }
        if !unknown.isEmpty { throw ModelError.unexpectedKeys(unknown.sorted()) }
        var store = ParameterStore()
        for (key, shape) in expected {
            guard let t = tensors[key] else { throw ModelError.missingKey(key) }
            guard t.shape == shape else { throw ModelError.shapeMismatch(key: t.key, expected: shape, found: t.shape) }
            let values = try floatingValues(t.tensor, key: t.key)
            if S4ModelKeys.isStep(key) {
                for v in values {
                    let dt = Foundation.exp(v)                                // Δ_h = exp(log_dt_h)
                    guard dt > 0, dt.isFinite else { throw ModelError.nonPositiveStep(key: t.key, value: dt) }
                }
            }
            try store.append(Parameter(name: key, shape: shape, values: values))
        }
        let model = try S4Model(configuration: configuration, parameters: store)
        var names: [String]?
        if let text = metadata[classNamesKey] {
            guard let decoded = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
                throw ModelError.invalidConfiguration("metadata class_names is not a JSON array of strings")
            }
            names = decoded
        }
        var extra = metadata
        for key in ReferenceMetadata.structuralKeys.union([classNamesKey, InputStandardisation.meanKey, InputStandardisation.stdKey]) {
            extra[key] = nil
        }
        return try Checkpoint(model: model, standardisation: try InputStandardisation.load(from: SafeTensorsFile(metadata: metadata)),
                              classNames: names,
                              extraMetadata: extra)
    }
}
