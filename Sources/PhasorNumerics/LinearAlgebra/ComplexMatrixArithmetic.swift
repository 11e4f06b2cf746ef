// Arithmetic on ComplexMatrix: sums, scalar and matrix products (BLAS zgemm/zgemv), adjoint, transpose and norms.
// Shape mismatches throw `.dimensionMismatch` rather than trap, because shapes can come from user files; a single
// `try` covers a whole expression such as `try a * b + c`.
import CLapack

extension ComplexMatrix {
    /// A + B (same shape).
    public static func + (a: ComplexMatrix, b: ComplexMatrix) throws -> ComplexMatrix {
        try a.requireSameShape(b, "+")
        var c = a
        for k in c.elements.indices { c.elements[k] += b.elements[k] }
        return c
    }

    /// A − B (same shape).
    public static func - (a: ComplexMatrix, b: ComplexMatrix) throws -> ComplexMatrix {
        try a.requireSameShape(b, "-")
        var c = a
        for k in c.elements.indices { c.elements[k] -= b.elements[k] }
        return c
    }

    /// −A.
    public static prefix func - (a: ComplexMatrix) -> ComplexMatrix {
        var c = a
        for k in c.elements.indices { c.elements[k] = -c.elements[k] }
        return c
    }

    /// s·A.
    public static func * (s: Complex<Double>, a: ComplexMatrix) -> ComplexMatrix {
        var c = a
        for k in c.elements.indices { c.elements[k] *= s }
        return c
    }

    /// s·A for real s.
    public static func * (s: Double, a: ComplexMatrix) -> ComplexMatrix {
        var c = a
        for k in c.elements.indices { c.elements[k] = Complex(s * c.elements[k].real, s * c.elements[k].imaginary) }
        return c
    }

    /// A·B (BLAS zgemm); throws `.dimensionMismatch` unless `a.columns == b.rows`.
    public static func * (a: ComplexMatrix, b: ComplexMatrix) throws -> ComplexMatrix {
        try a.product(b)
    }

    /// A·x for a vector x of length `a.columns` (BLAS zgemv).
    public static func * (a: ComplexMatrix, x: [Complex<Double>]) throws -> [Complex<Double>] {
        guard a.columns == x.count else {
            throw LinearAlgebraError.dimensionMismatch("\(a.rows)×\(a.columns) matrix times vector of length \(x.count)")
        }
        try a.requireWellFormed("left factor")
        var y = [Complex<Double>](repeating: .zero, count: a.rows)
        if a.rows == 0 || a.columns == 0 { return y }
        let m = try lapackInt(a.rows), n = try lapackInt(a.columns)
        var one = Complex<Double>.one, zero = Complex<Double>.zero
        a.elements.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    // y = 1·A·x + 0·y
                    cblas_zgemv(CblasColMajor, CblasNoTrans, m, n, &one, pa.baseAddress, m, px.baseAddress, 1,
                                &zero, py.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// op(A)·op(B) where op is the identity or the adjoint (conjugate transpose), without forming the adjoint
    /// (BLAS zgemm with ConjTrans flags). Throws `.dimensionMismatch` when the inner dimensions differ.
    public func product(_ b: ComplexMatrix, adjointSelf: Bool = false, adjointOther: Bool = false) throws -> ComplexMatrix {
        let (m, ka) = adjointSelf ? (columns, rows) : (rows, columns)
        let (kb, n) = adjointOther ? (b.columns, b.rows) : (b.rows, b.columns)
        guard ka == kb else {
            throw LinearAlgebraError.dimensionMismatch(
                "product of \(m)×\(ka) and \(kb)×\(n) (after \(adjointSelf ? "adjoint" : "no") / \(adjointOther ? "adjoint" : "no") transposition)")
        }
        try requireWellFormed("left factor")
        try b.requireWellFormed("right factor")
        var c = ComplexMatrix(rows: m, columns: n)
        if m == 0 || n == 0 || ka == 0 { return c }
        let mi = try lapackInt(m), ni = try lapackInt(n), ki = try lapackInt(ka)
        let lda = try lapackInt(max(rows, 1)), ldb = try lapackInt(max(b.rows, 1))
        var one = Complex<Double>.one, zero = Complex<Double>.zero
        elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    // C = 1·op(A)·op(B) + 0·C
                    cblas_zgemm(CblasColMajor, adjointSelf ? CblasConjTrans : CblasNoTrans,
                                adjointOther ? CblasConjTrans : CblasNoTrans, mi, ni, ki, &one, pa.baseAddress, lda,
                                pb.baseAddress, ldb, &zero, pc.baseAddress, mi)
                }
            }
        }
        return c
    }

    /// The conjugate transpose A*.
    public var adjoint: ComplexMatrix {
        var c = ComplexMatrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { c.elements[j + i * columns] = elements[i + j * rows].conjugate }
        }
        return c
    }

    /// The transpose Aᵀ (no conjugation).
    public var transpose: ComplexMatrix {
        var c = ComplexMatrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { c.elements[j + i * columns] = elements[i + j * rows] }
        }
        return c
    }

    /// ‖A‖₁ = max_j Σ_i |a_ij| (largest column sum of moduli).
    public var oneNorm: Double {
        var best = 0.0
        for j in 0..<columns {
            var s = 0.0
            for i in 0..<rows { s += elements[i + j * rows].length }
            best = max(best, s)
        }
        return best
    }

    /// ‖A‖_F = (Σ |a_ij|²)^{1/2}, accumulated with scaling so that it neither overflows nor underflows.
    public var frobeniusNorm: Double {
        let scale = maxAbs
        guard scale > 0, scale.isFinite else { return scale }
        var s = 0.0
        for z in elements {
            let re = z.real / scale, im = z.imaginary / scale
            s += re * re + im * im
        }
        return scale * s.squareRoot()
    }

    /// max |a_ij| (modulus of the largest entry).
    public var maxAbs: Double {
        var best = 0.0
        for z in elements { best = max(best, z.length) }
        return best
    }

    func requireSameShape(_ b: ComplexMatrix, _ op: String) throws {
        try requireWellFormed("left operand of \(op)")
        try b.requireWellFormed("right operand of \(op)")
        guard rows == b.rows, columns == b.columns else {
            throw LinearAlgebraError.dimensionMismatch("\(rows)×\(columns) \(op) \(b.rows)×\(b.columns)")
        }
    }

    func requireSquareNonEmpty(_ operation: String) throws {
        try requireWellFormed("\(operation) input")
        guard rows == columns else { throw LinearAlgebraError.notSquare(rows: rows, columns: columns, operation: operation) }
        guard rows > 0 else { throw LinearAlgebraError.empty(operation: operation) }
    }
}
