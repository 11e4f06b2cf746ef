import Dispatch
import Foundation

// Wall-clock and process-CPU timing for `phasor bench`: one warm-up call, then the median of repeated calls. On a
// shared machine the CPU time (all threads) shows the cost even when other processes hold the cores.

enum Timing {
    /// Process CPU time in milliseconds (all threads).
    static func cpuNow() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
    }

    static func median(_ x: [Double]) -> Double {
        let s = x.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Median wall and CPU milliseconds of `repeats` calls of `body` after one warm-up call.
    static func median(repeats: Int, _ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        try body()
        var wall: [Double] = [], cpu: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds, c0 = cpuNow()
            try body()
            cpu.append(cpuNow() - c0)
            wall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return (median(wall), median(cpu))
    }
}
