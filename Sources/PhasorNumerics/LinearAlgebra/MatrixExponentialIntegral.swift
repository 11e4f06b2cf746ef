// e^{tA} together with its input integral ∫₀^t e^{sA} ds · B — the zero-order-hold pair (Ā, B̄) of DESIGN.md §3/§5 —
// by one exponential of a block matrix (Van Loan 1978):
//   exp(t [[A, B], [0, 0]]) = [[e^{tA}, ∫₀^t e^{sA} ds B], [0, I]].
// Unlike B̄ = A⁻¹(e^{tA} − I)B it needs no inverse, so it is exact for singular A (pure oscillators, integrators).

extension ComplexMatrix {
    /// (e^{tA}, ∫₀^t e^{sA} ds · B) for square n×n A and n×m B, through the exponential of the (n+m)×(n+m) block
    /// matrix t·[[A, B], [0, 0]]. Throws `.notSquare`, `.dimensionMismatch`, `.empty`, `.nonFinite` (NaN/Inf in A, B
    /// or t, or overflow).
    public func exponentialWithIntegral(of b: ComplexMatrix, t: Double) throws -> (exponential: ComplexMatrix, integral: ComplexMatrix) {
        try requireSquareNonEmpty("exponentialWithIntegral")
        guard b.rows == rows else {
            throw LinearAlgebraError.dimensionMismatch("exponentialWithIntegral: A is \(rows)×\(columns) but B has \(b.rows) rows")
        }
        try b.requireFinite("exponentialWithIntegral B")
        guard t.isFinite else { throw LinearAlgebraError.nonFinite("exponentialWithIntegral t = \(t)") }
        let n = rows, m = b.columns
        var block = ComplexMatrix(rows: n + m, columns: n + m)  // t [[A, B], [0, 0]]
        for j in 0..<n { for i in 0..<n { block[i, j] = Complex(t) * self[i, j] } }
        for j in 0..<m { for i in 0..<n { block[i, n + j] = Complex(t) * b[i, j] } }
        let e = try block.exponential()
        var expA = ComplexMatrix(rows: n, columns: n)
        var integral = ComplexMatrix(rows: n, columns: m)
        for j in 0..<n { for i in 0..<n { expA[i, j] = e[i, j] } }
        for j in 0..<m { for i in 0..<n { integral[i, j] = e[i, n + j] } }
        return (expA, integral)
    }
}
