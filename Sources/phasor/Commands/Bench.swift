import ArgumentParser
import Foundation
import PhasorModels
import PhasorNumerics

// `phasor bench s4d`: wall-clock timing of one S4D block (the state-spaces layer shapes) — median of repeated calls
// after warm-up, for the whole block and for the kernel alone. Numbers to compare with PyTorch on the same machine.

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time library kernels (median milliseconds after warm-up).",
        subcommands: [BenchS4D.self, BenchMamba.self]
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
    @Option(help: "Arithmetic precision of the block: f64 or f32 (the kernel is always computed in Double).") var precision = "f64"
    @Option(help: "Time the whole S4Model (encoder, this many blocks with LayerNorm, pooling, decoder, loss) instead of one block; 0 = one block.")
    var modelLayers = 0
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard batch > 0, channels > 0, length > 0, repeats > 0 else {
            throw ValidationError("batch, channels, length and repeats must be positive")
        }
        guard state >= 2, state % 2 == 0 else { throw ValidationError("--state must be even and ≥ 2") }
        guard ComputePrecision(rawValue: precision) != nil else {
            throw ValidationError("--precision must be f64 or f32 (got '\(precision)')")
        }
    }

    func run() throws {
        #if os(Linux)
        // Keep freed activation buffers (up to 32 MB each) in the heap instead of returning them to the kernel after
        // every call: without this, each call pays ~20k page faults re-mapping fresh zero pages (≈15% of a forward).
        _ = glibcMallopt(-3, 32 << 20)        // M_MMAP_THRESHOLD (malloc.h)
        _ = glibcMallopt(-1, Int32.max)       // M_TRIM_THRESHOLD
        #endif
        let compute = ComputePrecision(rawValue: precision) ?? .f64
        var g = SeededGenerator(seed: 1)
        let kernel = try S4DKernelParameters(channels: channels, state: state, initialisation: .lin, generator: &g)
        let h = channels
        let layer = try S4DLayer(kernel: kernel, D: (0..<h).map { _ in g.normal() },
                                 outputWeight: (0..<(2 * h * h)).map { _ in g.normal() / Double(h).squareRoot() },
                                 outputBias: (0..<(2 * h)).map { _ in 0.1 * g.normal() })
        let u = (0..<(batch * h * length)).map { _ in g.normal() }
        let dOut = (0..<(batch * h * length)).map { _ in g.normal() }

        func median(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
            try Timing.median(repeats: repeats, body)
        }
        let kernelTime = try median { _ = try layer.kernel(length: length) }
        let layerTime: (wall: Double, cpu: Double)
        if modelLayers > 0 {
            let config = S4ModelConfiguration(dInput: 1, dModel: channels, dState: state, layers: modelLayers, classes: 10, dropout: 0.1)
            var model = try S4Model(configuration: config, seed: 2)
            model.blockPrecision = compute
            let x = (0..<(batch * length)).map { _ in g.normal() }
            let labels = (0..<batch).map { $0 % 10 }
            if backward {
                layerTime = try median {
                    var rng = SeededGenerator(seed: 3)
                    _ = try model.lossAndGradients(inputs: x, batch: batch, length: length, lengths: nil, labels: labels,
                                                   training: true, generator: &rng)
                }
            } else {
                layerTime = try median { _ = try model.logits(inputs: x, batch: batch, length: length) }
            }
        } else if backward {
            layerTime = try median { _ = try layer.forwardAndBackward(input: u, batch: batch, length: length, outputGradient: dOut, precision: compute) }
        } else {
            layerTime = try median { _ = try layer.forward(input: u, batch: batch, length: length, precision: compute) }
        }
        let layerMs = layerTime.wall, kernelMs = kernelTime.wall
        let mode = (modelLayers > 0 ? "model(\(modelLayers) layers) " : "") + (backward ? "forward+backward" : "forward")
        if json {
            print("""
            {"benchmark":"s4d","mode":"\(mode)","precision":"\(precision)","batch":\(batch),"channels":\(channels),\
            "state":\(state),"length":\(length),"repeats":\(repeats),"layer_ms":\(layerMs),"kernel_ms":\(kernelMs),\
            "layer_cpu_ms":\(layerTime.cpu),"kernel_cpu_ms":\(kernelTime.cpu),\
            "threads":\(ProcessInfo.processInfo.activeProcessorCount)}
            """)
        } else {
            print(String(format: "s4d %@ (%@) B=%d H=%d N=%d L=%d: layer %.2f ms (CPU %.2f ms), kernel %.3f ms (CPU %.3f ms) (median of %d)",
                         mode, precision, batch, channels, state, length, layerMs, layerTime.cpu, kernelMs, kernelTime.cpu, repeats))
        }
    }
}

#if os(Linux)
/// glibc's `mallopt(int, int)` (malloc.h is not part of the Glibc module map).
@_silgen_name("mallopt") func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
