// Errors a model can raise when it is built, loaded or run. Each says what was wrong and what to do.

public enum ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A checkpoint lacks a tensor the model needs.
    case missingKey(String)
    /// A checkpoint has tensors Phasor does not know; loading them silently would hide a different architecture.
    case unexpectedKeys([String])
    /// A tensor's shape disagrees with the configuration read from the other tensors.
    case shapeMismatch(key: String, expected: [Int], found: [Int])
    /// A parameter is NaN or infinite.
    case nonFinite(key: String)
    /// A step size Δ that is zero or negative (after exp of log_dt this can only come from ±inf/NaN).
    case nonPositiveStep(key: String, value: Double)
    /// An input whose width does not match the model.
    case inputWidth(expected: Int, found: Int)
    /// The model's tensors sit under a prefix (or one of several) inside a larger file.
    case underPrefix(String)
    /// Anything else about the configuration.
    case invalidConfiguration(String)
    /// A Mamba language model (its layer-0 `A_log` key) where a classifier was expected.
    case languageModel(key: String)
    /// A training state cannot be resumed: it is corrupt or was written by a different run (`reason` says which).
    case cannotResume(path: String, reason: String)
    /// Training produced a non-finite loss or parameters: the optimisation diverged (`why` names the likely cause).
    case diverged(epoch: Int, batch: Int, why: String)

    public var description: String {
        switch self {
        case .missingKey(let key):
            return "checkpoint is missing tensor '\(key)'"
        case .unexpectedKeys(let keys):
            return "checkpoint has unexpected tensors: \(keys.sorted().joined(separator: ", "))"
        case .shapeMismatch(let key, let expected, let found):
            return "tensor '\(key)' has shape \(found), expected \(expected)"
        case .nonFinite(let key):
            return "tensor '\(key)' is not finite (it contains NaN or Inf)"
        case .nonPositiveStep(let key, let value):
            return "step size from '\(key)' is \(value); Δ must be positive and finite"
        case .inputWidth(let expected, let found):
            return "input has \(found) channels per step but the model expects d_input = \(expected)"
        case .underPrefix(let prefix):
            return "the file holds a model under \(prefix) among other tensors: pick one with --prefix"
        case .invalidConfiguration(let text):
            return "invalid model configuration: \(text)"
        case .languageModel(let key):
            return "the file is a Mamba language model (\(key)), not a classifier: give it token ids with --tokens T.npy "
                + "(phasor predict, map, ring, operator)"
        case .cannotResume(let path, let reason):
            return "--resume: \(path) \(reason)"
        case .diverged(let epoch, let batch, let why):
            return "training diverged at epoch \(epoch), batch \(batch): the loss or the parameters became NaN or infinite; \(why)"
        }
    }
}
