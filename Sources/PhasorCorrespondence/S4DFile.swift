// S4D layers ⇄ safetensors: the S4D tensors of a state-spaces checkpoint (or of a designed layer) as a
// `ParameterStore`, and a store written back as an F64 safetensors file. Only the keys the correspondence needs are
// read (log_dt, C, log_A_real, A_imag, D of every `s4_layers.{i}`), so a full model checkpoint and a lone designed
// layer both work.
import PhasorData
import PhasorModels
import PhasorNumerics

public enum S4DFile {
    /// The S4D parameters of every layer in `file`, and the number of layers (consecutive indices from 0).
    public static func parameters(_ file: SafeTensorsFile) throws -> (store: ParameterStore, layers: Int) {
        var store = ParameterStore()
        var layer = 0
        while file.tensors[S4DKeys(layer: layer).logAReal] != nil {
            let keys = S4DKeys(layer: layer)
            for key in [keys.d, keys.logDt, keys.c, keys.logAReal, keys.aImag] {
                guard let tensor = file.tensors[key] else {
                    throw CorrespondenceError.invalid("checkpoint has '\(keys.logAReal)' but not '\(key)'")
                }
                guard tensor.dtype.isFloatingPoint else {
                    throw CorrespondenceError.invalid("tensor '\(key)' has dtype \(tensor.dtype.rawValue); expected F32 or F64")
                }
                try store.append(Parameter(name: key, shape: tensor.shape, values: tensor.asDoubles()))
            }
            layer += 1
        }
        guard layer > 0 else {
            throw CorrespondenceError.invalid("no S4D layer found: the file has no 's4_layers.0.kernel.log_A_real' "
                + "(keys: \(file.tensors.keys.sorted().prefix(8).joined(separator: ", "))…)")
        }
        return (store, layer)
    }

    /// `store` as an F64 safetensors file (shapes as stored), with optional metadata.
    public static func file(_ store: ParameterStore, metadata: [String: String] = [:]) throws -> SafeTensorsFile {
        var tensors: [String: Tensor] = [:]
        for p in store.parameters { tensors[p.name] = try Tensor(shape: p.shape, float64: p.values) }
        return SafeTensorsFile(tensors: tensors, metadata: metadata)
    }
}
