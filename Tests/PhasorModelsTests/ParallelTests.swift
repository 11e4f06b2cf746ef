import Foundation
import Testing
@testable import PhasorModels
import PhasorNumerics

@Suite struct ParallelTests {
    /// While a batch is split over threads, OpenBLAS runs single-threaded (its pool would compete for the cores);
    /// every part runs exactly once.
    @Test func partsRunOnceWithSingleThreadedBLAS() {
        let seen = ResultSlots<Int>(count: 3)
        concurrentParts(3) { t in seen.set(t, BLASThreads.count) }
        #expect(seen.values.map { $0 } == [1, 1, 1])
        let nested = ResultSlots<Int>(count: 2)
        concurrentParts(2) { t in
            concurrentParts(2) { _ in }                    // an inner user leaving must not restore the pool
            nested.set(t, BLASThreads.count)
        }
        #expect(nested.values.map { $0 } == [1, 1])
        let one = ResultSlots<Int>(count: 1)
        concurrentParts(1) { t in one.set(t, t) }
        #expect(one.values.map { $0 } == [0])
    }
}
