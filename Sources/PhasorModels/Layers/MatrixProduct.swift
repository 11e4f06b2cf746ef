// Dense products for the 1×1 convolution and the encoder: C = A·B (+ C) on row-major blocks. A register-blocked
// SIMD kernel (4 rows × 32 columns of C held in 16 SIMD8 accumulators, one rank-1 update per step of the inner
// dimension) — the system OpenBLAS falls back to a generic SSE3 kernel on CPUs it does not recognise, at a third of
// this speed. Each C entry is summed in the fixed order p = 0…k−1, so results do not depend on threads.
import PhasorNumerics

package enum MatrixProduct {
    /// C (m×n) = α·op(A)·op(B) + β·C through BLAS (PhasorNumerics; used for small, cold products).
    package static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                     a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                     beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        RealProduct.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                         beta: beta, c: c, ldc: ldc)
    }

    /// C (m×n) = A (m×k) · B (k×n), or C += A·B when `accumulate`; all row-major and dense. Tiles of 4 rows ×
    /// 4 vectors of C (16 accumulators of type V: SIMD8<Double> or SIMD16<Float>).
    @inline(__always)
    static func multiply<V: SIMD>(m: Int, n: Int, k: Int, a: UnsafePointer<V.Scalar>, b: UnsafePointer<V.Scalar>,
                                  c: UnsafeMutablePointer<V.Scalar>, accumulate: Bool, vector: V.Type)
    where V.Scalar: BinaryFloatingPoint {
        let w = V.scalarCount, tileWidth = 4 * w
        let tiles = n / tileWidth, tail = tiles * tileWidth
        @inline(__always) func load(_ p: UnsafePointer<V.Scalar>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        @inline(__always) func store(_ v: V, _ p: UnsafeMutablePointer<V.Scalar>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }
        var i0 = 0
        while i0 + 4 <= m {
            let a0 = a + i0 * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
            let c0 = c + i0 * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n
            for t in 0..<tiles {
                let j = t * tileWidth, j1 = j + w, j2 = j + 2 * w, j3 = j + 3 * w
                var x00 = V(), x01 = V(), x02 = V(), x03 = V(), x10 = V(), x11 = V(), x12 = V(), x13 = V()
                var x20 = V(), x21 = V(), x22 = V(), x23 = V(), x30 = V(), x31 = V(), x32 = V(), x33 = V()
                if accumulate {
                    x00 = load(c0 + j); x01 = load(c0 + j1); x02 = load(c0 + j2); x03 = load(c0 + j3)
                    x10 = load(c1 + j); x11 = load(c1 + j1); x12 = load(c1 + j2); x13 = load(c1 + j3)
                    x20 = load(c2 + j); x21 = load(c2 + j1); x22 = load(c2 + j2); x23 = load(c2 + j3)
                    x30 = load(c3 + j); x31 = load(c3 + j1); x32 = load(c3 + j2); x33 = load(c3 + j3)
                }
                var bp = b + j
                for p in 0..<k {
                    let b0 = load(bp), b1 = load(bp + w), b2 = load(bp + 2 * w), b3 = load(bp + 3 * w)
                    let w0 = V(repeating: a0[p]), w1 = V(repeating: a1[p]), w2 = V(repeating: a2[p]), w3 = V(repeating: a3[p])
                    x00.addProduct(w0, b0); x01.addProduct(w0, b1); x02.addProduct(w0, b2); x03.addProduct(w0, b3)
                    x10.addProduct(w1, b0); x11.addProduct(w1, b1); x12.addProduct(w1, b2); x13.addProduct(w1, b3)
                    x20.addProduct(w2, b0); x21.addProduct(w2, b1); x22.addProduct(w2, b2); x23.addProduct(w2, b3)
                    x30.addProduct(w3, b0); x31.addProduct(w3, b1); x32.addProduct(w3, b2); x33.addProduct(w3, b3)
                    bp += n
                }
                store(x00, c0 + j); store(x01, c0 + j1); store(x02, c0 + j2); store(x03, c0 + j3)
                store(x10, c1 + j); store(x11, c1 + j1); store(x12, c1 + j2); store(x13, c1 + j3)
                store(x20, c2 + j); store(x21, c2 + j1); store(x22, c2 + j2); store(x23, c2 + j3)
                store(x30, c3 + j); store(x31, c3 + j1); store(x32, c3 + j2); store(x33, c3 + j3)
            }
            if tail < n { scalar(rows: i0..<(i0 + 4), columns: tail..<n, n: n, k: k, a: a, b: b, c: c, accumulate: accumulate) }
            i0 += 4
        }
        if i0 < m { scalar(rows: i0..<m, columns: 0..<n, n: n, k: k, a: a, b: b, c: c, accumulate: accumulate) }
    }

    /// Double product with the SIMD8 kernel.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
                         c: UnsafeMutablePointer<Double>, accumulate: Bool) {
        multiply(m: m, n: n, k: k, a: a, b: b, c: c, accumulate: accumulate, vector: SIMD8<Double>.self)
    }

    /// The same product entry by entry (edges of `multiply`, and its test reference).
    static func scalar<T: BinaryFloatingPoint>(rows: Range<Int>, columns: Range<Int>, n: Int, k: Int, a: UnsafePointer<T>,
                                               b: UnsafePointer<T>, c: UnsafeMutablePointer<T>, accumulate: Bool) {
        for i in rows { for j in columns {
            var s = accumulate ? c[i * n + j] : 0
            for p in 0..<k { s += a[i * k + p] * b[p * n + j] }
            c[i * n + j] = s
        } }
    }

    /// Bᵀ (cols×rows) of a row-major rows×cols block.
    static func transpose<T>(rows: Int, cols: Int, _ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<T>) {
        let tile = 32
        for i0 in stride(from: 0, to: rows, by: tile) {
            for j0 in stride(from: 0, to: cols, by: tile) {
                for i in i0..<min(i0 + tile, rows) { for j in j0..<min(j0 + tile, cols) { dst[j * rows + i] = src[i * cols + j] } }
            }
        }
    }
}
