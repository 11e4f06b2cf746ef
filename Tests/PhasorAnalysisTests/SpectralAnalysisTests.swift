// Timescales, impulse-response correlation and memory capacity against closed forms and a simulation.
import Foundation
import PhasorCorrespondence
import PhasorNumerics
import Testing
@testable import PhasorAnalysis

private func ssm(_ modes: [Complex<Double>], input: [Complex<Double>]? = nil, output: [Complex<Double>]? = nil,
                 step: Double = 1) throws -> DiagonalSSM {
    try DiagonalSSM(modes: modes, input: input ?? modes.map { _ in .one }, output: output ?? modes.map { _ in .one },
                    direct: 0, step: step)
}

@Suite struct TimescaleTests {
    @Test func modeTimescalesAndUnits() throws {
        let m = try ModeTimescale(rate: Complex(-0.5, 3.0), step: 0.01)
        #expect(abs(m.decayTime! - 2) < 1e-15)
        #expect(abs(m.period! - 2 * Double.pi / 3) < 1e-15)
        #expect(abs(m.quality! - 3.0) < 1e-15)
        #expect(abs(m.decaySteps! - 200) < 1e-12)
        #expect(abs(m.periodSteps! - 200 * Double.pi / 3) < 1e-12)
        let grow = try ModeTimescale(rate: Complex(0.1, 0), step: 1)
        #expect(grow.decayTime == nil && grow.period == nil && grow.quality == nil && !grow.isStable)
    }

    @Test func quantilesAndHistogram() throws {
        let d = try TimescaleDistribution([1, 10, 100, 1000, nil], binCount: 3, probabilities: [0, 0.5, 1, 1.0 / 3])
        #expect(d.count == 4 && d.undefined == 1)
        // order statistics 1, 10, 100, 1000: median = (10 + 100)/2, p = 1/3 → h = 1 → 10
        #expect(d.quantiles[0] == 1 && abs(d.quantiles[1] - 55) < 1e-12 && d.quantiles[2] == 1000 && abs(d.quantiles[3] - 10) < 1e-12)
        #expect(d.log10Edges.count == 4 && abs(d.log10Edges[3] - 3) < 1e-12)
        #expect(d.bins == [1, 1, 2])   // edges 0, 1, 2, 3 (log10): 10 → bin 1, 100 and 1000 → bin 2 (last edge inclusive)
        #expect(throws: AnalysisError.self) { try TimescaleDistribution([1, -2]) }
    }

    @Test func unstableModeIsAWarningNotANaN() throws {
        let modes = [try ModeTimescale(rate: Complex(-1, 1), step: 1), try ModeTimescale(mode: 1, rate: Complex(0.2, 1), step: 1)]
        let a = try TimescaleAnalysis(modes: modes, binCount: 4)
        #expect(a.decaySteps.count == 1 && a.decaySteps.undefined == 1)
        #expect(a.warnings.contains { $0.contains("do not decay") })
        // JSON holds no NaN/∞ (the encoder would throw) and reads back as the same analysis: undefined times are null
        let json = try JSONEncoder().encode(a)
        #expect(try JSONDecoder().decode(TimescaleAnalysis.self, from: json) == a)
        let first = try #require((try JSONSerialization.jsonObject(with: json) as? [String: Any])?["modes"] as? [[String: Any]]).last
        #expect(first?["decay_time"] is NSNull && abs((first?["growth_time"] as? Double ?? 0) - 5) < 1e-15 && first?["mode"] as? Int == 1)
        #expect(throws: AnalysisError.insufficientData("timescale analysis needs at least one mode")) { try TimescaleAnalysis(modes: []) }
    }
}

@Suite struct CorrelationTests {
    /// Closed form for one damped mode, K[t] = 2·Re(w μ^t), kernel length L:
    /// Σ_{t<L−ℓ} K[t]K[t+ℓ] = 2·Re(|w|² conj(μ)^ℓ (1 − |μ|^{2(L−ℓ)})/(1 − |μ|²) + w² μ^ℓ (1 − μ^{2(L−ℓ)})/(1 − μ²)).
    static func closedForm(w: Complex<Double>, mu: Complex<Double>, length: Int, lag: Int) -> Double {
        func pow(_ z: Complex<Double>, _ k: Int) -> Complex<Double> { Complex.exp(Complex.log(z) * Complex(Double(k))) }
        let r2 = mu.lengthSquared
        let s1 = (1 - Foundation.pow(r2, Double(length - lag))) / (1 - r2)
        let s2 = (Complex.one - pow(mu * mu, length - lag)) / (Complex.one - mu * mu)
        return 2 * (Complex(w.lengthSquared * s1) * pow(mu.conjugate, lag) + w * w * pow(mu, lag) * s2).real
    }

    @Test func singleDampedModeMatchesClosedForm() throws {
        let gamma = 0.03, omega = 0.4, dt = 0.5, length = 300
        let mu = Complex.exp(Complex(-gamma * dt, omega * dt))
        let w = Complex(0.7, -1.3)
        let s = try ssm([mu], output: [w], step: dt)
        let ac = try KernelAutocorrelation(kernel: s.kernel(length: length), maxLag: 120)
        let zero = Self.closedForm(w: w, mu: mu, length: length, lag: 0)
        for l in stride(from: 0, through: 120, by: 7) {
            #expect(abs(ac.rho[l] - Self.closedForm(w: w, mu: mu, length: length, lag: l) / zero) < 1e-12)
        }
        // High-Q limit: ρ(ℓ) ≈ e^{−γℓΔ}cos(ωℓΔ) up to the relative correction O(γ/ω) of the second term.
        for l in [5, 20, 60] {
            let approx = Double.exp(-gamma * Double(l) * dt) * Double.cos(omega * Double(l) * dt)
            #expect(abs(ac.rho[l] - approx) < 0.1)
        }
    }

    @Test func correlationLengthOfARealDecay() throws {
        // μ = e^{−0.07}, w real: ρ(ℓ) = r^ℓ(1 − r^{2(L−ℓ)})/(1 − r^{2L}) ≈ r^ℓ, so ξ = ⌊1/0.07⌋ + 1 = 15 and
        // ξ_int ≈ (1 − r^{maxLag+1})/(1 − r).
        let r = Double.exp(-0.07)
        let s = try ssm([Complex(r)], output: [Complex(0.5)])
        let ac = try KernelAutocorrelation(kernel: s.kernel(length: 600), maxLag: 200)
        #expect(ac.correlationLength == 15 && !ac.censored)
        #expect(abs(ac.integratedLength - (1 - Foundation.pow(r, 201)) / (1 - r)) < 1e-9)
        let short = try KernelAutocorrelation(kernel: s.kernel(length: 600), maxLag: 5)
        #expect(short.censored && short.correlationLength == 6)
        #expect(throws: AnalysisError.self) { try KernelAutocorrelation(kernel: [0, 0, 0], maxLag: 2) }
    }

    @Test func coherenceOfTwoChannels() throws {
        // Channel B's mode is channel A's rotated by φ: Z_B[ℓ] = Z_A[ℓ]e^{iφℓ}, so r(ℓ) = |cos(φℓ/2)|.
        let mu = Complex.exp(Complex(-0.01, 0.3)), phi = 0.05
        let a = try ssm([mu]), b = try ssm([mu * Complex.exp(Complex(0, phi))])
        let layer = try LayerCorrelation(layer: 0, channels: [a, b], length: 100, maxLag: 60)
        for l in 0...60 { #expect(abs(layer.coherence[l] - abs(Double.cos(phi * Double(l) / 2))) < 1e-12) }
        // Opposite read-out signs: Z_B = −Z_A → r = 0; ρ̄ equals either channel's ρ.
        let c = try ssm([mu], output: [Complex(-1)])
        let opp = try LayerCorrelation(layer: 0, channels: [a, c], length: 100, maxLag: 30)
        #expect(opp.coherence.allSatisfy { $0 < 1e-12 })
        for l in 0...30 { #expect(abs(opp.mean.rho[l] - opp.channels[0]!.rho[l]) < 1e-12) }
        // A zero channel is reported, not divided by.
        let z = try ssm([mu], output: [.zero])
        let withZero = try LayerCorrelation(layer: 0, channels: [a, z], length: 50, maxLag: 10)
        #expect(withZero.channels[1] == nil && !withZero.warnings.isEmpty)
    }
}

@Suite struct MemoryCapacityTests {
    @Test func covarianceMatchesComplexClosedForm() throws {
        // E[h_n h̄_m] = b_n b̄_m/(1 − μ_n μ̄_m), E[h_n h_m] = b_n b_m/(1 − μ_n μ_m); real coordinates:
        // E[Re h_n Re h_m] = ½Re(P + P̃), E[Im h_n Im h_m] = ½Re(P − P̃), E[Re h_n Im h_m] = ½Im(P̃ − P).
        let modes = [Complex(0.8, 0.3), Complex(-0.5, 0.6), Complex(0.9, 0)]
        let input = [Complex(1.0, 0.2), Complex(-0.3, 0.7), Complex(0.4, -0.1)]
        let form = RealDiagonalForm(try ssm(modes, input: input))
        let p = try MemoryCapacity.covariance(form)
        for n in 0..<3 {
            for m in 0..<3 {
                let pc = input[n] * input[m].conjugate / (Complex.one - modes[n] * modes[m].conjugate)
                let pt = input[n] * input[m] / (Complex.one - modes[n] * modes[m])
                #expect(abs(p[2 * n, 2 * m].real - 0.5 * (pc + pt).real) < 1e-12)
                #expect(abs(p[2 * n + 1, 2 * m + 1].real - 0.5 * (pc - pt).real) < 1e-12)
                #expect(abs(p[2 * n, 2 * m + 1].real - 0.5 * (pt - pc).imaginary) < 1e-12)
            }
        }
    }

    @Test func scalarRealModeClosedForm() throws {
        // One real mode a: the imaginary coordinate never moves (rank 1 of N = 2), P = 1/(1 − a²), MC_k = a^{2k}(1 − a²).
        let a = 0.9
        let mc = try MemoryCapacity(try ssm([Complex(a)]), lags: 30)
        #expect(mc.stateDimension == 2 && mc.rank == 1 && !mc.warnings.isEmpty)
        for k in 0..<30 { #expect(abs(mc.perLag[k] - Foundation.pow(a, Double(2 * k)) * (1 - a * a)) < 1e-12) }
        #expect(abs(mc.total + mc.tail - 1) < 1e-12)
    }

    @Test func sumOverAllLagsIsTheStateDimension() throws {
        let s = try ssm([Complex(0.7, 0.5), Complex(0.2, -0.8), Complex(0.95, 0.1)],
                        input: [Complex(1, 0.5), Complex(0.3, 1), Complex(-0.6, 0.2)])
        let mc = try MemoryCapacity(s, lags: 40)
        #expect(mc.rank == 6 && mc.warnings.isEmpty)
        #expect(abs(mc.total + mc.tail - 6) < 1e-8)
        #expect(mc.total <= 6 + 1e-9)
        #expect(mc.perLag.allSatisfy { $0 >= -1e-12 && $0 <= 1 + 1e-12 })
    }

    @Test func agreesWithMonteCarloWithinSamplingError() throws {
        let s = try ssm([Complex(0.6, 0.5), Complex(0.85, -0.2)], input: [Complex(1, 0.3), Complex(0.4, -1)])
        let lags = 12
        let exact = try MemoryCapacity(s, lags: lags)
        let mc = try MonteCarloMemoryCapacity(s, lags: lags, samples: 6000, runs: 8, seed: 7)
        // least-squares R² is biased upward by ≈ N/n; allow 4 standard errors plus that bias
        let bias = Double(exact.stateDimension) / 6000
        for k in 0..<lags {
            #expect(abs(mc.perLag[k] - exact.perLag[k]) <= 4 * mc.standardError[k] + bias, "lag \(k)")
            #expect(mc.standardError[k] < 0.05)
        }
        #expect(abs(mc.total - exact.total) <= 4 * mc.totalStandardError + Double(lags) * bias)
    }

    @Test func unstableModeIsAClearError() throws {
        let s = try ssm([Complex(0.5), Complex(0.6, 0.9)])  // |μ| = 1.08
        #expect(throws: AnalysisError.self) { try MemoryCapacity(s, lags: 5) }
        do { _ = try MemoryCapacity(s, lags: 5) } catch let e as AnalysisError {
            #expect(e.description.contains("mode 1"))
        }
    }
}
