// `phasor design`: target periods and memories → an S4D layer initialisation (and optionally an LTI system file),
// with the targets read back from what was written (DESIGN.md §4).
import ArgumentParser
import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorModels
import PhasorNumerics

struct Design: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Design oscillators from periods and memories; write an S4D layer initialisation.",
        discussion: """
        μ_k = exp(Δ(−1/τ_k + 2πi/T_k)); periods and memories are in the time unit of --dt (steps when Δ = 1). \
        A period must exceed 2Δ (Nyquist); "inf" gives a non-oscillating mode. The layer gets log_dt = log Δ, \
        log_A_real = −log τ, A_imag = 2π/T, C = 1, D = 0 (state-spaces keys of s4_layers.{layer}).
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

    func run() throws {
        let design = try OscillatorDesign(periods: try parseNumberList(periods, option: "--periods"),
                                          memories: try parseNumberList(memories, option: "--memories"), step: dt)
        try OutputPaths.requireWritable([out, systemOut])  // both checked before either is written
        let store = try design.s4dParameters(layer: layer, channels: channels)
        let layerFile = try S4DFile.file(store, metadata: ["phasor": "design"])
        let systemFile = try systemOut.map { _ in
            try design.realBlockSystem().discretised(step: dt, method: .zeroOrderHold).system.safeTensors()
        }
        if let out { try layerFile.write(to: out) }
        if let systemOut, let systemFile { try systemFile.write(to: systemOut) }
        // Read the targets back from the written parameters (the round trip the file promises).
        let recovered = try OscillatorDesign.targets(s4d: try DiagonalSSM.s4d(store, layer: layer, channel: 0))
        var modes: [DesignModeJSON] = []
        var worst = 0.0
        for (k, target) in design.targets.enumerated() {
            let back = recovered[k]
            let periodError: Double
            switch (target.period, back.period) {
            case (nil, nil): periodError = 0
            case let (p?, q?): periodError = abs(p - q) / p
            default: periodError = 1
            }
            let memoryError = abs(target.memory - back.memory) / target.memory
            worst = max(worst, periodError, memoryError)
            modes.append(DesignModeJSON(period: target.period, memory: target.memory,
                                        lambda: pair(design.continuousEigenvalues[k]), mu: pair(design.discreteEigenvalues[k]),
                                        recoveredPeriod: back.period, recoveredMemory: back.memory))
        }
        let result = DesignJSON(dt: dt, layer: layer, channels: channels, out: out, systemOut: systemOut, modes: modes,
                                maxRelativeError: worst)
        if json { try JSONOutput.print(result); return }
        for m in modes {
            print("T = \(m.period.map { "\($0)" } ?? "∞"), τ = \(m.memory): μ = \(m.mu[0]) + \(m.mu[1])i")
        }
        print("targets read back from the layer: max relative error \(worst)")
        if let out { print("wrote \(out)") }
        if let systemOut { print("wrote \(systemOut)") }
    }
}

struct DesignModeJSON: Encodable {
    let period: Double?
    let memory: Double
    let lambda: [Double]
    let mu: [Double]
    let recoveredPeriod: Double?
    let recoveredMemory: Double
    enum CodingKeys: String, CodingKey {
        case period, memory, lambda, mu, recoveredPeriod = "recovered_period", recoveredMemory = "recovered_memory"
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(period, forKey: .period)  // null = ∞
        try c.encode(memory, forKey: .memory)
        try c.encode(lambda, forKey: .lambda)
        try c.encode(mu, forKey: .mu)
        try c.encode(recoveredPeriod, forKey: .recoveredPeriod)
        try c.encode(recoveredMemory, forKey: .recoveredMemory)
    }
}

struct DesignJSON: Encodable {
    let dt: Double
    let layer: Int
    let channels: Int
    let out: String?
    let systemOut: String?
    let modes: [DesignModeJSON]
    let maxRelativeError: Double
    enum CodingKeys: String, CodingKey {
        case dt, layer, channels, out, systemOut = "system_out", modes, maxRelativeError = "max_relative_error"
    }
}
