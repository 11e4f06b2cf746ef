import Foundation
import Testing

@Suite struct RingCommandTests {
    /// An S4D-Lin layer (λ_n = −½ + iπn) with H channels, M modes and step Δ, C = 1 + 0.1n − 0.05ni, D = 0.3.
    static func linLayer(channels h: Int, modes m: Int, dt: Double) -> [(String, [Int], [Double])] {
        [("s4_layers.0.D", [h], Array(repeating: 0.3, count: h)),
         ("s4_layers.0.kernel.log_dt", [h], Array(repeating: log(dt), count: h)),
         ("s4_layers.0.kernel.C", [h, m, 2], (0..<h).flatMap { _ in (0..<m).flatMap { [1 + 0.1 * Double($0), -0.05 * Double($0)] } }),
         ("s4_layers.0.kernel.log_A_real", [h, m], Array(repeating: log(0.5), count: h * m)),
         ("s4_layers.0.kernel.A_imag", [h, m], (0..<h).flatMap { _ in (0..<m).map { Double.pi * Double($0) } })]
    }

    /// The S4D output y = K * u + D u, with K[l] = 2·Re Σ C(e^{Δλ} − 1)/λ e^{lΔλ} (computed here from the formula).
    static func s4dOutput(_ u: [Double], modes m: Int, dt: Double) -> [Double] {
        // complex arithmetic on (re, im) pairs, Foundation only
        func mul(_ a: (Double, Double), _ b: (Double, Double)) -> (Double, Double) { (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0) }
        func div(_ a: (Double, Double), _ b: (Double, Double)) -> (Double, Double) {
            let d = b.0 * b.0 + b.1 * b.1
            return ((a.0 * b.0 + a.1 * b.1) / d, (a.1 * b.0 - a.0 * b.1) / d)
        }
        func cexp(_ z: (Double, Double)) -> (Double, Double) { (exp(z.0) * cos(z.1), exp(z.0) * sin(z.1)) }
        let kernel = (0..<u.count).map { l in
            (0..<m).reduce(0.0) { sum, n in
                let lambda = (-0.5, Double.pi * Double(n)), c = (1 + 0.1 * Double(n), -0.05 * Double(n))
                let z = (lambda.0 * dt, lambda.1 * dt), e = cexp(z)
                let ct = div(mul(c, (e.0 - 1, e.1)), lambda)  // C(e^{Δλ} − 1)/λ
                return sum + 2 * mul(ct, cexp((z.0 * Double(l), z.1 * Double(l)))).0
            }
        }
        return (0..<u.count).map { k in (0...k).reduce(0.3 * u[k]) { $0 + kernel[$1] * u[k - $1] } }
    }

    @Test func s4dLinRingTravelsAtHalfMDeltaAndMatchesTheS4DOutput() throws {
        let dir = try TestFiles.directory()
        let model = dir.appendingPathComponent("lin.safetensors"), input = dir.appendingPathComponent("x.npy")
        let m = 8, dt = 0.1, l = 10, h = 2
        try TestFiles.safetensors(Self.linLayer(channels: h, modes: m, dt: dt), to: model)
        let u = (0..<(2 * l * h)).map { sin(0.7 * Double($0)) + 0.1 * Double($0 % 3) }  // (B = 2, L, H)
        try TestFiles.npy(shape: [2, l, h], values: u, to: input)
        let svg = dir.appendingPathComponent("waves.svg")
        let result = try CLI.run(["ring", "--model", model.path, "--layer", "0", "--channel", "1", "--input", input.path,
                                  "--layer-input", "--sample", "1", "--plot", svg.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try TestFiles.json(result.stdout)
        #expect(abs(try #require(json["speed"] as? Double) - Double(m) * dt / 2) <= 1e-9)
        #expect(abs(try #require(json["damping_per_step"] as? Double) - exp(-dt / 2)) <= 1e-9)
        let nodes = try #require(json["nodes"] as? [[[Double]]])
        #expect(nodes.count == l && nodes.allSatisfy { $0.count == m && $0.allSatisfy { $0.count == 2 } })
        let output = try #require(json["output"] as? [Double])
        let channelInput = (0..<l).map { u[(1 * l + $0) * h + 1] }
        let reference = Self.s4dOutput(channelInput, modes: m, dt: dt)
        for (a, b) in zip(output, reference) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b))) }
        // the self-check is against the layer's own convolution output (not the ring's recurrence again)
        #expect(try #require(json["max_abs_difference_vs_model"] as? Double) <= 1e-12)
        #expect(json["input"] as? String == "layer")
        #expect((json["warnings"] as? [String])?.isEmpty == true)
        #expect(FileManager.default.fileExists(atPath: svg.path))
    }

    @Test func badInputsFail() throws {
        let dir = try TestFiles.directory()
        let model = dir.appendingPathComponent("lin.safetensors"), input = dir.appendingPathComponent("x.npy")
        try TestFiles.safetensors(Self.linLayer(channels: 2, modes: 4, dt: 0.1), to: model)
        try TestFiles.npy(shape: [1, 5, 3], values: Array(repeating: 1, count: 15), to: input)  // H = 3 ≠ 2
        let r1 = try CLI.run(["ring", "--model", model.path, "--input", input.path, "--layer-input"])
        #expect(r1.status != 0 && r1.stderr.contains("channels"))
        let r2 = try CLI.run(["ring", "--model", model.path, "--input", input.path, "--layer-input", "--layer", "3"])
        #expect(r2.status != 0)
        try TestFiles.npy(shape: [6], values: Array(repeating: 1, count: 6), to: input)
        let r3 = try CLI.run(["ring", "--model", model.path, "--input", input.path, "--layer-input", "--channel", "5"])
        #expect(r3.status != 0 && r3.stderr.contains("channel"))
    }
}
