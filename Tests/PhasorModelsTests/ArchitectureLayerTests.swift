// S5, LRU and LinOSS: recurrence vs convolution, discretisation formulas, safetensors round trips, typed errors.
import Foundation
import PhasorData
import PhasorNumerics
import Testing
@testable import PhasorModels

private func s5(_ seed: UInt64, p: Int = 4, h: Int = 3, _ disc: Discretization = .zoh, conj: Bool = true) throws -> S5Layer {
    var g = SeededGenerator(seed: seed)
    return try S5Layer(lambdaRe: (0..<p).map { _ in -0.1 - g.uniform() }, lambdaIm: ArchitectureFixture.reals(p, &g, scale: 3),
                       b: ArchitectureFixture.complex(p * h, &g), c: ArchitectureFixture.complex(h * p, &g),
                       d: ArchitectureFixture.reals(h, &g), logStep: (0..<p).map { _ in Double.log(0.05 + 0.3 * g.uniform()) },
                       discretization: disc, conjugateSymmetric: conj)
}

private func linoss(_ seed: UInt64, p: Int = 4, h: Int = 2, _ scheme: LinOSSScheme) throws -> LinOSSLayer {
    var g = SeededGenerator(seed: seed)
    return try LinOSSLayer(aDiag: (0..<p).map { _ in 0.2 + 3 * g.uniform() }, b: ArchitectureFixture.complex(p * h, &g),
                           c: ArchitectureFixture.complex(h * p, &g), d: ArchitectureFixture.reals(h, &g),
                           steps: ArchitectureFixture.reals(p, &g), scheme: scheme)
}

@Suite struct S5Tests {
    @Test(arguments: [(Discretization.zoh, true), (.zoh, false), (.bilinear, true), (.bilinear, false)])
    func recurrenceEqualsConvolution(_ c: (Discretization, Bool)) throws {
        let layer = try s5(1, c.0, conj: c.1)
        var g = SeededGenerator(seed: 2)
        let u = ArchitectureFixture.reals(3 * 150, &g)  // L = 150 crosses the kernel's 64-step blocks
        let rec = try layer.forward(u, length: 150)
        for direct in [false, true] {  // FFT and direct sum
            #expect(ArchitectureFixture.relativeError(rec, try layer.forwardConvolution(u, length: 150, direct: direct)) < 1e-12)
        }
    }

    @Test func discretisationFormulas() throws {
        // ZOH B̄ = ∫₀^Δ e^{Λs} ds·B̃, checked by composite Simpson quadrature (independent of expm1/Λ);
        // bilinear Λ̄ = (1 + ΔΛ/2)/(1 − ΔΛ/2) checked as the Cayley map: Λ̄ − 1 = (ΔΛ/2)(Λ̄ + 1).
        let zoh = try s5(3), bil = try s5(3, .bilinear)
        let steps = try zoh.steps(), h = zoh.channels
        let dz = try zoh.discrete(), db = try bil.discrete()
        for p in 0..<zoh.modes {
            let l = zoh.lambda[p], n = 2000, hStep = steps[p] / Double(n)
            var integral = Complex<Double>.zero
            for i in 0...n {
                let w: Double = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
                integral += Complex(w * hStep / 3) * Complex.exp(l * Complex(Double(i) * hStep))
            }
            #expect((dz.bBar[p * h] - integral * zoh.b[p * h]).length < 1e-11 * max(1, zoh.b[p * h].length))
            let half = Complex(steps[p] / 2) * l
            #expect((db.mu[p] - 1 - half * (db.mu[p] + 1)).length < 1e-14)
        }
    }

    @Test func safetensorsRoundTripAndKeys() throws {
        let layer = try s5(4, conj: false)
        var file = SafeTensorsFile()
        try layer.write(to: &file, prefix: "layers.0.seq.")
        #expect(Set(file.tensors.keys) == Set(["Lambda_re", "Lambda_im", "B", "C", "D", "log_step"].map { "layers.0.seq." + $0 }))
        #expect(file.tensors["layers.0.seq.B"]?.shape == [4, 3, 2])
        #expect(file.tensors["layers.0.seq.log_step"]?.shape == [4, 1])
        let back = try S5Layer(file: SafeTensorsFile(bytes: try file.serialized()), prefix: "layers.0.seq.", conjugateSymmetric: false)
        #expect(back == layer)
    }

    @Test func badInput() throws {
        let layer = try s5(5)
        var bad = layer
        bad.logStep[1] = 800  // exp overflows: Δ = ∞
        #expect(throws: ArchitectureError.self) { try bad.discrete() }
        #expect(throws: ArchitectureError.self) {
            try S5Layer(lambdaRe: [.nan], lambdaIm: [0], b: [.one], c: [.one], d: [0], logStep: [0])
        }
        #expect(throws: ArchitectureError.self) {
            try S5Layer(lambdaRe: [-1, -1], lambdaIm: [0, 0], b: [.one], c: [.one], d: [0], logStep: [0, 0])
        }
        #expect(throws: ArchitectureError.self) { try layer.forward([1, 2], length: 2) }  // H = 3 needs 6 values
        #expect(throws: ArchitectureError.self) { try layer.forward([1, 2, .infinity, 0, 0, 0], length: 2) }
    }
}

@Suite struct LRUTests {
    @Test func recurrenceEqualsConvolution() throws {
        var g = SeededGenerator(seed: 7)
        let layer = try LRULayer(channels: 3, states: 5, rMin: 0.4, rMax: 0.95, maxPhase: .pi, generator: &g)
        let u = ArchitectureFixture.reals(3 * 50, &g)
        let rec = try layer.forward(u, length: 50)
        #expect(ArchitectureFixture.relativeError(rec, try layer.forwardConvolution(u, length: 50)) < 1e-12)
        #expect(ArchitectureFixture.relativeError(rec, try layer.forwardConvolution(u, length: 50, direct: true)) < 1e-12)
    }

    @Test func ringInitialisation() throws {
        var g = SeededGenerator(seed: 8)
        let layer = try LRULayer(channels: 2, states: 200, rMin: 0.5, rMax: 0.9, maxPhase: 0.3, generator: &g)
        let lambda = try layer.lambda()
        for (j, l) in lambda.enumerated() {
            #expect(l.length >= 0.5 - 1e-15 && l.length <= 0.9 + 1e-15)
            #expect(l.phase >= 0 && l.phase <= 0.3 + 1e-15)
            #expect(abs(layer.gamma[j] - (1 - l.lengthSquared).squareRoot()) < 1e-14)  // γ = √(1 − |λ|²)
        }
        // |λ|² is uniform on [r_min², r_max²]: its mean is (0.25 + 0.81)/2 within a few standard errors.
        let meanSquare = lambda.map(\.lengthSquared).reduce(0, +) / 200
        #expect(abs(meanSquare - 0.53) < 4 * (0.56 / 12.0.squareRoot()) / 200.0.squareRoot())
    }

    @Test func unstableAndBadInputRefused() throws {
        var g = SeededGenerator(seed: 9)
        var layer = try LRULayer(channels: 2, states: 3, generator: &g)
        layer.nuLog[0] = -800  // exp(ν) underflows: |λ| = 1
        #expect(throws: ArchitectureError.unstable("|λ_0| = 1.0 ≥ 1 (nu_log = -800.0 is too negative)")) { try layer.lambda() }
        #expect(throws: ArchitectureError.self) { try layer.forward([0, 0, 0, 0], length: 2) }
        #expect(throws: ArchitectureError.self) { try LRULayer(channels: 2, states: 3, rMin: 0.9, rMax: 0.5, generator: &g) }
    }

    @Test func safetensorsRoundTripAndKeys() throws {
        var g = SeededGenerator(seed: 10)
        let layer = try LRULayer(channels: 2, states: 3, generator: &g)
        var file = SafeTensorsFile()
        try layer.write(to: &file)
        #expect(Set(file.tensors.keys) == ["nu_log", "theta_log", "B_re", "B_im", "C_re", "C_im", "D", "gamma_log"])
        #expect(try LRULayer(file: SafeTensorsFile(bytes: try file.serialized())) == layer)
        file.tensors["gamma_log"] = try Tensor(shape: [3], float64: [0, .nan, 0])
        #expect(throws: ArchitectureError.self) { try LRULayer(file: file) }
    }
}

@Suite struct LinOSSTests {
    @Test(arguments: LinOSSScheme.allCases)
    func recurrenceEqualsConvolutionAndModes(_ scheme: LinOSSScheme) throws {
        let layer = try linoss(11, scheme)
        var g = SeededGenerator(seed: 12)
        let u = ArchitectureFixture.reals(2 * 60, &g)
        let rec = try layer.forward(u, length: 60)
        #expect(ArchitectureFixture.relativeError(rec, try layer.forwardConvolution(u, length: 60)) < 1e-12)
        #expect(ArchitectureFixture.relativeError(rec, try layer.forwardConvolution(u, length: 60, direct: true)) < 1e-12)
        #expect(ArchitectureFixture.relativeError(rec, try layer.diagonalised().recur(u, length: 60)) < 1e-12)
    }

    @Test func eigenvaluesAndDamping() throws {
        for scheme in LinOSSScheme.allCases {
            for blk in try linoss(13, p: 6, scheme).blocks() {
                let (plus, minus) = blk.eigenvalues
                let x = blk.step * blk.naturalFrequency  // Δ√A
                // μ± are the roots of μ² − tr μ + det (checked directly on M).
                for mu in [plus, minus] {
                    let poly = mu * mu - Complex(blk.m00 + blk.m11) * mu + Complex(blk.m00 * blk.m11 - blk.m01 * blk.m10)
                    #expect(poly.length < 1e-14)
                }
                switch scheme {
                case .implicit:
                    #expect(abs(plus.length - 1 / (1 + x * x).squareRoot()) < 1e-15)  // |μ| = 1/√(1 + Δ²A)
                    #expect(abs(plus.phase - Double.atan(x)) < 1e-15)                  // arg μ = atan(Δ√A)
                    let s = 1 + x * x
                    #expect((plus - Complex(1, x) / Complex(s)).length < 1e-15)         // μ₊ = (1 + iΔ√A)/S
                case .implicitExplicit:
                    #expect(abs(plus.length - 1) < 1e-15)                              // |μ| = 1
                    #expect(abs(plus.phase - 2 * Double.asin(x / 2)) < 1e-14)          // arg μ = 2 asin(Δ√A/2)
                    #expect(abs(Double.cos(plus.phase) - (1 - x * x / 2)) < 1e-15)     // cos θ = 1 − Δ²A/2
                }
                #expect((minus - plus.conjugate).length < 1e-15)
                // The inverse relation recovers the natural frequency √A from either eigenvalue.
                for mu in [plus, minus] {
                    let root = LinOSSBlock.naturalFrequency(eigenvalue: mu, step: blk.step, scheme: scheme)
                    #expect(abs(root - blk.naturalFrequency) < 1e-12 * max(1, blk.naturalFrequency))
                }
            }
        }
    }

    @Test func instabilityDefectAndKeys() throws {
        var layer = try linoss(14, p: 2, .implicitExplicit)
        layer.steps = [10, 10]; layer.aDiag = [5, 1]  // Δ ≈ 1, Δ²A ≈ 5 > 4
        #expect(throws: ArchitectureError.self) { try layer.blocks() }
        var im = try linoss(15, p: 2, .implicit)
        im.aDiag[1] = -3  // relu → A = 0: a Jordan block, still a valid recurrence
        #expect(throws: ArchitectureError.self) { try im.diagonalised() }
        let u = [1.0, 0, 0, 0, 0.5, 0, 0, 0]
        #expect(ArchitectureFixture.relativeError(try im.forward(u, length: 4), try im.forwardConvolution(u, length: 4)) < 1e-13)
        var file = SafeTensorsFile()
        try im.write(to: &file, prefix: "m.")
        #expect(Set(file.tensors.keys) == ["m.A_diag", "m.B", "m.C", "m.D", "m.steps"])
        #expect(try LinOSSLayer(file: SafeTensorsFile(bytes: try file.serialized()), prefix: "m.") == im)
    }
}

@Suite struct S5InitialisationTests {
    @Test(arguments: [true, false])
    func hippoNSpectrum(_ conj: Bool) throws {
        var g = SeededGenerator(seed: 16)
        let p = 8
        let layer = try S5Layer(channels: 3, stateSize: p, conjugateSymmetric: conj, generator: &g)
        #expect(layer.modes == (conj ? p / 2 : p))
        #expect(layer.lambdaRe.allSatisfy { $0 == -0.5 })
        // The skew part K = S + ½I of HiPPO-N has ‖K‖_F² = Σ |Im λ|² over all P eigenvalues (K normal, Λ = ±iω pairs).
        var frobenius = 0.0
        for n in 0..<p { for k in 0..<p where n != k {
            let a = n > k ? -(Double(2 * n + 1) * Double(2 * k + 1)).squareRoot() : 0
            let entry = a + (Double(n) + 0.5).squareRoot() * (Double(k) + 0.5).squareRoot()
            frobenius += entry * entry
        } }
        let sumSquares = layer.lambdaIm.map { $0 * $0 }.reduce(0, +)
        #expect(abs((conj ? 2 : 1) * sumSquares - frobenius) < 1e-10 * frobenius)
        if conj { #expect(layer.lambdaIm.allSatisfy { $0 < 0 }) }
        #expect(try layer.steps().allSatisfy { $0 >= 1e-3 && $0 <= 1e-1 })
        var h = SeededGenerator(seed: 17)
        let u = ArchitectureFixture.reals(3 * 30, &h)
        #expect(ArchitectureFixture.relativeError(try layer.forward(u, length: 30), try layer.forwardConvolution(u, length: 30)) < 1e-12)
        #expect(throws: ArchitectureError.self) { try S5Layer(channels: 3, stateSize: 7, generator: &g) }
    }
}

@Suite struct ArchitectureBatchTests {
    @Test func batchIsSamplesRunIndependently() throws {
        var g = SeededGenerator(seed: 18)
        let h = 2, length = 12, batch = 3
        let u = ArchitectureFixture.reals(batch * h * length, &g)
        let lru = try LRULayer(channels: h, states: 3, generator: &g)
        let sel = try SelectiveLayer(channels: h, states: 2, dtRank: 1, generator: &g)
        let lin = try linoss(19, p: 2, h: h, .implicit)
        let s = try s5(20, p: 3, h: h)
        let runs: [(([Double]) throws -> [Double], ([Double]) throws -> [Double])] = [
            ({ try lru.forward($0, batch: batch, length: length, convolution: true) }, { try lru.forward($0, length: length) }),
            ({ try s.forward($0, batch: batch, length: length, convolution: true) }, { try s.forward($0, length: length) }),
            ({ try lin.forward($0, batch: batch, length: length, convolution: true) }, { try lin.forward($0, length: length) }),
            ({ try sel.forward($0, batch: batch, length: length) }, { try sel.forward($0, length: length) }),
        ]
        for (batched, single) in runs {
            let y = try batched(u)
            for b in 0..<batch {
                let slice = Array(u[(b * h * length)..<((b + 1) * h * length)])
                #expect(ArchitectureFixture.relativeError(Array(y[(b * h * length)..<((b + 1) * h * length)]), try single(slice)) < 1e-12)
            }
            #expect(throws: ArchitectureError.self) { try batched(Array(u.dropLast())) }
        }
    }
}
