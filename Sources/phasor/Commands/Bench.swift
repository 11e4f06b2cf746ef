import ArgumentParser
import Foundation
import PhasorModels
import PhasorNumerics

// `phasor bench s4d`: wall-clock timing of one S4D block (the state-spaces layer shapes) — median of repeated calls
// after warm-up, for the whole block and for the kernel alone. Numbers to compare with PyTorch on the same machine.

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time library kernels (median milliseconds after warm-up).",
        subcommands: [BenchS4D.self]
    )
}

struct BenchS4D: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s4d",
        abstract: "Time one S4D block: kernel + FFT convolution + GELU + 1×1 conv + GLU (and its backward)."
    )

    @Option(help: "Batch size B.") var batch = 16
    @Option(help: "Channels H (d_model).") var channels = 128
    @Option(help: "State size N (N/2 complex modes).") var state = 64
    @Option(help: "Sequence length L.") var length = 1024
    @Option(help: "Timed repetitions (after one warm-up call).") var repeats = 10
    @Flag(help: "Time forward + backward instead of forward only.") var backward = false
    @Option(help: "Arithmetic precision: f64 (the only path built so far).") var precision = "f64"
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard batch > 0, channels > 0, length > 0, repeats > 0 else {
            throw ValidationError("batch, channels, length and repeats must be positive")
        }
        guard state >= 2, state % 2 == 0 else { throw ValidationError("--state must be even and ≥ 2") }
        guard precision == "f64" else {
            throw ValidationError("--precision \(precision) is not available yet: only f64 is built (the forward pass is Double)")
        }
    }

    func run() throws {
        var g = SeededGenerator(seed: 1)
        let kernel = try S4DKernelParameters(channels: channels, state: state, initialisation: .lin, generator: &g)
        let h = channels
        let layer = try S4DLayer(kernel: kernel, D: (0..<h).map { _ in g.normal() },
                                 outputWeight: (0..<(2 * h * h)).map { _ in g.normal() / Double(h).squareRoot() },
                                 outputBias: (0..<(2 * h)).map { _ in 0.1 * g.normal() })
        let u = (0..<(batch * h * length)).map { _ in g.normal() }
        let dOut = (0..<(batch * h * length)).map { _ in g.normal() }

        func median(_ body: () throws -> Void) rethrows -> Double {
            try body()                                                   // warm-up
            var times: [Double] = []
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            times.sort()
            return times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        }
        let kernelMs = try median { _ = try layer.kernel(length: length) }
        let layerMs: Double
        if backward {
            layerMs = try median { _ = try layer.forwardAndBackward(input: u, batch: batch, length: length, outputGradient: dOut) }
        } else {
            layerMs = try median { _ = try layer.forward(input: u, batch: batch, length: length) }
        }
        let mode = backward ? "forward+backward" : "forward"
        if json {
            print("""
            {"benchmark":"s4d","mode":"\(mode)","precision":"\(precision)","batch":\(batch),"channels":\(channels),\
            "state":\(state),"length":\(length),"repeats":\(repeats),"layer_ms":\(layerMs),"kernel_ms":\(kernelMs),\
            "threads":\(ProcessInfo.processInfo.activeProcessorCount)}
            """)
        } else {
            print(String(format: "s4d %@ (%@) B=%d H=%d N=%d L=%d: layer %.2f ms, kernel %.3f ms (median of %d)",
                         mode, precision, batch, channels, state, length, layerMs, kernelMs, repeats))
        }
    }
}
