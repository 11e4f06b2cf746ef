// A dense complex matrix in Double, stored column-major (LAPACK order) so that its buffer goes to LAPACK/BLAS without
// reordering. This file holds the storage, the constructors and the elementwise queries; arithmetic, norms and each
// decomposition live in their own files beside it.

/// A dense `rows × columns` matrix of `Complex<Double>`, stored column-major: element (i, j) is
/// `elements[i + j * rows]`.
public struct ComplexMatrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The entries, column-major: `elements[i + j * rows]` is row i, column j.
    public var elements: [Complex<Double>]

    /// The zero matrix of the given shape (negative sizes are clamped to 0).
    public init(rows: Int, columns: Int) {
        self.rows = max(rows, 0)
        self.columns = max(columns, 0)
        self.elements = Array(repeating: .zero, count: self.rows * self.columns)
    }

    /// A matrix from column-major entries; throws `.dimensionMismatch` unless `elements.count == rows * columns`.
    public init(rows: Int, columns: Int, columnMajor elements: [Complex<Double>]) throws {
        guard rows >= 0, columns >= 0, elements.count == rows * columns else {
            throw LinearAlgebraError.dimensionMismatch(
                "\(elements.count) column-major entries given for a \(rows)×\(columns) matrix (need \(max(rows, 0) * max(columns, 0)))")
        }
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from row-major entries (the order one writes a matrix on paper); throws `.dimensionMismatch` unless
    /// `rowMajor.count == rows * columns`.
    public init(rows: Int, columns: Int, rowMajor: [Complex<Double>]) throws {
        guard rows >= 0, columns >= 0, rowMajor.count == rows * columns else {
            throw LinearAlgebraError.dimensionMismatch(
                "\(rowMajor.count) row-major entries given for a \(rows)×\(columns) matrix (need \(max(rows, 0) * max(columns, 0)))")
        }
        self.init(rows: rows, columns: columns)
        for i in 0..<rows {
            for j in 0..<columns { elements[i + j * rows] = rowMajor[i * columns + j] }
        }
    }

    /// A real matrix from its rows; throws `.dimensionMismatch` when the rows have different lengths.
    public init(real rowList: [[Double]]) throws {
        let n = rowList.first?.count ?? 0
        guard rowList.allSatisfy({ $0.count == n }) else {
            throw LinearAlgebraError.dimensionMismatch("rows of different lengths: \(rowList.map(\.count))")
        }
        self.init(rows: rowList.count, columns: n)
        for (i, row) in rowList.enumerated() {
            for (j, v) in row.enumerated() { elements[i + j * rows] = Complex(v) }
        }
    }

    /// A complex matrix from its rows; throws `.dimensionMismatch` when the rows have different lengths.
    public init(_ rowList: [[Complex<Double>]]) throws {
        let n = rowList.first?.count ?? 0
        guard rowList.allSatisfy({ $0.count == n }) else {
            throw LinearAlgebraError.dimensionMismatch("rows of different lengths: \(rowList.map(\.count))")
        }
        self.init(rows: rowList.count, columns: n)
        for (i, row) in rowList.enumerated() {
            for (j, v) in row.enumerated() { elements[i + j * rows] = v }
        }
    }

    /// The n×n identity.
    public static func identity(_ n: Int) -> ComplexMatrix {
        var m = ComplexMatrix(rows: n, columns: n)
        for i in 0..<m.rows { m.elements[i + i * m.rows] = .one }
        return m
    }

    /// The square matrix with `values` on its diagonal and zeros elsewhere.
    public static func diagonal(_ values: [Complex<Double>]) -> ComplexMatrix {
        var m = ComplexMatrix(rows: values.count, columns: values.count)
        for (i, v) in values.enumerated() { m.elements[i + i * m.rows] = v }
        return m
    }

    /// The square matrix with real `values` on its diagonal.
    public static func diagonal(_ values: [Double]) -> ComplexMatrix {
        diagonal(values.map { Complex($0) })
    }

    /// Element (i, j), zero-based. Out-of-range indices trap like an array index (a programming error).
    public subscript(i: Int, j: Int) -> Complex<Double> {
        get { elements[i + j * rows] }
        set { elements[i + j * rows] = newValue }
    }

    /// Whether the matrix is square.
    public var isSquare: Bool { rows == columns }

    /// Whether every entry has finite real and imaginary parts.
    public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }

    /// The main diagonal.
    public var diagonalElements: [Complex<Double>] {
        (0..<min(rows, columns)).map { elements[$0 + $0 * rows] }
    }

    /// Column j as an array.
    public func column(_ j: Int) -> [Complex<Double>] {
        Array(elements[(j * rows)..<((j + 1) * rows)])
    }

    /// max |Im a_ij|: how far the matrix is from real (e.g. after exponentiating a real matrix, ~1e-16·‖A‖).
    public var maxImaginaryMagnitude: Double {
        elements.reduce(0.0) { max($0, abs($1.imaginary)) }
    }

    /// The real parts as rows (the inverse of `init(real:)`); the imaginary parts are dropped, check
    /// `maxImaginaryMagnitude` first when they should be negligible.
    public var realRows: [[Double]] {
        (0..<rows).map { i in (0..<columns).map { j in elements[i + j * rows].real } }
    }

    /// Throws `.dimensionMismatch` when `elements.count ≠ rows·columns` (possible because `elements` is a public
    /// `var`). Every routine that hands the buffer to BLAS/LAPACK checks this first, so a malformed matrix is an error,
    /// never an out-of-bounds read.
    public func requireWellFormed(_ quantity: @autoclosure () -> String) throws {
        guard elements.count == rows * columns else {
            throw LinearAlgebraError.dimensionMismatch(
                "\(quantity()) is declared \(rows)×\(columns) but holds \(elements.count) entries (elements was resized)")
        }
    }

    /// Throws `.dimensionMismatch` if the matrix is malformed (see `requireWellFormed`), then `.nonFinite` naming
    /// `quantity` and the first offending entry if any entry is NaN or ±Inf.
    public func requireFinite(_ quantity: @autoclosure () -> String) throws {
        try requireWellFormed(quantity())
        if let k = elements.firstIndex(where: { !$0.isFinite }) {
            throw LinearAlgebraError.nonFinite(
                "\(quantity()) has a non-finite entry at (\(k % max(rows, 1)), \(k / max(rows, 1))): \(elements[k])")
        }
    }
}
