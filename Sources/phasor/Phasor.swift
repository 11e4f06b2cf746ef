import ArgumentParser
import Foundation
import PhasorNumerics

// The command-line layer is thin: each subcommand parses its options, calls the library and prints. Subcommands live
// one per file in Commands/.

@main
struct Phasor: ParsableCommand {
    static let version = "0.1.0"
    /// `--version`: the release, then which SIMD code this build runs (docs/performance.md).
    static let versionLines = "\(version)\nbuild: \(SIMDKernels.buildDescription)"

    static let configuration = CommandConfiguration(
        commandName: "phasor",
        abstract: "State space models, exactly solvable oscillator networks, and the explicit operator between them.",
        version: versionLines,
        subcommands: [
            // the main job
            Demo.self,
            // models: train, evaluate, predict, time
            Train.self,
            Eval.self,
            Predict.self,
            Bench.self,
            Baseline.self,
            // correspondence: oscillator reading, rings, design
            Map.self,
            RingCommand.self,
            Design.self,
            // identification: measured series → oscillators → SSM
            Identify.self,
            Attractor.self,
            // the explicit operator and the analyses
            Operator.self,
            Analyze.self,
            Dynamics.self,
            // oscillators
            Oscillator.self,
            Network.self,
            Kuramoto.self,
            // files
            Inspect.self,
        ]
    )

    /// Errors end with one line on stderr and a non-zero status (Support/OneLineErrors.swift).
    static func main() {
        if let bad = SIMDKernels.invalidEnvironmentValue {
            let levels = SIMDKernels.environmentValues.joined(separator: ", ")
            Terminal.error("Error: PHASOR_SIMD=\(bad) is not one of \(levels); unset it to use the CPU's best")
            Foundation.exit(2)
        }
        keepFreedBuffers()
        mainWithOneLineErrors()
    }

    /// Keeps freed activation buffers (up to 32 MB each) in the heap instead of returning them to the kernel after
    /// every call: without this, every training step and benchmark call pays page faults re-mapping fresh zero pages
    /// (measured: 11% of the CPU time of a training run, 15% of a block forward).
    static func keepFreedBuffers() {
        #if os(Linux)
        _ = glibcMallopt(-3, 32 << 20)        // M_MMAP_THRESHOLD (malloc.h)
        _ = glibcMallopt(-1, Int32.max)       // M_TRIM_THRESHOLD
        #endif
    }
}

#if os(Linux)
/// glibc's `mallopt(int, int)` (malloc.h is not part of the Glibc module map).
@_silgen_name("mallopt") func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
