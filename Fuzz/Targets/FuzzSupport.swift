// Shared by every fuzz target (compiled into each one): the input as a byte array, and the rule that a reader may
// only ever succeed or throw one of Phasor's typed errors. Anything else — a Swift runtime trap, an ASan report, an
// untyped error — ends the run, and libFuzzer keeps the input as crash-<sha1>.
import Foundation

/// The fuzzer's input as bytes (libFuzzer may pass a null pointer with size 0).
func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Runs `body`; a thrown error must be one `isTyped` accepts, otherwise the process aborts so libFuzzer records it.
func expectTypedErrors(_ body: () throws -> Void, isTyped: (Error) -> Bool) {
    do { try body() } catch {
        if isTyped(error) { return }
        FileHandle.standardError.write(Data("untyped error: \(type(of: error)): \(error)\n".utf8))
        abort()
    }
}
