// `phasor design` as data: per target, the designed λ and μ and the targets read back from the written layer (the
// round trip the file promises), and the worst relative error of that read-back.
import PhasorModels
import PhasorNumerics

public struct DesignReport: Encodable, Sendable {
    public struct Mode: Encodable, Sendable {
        public let period: Double?
        public let memory: Double
        public let lambda: [Double]
        public let mu: [Double]
        public let recoveredPeriod: Double?
        public let recoveredMemory: Double
        enum CodingKeys: String, CodingKey {
            case period, memory, lambda, mu, recoveredPeriod = "recovered_period", recoveredMemory = "recovered_memory"
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(period, forKey: .period)  // null = ∞
            try c.encode(memory, forKey: .memory)
            try c.encode(lambda, forKey: .lambda)
            try c.encode(mu, forKey: .mu)
            try c.encode(recoveredPeriod, forKey: .recoveredPeriod)
            try c.encode(recoveredMemory, forKey: .recoveredMemory)
        }
    }

    public let dt: Double
    public let layer: Int
    public let channels: Int
    public let out: String?
    public let systemOut: String?
    public let modes: [Mode]
    public let maxRelativeError: Double

    enum CodingKeys: String, CodingKey {
        case dt, layer, channels, out, systemOut = "system_out", modes, maxRelativeError = "max_relative_error"
    }

    /// The report of `design`, its targets read back from channel 0 of the designed `core`.
    public init(design: OscillatorDesign, core: S4DCore, layer: Int, out: String?, systemOut: String?) throws {
        let recovered = try OscillatorDesign.targets(s4d: try core.diagonalSystem(channel: 0).ssm)
        var modes: [Mode] = []
        var worst = 0.0
        for (k, target) in design.targets.enumerated() {
            let back = recovered[k]
            let periodError: Double
            switch (target.period, back.period) {
            case (nil, nil): periodError = 0
            case let (p?, q?): periodError = abs(p - q) / p
            default: periodError = 1
            }
            worst = max(worst, periodError, abs(target.memory - back.memory) / target.memory)
            modes.append(Mode(period: target.period, memory: target.memory,
                              lambda: realImaginary(design.continuousEigenvalues[k]), mu: realImaginary(design.discreteEigenvalues[k]),
                              recoveredPeriod: back.period, recoveredMemory: back.memory))
        }
        dt = design.step
        self.layer = layer
        channels = core.channels
        self.out = out
        self.systemOut = systemOut
        self.modes = modes
        maxRelativeError = worst
    }
}
