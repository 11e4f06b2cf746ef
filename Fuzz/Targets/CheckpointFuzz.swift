// Fuzz target: loading an S4Model checkpoint from safetensors bytes exactly as `phasor train/eval/predict` do —
// `Checkpoint(file:)`: the reader, the architecture read from tensor shapes with every shape checked
// (CheckpointLayout.architecture), dtypes, finite values, Δ = exp(log_dt) > 0, metadata (prenorm, discretization,
// class_names, input_mean/input_std) — then, for small models, one forward pass on a tiny input. Accepted failures:
// DataError, ModelError, NonFiniteError. Everything is in memory; nothing is written.
import PhasorNumerics
import PhasorData
import PhasorModels

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    expectTypedErrors({
        let checkpoint = try Checkpoint(file: try SafeTensorsFile(bytes: bytes))
        let c = checkpoint.model.configuration
        // A forward pass only for tiny models and only for one input in 8 (chosen by a checksum of the bytes, so the
        // choice is deterministic per input as libFuzzer requires): the pass costs ~6× the load under ASan, and
        // sampling keeps ~2,000 exec/s while still reaching the model's forward code.
        let checksum = bytes.reduce(UInt32(0)) { $0 &* 31 &+ UInt32($1) }
        guard checksum % 8 == 0, c.dModel * c.dState * max(c.layers, 1) <= 64, c.dInput <= 8 else { return }
        let length = 3
        let input = (0..<(length * c.dInput)).map { Double($0 % 7) - 3 }
        let logits = try checkpoint.logits(inputs: input, batch: 1, length: length, channels: c.dInput)
        if logits.count != c.classes { fatalError("logits have \(logits.count) values for \(c.classes) classes") }
        _ = try checkpoint.file(precision: .f64).serialized()
    }, isTyped: { $0 is DataError || $0 is ModelError || $0 is NonFiniteError })
    return 0
}
