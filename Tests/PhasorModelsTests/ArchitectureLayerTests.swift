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
}
