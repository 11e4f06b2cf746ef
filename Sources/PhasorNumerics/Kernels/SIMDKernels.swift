// The hot loops that need wide SIMD units, and which instruction set runs them (Sources/CPhasorKernels/README.md).
// Swift on Linux compiles a package for the baseline CPU of its target (x86-64: SSE2, no FMA) unless the user passes
// `-target-cpu`, which a package cannot do for its users (`unsafeFlags` make it unusable as a dependency). So these
// loops live in a small C target that carries one copy per level (baseline, AVX2+FMA, AVX-512F) and picks one per
// process from CPUID. This file is the only Swift that calls it.
import CPhasorKernels
import Foundation

public enum SIMDKernels {
    /// An instruction-set level of the kernels, in increasing order.
    public enum Level: Int, Comparable, Sendable, CaseIterable, CustomStringConvertible {
        /// The package's baseline target: SSE2 without FMA on x86-64, NEON with FMA on aarch64.
        case generic = 0
        /// AVX2 with fused multiply-add (256-bit vectors).
        case avx2 = 1
        /// AVX-512F (512-bit vectors, fused multiply-add).
        case avx512 = 2

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        public var description: String {
            switch self {
            case .generic: return "generic"
            case .avx2: return "avx2"
            case .avx512: return "avx512"
            }
        }
        init(_ raw: Int32) { self = Level(rawValue: Int(raw)) ?? .generic }
    }

    /// The best level this CPU (and OS) supports.
    public static var supported: Level { Level(phasor_simd_supported_level()) }

    /// The level the kernels run at: `supported`, lowered by the environment variable PHASOR_SIMD
    /// (generic | avx2 | avx512; read once per process — e.g. to reproduce a run of a machine with fewer units).
    public static var active: Level { Level(phasor_simd_level()) }

    /// The values PHASOR_SIMD accepts.
    public static let environmentValues = Level.allCases.map(\.description)

    /// PHASOR_SIMD when it is set to something other than a level name (the kernels then ignore it).
    public static var invalidEnvironmentValue: String? {
        guard let v = ProcessInfo.processInfo.environment["PHASOR_SIMD"], !v.isEmpty else { return nil }
        return environmentValues.contains(v) ? nil : v
    }

    /// The level the Swift code of this build was compiled for: `.generic` for a plain `swift build -c release`,
    /// higher with `-Xswiftc -target-cpu -Xswiftc native` on a machine with AVX2/AVX-512.
    public static var swiftCompiledFor: Level { Level(phasor_swift_compiled_level()) }

    /// One line for `--version` and benchmarks, e.g. "SIMD kernels avx512 (CPU avx512), Swift code generic": the
    /// level the kernels run at, the CPU's best, and what the Swift code was compiled for.
    public static var buildDescription: String {
        "SIMD kernels \(active) (CPU \(supported)), Swift code \(swiftCompiledFor)"
    }

    // Every kernel runs at `level` (default `active`; a higher level than `supported` runs at `supported`).

    /// C (m×n) = A (m×k)·B (k×n), or C += A·B when `accumulate`; row-major, dense. Each entry is summed in the order
    /// p = 0…k−1 at every level (fused multiply-add at avx2/avx512, separate on baseline x86-64), so the result does
    /// not depend on the shape of the call.
    @inline(__always)
    public static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                                c: UnsafeMutablePointer<Float>, accumulate: Bool, level: Level = active) {
        phasor_gemm_f32(Int32(level.rawValue), m, n, k, a, b, c, accumulate ? 1 : 0)
    }

    @inline(__always)
    public static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
                                c: UnsafeMutablePointer<Double>, accumulate: Bool, level: Level = active) {
        phasor_gemm_f64(Int32(level.rawValue), m, n, k, a, b, c, accumulate ? 1 : 0)
    }

    // Pointwise, y[i] = f(x[i]) for i < count (y may equal x); an element's value does not depend on its position.

    /// e^x: ≤ 4e-7 relative in Float, ≤ 1e-15 in Double (x clamped to [−87, 88] / [−708, 709]).
    public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, level: Level = active) {
        phasor_exp_f32(Int32(level.rawValue), x, y, count)
    }
    public static func exp(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int, level: Level = active) {
        phasor_exp_f64(Int32(level.rawValue), x, y, count)
    }
    /// erf (Abramowitz & Stegun 7.1.26): ≤ 6e-7 absolute.
    public static func erf(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, level: Level = active) {
        phasor_erf_f32(Int32(level.rawValue), x, y, count)
    }
    /// σ(x) = 1/(1 + e^{−x}).
    public static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, level: Level = active) {
        phasor_sigmoid_f32(Int32(level.rawValue), x, y, count)
    }
    public static func sigmoid(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int, level: Level = active) {
        phasor_sigmoid_f64(Int32(level.rawValue), x, y, count)
    }
    /// a[i] = scale·gelu(y[i]), gelu(x) = ½x(1 + erf(x/√2)).
    public static func gelu(_ y: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>, scale: Float, count: Int,
                            level: Level = active) {
        phasor_gelu_f32(Int32(level.rawValue), y, a, scale, count)
    }
    /// d[i] *= scale·gelu′(y[i]), gelu′(x) = ½(1 + erf(x/√2)) + x·e^{−x²/2}/√(2π).
    public static func scaleByGeluDerivative(_ y: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, scale: Float,
                                             count: Int, level: Level = active) {
        phasor_scale_by_gelu_derivative_f32(Int32(level.rawValue), y, d, scale, count)
    }
}
