// `phasor design`: target periods and memories → an S4D layer initialisation (and optionally an LTI system file),
// with the targets read back from what was written (DESIGN.md §4). Thin: parse → OscillatorDesign → DesignReport.
import ArgumentParser
import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorModels
import PhasorNumerics

struct Design: ParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        abstract: "Design oscillators from periods and memories; write an S4D layer initialisation.",
        discussion: """
        μ_k = exp(Δ(−1/τ_k + 2πi/T_k)); periods and memories are in the time unit of --dt (steps when Δ = 1). \
        A period must exceed 2Δ (Nyquist); "inf" gives a non-oscillating mode. The layer gets log_dt = log Δ, \
        log_A_real = −log τ, A_imag = 2π/T, C = 1, D = 0 under state-spaces' names for layer --layer (ZOH).
        """
    )

    @Option(help: "Comma-separated periods T_k, e.g. 10,100,1000.") var periods: String
    @Option(help: "Comma-separated memories (decay times) τ_k, e.g. 50,500,5000.") var memories: String
    @Option(help: "Step size Δ.") var dt: Double = 1
    @Option(help: "Number of (identical) channels H of the layer.") var channels: Int = 1
    @Option(help: "Layer index used in the tensor names.") var layer: Int = 0
    @Option(help: "Where to write the S4D layer (.safetensors).") var out: String?
    @Option(help: "Also write the real 2×2-block system, ZOH-discretised with Δ, as A, B, C, D (.safetensors).")
    var systemOut: String?
    @Flag(help: "Print the design as JSON.") var json = false

    var outputs: [OutputFile] { [.file("--out", out), .file("--system-out", systemOut)] }

    func run() throws {
        let design = try OscillatorDesign(periods: try parseNumberList(periods, option: "--periods"),
                                          memories: try parseNumberList(memories, option: "--memories"), step: dt)
        try ResourceLimits.require(design.jobEstimate(channels: channels, system: systemOut != nil), job: "design",
                                   limitWork: true, fix: "give fewer targets (--periods/--memories) or --channels")
        let core = try design.s4dCore(channels: channels)
        let layerFile = SafeTensorsFile(
            tensors: try CheckpointLayout.coreParameters([core], firstLayer: layer).tensors(),
            metadata: ["phasor": "design", ModelFile.discretizationKey: core.discretization.rawValue])
        let systemFile = try systemOut.map { _ in
            try design.realBlockSystem().discretised(step: dt, method: .zoh).system.safeTensors()
        }
        // Everything that can fail (the read-back included) before the first write.
        let result = try DesignReport(design: design, core: core, layer: layer, out: out, systemOut: systemOut)
        if let out { try layerFile.write(to: out) }
        if let systemOut, let systemFile { try systemFile.write(to: systemOut) }
        if json { try JSONOutput.print(result); return }
        for m in result.modes {
            print("T = \(m.period.map { "\($0)" } ?? "∞"), τ = \(m.memory): μ = \(m.mu[0]) + \(m.mu[1])i")
        }
        print("targets read back from the layer: max relative error \(result.maxRelativeError)")
        if let out { print("wrote \(out)") }
        if let systemOut { print("wrote \(systemOut)") }
    }
}
