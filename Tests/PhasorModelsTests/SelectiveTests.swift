// The selective (Mamba-style) scan against an explicit product formula, its Lyapunov exponents, files and errors.
import PhasorData
import PhasorNumerics
import Testing
@testable import PhasorModels

@Suite struct SelectiveTests {
    private func layer(_ seed: UInt64, complex: Bool = false) throws -> SelectiveLayer {
        var g = SeededGenerator(seed: seed)
        var layer = try SelectiveLayer(channels: 3, states: 4, dtRank: 2, dtMin: 0.01, dtMax: 0.5, generator: &g)
        layer.aLog = layer.aLog.map { $0 + 0.3 * g.normal() }
        if complex { layer.aImag = (0..<12).map { _ in 5 * g.normal() } }
        return layer
    }

    @Test(arguments: [false, true])
    func recurrenceEqualsExplicitProductFormula(_ complex: Bool) throws {
        // y_t[h] = Re Σ_n C_t[n] Σ_{s≤t} exp((A + i·A_imag)[h,n] Σ_{r=s+1}^{t} Δ_r[h]) Δ_s[h] B_s[n] u_s[h] + D[h] u_t[h]
        let l = try layer(21, complex: complex), L = 25, H = 3, N = 4
        var g = SeededGenerator(seed: 22)
        let u = ArchitectureFixture.reals(H * L, &g)
        let y = try l.forward(u, length: L), tok = try l.tokens(u, length: L), a = l.a
        var direct = [Double](repeating: 0, count: H * L)
        for h in 0..<H {
            for t in 0..<L {
                var sum = l.d[h] * u[h * L + t]
                for n in 0..<N {
                    for s in 0...t {
                        var exponent = 0.0
                        if s < t { for r in (s + 1)...t { exponent += tok.delta[r * H + h] } }
                        let rotation = Double.cos((l.aImag?[h * N + n] ?? 0) * exponent)  // Re e^{iθ} (real drive)
                        sum += tok.c[t * N + n] * Double.exp(a[h * N + n] * exponent) * rotation * tok.delta[s * H + h]
                            * tok.b[s * N + n] * u[h * L + s]
                    }
                }
                direct[h * L + t] = sum
            }
        }
        #expect(ArchitectureFixture.relativeError(y, direct) < 1e-12)
    }

    @Test func tokensFollowTheProjections() throws {
        let l = try layer(23)
        let u = [0.3, -1.0, 0.7]  // H = 3, L = 1
        let tok = try l.tokens(u, length: 1)
        for h in 0..<3 {
            var s = l.dtProjBias[h]
            for k in 0..<2 { for j in 0..<3 { s += l.dtProjWeight[h * 2 + k] * l.xProjWeight[k * 3 + j] * u[j] } }
            #expect(abs(tok.delta[h] - Double.log(1 + Double.exp(s))) < 1e-15)  // Δ = softplus(W_Δ u + b_Δ)
        }
        #expect(tok.delta.allSatisfy { $0 > 0 })
    }

    @Test func lyapunovExponentsAreMeanLogTransitions() throws {
        let l = try layer(24), L = 30
        var g = SeededGenerator(seed: 25)
        let u = ArchitectureFixture.reals(3 * L, &g)
        let exps = try l.lyapunovExponents(u, length: L), tok = try l.tokens(u, length: L), a = l.a
        for h in 0..<3 { for n in 0..<4 {
            let mean = (0..<L).map { Double.log(abs(Double.exp(tok.delta[$0 * 3 + h] * a[h * 4 + n]))) }.reduce(0, +) / Double(L)
            #expect(abs(exps[h * 4 + n] - mean) < 1e-13)
            #expect(exps[h * 4 + n] < 0)
        } }
    }

    @Test func filesAndErrors() throws {
        let l = try layer(26)
        var file = SafeTensorsFile()
        try l.write(to: &file, prefix: "mixer.")
        #expect(Set(file.tensors.keys) == ["mixer.A_log", "mixer.D", "mixer.x_proj.weight", "mixer.dt_proj.weight", "mixer.dt_proj.bias"])
        #expect(file.tensors["mixer.x_proj.weight"]?.shape == [2 + 8, 3])
        #expect(try SelectiveLayer(file: SafeTensorsFile(bytes: try file.serialized()), prefix: "mixer.") == l)
        let c = try layer(27, complex: true)
        var complexFile = SafeTensorsFile()
        try c.write(to: &complexFile)
        #expect(complexFile.tensors["A_imag"]?.shape == [3, 4])
        #expect(try SelectiveLayer(file: SafeTensorsFile(bytes: try complexFile.serialized())) == c)
        var bad = l
        bad.dtProjBias[0] = -1e4  // softplus underflows to 0: Δ ≤ 0
        #expect(throws: ArchitectureError.self) { try bad.forward([1, 1, 1], length: 1) }
        #expect(throws: ArchitectureError.self) {
            try SelectiveLayer(aLog: [0], d: [1], xProjWeight: [1, 1], dtProjWeight: [1], dtProjBias: [0], states: 1, dtRank: 1)
        }
    }
}
