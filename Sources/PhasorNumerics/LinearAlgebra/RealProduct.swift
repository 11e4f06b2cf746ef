// Real dense products through BLAS (cblas_dgemm, cblas_sgemm), for the layers above that multiply row-major blocks (the
// encoder of a model, the diagonal MIMO systems' read-out, a Mamba model's projections of a few tokens in Float). Every BLAS/LAPACK call of Phasor goes through
// PhasorNumerics; no other target imports CLapack.
import CLapack

/// C = α·op(A)·op(B) + β·C on row-major Double matrices.
public enum RealProduct {
    /// C (m×n) = α·op(A)·op(B) + β·C, op = transpose when asked; lda, ldb, ldc are the row strides.
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// The same in Float: C (m×n) = α·op(A)·op(B) + β·C.
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
}
