// Oscillator readings of S5, LRU, LinOSS (modal sum = the layer's impulse response), the MIMO ring, and the selective
// layer's time-varying reading with its Lyapunov exponents against the QR / renormalisation estimators.
import PhasorCorrespondence
import PhasorModels
import PhasorNumerics
import Testing

private func normals(_ n: Int, _ g: inout SeededGenerator, _ s: Double = 1) -> [Double] { (0..<n).map { _ in g.normal() * s } }
private func complexes(_ n: Int, _ g: inout SeededGenerator) -> [Complex<Double>] { (0..<n).map { _ in Complex(g.normal(), g.normal()) } }

private func s5Layer(_ seed: UInt64, _ disc: Discretization, conj: Bool) throws -> S5Layer {
    var g = SeededGenerator(seed: seed)
    let p = 5, h = 2
    return try S5Layer(lambdaRe: (0..<p).map { _ in -0.05 - g.uniform() }, lambdaIm: normals(p, &g, 4),
                       b: complexes(p * h, &g), c: complexes(h * p, &g), d: normals(h, &g),
                       logStep: (0..<p).map { _ in Double.log(0.02 + 0.4 * g.uniform()) },
                       discretization: disc, conjugateSymmetric: conj)
}

private func linossLayer(_ seed: UInt64, _ scheme: LinOSSScheme) throws -> LinOSSLayer {
    var g = SeededGenerator(seed: seed)
    let p = 3, h = 2
    return try LinOSSLayer(aDiag: (0..<p).map { _ in 0.1 + 2 * g.uniform() }, b: complexes(p * h, &g), c: complexes(h * p, &g),
                           d: normals(h, &g), steps: normals(p, &g), scheme: scheme)
}

/// max over j, inputs of |modal K_j − layer impulse response| relative to max(1, max |response|).
private func modalVersusRecurrence(_ reading: ArchitectureReading, _ system: DiagonalMIMOSystem, length: Int) throws -> Double {
    let h = system.channels
    var worst = 0.0, scale = 1.0
    for input in 0..<h {
        let response = try system.impulseResponse(input: input, length: length)  // (H, L) by the recurrence
        scale = max(scale, response.map(abs).max() ?? 0)
        for j in 0..<length {
            let k = try reading.impulseResponse(step: j)
            for i in 0..<h { worst = max(worst, abs(k[i * h + input] - response[i * length + j])) }
        }
    }
    return worst / scale
}

@Suite struct ArchitectureReadingTests {
    @Test(arguments: [(Discretization.zoh, true), (.zoh, false), (.bilinear, true)])
    func s5ModalSumIsImpulseResponse(_ c: (Discretization, Bool)) throws {
        let layer = try s5Layer(31, c.0, conj: c.1)
        let reading = try ArchitectureReading(s5: layer)
        #expect(try modalVersusRecurrence(reading, try layer.discrete(), length: 40) < 1e-12)
        let steps = try layer.steps()
        for (p, mode) in reading.modes.enumerated() {
            #expect(mode.step == steps[p])
            if c.0 == .zoh { #expect(mode.rate == layer.lambda[p]) }                        // the model's own Λ_p
            #expect(abs(Complex.exp(mode.rate * Complex(mode.step)).length - mode.mu.length) < 1e-14)
        }
    }

    @Test func lruModalSumAndStepReading() throws {
        var g = SeededGenerator(seed: 32)
        let layer = try LRULayer(channels: 3, states: 6, rMin: 0.3, rMax: 0.97, maxPhase: 3, generator: &g)
        let reading = try ArchitectureReading(lru: layer)
        #expect(try modalVersusRecurrence(reading, try layer.discrete(), length: 50) < 1e-12)
        for (j, mode) in reading.modes.enumerated() {
            #expect(abs(mode.stepFrequency - Double.exp(layer.thetaLog[j])) < 1e-14)  // arg λ = exp(θ_log)
            #expect(abs(mode.stepDamping - Double.exp(layer.nuLog[j])) < 1e-14)       // −log|λ| = exp(ν_log)
        }
        // The generic eigen-reading of the same system (LTISystem → OscillatorReading) gives the same response.
        let generic = try OscillatorReading(try reading.lti())
        #expect(generic.kappa < 1 + 1e-12)
        let response = try layer.discrete().impulseResponse(input: 1, length: 20)
        for j in 0..<20 {
            let k = try generic.impulseResponse(at: Double(j))
            for i in 0..<3 {
                let value = k[i, 1].real  // the modal sum C Aʲ B, without D (that is `direct`)
                let expected = response[i * 20 + j] - (j == 0 && i == 1 ? layer.d[1] : 0)
                #expect(abs(value - expected) < 1e-12)
            }
        }
    }

    @Test(arguments: LinOSSScheme.allCases)
    func linossModalSumAndDamping(_ scheme: LinOSSScheme) throws {
        let layer = try linossLayer(33, scheme)
        let reading = try ArchitectureReading(linoss: layer)
        // The layer's own update equations (not the diagonalised system) are the reference here.
        let h = layer.channels, length = 40
        var worst = 0.0
        for input in 0..<h {
            var u = [Double](repeating: 0, count: h * length)
            u[input * length] = 1
            let response = try layer.forward(u, length: length)
            for j in 0..<length {
                let k = try reading.impulseResponse(step: j)
                for i in 0..<h { worst = max(worst, abs(k[i * h + input] - response[i * length + j])) }
            }
        }
        #expect(worst < 1e-12)
        for (q, blk) in try layer.blocks().enumerated() {
            let plus = reading.modes[2 * q], x = blk.step * blk.naturalFrequency
            switch scheme {
            case .implicit:
                #expect(abs(plus.stepDamping - 0.5 * Double.log(1 + x * x)) < 1e-14)  // −log|μ| = ½ log(1 + Δ²A)
                #expect(abs(plus.stepFrequency - Double.atan(x)) < 1e-14)
            case .implicitExplicit:
                #expect(abs(plus.stepDamping) < 1e-14)                                // conservative
                #expect(abs(plus.stepFrequency - 2 * Double.asin(x / 2)) < 1e-14)
            }
            // Continuous reading: ω = arg μ / Δ → √A as Δ√A → 0; the relative gap is the scheme's dispersion.
            #expect(abs(plus.frequency - plus.stepFrequency / blk.step) < 1e-12)
        }
    }

    @Test func mimoRingEqualsLayers() throws {
        var g = SeededGenerator(seed: 34)
        let s5 = try s5Layer(35, .zoh, conj: true)
        let lru = try LRULayer(channels: 2, states: 4, rMin: 0.5, rMax: 0.9, generator: &g)
        let u = normals(2 * 30, &g)
        for system in [try s5.discrete(), try lru.discrete()] {
            let ring = try MIMORing(system)
            let out = try ring.run(u, length: 30).output, reference = try system.recur(u, length: 30)
            let scale = max(1, reference.map(abs).max() ?? 0)
            #expect(zip(out, reference).map { abs($0 - $1) }.max()! / scale < 1e-12)
        }
    }
}

@Suite struct ArchitectureLyapunovTests {
    @Test func qrOnDiagonalIsMeanLog() throws {
        var g = SeededGenerator(seed: 41)
        let n = 3, t = 50
        let diag = (0..<t).map { _ in (0..<n).map { _ in (g.uniform() < 0.3 ? -1 : 1) * Double.exp(0.5 * g.normal()) } }
        let mats = diag.map { d in (0..<(n * n)).map { $0 / n == $0 % n ? d[$0 / n] : 0 } }
        let exps = try LyapunovSpectrum.spectrum(transitions: mats, dimension: n)
        for i in 0..<n {
            let mean = diag.map { Double.log(abs($0[i])) }.reduce(0, +) / Double(t)
            #expect(abs(exps[i] - mean) < 1e-13)
        }
        // Any orthonormal start: Σ exponents = mean log|det M_t| exactly.
        let c = Double.cos(0.7), s = Double.sin(0.7)
        let rotation = [c, -s, 0, s * 0.6, c * 0.6, -0.8, s * 0.8, c * 0.8, 0.6]  // R_x(acos 0.6)·R_z(0.7)-like, orthonormal columns
        let rotated = try LyapunovSpectrum.spectrum(transitions: mats, dimension: n, initial: rotation)
        let logDet = diag.map { $0.map { Double.log(abs($0)) }.reduce(0, +) }.reduce(0, +) / Double(t)
        #expect(abs(rotated.reduce(0, +) - logDet) < 1e-12)
        // Renormalisation from a unit v: λ_max + log|v_n*|/T ≤ estimate ≤ λ_max.
        let lambdaMax = (0..<n).map { i in diag.map { Double.log(abs($0[i])) }.reduce(0, +) / Double(t) }.max()!
        let star = (0..<n).max { a, b in
            diag.map { Double.log(abs($0[a])) }.reduce(0, +) < diag.map { Double.log(abs($0[b])) }.reduce(0, +)
        }!
        let v = [0.48, 0.6, 0.64]  // unit
        let estimate = try LyapunovSpectrum.largest(transitions: mats, dimension: n, initial: v)
        #expect(estimate <= lambdaMax + 1e-13)
        #expect(estimate >= lambdaMax + Double.log(v[star]) / Double(t) - 1e-13)
    }

    @Test func qrOnConformalMapIsLogScale() throws {
        // M = r·R(θ) scales every direction by r: both exponents are log r for any frame.
        let mats = (0..<40).map { k -> [Double] in
            let r = 0.7 + 0.01 * Double(k), th = 0.3 * Double(k)
            return [r * Double.cos(th), -r * Double.sin(th), r * Double.sin(th), r * Double.cos(th)]
        }
        let expected = (0..<40).map { Double.log(0.7 + 0.01 * Double($0)) }.reduce(0, +) / 40
        for e in try LyapunovSpectrum.spectrum(transitions: mats, dimension: 2) { #expect(abs(e - expected) < 1e-13) }
    }

    @Test func selectiveReadingMatchesEstimators() throws {
        var g = SeededGenerator(seed: 42)
        let layer = try SelectiveLayer(channels: 2, states: 3, dtRank: 1, dtMin: 0.01, dtMax: 0.3, generator: &g)
        let length = 60
        let u = normals(2 * length, &g)
        let reading = try SelectiveReading(layer, input: u, length: length)
        let tokens = try layer.tokens(u, length: length)
        for t in 0..<length { for h in 0..<2 { for n in 0..<3 {
            #expect(abs(reading.stepDamping[(t * 2 + h) * 3 + n] + tokens.delta[t * 2 + h] * layer.a[h * 3 + n]) < 1e-15)
        } } }
        for h in 0..<2 {
            let mats = try reading.transitions(channel: h)
            let qr = try LyapunovSpectrum.spectrum(transitions: mats, dimension: 3)
            for n in 0..<3 { #expect(abs(qr[n] - reading.lyapunovExponents[h * 3 + n]) < 1e-12) }
        }
        #expect(reading.largestLyapunovExponent < 0)
        #expect(reading.largestLyapunovExponent == reading.lyapunovExponents.max())
        #expect(reading.stepFrequency.allSatisfy { $0 == 0 })
    }

    @Test func complexSelectiveFrequenciesAndPairedExponents() throws {
        var g = SeededGenerator(seed: 43)
        var layer = try SelectiveLayer(channels: 2, states: 2, dtRank: 1, dtMin: 0.05, dtMax: 0.3, generator: &g)
        layer.aImag = normals(4, &g, 3)
        let length = 40
        let u = normals(2 * length, &g)
        let reading = try SelectiveReading(layer, input: u, length: length)
        let tokens = try layer.tokens(u, length: length)
        for t in 0..<length { for h in 0..<2 { for n in 0..<2 {
            #expect(abs(reading.stepFrequency[(t * 2 + h) * 2 + n] - tokens.delta[t * 2 + h] * layer.aImag![h * 2 + n]) < 1e-15)
        } } }
        for h in 0..<2 {
            // Each complex state is a conformal 2×2 block: both of its exponents equal mean_t Δ_t A.
            let qr = try LyapunovSpectrum.spectrum(transitions: try reading.transitions(channel: h), dimension: 4)
            for n in 0..<2 {
                #expect(abs(qr[2 * n] - reading.lyapunovExponents[h * 2 + n]) < 1e-12)
                #expect(abs(qr[2 * n + 1] - reading.lyapunovExponents[h * 2 + n]) < 1e-12)
            }
        }
    }

    @Test func badTransitions() throws {
        #expect(throws: CorrespondenceError.self) { try LyapunovSpectrum.spectrum(transitions: [[1, 0, 0]], dimension: 2) }
        #expect(throws: CorrespondenceError.self) { try LyapunovSpectrum.spectrum(transitions: [[0, 0, 0, 0]], dimension: 2) }
        #expect(throws: NonFiniteError.self) { try LyapunovSpectrum.largest(transitions: [[.nan]], dimension: 1, initial: [1]) }
    }
}
