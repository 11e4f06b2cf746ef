// Dense products for the encoder (BLAS, through PhasorNumerics) and the transposes of the 1×1 convolution's backward.
// The 1×1 convolution itself runs on Phasor's register-blocked SIMD kernel (`BlockScalar.multiply` →
// PhasorNumerics.SIMDKernels, at the CPU's instruction-set level): the system OpenBLAS 0.3.21 falls back to a generic
// SSE3 kernel on CPUs it does not recognise, at a third of the speed.
import PhasorNumerics

package enum MatrixProduct {
    /// C (m×n) = α·op(A)·op(B) + β·C through BLAS (PhasorNumerics; used for small, cold products).
    package static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                     a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                     beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        RealProduct.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                         beta: beta, c: c, ldc: ldc)
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
