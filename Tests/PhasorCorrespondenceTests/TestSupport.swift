// Shared helpers for the correspondence tests: random S4D channels and an independent S4D kernel/convolution.
import PhasorCorrespondence
import PhasorModels
import PhasorNumerics

/// Raw parameters of one S4D channel.
struct S4DChannelParameters {
    var logDt: Double
    var logAReal: [Double]
    var aImag: [Double]
    var c: [Complex<Double>]
    var d: Double

    static func random(modes: Int, seed: UInt64) -> S4DChannelParameters {
        var g = SeededGenerator(seed: seed)
        return S4DChannelParameters(
            logDt: Double.log(0.001) + g.uniform() * (Double.log(0.1) - Double.log(0.001)),
            logAReal: (0..<modes).map { _ in Double.log(0.5) + 0.3 * g.normal() },
            aImag: (0..<modes).map { Double.pi * Double($0) + 0.2 * g.normal() },
            c: (0..<modes).map { _ in Complex(g.normal(), g.normal()) },
            d: g.normal())
    }

    /// S4D-Lin: λ_n = −½ + iπn.
    static func lin(modes: Int, dt: Double) -> S4DChannelParameters {
        S4DChannelParameters(logDt: Double.log(dt), logAReal: Array(repeating: Double.log(0.5), count: modes),
                             aImag: (0..<modes).map { Double.pi * Double($0) },
                             c: (0..<modes).map { Complex(1 + 0.1 * Double($0), -0.05 * Double($0)) }, d: 0.3)
    }

    /// The channel as a one-channel S4D core.
    func core(_ discretization: Discretization = .zoh) throws -> S4DCore {
        let m = aImag.count
        let k = try S4DKernelParameters(channels: 1, modes: m, logDt: [logDt], C: c.flatMap { [$0.real, $0.imaginary] },
                                        logAReal: logAReal, AImag: aImag)
        return try S4DCore(kernel: k, D: [d], discretization: discretization)
    }

    /// Its diagonal system through the one S4D → diagonal conversion.
    func ssm(_ discretization: Discretization = .zoh) throws -> DiagonalSSM {
        try core(discretization).diagonalSystem(channel: 0).ssm
    }

    /// K[l] = 2·Re Σ_n C̃_n μ_n^l, written out here independently of Phasor's discretisation:
    /// ZOH μ = e^{Δλ}, C̃ = C(e^{Δλ} − 1)/λ (μ^l by one exp each); bilinear μ = (1 + Δλ/2)/(1 − Δλ/2), C̃ = CΔ/(1 − Δλ/2)
    /// (state-spaces' SSMKernelDiag), μ^l by repeated multiplication.
    func kernel(length: Int, bilinear: Bool = false) -> [Double] {
        let dt = Double.exp(logDt)
        return (0..<length).map { l in
            var sum = 0.0
            for n in 0..<aImag.count {
                let lambda = Complex(-Double.exp(logAReal[n]), aImag[n])
                let dtl = lambda * Complex(dt)
                if bilinear {
                    let mu = (Complex(1) + dtl / Complex(2)) / (Complex(1) - dtl / Complex(2))
                    var power = Complex<Double>.one
                    for _ in 0..<l { power = power * mu }
                    sum += (c[n] * Complex(dt) / (Complex(1) - dtl / Complex(2)) * power).real
                } else {
                    sum += (c[n] * (Complex.exp(dtl) - .one) / lambda * Complex.exp(dtl * Complex(Double(l)))).real
                }
            }
            return 2 * sum
        }
    }

    /// y = causal conv(K, u) + D u.
    func output(_ u: [Double], bilinear: Bool = false) -> [Double] {
        let k = kernel(length: u.count, bilinear: bilinear)
        return (0..<u.count).map { i in (0...i).reduce(d * u[i]) { $0 + k[$1] * u[i - $1] } }
    }
}

func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

func maxAbsDifference(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> Double {
    zip(a, b).map { ($0 - $1).length }.max() ?? 0
}

func randomInput(length: Int, seed: UInt64) -> [Double] {
    var g = SeededGenerator(seed: seed)
    return (0..<length).map { _ in g.normal() }
}
