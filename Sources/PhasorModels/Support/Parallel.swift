// Work split over the machine's cores. Every parallel loop here gives each output element to exactly one iteration
// and sums inside an iteration in a fixed order, so results are identical for any thread count and any run.
import Dispatch

/// A raw pointer that may cross into `concurrentPerform` closures. Safe only because each iteration writes a
/// disjoint range (the callers guarantee it).
@usableFromInline
struct SharedPointer<T>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<T>
    @usableFromInline init(_ base: UnsafeMutablePointer<T>) { self.base = base }
}

/// Read-only counterpart of `SharedPointer`.
@usableFromInline
struct SharedReadPointer<T>: @unchecked Sendable {
    @usableFromInline let base: UnsafePointer<T>
    @usableFromInline init(_ base: UnsafePointer<T>) { self.base = base }
}

/// Runs `body(i)` for i in 0..<count, concurrently when there is more than one iteration.
@inlinable
func parallelFor(_ count: Int, _ body: @Sendable (Int) -> Void) {
    if count <= 0 { return }
    if count == 1 { body(0); return }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}
