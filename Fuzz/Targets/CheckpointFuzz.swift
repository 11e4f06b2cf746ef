// Fuzz target: loading an S4Model checkpoint from safetensors bytes — the reader, the architecture read from tensor
// shapes with every shape checked (CheckpointLayout.architecture), the finite-value check (S4Model(configuration:
// parameters:)), and, for small models, one forward pass on a tiny input. Accepted failures: DataError, ModelError,
// NonFiniteError. Everything is in memory; nothing is written.
import PhasorNumerics
@testable import PhasorData
@testable import PhasorModels

/// The checkpoint loader as the CLI composes it: tensors → architecture → parameter store → model.
func loadCheckpoint(_ bytes: [UInt8]) throws -> S4Model {
    let file = try SafeTensorsFile(bytes: bytes)
    let architecture = try CheckpointLayout.architecture(shapes: file.tensors.mapValues(\.shape))
    var store = ParameterStore()
    for (key, shape) in CheckpointLayout.keys(for: architecture) {
        let tensor = try file.tensor(key, shape: shape)
        guard tensor.dtype.isFloatingPoint else {
            throw ModelError.invalidConfiguration("tensor '\(key)' has dtype \(tensor.dtype.rawValue); expected F32 or F64")
        }
        try store.append(Parameter(name: key, shape: shape, values: tensor.asDoubles()))
    }
    let configuration = S4ModelConfiguration(
        dInput: architecture.dInput, dModel: architecture.dModel, dState: architecture.dState,
        layers: architecture.layers, classes: architecture.classes,
        prenorm: file.metadata["prenorm"] == "true", dropout: 0)
    return try S4Model(configuration: configuration, parameters: store)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    expectTypedErrors({
        let model = try loadCheckpoint(bytes)
        let c = model.configuration
        // A forward pass only for small models, so one execution stays well under the 10 s hang limit.
        guard c.dModel * c.dState * max(c.layers, 1) <= 4096, c.dInput <= 64 else { return }
        let length = 5
        let input = (0..<(length * c.dInput)).map { Double($0 % 7) - 3 }
        let logits = try model.logits(inputs: input, batch: 1, length: length)
        guard logits.count == c.classes, logits.allSatisfy(\.isFinite) else {
            fatalError("logits escaped unchecked: \(logits)")
        }
    }, isTyped: { $0 is DataError || $0 is ModelError || $0 is NonFiniteError })
    return 0
}
