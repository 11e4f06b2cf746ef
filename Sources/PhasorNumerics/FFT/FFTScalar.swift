// The element types Phasor's FFT works in, and the errors its plans throw.
// One protocol instead of two copies of every kernel: Float (training speed) and Double (identities, DESIGN.md §2)
// share the same mixed-radix and Bluestein code; the hot kernels are pre-specialised for both.

/// A real scalar the FFT can work in. `Float` and `Double` conform. (`Codable` is implied by `SIMDScalar`'s
/// vector types and stated here so the refinement is explicit.)
public protocol FFTScalar: BinaryFloatingPoint, Real, Sendable, SIMDScalar, Codable, FFTLane {}

/// The +, −, × that a scalar and a SIMD vector of scalars share, so each FFT butterfly is written once and runs on
/// one value or on eight lanes. Every `FFTScalar` has them already; `SIMD8` of an `FFTScalar` conforms too.
public protocol FFTLane {
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
}

extension Float: FFTScalar {}
extension Double: FFTScalar {}

/// What went wrong when planning or running an FFT.
public enum FFTError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A plan was requested for a length below 1.
    case invalidLength(Int)
    /// An array passed to a plan does not have the length the plan expects.
    case lengthMismatch(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .invalidLength(let n):
            return "FFT length \(n) is invalid: a plan needs a length of at least 1"
        case .lengthMismatch(let expected, let found):
            return "FFT array has \(found) elements but the plan expects \(expected): "
                + "resize the arrays or make a plan for \(found) points"
        }
    }
}
