// OpenBLAS runs its own thread pool. On a machine whose cores are already busy (parallel training, several processes)
// its spinning threads can make a call several times slower than one thread: eigen of a 256×256 matrix measured
// 275 ms single-threaded vs 1.4 s with the default pool on 2 loaded cores. The environment variable
// OPENBLAS_NUM_THREADS sets the pool at start-up; this lets a program choose at run time.
import CLapack

/// The size of OpenBLAS's thread pool (process-wide).
public enum BLASThreads {
    /// The number of threads OpenBLAS currently uses.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS uses for every later call in this process (values below 1 mean 1).
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(clamping: max(count, 1)))
    }
}
