import PhasorCorrespondence
import PhasorModels
import PhasorNumerics
import Testing

@Suite struct OscillatorReadingTests {
    @Test func modalSumReproducesTheContinuousImpulseResponse() throws {
        for (seed, complex) in [(UInt64(11), false), (12, true)] {
            let s = try randomStableSystem(n: 6, m: 2, p: 3, complex: complex, seed: seed)
            let reading = try OscillatorReading(s)
            #expect(reading.eigenReadingMeaningful && reading.schur == nil)
            for t in [0.0, 0.37, 1.5, 4.0] {
                let reference = try s.c * ((t * s.a).exponential() * s.b)  // C e^{tA} B
                let scale = s.c.frobeniusNorm * s.b.frobeniusNorm
                #expect(try (reading.impulseResponse(at: t) - reference).frobeniusNorm <= 1e-12 * scale)
            }
        }
    }

    @Test func modalSumReproducesTheDiscreteImpulseResponse() throws {
        let s = try randomStableSystem(n: 5, m: 1, p: 2, complex: true, seed: 13)
        let dt = 0.5
        let d = try s.discretised(step: dt, method: .zoh).system
        let reading = try OscillatorReading(d)
        #expect(reading.step == dt)
        var power = d.b  // Ā^j B̄
        let scale = d.c.frobeniusNorm * d.b.frobeniusNorm
        for j in 0..<25 {
            let reference = try d.c * power
            #expect(try (reading.impulseResponse(at: Double(j) * dt) - reference).frobeniusNorm <= 1e-12 * scale)
            power = try d.a * power
        }
        // λ = log μ / Δ gives back the continuous eigenvalues
        let continuous = try s.a.eigen().values
        for mode in reading.modes {
            #expect(continuous.contains { ($0 - mode.lambda).length <= 1e-12 })
        }
    }

    @Test func modeQuantitiesFollowTheirDefinitions() throws {
        let a = ComplexMatrix.diagonal([Complex(-0.1, 2), Complex(-0.2, 0), Complex(0, -1)])
        let s = try LTISystem(a: a, b: ComplexMatrix(real: [[1], [2], [3]]), c: ComplexMatrix(real: [[1, 1, 1]]),
                              d: ComplexMatrix(real: [[0.5]]), domain: .continuous)
        let reading = try OscillatorReading(s)
        #expect(reading.kappa <= 1 + 1e-12)
        let byDamping = reading.modes.sorted { $0.damping < $1.damping }
        let undamped = byDamping[0], ringing = byDamping[1], real = byDamping[2]
        #expect(undamped.decayTime == nil && undamped.quality == nil)
        #expect(abs((undamped.period ?? 0) - 2 * Double.pi) <= 1e-14)
        #expect(abs(ringing.frequency - 2) <= 1e-14 && abs(ringing.damping - 0.1) <= 1e-14)
        #expect(abs((ringing.decayTime ?? 0) - 10) <= 1e-12 && abs((ringing.quality ?? 0) - 10) <= 1e-12)
        #expect(abs((ringing.period ?? 0) - Double.pi) <= 1e-14)
        #expect(real.period == nil && abs((real.decayTime ?? 0) - 5) <= 1e-12 && real.quality == 0)
        // drive × read-out per mode = the residue b_k c_k of the diagonal system
        #expect(abs((ringing.drive[0] * ringing.readout[0]).real - 1) <= 1e-14)
        #expect(abs((real.drive[0] * real.readout[0]).real - 2) <= 1e-14)
    }

    /// HiPPO-LegS: A_nk = −√(2n+1)√(2k+1) (n > k), −(n+1) (n = k), 0 (n < k); B_n = √(2n+1).
    static func legS(_ n: Int) throws -> LTISystem {
        var a = ComplexMatrix(rows: n, columns: n), b = ComplexMatrix(rows: n, columns: 1)
        for i in 0..<n {
            b[i, 0] = Complex(Double(2 * i + 1).squareRoot())
            for k in 0...i {
                a[i, k] = Complex(i == k ? -Double(i + 1) : -(Double(2 * i + 1) * Double(2 * k + 1)).squareRoot())
            }
        }
        var c = ComplexMatrix(rows: 1, columns: n)
        for k in 0..<n { c[0, k] = .one }
        return try LTISystem(a: a, b: b, c: c, d: ComplexMatrix(rows: 1, columns: 1), domain: .continuous)
    }

    @Test func hippoLegSIsFlaggedAndReadThroughSchur() throws {
        let s = try Self.legS(64)
        let reading = try OscillatorReading(s)
        #expect(reading.kappa > OscillatorReading.kappaThreshold)
        #expect(!reading.eigenReadingMeaningful)
        #expect(!reading.warnings.isEmpty)
        let schur = try #require(reading.schur)
        #expect(schur.relativeResidual <= 1e-12)
        // independent check of the factorisation: ‖A − U T U*‖ ≤ 1e-12‖A‖ and U unitary
        let rebuilt = try schur.u * (schur.t * schur.u.adjoint)
        #expect(try (s.a - rebuilt).frobeniusNorm <= 1e-12 * s.a.frobeniusNorm)
        #expect(try (schur.u.adjoint * schur.u - ComplexMatrix.identity(64)).frobeniusNorm <= 1e-12)
        // the oscillators are the eigenvalues −1, …, −64 of the triangular A
        let rates = schur.oscillators.map(\.real).sorted()
        for (k, r) in rates.enumerated() { #expect(abs(r + Double(64 - k)) <= 1e-8 * 64) }
        #expect(schur.departureFromNormality > 0.5)
        #expect(zip(0..<64, 0..<64).allSatisfy { schur.coupling[$0, $1] == .zero })
    }

    @Test func aNormalSystemHasNoSchurCoupling() throws {
        let a = try ComplexMatrix(real: [[-0.3, 2], [-2, -0.3]])  // normal: Schur T is diagonal
        let s = try LTISystem(a: a, b: ComplexMatrix(real: [[1], [0]]), c: ComplexMatrix(real: [[1, 0]]),
                              d: ComplexMatrix(real: [[0]]), domain: .continuous)
        let reading = try OscillatorReading(s, includeSchur: true)
        let schur = try #require(reading.schur)
        #expect(schur.coupling.frobeniusNorm <= 1e-14 && abs(reading.kappa - 1) <= 1e-12)
    }

    @Test func diagonalChannelReadingReproducesTheS4DKernel() throws {
        let p = S4DChannelParameters.random(modes: 6, seed: 61)
        let reading = try OscillatorReading(diagonal: try p.ssm())
        let kernel = p.kernel(length: 30)
        for j in 0..<30 {
            let modal = 2 * (try reading.impulseResponse(at: Double(j) * Double.exp(p.logDt)))[0, 0].real
            #expect(abs(modal - kernel[j]) <= 1e-12 * max(kernel.map(abs).max() ?? 1, 1))
        }
        // rates are the S4D λ = −exp(log_A_real) + i·A_imag (A_imag within the Nyquist band here)
        for (n, mode) in reading.modes.enumerated() {
            #expect((mode.lambda - Complex(-Double.exp(p.logAReal[n]), p.aImag[n])).length <= 1e-12 * max(1, mode.lambda.length))
        }
    }
}

@Test func aDefectiveSystemIsFlaggedWithFiniteNumbers() throws {
    // Jordan block: κ(V) = ∞; the reading must flag it and give the Schur reading, never NaN/Inf in modes
    let s = try LTISystem(a: ComplexMatrix(real: [[-1, 1], [0, -1]]), b: ComplexMatrix(real: [[0], [1]]),
                          c: ComplexMatrix(real: [[1, 0]]), d: ComplexMatrix(real: [[0]]), domain: .continuous)
    let reading = try OscillatorReading(s)
    #expect(!reading.eigenReadingMeaningful)
    #expect(reading.kappa > OscillatorReading.kappaThreshold)
    #expect(reading.modes.allSatisfy { $0.drive.allSatisfy(\.isFinite) && $0.readout.allSatisfy(\.isFinite) })
    let schur = try #require(reading.schur)
    #expect(schur.relativeResidual <= 1e-15)
    #expect(abs(schur.coupling[0, 1].length - 1) <= 1e-12)  // the Jordan coupling survives in T
}

/// One definition of a mode's timescales: a growing mode (γ < 0) has no decay time and no quality (never a negative
/// one) but a growth time 1/|γ|; the eigen-reading of a system and the diagonal reading agree on it.
@Suite struct ModeTimescalesTests {
    @Test func growingDecayingAndUndampedModes() throws {
        let grow = ModeTimescales(rate: Complex(0.25, 2), step: 0.5)
        #expect(grow.decayTime == nil && grow.quality == nil && grow.growthTime == 4 && !grow.isStable)
        #expect(abs(grow.period! - Double.pi) < 1e-15 && abs(grow.periodSteps! - 2 * Double.pi) < 1e-15 && grow.decaySteps == nil)
        let decay = ModeTimescales(rate: Complex(-0.5, 3), step: 0.01)
        #expect(decay.decayTime == 2 && decay.growthTime == nil && abs(decay.quality! - 3) < 1e-15 && abs(decay.decaySteps! - 200) < 1e-12)
        let still = ModeTimescales(rate: Complex(0, 0))
        #expect(still.decayTime == nil && still.growthTime == nil && still.period == nil && still.quality == nil && still.step == nil)
        // the same numbers from a continuous system's eigen-reading (diag(0.25 + 2i)) and from a diagonal channel
        let system = try LTISystem(a: ComplexMatrix.diagonal([Complex(0.25, 2)]), b: ComplexMatrix.diagonal([.one]),
                                   c: ComplexMatrix.diagonal([.one]), d: ComplexMatrix(rows: 1, columns: 1), domain: .continuous)
        let eigen = try OscillatorReading(system).modes[0]
        #expect(eigen.decayTime == nil && eigen.quality == nil && abs(eigen.timescales.growthTime! - 4) < 1e-12)
        let ssm = try DiagonalSSM(modes: [Complex.exp(Complex(0.125, 1))], input: [.one], output: [.one], direct: 0, step: 0.5)
        let diagonal = try OscillatorReading(diagonal: ssm).modes[0]
        #expect(diagonal.decayTime == nil && abs(diagonal.timescales.growthTime! - 4) < 1e-12 && abs(diagonal.period! - Double.pi) < 1e-12)
    }
}
