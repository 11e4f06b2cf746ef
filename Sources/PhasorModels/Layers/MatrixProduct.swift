// Dense products through BLAS (OpenBLAS via the CLapack shim): the 1×1 convolution, the encoder and their adjoints
// are matrix products on row-major blocks.
import CLapack

enum MatrixProduct {
    /// C (m×n) = α·op(A)·op(B) + β·C, row-major; op = transpose when the flag is set. A is m×k after op, B k×n.
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                     a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                     beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
}
