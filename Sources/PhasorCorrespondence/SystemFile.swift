// LTISystem ⇄ safetensors (DESIGN.md §9 style): tensors "A", "B", "C", "D", each real (rows, columns) or complex with a
// trailing axis of 2 (rows, columns, 2 = re, im); B may be a vector (n) = one input, C a vector (n) = one output,
// D a scalar/vector or absent (zeros). `__metadata__` {"dt": "<Δ>"} marks a discrete system with step Δ.
import PhasorData
import PhasorModels
import PhasorNumerics

extension LTISystem {
    /// Reads a system from a safetensors file's tensors and metadata.
    public init(safeTensors file: SafeTensorsFile) throws {
        func matrix(_ name: String, vectorAs column: Bool) throws -> ComplexMatrix? {
            guard let tensor = file.tensors[name] else { return nil }
            guard tensor.dtype.isFloatingPoint else {
                throw CorrespondenceError.invalid("tensor \(name) has dtype \(tensor.dtype.rawValue); store A, B, C, D as F32 or F64")
            }
            let values = tensor.asDoubles()
            try requireFinite(values, "system tensor \(name)")
            var shape = tensor.shape, complex = false
            if shape.count == 3 {
                guard shape[2] == 2 else {
                    throw CorrespondenceError.shapeMismatch("tensor \(name) has shape \(shape): a 3-D tensor needs a trailing axis of 2 (re, im)")
                }
                complex = true
                shape.removeLast()
            }
            let rows: Int, columns: Int
            switch shape.count {
            case 0: (rows, columns) = (1, 1)
            case 1: (rows, columns) = column ? (shape[0], 1) : (1, shape[0])
            case 2: (rows, columns) = (shape[0], shape[1])
            default:
                throw CorrespondenceError.shapeMismatch("tensor \(name) has shape \(tensor.shape); expected (rows, columns) or (rows, columns, 2)")
            }
            let entries: [Complex<Double>] = complex
                ? (0..<(rows * columns)).map { Complex(values[2 * $0], values[2 * $0 + 1]) }
                : values.map { Complex($0) }
            return try ComplexMatrix(rows: rows, columns: columns, rowMajor: entries)  // safetensors is C order
        }
        guard let a = try matrix("A", vectorAs: true), let b = try matrix("B", vectorAs: true),
              let c = try matrix("C", vectorAs: false) else {
            let keys = file.tensors.keys.sorted()
            throw CorrespondenceError.invalid("a system file needs tensors A, B and C (D optional); found "
                + keys.prefix(6).joined(separator: ", ") + (keys.count > 6 ? ", … (\(keys.count) tensors)" : "")
                + (keys.contains(where: S4ModelKeys.isModelKey) ? " — this looks like a model: use --model" : ""))
        }
        let d = try matrix("D", vectorAs: false) ?? ComplexMatrix(rows: c.rows, columns: b.columns)
        var domain = TimeDomain.continuous
        if let text = file.metadata["dt"] {
            guard let dt = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw CorrespondenceError.invalid("metadata dt = \"\(text)\" is not a number")
            }
            guard dt > 0, dt.isFinite else { throw CorrespondenceError.invalidStep(dt) }
            domain = .discrete(step: dt)
        }
        try self.init(a: a, b: b, c: c, d: d, domain: domain)
    }

    /// The system as safetensors: F64 tensors, complex ones with a trailing axis of 2, "dt" metadata when discrete.
    public func safeTensors() throws -> SafeTensorsFile {
        let complex = !isReal
        func tensor(_ m: ComplexMatrix) throws -> Tensor {
            var values: [Double] = []
            for i in 0..<m.rows {
                for j in 0..<m.columns {
                    values.append(m[i, j].real)
                    if complex { values.append(m[i, j].imaginary) }
                }
            }
            return try Tensor(shape: complex ? [m.rows, m.columns, 2] : [m.rows, m.columns], float64: values)
        }
        var metadata: [String: String] = [:]
        if let step = domain.step { metadata["dt"] = "\(step)" }
        return SafeTensorsFile(tensors: ["A": try tensor(a), "B": try tensor(b), "C": try tensor(c), "D": try tensor(d)],
                               metadata: metadata)
    }
}
