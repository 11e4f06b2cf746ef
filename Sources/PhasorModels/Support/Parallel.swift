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
