// The identities `map` and `ring` claim, checked through the command line on a 2-layer model, for both
// discretisations and both norm placements, against an INDEPENDENT computation written here from the raw tensors:
//   • map: μ and C̃ of every mode — ZOH μ = e^{Δλ}, C̃ = C(e^{Δλ} − 1)/λ; bilinear μ = (1 + Δλ/2)/(1 − Δλ/2),
//     C̃ = CΔ/(1 − Δλ/2) (state-spaces' SSMKernelDiag), λ = −exp(log_A_real) + i·A_imag, Δ = exp(log_dt);
//   • ring: its output for a layer-1 channel driven by a MODEL input equals that channel's SSM output in a forward
//     pass written out here (encoder, layer 0 as recurrence + GELU + 1×1 conv + GLU, residual, LayerNorm).
import Foundation
import Testing

/// Complex arithmetic on (re, im), Foundation only.
private struct C {
    var re: Double, im: Double
    init(_ re: Double, _ im: Double = 0) { self.re = re; self.im = im }
    static func + (a: C, b: C) -> C { C(a.re + b.re, a.im + b.im) }
    static func - (a: C, b: C) -> C { C(a.re - b.re, a.im - b.im) }
    static func * (a: C, b: C) -> C { C(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re) }
    static func / (a: C, b: C) -> C {
        let d = b.re * b.re + b.im * b.im
        return C((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d)
    }
    var exp: C { C(Foundation.exp(re) * cos(im), Foundation.exp(re) * sin(im)) }
}

/// A random 2-layer S4Model's tensors (d_input 2, H 3, N/2 = 2, classes 2) and the forward pass over them.
private struct TinyModel {
    let dIn = 2, h = 3, m = 2, classes = 2, layers = 2
    var t: [String: [Double]] = [:]
    let bilinear: Bool, prenorm: Bool

    init(seed: UInt64, bilinear: Bool, prenorm: Bool) {
        self.bilinear = bilinear; self.prenorm = prenorm
        var state = seed
        func r() -> Double {                                          // uniform in (−1, 1), a 64-bit LCG
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) * 2 - 1
        }
        func v(_ n: Int, _ s: Double = 1) -> [Double] { (0..<n).map { _ in s * r() } }
        t["encoder.weight"] = v(h * dIn); t["encoder.bias"] = v(h, 0.3)
        for i in 0..<layers {
            let p = "s4_layers.\(i)."
            t[p + "D"] = v(h); t[p + "kernel.C"] = v(h * m * 2)
            t[p + "kernel.log_dt"] = (0..<h).map { _ in log(0.05) + 1.5 * r() }         // Δ from ~0.011 to ~0.22
            t[p + "kernel.log_A_real"] = (0..<(h * m)).map { _ in log(0.5) + 0.3 * r() }
            t[p + "kernel.A_imag"] = (0..<(h * m)).map { Double.pi * Double($0 % m) * 4 + r() }   // ωΔ beyond π for some
            t[p + "output_linear.0.weight"] = v(2 * h * h, 0.6); t[p + "output_linear.0.bias"] = v(2 * h, 0.2)
            t["norms.\(i).weight"] = (0..<h).map { _ in 1 + 0.3 * r() }; t["norms.\(i).bias"] = v(h, 0.2)
        }
        t["decoder.weight"] = v(classes * h); t["decoder.bias"] = v(classes)
    }

    var tensors: [(String, [Int], [Double])] {
        var out: [(String, [Int], [Double])] = [("encoder.weight", [h, dIn], t["encoder.weight"]!), ("encoder.bias", [h], t["encoder.bias"]!)]
        for i in 0..<layers {
            let p = "s4_layers.\(i)."
            out += [(p + "D", [h], t[p + "D"]!), (p + "kernel.C", [h, m, 2], t[p + "kernel.C"]!),
                    (p + "kernel.log_dt", [h], t[p + "kernel.log_dt"]!), (p + "kernel.log_A_real", [h, m], t[p + "kernel.log_A_real"]!),
                    (p + "kernel.A_imag", [h, m], t[p + "kernel.A_imag"]!),
                    (p + "output_linear.0.weight", [2 * h, h, 1], t[p + "output_linear.0.weight"]!),
                    (p + "output_linear.0.bias", [2 * h], t[p + "output_linear.0.bias"]!),
                    ("norms.\(i).weight", [h], t["norms.\(i).weight"]!), ("norms.\(i).bias", [h], t["norms.\(i).bias"]!)]
        }
        return out + [("decoder.weight", [classes, h], t["decoder.weight"]!), ("decoder.bias", [classes], t["decoder.bias"]!)]
    }

    /// (μ, C̃) of mode n of channel c of layer i, by the discretisation's formula.
    func mode(layer i: Int, channel c: Int, _ n: Int) -> (mu: C, ct: C) {
        let p = "s4_layers.\(i).kernel.", k = c * m + n
        let dt = exp(t[p + "log_dt"]![c])
        let lambda = C(-exp(t[p + "log_A_real"]![k]), t[p + "A_imag"]![k])
        let coefficient = C(t[p + "C"]![2 * k], t[p + "C"]![2 * k + 1])
        let x = lambda * C(dt)
        if bilinear { return ((C(1) + x / C(2)) / (C(1) - x / C(2)), coefficient * C(dt) / (C(1) - x / C(2))) }
        return (x.exp, coefficient * (x.exp - C(1)) / lambda)
    }

    /// The SSM output of channel c of layer i on u, by the recurrence s ← μ s + u, y = 2 Re Σ C̃ s + D u.
    func ssm(layer i: Int, channel c: Int, _ u: [Double]) -> [Double] {
        let modes = (0..<m).map { mode(layer: i, channel: c, $0) }
        var s = [C](repeating: C(0), count: m)
        return u.map { uk in
            var y = t["s4_layers.\(i).D"]![c] * uk
            for n in 0..<m { s[n] = modes[n].mu * s[n] + C(uk); y += 2 * (modes[n].ct * s[n]).re }
            return y
        }
    }

    /// LayerNorm i over the channels at every step of x [h][l].
    func norm(_ i: Int, _ x: [[Double]]) -> [[Double]] {
        let L = x[0].count, g = t["norms.\(i).weight"]!, b = t["norms.\(i).bias"]!
        var out = x
        for l in 0..<L {
            let mean = (0..<h).reduce(0) { $0 + x[$1][l] } / Double(h)
            let variance = (0..<h).reduce(0) { $0 + (x[$1][l] - mean) * (x[$1][l] - mean) } / Double(h)
            for c in 0..<h { out[c][l] = g[c] * (x[c][l] - mean) / (variance + 1e-5).squareRoot() + b[c] }
        }
        return out
    }

    /// What layer `target`'s S4D core sees for model input u (L × d_input): [h][l].
    func layerInput(_ target: Int, _ u: [[Double]]) -> [[Double]] {
        let L = u.count, w = t["encoder.weight"]!, eb = t["encoder.bias"]!
        var x = (0..<h).map { c in (0..<L).map { l in eb[c] + (0..<dIn).reduce(0) { $0 + w[c * dIn + $1] * u[l][$1] } } }
        for i in 0..<target {
            let z = prenorm ? norm(i, x) : x
            let y = (0..<h).map { ssm(layer: i, channel: $0, z[$0]) }
            let a = y.map { $0.map { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) } }                   // GELU
            let cw = t["s4_layers.\(i).output_linear.0.weight"]!, cb = t["s4_layers.\(i).output_linear.0.bias"]!
            func conv(_ o: Int, _ l: Int) -> Double { cb[o] + (0..<h).reduce(0) { $0 + cw[o * h + $1] * a[$1][l] } }
            for c in 0..<h { for l in 0..<L { x[c][l] += conv(c, l) / (1 + exp(-conv(h + c, l))) } }   // + z₁σ(z₂)
            if !prenorm { x = norm(i, x) }
        }
        return prenorm ? norm(target, x) : x
    }
}

@Suite struct MapRingIdentityTests {
    @Test(arguments: [false, true], [false, true])
    func mapAndRingEqualTheIndependentComputation(bilinear: Bool, prenorm: Bool) throws {
        let dir = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = TinyModel(seed: bilinear ? (prenorm ? 11 : 12) : (prenorm ? 13 : 14), bilinear: bilinear, prenorm: prenorm)
        let file = dir.appendingPathComponent("m.safetensors"), input = dir.appendingPathComponent("x.npy")
        try TestFiles.safetensors(model.tensors, metadata: ["prenorm": prenorm ? "true" : "false",
                                                             "discretization": bilinear ? "bilinear" : "zoh"], to: file)
        // map: μ and C̃ of every mode of both layers
        let map = try CLI.run(["map", "--model", file.path, "--json"])
        #expect(map.status == 0 && map.stderr.isEmpty, "\(map.stderr)")
        let layers = try #require(try TestFiles.json(map.stdout)["layers"] as? [[String: Any]])
        #expect(layers.count == 2 && layers.allSatisfy { ($0["channels"] as? [Any])?.count == 3 })
        var worst = 0.0
        for (i, layer) in layers.enumerated() {
            #expect(layer["discretization"] as? String == (bilinear ? "bilinear" : "zoh"))
            for (c, channel) in try #require(layer["channels"] as? [[String: Any]]).enumerated() {
                for (n, mode) in try #require(channel["modes"] as? [[String: Any]]).enumerated() {
                    let (mu, ct) = model.mode(layer: i, channel: c, n)
                    let a = try #require(mode["mu"] as? [Double]), b = try #require(mode["readout"] as? [Double])
                    worst = max(worst, abs(a[0] - mu.re), abs(a[1] - mu.im), abs(b[0] - ct.re), abs(b[1] - ct.im))
                }
            }
        }
        #expect(worst <= 1e-12, "map μ/C̃ differ by \(worst)")
        // ring: layer 1, channel 2, driven by a model input (B = 2, sample 1)
        let L = 16
        let x = (0..<(2 * L * 2)).map { sin(0.37 * Double($0)) + 0.2 * cos(1.3 * Double($0)) }
        try TestFiles.npy(shape: [2, L, 2], values: x, to: input)
        let ring = try CLI.run(["ring", "--model", file.path, "--layer", "1", "--channel", "2", "--sample", "1",
                                "--input", input.path, "--json"])
        #expect(ring.status == 0 && ring.stderr.isEmpty, "\(ring.stderr)")
        let json = try TestFiles.json(ring.stdout)
        let u = (0..<L).map { l in [x[(L + l) * 2], x[(L + l) * 2 + 1]] }                    // sample 1
        let expected = model.ssm(layer: 1, channel: 2, model.layerInput(1, u)[2])
        let output = try #require(json["output"] as? [Double])
        let scale = max(1, expected.map(abs).max() ?? 0)
        #expect(output.count == L && zip(output, expected).allSatisfy { abs($0 - $1) <= 1e-12 * scale },
                "ring output differs by \(zip(output, expected).map { abs($0 - $1) }.max() ?? 0)")
        #expect(try #require(json["max_abs_difference_vs_model"] as? Double) <= 1e-12 * scale)
        #expect(json["input"] as? String == "model" && json["discretization"] as? String == (bilinear ? "bilinear" : "zoh"))
    }
}
