import Foundation
import PhasorData
import PhasorNumerics

// An S4Model ⇄ a safetensors file (DESIGN.md §9). The tensors are exactly a PyTorch `state_dict` of state-spaces
// `example.py`'s S4Model (keys and shapes in CheckpointLayout.swift), F32 or F64; the configuration is read from the
// tensor shapes. `__metadata__` (all optional, strings):
//   "prenorm"        "true" | "false" (default false: example.py's default)
//   "discretization" "zoh" | "bilinear" (default zoh: s4d.py's S4DKernel)
//   "input_mean", "input_std"   JSON arrays, per-channel standardisation applied before the encoder
//   "class_names"    JSON array of strings, the dataset's class names in logit order
//   anything else (training provenance) is kept and written back unchanged.
// A file written by `safetensors.torch.save_file(model.state_dict(), path)` has no metadata and loads as a
// post-norm ZOH model on raw inputs. Training state for `--resume` is NOT in this file (PyTorch's strict
// `load_state_dict` would reject extra tensors); it lives in a sibling file, see TrainingState.swift.

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

    public static let prenormKey = "prenorm"
    public static let discretizationKey = "discretization"
    public static let classNamesKey = "class_names"

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

    /// Reads a checkpoint file.
    public static func load(path: String) throws -> Checkpoint {
        try Checkpoint(file: SafeTensorsFile(contentsOf: path))
    }

    /// Builds the model from safetensors contents, checking keys, shapes, dtypes, finiteness and Δ = exp(log_dt) > 0.
    public init(file: SafeTensorsFile) throws {
        var configuration = try CheckpointLayout.configuration(shapes: file.tensors.mapValues(\.shape))
        var store = ParameterStore()
        for (key, shape) in configuration.parameterShapes {
            guard let tensor = file.tensors[key] else { throw ModelError.missingKey(key) }
            guard tensor.dtype.isFloatingPoint else {
                throw ModelError.invalidConfiguration("tensor '\(key)' has dtype \(tensor.dtype.rawValue); a checkpoint holds floating-point tensors (F32 or F64)")
            }
            let values = tensor.asDoubles()
            guard values.allSatisfy({ $0.isFinite }) else { throw ModelError.nonFinite(key: key) }
            if key.hasSuffix(".kernel.log_dt") {
                for v in values {
                    let dt = Foundation.exp(v)                                // Δ_h = exp(log_dt_h)
                    guard dt > 0, dt.isFinite else { throw ModelError.nonPositiveStep(key: key, value: dt) }
                }
            }
            try store.append(Parameter(name: key, shape: shape, values: values))
        }
        let metadata = file.metadata
        let prenorm: Bool
        switch metadata[Self.prenormKey] {
        case nil, "false": prenorm = false
        case "true": prenorm = true
        case let other?: throw ModelError.invalidConfiguration("metadata prenorm is '\(other)'; use \"true\" or \"false\"")
        }
        let discretization: Discretization
        if let text = metadata[Self.discretizationKey] {
            guard let d = Discretization(rawValue: text) else {
                throw ModelError.invalidConfiguration("metadata discretization is '\(text)'; use one of \(Discretization.allCases.map(\.rawValue))")
            }
            discretization = d
        } else {
            discretization = .zoh
        }
        configuration.prenorm = prenorm
        configuration.discretization = discretization
        let model = try S4Model(configuration: configuration, parameters: store)
        var names: [String]?
        if let text = metadata[Self.classNamesKey] {
            guard let decoded = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
                throw ModelError.invalidConfiguration("metadata class_names is not a JSON array of strings")
            }
            names = decoded
        }
        var extra = metadata
        for key in [Self.prenormKey, Self.discretizationKey, Self.classNamesKey,
                    InputStandardisation.meanKey, InputStandardisation.stdKey] { extra[key] = nil }
        try self.init(model: model, standardisation: try InputStandardisation.load(from: file),
                      classNames: names, extraMetadata: extra)
    }

    /// The safetensors contents: every parameter as an F32 or F64 tensor, and the metadata above.
    public func file(precision: TensorPrecision) throws -> SafeTensorsFile {
        try model.parameters.requireFinite()
        var tensors: [String: Tensor] = [:]
        for p in model.parameters.parameters {
            switch precision {
            case .f64: tensors[p.name] = try Tensor(shape: p.shape, float64: p.values)
            case .f32: tensors[p.name] = try Tensor(shape: p.shape, float32: p.values.map { Float($0) })
            }
        }
        var metadata = extraMetadata
        metadata[Self.prenormKey] = model.configuration.prenorm ? "true" : "false"
        metadata[Self.discretizationKey] = model.configuration.discretization.rawValue
        if let names = classNames {
            metadata[Self.classNamesKey] = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
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
