// Reading and writing an architecture layer's tensors in a safetensors file. Complex matrices are stored as PyTorch's
// `view_as_real` / the JAX reference codes' trailing (…, 2) axis: last index 0 = real part, 1 = imaginary part.
import PhasorData
import PhasorNumerics

enum ArchitectureTensors {
    /// The Double values of `prefix + key`, whose shape must be `shape`; non-finite values are an error.
    static func read(_ file: SafeTensorsFile, _ prefix: String, _ key: String, _ shape: [Int]) throws -> [Double] {
        let values = try file.tensor(prefix + key, shape: shape).asDoubles()
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw ArchitectureError.nonFinite("tensor '\(prefix + key)'[\(i)] = \(values[i])")
        }
        return values
    }

    /// A complex matrix stored as (rows, columns, 2).
    static func readComplex(_ file: SafeTensorsFile, _ prefix: String, _ key: String, rows: Int, columns: Int) throws
        -> [Complex<Double>]
    {
        let v = try read(file, prefix, key, [rows, columns, 2])
        return (0..<(rows * columns)).map { Complex(v[2 * $0], v[2 * $0 + 1]) }
    }

    static func put(_ file: inout SafeTensorsFile, _ prefix: String, _ key: String, _ shape: [Int], _ values: [Double]) throws {
        file.tensors[prefix + key] = try Tensor(shape: shape, float64: values)
    }

    static func putComplex(_ file: inout SafeTensorsFile, _ prefix: String, _ key: String, rows: Int, columns: Int,
                           _ values: [Complex<Double>]) throws {
        var flat = [Double](repeating: 0, count: 2 * values.count)
        for (i, z) in values.enumerated() { flat[2 * i] = z.real; flat[2 * i + 1] = z.imaginary }
        try put(&file, prefix, key, [rows, columns, 2], flat)
    }

    static func finite(_ values: [Complex<Double>], _ name: String) throws {
        if let i = values.firstIndex(where: { !$0.isFinite }) { throw ArchitectureError.nonFinite("\(name)[\(i)] = \(values[i])") }
    }
}
