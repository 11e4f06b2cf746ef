import Foundation
import PhasorData
import PhasorNumerics

// An S4Model ⇄ a safetensors file (DESIGN.md §9). The tensors are exactly a PyTorch `state_dict` of state-spaces
// `example.py`'s S4Model (keys and shapes in CheckpointLayout.swift) — or the flattened variables of an S5/LRU
// reference classifier (ReferenceLayout.swift, flags in ReferenceMetadata.swift) —, F64, F32, F16 or BF16 (read
// exactly, computed in Double); the configuration is read from the tensor shapes. `__metadata__` (all optional, strings):
//   "prenorm"        "true" | "false" (also True/False/1/0; default false: example.py's default)
//   "discretization" "zoh" | "bilinear" (default zoh: s4d.py's S4DKernel)
//   "block"          "glu" | "bilinear" (default glu: example.py's GELU → Conv1d → GLU)
//   "norm"           "layer" | "batch" | "none" (optional: the norms' keys show it; checked against them)
//   "input_mean", "input_std"   JSON arrays, per-channel standardisation applied before the encoder
//   "class_names"    JSON array of strings, the dataset's class names in logit order
//   anything else (training provenance) is kept and written back unchanged.
// Files are opened through ModelFile.swift (the one door: prefixes, --prenorm/--postnorm, notes for the user).
// Training state for `--resume` is NOT in this file (PyTorch's strict `load_state_dict` would reject extra tensors);
// it lives in a sibling file, see TrainingState.swift.

/// Tensor element type used when writing a checkpoint.
public enum TensorPrecision: String, Sendable, CaseIterable, Codable {
    case f32, f64
}

/// A trained model with what is needed to apply it to raw data.
public struct Checkpoint: Sendable {
    public var model: S4Model
    /// Per-channel input standardisation (nil: inputs are used as given).
    public var standardisation: InputStandardisation?
    /// Class names in logit order (nil: unknown, e.g. a PyTorch checkpoint).
    public var classNames: [String]?
    /// Other metadata, written back as is.
    public var extraMetadata: [String: String]

    public init(model: S4Model, standardisation: InputStandardisation? = nil, classNames: [String]? = nil,
                extraMetadata: [String: String] = [:]) throws {
        if let s = standardisation, s.channels != model.configuration.dInput {
            throw ModelError.inputWidth(expected: model.configuration.dInput, found: s.channels)
        }
        if let names = classNames, names.count != model.configuration.classes {
            throw ModelError.invalidConfiguration("\(names.count) class names for a model with \(model.configuration.classes) classes")
        }
        self.model = model
        self.standardisation = standardisation
        self.classNames = classNames
        self.extraMetadata = extraMetadata
    }

    /// Reads a checkpoint file through the door (`ModelFile`) with default options; the notes are dropped.
    public static func load(path: String) throws -> Checkpoint {
        try ModelFile.load(path: path).checkpoint
    }

    /// Builds the model from safetensors contents (keys exactly example.py's, no prefix); see `ModelFile` for files
    /// as users save them.
    public init(file: SafeTensorsFile) throws {
        self = try ModelFile.load(file).checkpoint
    }

    /// The safetensors contents: every parameter as an F32 or F64 tensor, and the metadata above.
    public func file(precision: TensorPrecision) throws -> SafeTensorsFile {
        try model.parameters.requireFinite()
        let tensors = try model.parameters.tensors(precision: precision)
        var metadata = extraMetadata.merging(ReferenceMetadata.write(model.configuration)) { _, new in new }   // block, norm, …
        metadata[ModelFile.prenormKey] = model.configuration.prenorm ? "true" : "false"
        metadata[ModelFile.discretizationKey] = model.configuration.core.linossScheme?.rawValue   // LinOSS: IM | IMEX
            ?? model.configuration.discretization.rawValue
        if let names = classNames {
            metadata[ModelFile.classNamesKey] = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
        }
        var file = SafeTensorsFile(tensors: tensors, metadata: metadata)
        try standardisation?.store(in: &file)
        return file
    }

    /// Writes the checkpoint atomically.
    public func write(to path: String, precision: TensorPrecision = .f32) throws {
        try file(precision: precision).write(to: path)
    }

    /// Logits (B × classes) of raw inputs (B × L × d_input, row-major): standardises them when the checkpoint carries
    /// statistics, then runs the model. `lengths` (each 1…L) selects the valid prefix of each sequence.
    public func logits(inputs: [Double], batch: Int, length: Int, channels: Int, lengths: [Int]? = nil) throws -> [Double] {
        guard channels == model.configuration.dInput else {
            throw ModelError.inputWidth(expected: model.configuration.dInput, found: channels)
        }
        guard batch > 0, length > 0, inputs.count == batch * length * channels else {
            throw ModelError.invalidConfiguration("input has \(inputs.count) values, not B·L·d_input = \(batch)·\(length)·\(channels)")
        }
        try requireFinite(inputs, "model input")
        var x = inputs
        if let s = standardisation { try s.apply(to: &x) }
        let out = try model.logits(inputs: x, batch: batch, length: length, lengths: lengths)
        try requireFinite(out, "logits")
        return out
    }
}

extension ParameterStore {
    /// Every parameter as a tensor of its shape, named as in the store (F64 exact, or F32 rounded); counters
    /// (BatchNorm's num_batches_tracked) as int64, as PyTorch has them.
    public func tensors(precision: TensorPrecision = .f64, prefix: String = "") throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for p in parameters {
            if S4ModelKeys.isCounter(p.name) {
                out[prefix + p.name] = try Tensor(shape: p.shape, int64: p.values.map { Int64($0) })   // whole, ≥ 0
                continue
            }
            switch precision {
            case .f64: out[prefix + p.name] = try Tensor(shape: p.shape, float64: p.values)
            case .f32: out[prefix + p.name] = try Tensor(shape: p.shape, float32: p.values.map { Float($0) })
            }
        }
        return out
    }
}
