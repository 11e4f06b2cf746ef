// The one door through which every command and every library reader opens a model file (a safetensors checkpoint).
// It accepts state dicts as PyTorch users save them and says what it assumed, as notes for the caller to print:
//   • prefixes: when the key set is not a model's but every key starts with the same dotted prefix — `module.`
//     (DataParallel/DDP), `_orig_mod.` (torch.compile), `model.` (Lightning), or several of them — the prefix is
//     stripped (one note). `prefix` picks a sub-model out of a larger file: only keys under it are read.
//   • norm placement: metadata "prenorm" (true/false, True/False, 1/0) decides; a stated placement (--prenorm /
//     --postnorm) that contradicts the metadata is an ERROR (one of the two is wrong, and guessing gives wrong
//     numbers); without metadata a stated placement is used, and without either the model is read as post-norm
//     (example.py's default) with a note — the shapes cannot tell.
//   • discretisation: metadata "discretization" (zoh | bilinear; default zoh, s4d.py's) — for LinOSS its scheme,
//     IM | IMEX (ReferenceMetadata.swift).
//   • block kinds: metadata "block" (glu | bilinear; default glu, example.py's) — the only way to tell the heads apart,
//     both being one Conv1d — and "norm" (layer | batch | none): the norms' keys show the kind (CheckpointLayout.swift),
//     so "norm" is optional and an ERROR when it contradicts the tensors. Without norms the placement does not matter
//     (no note). BatchNorm's num_batches_tracked may be int64 (PyTorch's) or floating point; it must be an integer.
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

/// The cores of a model file — a whole model's (then `checkpoint` is set; any core kind) or a designed layer file's
/// (S4D cores).
public struct LoadedCores: Sendable {
    public var cores: [SequenceCore]
    public var checkpoint: Checkpoint?
    public var notes: [String]
}

public enum ModelFile {
    public static let prenormKey = "prenorm"
    public static let discretizationKey = "discretization"
    public static let classNamesKey = "class_names"
    /// The activation head of every block of an example.py model: "glu" or "bilinear" (another reference's skeleton).
    public static let blockKey = ReferenceMetadata.block
    /// The norm of every block: "layer", "batch" or "none".
    public static let normKey = ReferenceMetadata.norm

    /// Reads the checkpoint at `path`.
    public static func load(path: String, options: ModelLoadOptions = ModelLoadOptions()) throws -> LoadedModel {
        try load(SafeTensorsFile(contentsOf: path), options: options)
    }

    /// Reads a checkpoint from safetensors contents.
    public static func load(_ file: SafeTensorsFile, options: ModelLoadOptions = ModelLoadOptions()) throws -> LoadedModel {
        try refuseLanguageModel(file)
        var notes: [String] = []
        let tensors = try selectTensors(file, prefix: options.prefix, notes: &notes)
        if CheckpointLayout.coreLayerCount(Set(tensors.keys)) != nil {
            throw ModelError.invalidConfiguration("the file holds only S4D layers (kernel and D, no encoder or decoder): "
                + "it is a designed layer, not a model; `phasor map` and `phasor ring --layer-input` read it")
        }
        let checkpoint = try checkpoint(tensors: tensors, metadata: file.metadata, options: options, notes: &notes)
        return LoadedModel(checkpoint: checkpoint, notes: notes)
    }

    /// Reads the cores at `path`: every layer of a whole model, or a designed layer file.
    public static func loadCores(path: String, options: ModelLoadOptions = ModelLoadOptions()) throws -> LoadedCores {
        let file = try SafeTensorsFile(contentsOf: path)
        try refuseLanguageModel(file)
        var notes: [String] = []
        let tensors = try selectTensors(file, prefix: options.prefix, notes: &notes)
        let keys = Set(tensors.keys)
        if !keys.contains(S4ModelKeys.encoderWeight), let layers = try? CheckpointLayout.layerCount(keys) {
            // a designed layer file (or the S4D layers of a partial state dict): only the cores are read
            let ignored = keys.subtracting((0..<layers).flatMap { S4ModelKeys.block($0).core })
            if !ignored.isEmpty {
                notes.append("read the \(layers) S4D layer(s)' kernel and D only; \(ignored.count) other tensor(s) ignored")
            }
            let discretization = try self.discretization(file.metadata)
            let read = try tensors.mapValues { t in (shape: t.shape, values: try floatingValues(t.tensor, key: t.key)) }
            return LoadedCores(cores: try CheckpointLayout.cores(values: read, layers: layers, discretization: discretization).map { .s4d($0) },
                               checkpoint: nil, notes: notes)
        }
        let checkpoint = try checkpoint(tensors: tensors, metadata: file.metadata, options: options, notes: &notes)
        return LoadedCores(cores: checkpoint.model.blocks.map(\.core), checkpoint: checkpoint, notes: notes)
    }

    // MARK: the steps

    /// A Mamba language model (layer 0's `mixer.A_log` under `backbone.`, with or without an outer prefix) is not a
    /// classifier: say what reads it instead of reporting a missing example.py tensor.
    static func refuseLanguageModel(_ file: SafeTensorsFile) throws {
        let aLog = MambaKeys.mixer(0) + MambaKeys.Mixer.aLog
        guard file.tensors.keys.contains(where: { $0 == aLog || $0.hasSuffix("." + aLog) }) else { return }
        throw ModelError.languageModel(key: aLog)
    }

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
        } else if !CheckpointLayout.recognises(Set(names)) {
            let common = commonPrefix(names)
            if !common.isEmpty, CheckpointLayout.recognises(Set(names.map { String($0.dropFirst(common.count)) })) {
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
        let found = names.filter { $0.hasSuffix("." + S4ModelKeys.encoderWeight) }
            .map { String($0.dropLast(S4ModelKeys.encoderWeight.count + 1)) }.sorted()
        return found.isEmpty ? nil : found.map { "'\($0)'" }.joined(separator: ", ")
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

    /// The checkpoint of selected tensors: layout from the shapes, switches from metadata and options.
    static func checkpoint(tensors: [String: (key: String, shape: [Int], tensor: Tensor)], metadata: [String: String],
                           options: ModelLoadOptions, notes: inout [String]) throws -> Checkpoint {
        let shapes = tensors.mapValues(\.shape)
        var configuration: S4ModelConfiguration
        if let kinds = try ReferenceMetadata.kinds(metadata, keys: Set(shapes.keys)) {
            let read = try ReferenceLayout.configuration(shapes: shapes, core: kinds.core, skeleton: kinds.skeleton)
            configuration = read.configuration
            configuration.prenorm = try normPlacement(metadata, options: options, reference: kinds.skeleton, notes: &notes) == .pre
            if kinds.core.linossScheme == nil { configuration.discretization = try discretization(metadata) }   // LinOSS: IM/IMEX
            try ReferenceMetadata.apply(metadata, to: &configuration, activationShown: read.activationShown,
                                        s5Modes: kinds.core == .s5 ? configuration.dState : nil, notes: &notes)
            try requireKeySet(configuration, shapes)
            try configuration.validate()
        } else {
            configuration = try CheckpointLayout.configuration(shapes: shapes)
            try ReferenceMetadata.applyStateSpaces(metadata, to: &configuration)
            var placementOptions = options
            if configuration.norm == .none { placementOptions.normPlacementMatters = false }        // nothing to place
            configuration.prenorm = try normPlacement(metadata, options: placementOptions, reference: .stateSpaces, notes: &notes) == .pre
            configuration.discretization = try discretization(metadata)
        }
        var store = ParameterStore()
        for (key, shape) in configuration.parameterShapes {
            guard let t = tensors[key] else { throw ModelError.missingKey(key) }
            let values = S4ModelKeys.isCounter(key) ? try counterValues(t.tensor, key: t.key) : try floatingValues(t.tensor, key: t.key)
            if S4ModelKeys.isStep(key) {
                for v in values {
                    let dt = Foundation.exp(v)                                // Δ_h = exp(log_dt_h)
                    guard dt > 0, dt.isFinite else { throw ModelError.nonPositiveStep(key: t.key, value: dt) }
                }
            }
            try store.append(Parameter(name: key, shape: shape, values: values))
        }
        let model = try S4Model(configuration: configuration, parameters: store)
        try model.checkCores()
        var names: [String]?
        if let text = metadata[classNamesKey] {
            guard let decoded = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
                throw ModelError.invalidConfiguration("metadata class_names is not a JSON array of strings")
            }
            names = decoded
        }
        var extra = metadata
        for key in [prenormKey, discretizationKey, classNamesKey, InputStandardisation.meanKey, InputStandardisation.stdKey]
            + ReferenceMetadata.owned {
            extra[key] = nil
        }
        return try Checkpoint(model: model, standardisation: try InputStandardisation.load(from: SafeTensorsFile(metadata: metadata)),
                              classNames: names,
                              extraMetadata: extra)
    }

    /// The key set and every shape must be exactly the configuration's (an extra key means a different model).
    static func requireKeySet(_ c: S4ModelConfiguration, _ shapes: [String: [Int]]) throws {
        let expected = c.parameterShapes
        let names = Set(expected.map(\.name))
        let extra = shapes.keys.filter { !names.contains($0) }
        if !extra.isEmpty { throw ModelError.unexpectedKeys(extra.sorted()) }
        for (key, want) in expected {
            guard let found = shapes[key] else { throw ModelError.missingKey(key) }
            guard found == want else { throw ModelError.shapeMismatch(key: key, expected: want, found: found) }
        }
    }

    /// Metadata "prenorm" against the stated placement (see the file header). Without either, the reference's
    /// default: post-norm for example.py, pre-norm for the others.
    static func normPlacement(_ metadata: [String: String], options: ModelLoadOptions, reference: ReferenceSkeleton,
                              notes: inout [String]) throws -> NormPlacement {
        var recorded: NormPlacement?
        if let text = metadata[prenormKey] {
            switch text.trimmingCharacters(in: .whitespaces) {
            case "true", "True", "TRUE", "1": recorded = .pre
            case "false", "False", "FALSE", "0": recorded = .post
            default: throw ModelError.invalidConfiguration("metadata prenorm is '\(text)'; use true/false (or True/False, 1/0)")
            }
        }
        switch (recorded, options.normPlacement) {
        case let (r?, stated?) where r != stated:
            throw ModelError.invalidConfiguration("--\(stated == .pre ? "prenorm" : "postnorm") contradicts the checkpoint's "
                + "metadata prenorm = \(metadata[prenormKey]!); drop the flag, or fix the metadata if it is wrong")
        case let (r?, _): return r
        case let (nil, stated?): return stated
        case (nil, nil):
            guard reference == .stateSpaces else {
                if options.normPlacementMatters {
                    notes.append("assuming pre-norm (\(reference.rawValue)'s default): the checkpoint has no 'prenorm' metadata; "
                        + "pass --postnorm if the model was trained with prenorm=False (or --prenorm to silence this note)")
                }
                return .pre
            }
            if options.normPlacementMatters {
                notes.append("assuming post-norm (example.py's default): the checkpoint has no 'prenorm' metadata; pass "
                    + "--prenorm if the model was trained with prenorm=True (or --postnorm to silence this note)")
            }
            return .post
        }
    }

    /// The values of an integer tensor (a batch count): any integer or floating dtype, whole numbers ≥ 0.
    static func counterValues(_ tensor: Tensor, key: String) throws -> [Double] {
        let values = tensor.asDoubles()
        guard values.allSatisfy({ $0.isFinite && $0 >= 0 && $0 == $0.rounded() }) else {
            throw ModelError.invalidConfiguration("tensor '\(key)' must hold a whole number ≥ 0 (it counts batches); got \(values)")
        }
        return values
    }

    /// Metadata "discretization" (default zoh).
    static func discretization(_ metadata: [String: String]) throws -> Discretization {
        guard let text = metadata[discretizationKey] else { return .zoh }
        guard let d = Discretization(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()), d != .euler else {
            throw ModelError.invalidConfiguration("metadata discretization is '\(text)'; use \"zoh\" or \"bilinear\"")
        }
        return d
    }
}
