// Work split over the machine's cores. Every parallel loop here gives each output element to exactly one iteration
// and sums inside an iteration in a fixed order, so results are identical for any thread count and any run.
import Dispatch
import Foundation
import PhasorNumerics

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

/// Runs `body(t)` for t in 0..<parts concurrently — the trainer's and evaluator's split of a batch — with OpenBLAS held
/// at one thread meanwhile when parts > 1: its own pool would compete with these threads for the same cores (measured:
/// 17% more CPU for a training run whose encoder product is large enough for OpenBLAS to thread; docs/performance.md).
/// Each part's inner `parallelFor` loops run serially inside it (libdispatch divides the width of nested loops by
/// the outer one), so the machine is never oversubscribed.
func concurrentParts(_ parts: Int, _ body: @Sendable (Int) -> Void) {
    if parts <= 1 {
        if parts == 1 { body(0) }
        return
    }
    SingleThreadedBLAS.enter()
    defer { SingleThreadedBLAS.leave() }
    DispatchQueue.concurrentPerform(iterations: parts, execute: body)
}

/// Process-wide count of the callers that need OpenBLAS at one thread; the first saves the pool size, the last
/// restores it (so concurrent or nested trainers and evaluators do not undo each other).
enum SingleThreadedBLAS {
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var users = 0
        var saved = 1
    }
    private static let state = State()

    static func enter() {
        state.lock.lock(); defer { state.lock.unlock() }
        if state.users == 0 { state.saved = BLASThreads.count; BLASThreads.set(1) }
        state.users += 1
    }

    static func leave() {
        state.lock.lock(); defer { state.lock.unlock() }
        state.users -= 1
        if state.users == 0 { BLASThreads.set(state.saved) }
    }
}

/// An array of `count` elements whose every element the caller writes before reading (no zero-fill pass).
@inlinable
func uninitializedArray<T: BinaryFloatingPoint>(count: Int) -> [T] {
    [T](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

/// Element-wise conversion between Float and Double, in parallel chunks.
@inlinable
func converted<S: BinaryFloatingPoint, T: BinaryFloatingPoint>(_ x: [S], to: T.Type) -> [T] {
    var out: [T] = uninitializedArray(count: x.count)
    let chunk = 1 << 16, chunks = (x.count + chunk - 1) / chunk
    x.withUnsafeBufferPointer { xb in out.withUnsafeMutableBufferPointer { ob in
        guard let xs = xb.baseAddress, let os = ob.baseAddress else { return }
        let src = SharedReadPointer(xs), dst = SharedPointer(os), n = x.count
        parallelFor(chunks) { c in
            for i in (c * chunk)..<min(n, (c + 1) * chunk) { dst.base[i] = T(src.base[i]) }
        }
    } }
    return out
}

/// x += y element-wise, in parallel chunks.
func addInPlace(_ x: inout [Double], _ y: [Double]) {
    let chunk = 1 << 16, chunks = (x.count + chunk - 1) / chunk, n = x.count
    x.withUnsafeMutableBufferPointer { xb in y.withUnsafeBufferPointer { yb in
        guard let xs = xb.baseAddress, let ys = yb.baseAddress else { return }
        let dst = SharedPointer(xs), src = SharedReadPointer(ys)
        parallelFor(chunks) { c in
            for i in (c * chunk)..<min(n, (c + 1) * chunk) { dst.base[i] += src.base[i] }
        }
    } }
}
