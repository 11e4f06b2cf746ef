import Foundation
import Testing

// `phasor identify` as a user runs it, checked against computations that do not involve the DMD: the analytic
// oscillators of the series, `phasor network`'s exact solution, `phasor map` of the written files, and a training run
// started from the identified layer.

/// Two channels of x(t) = Σ_k a_k e^{−γ_k t} cos(ω_k t + φ_k + c), t = jΔ, Δ = 0.1, written as a CSV with a header;
/// `wobble` adds a fourth, unmodelled oscillation so that a rank-6 fit is not exact.
private func writeSinusoids(_ url: URL, length: Int, wobble: Double = 0) throws {
    let gammas = [0.05, 0.2, 0.01], omegas = [0.7, 1.9, 0.25], amplitudes = [1.0, 0.6, 2.0], phases = [0.3, -1.1, 2.0]
    var text = "a,b\n"
    for j in 0..<length {
        let t = Double(j) * 0.1
        let row = (0..<2).map { c in
            (0..<3).reduce(0.0) { s, k in s + amplitudes[k] * exp(-gammas[k] * t) * cos(omegas[k] * t + phases[k] + Double(c)) }
                + wobble * cos(0.9 * t + Double(c))
        }
        text += row.map { "\($0)" }.joined(separator: ",") + "\n"
    }
    try text.write(to: url, atomically: true, encoding: .utf8)
}

/// A complex128 .npy written by Phasor: (shape, values as (re, im) pairs).
private func readComplexNpy(_ url: URL) throws -> (shape: [Int], values: [(Double, Double)]) {
    let bytes = [UInt8](try Data(contentsOf: url))
    let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
    #expect(header.contains("'<c16'"))
    let inside = header.split(separator: "(")[1].split(separator: ")")[0]
    let shape = inside.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    let data = Array(bytes[(10 + headerLength)...])
    let doubles = stride(from: 0, to: data.count, by: 8).map { i in
        Double(bitPattern: data[i..<(i + 8)].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
    }
    return (shape, stride(from: 0, to: doubles.count, by: 2).map { (doubles[$0], doubles[$0 + 1]) })
}

@Suite struct IdentifyCommandTests {
    @Test func recoversTheOscillatorsOfDampedSinusoids() throws {
        let dir = cliTemporaryDirectory()
        let csv = dir.appendingPathComponent("s.csv")
        try writeSinusoids(csv, length: 300)
        let run = try CLI.run(["identify", "--data", csv.path, "--delays", "6", "--rank", "6", "--dt", "0.1", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try TestFiles.json(run.stdout)
        #expect(json["rank"] as? Int == 6 && json["training_samples"] as? Int == 240 && json["holdout_samples"] as? Int == 60)
        let oscillators = try #require(json["oscillators"] as? [[String: Any]])
        #expect(oscillators.count == 3)
        for (omega, gamma) in [(0.7, 0.05), (1.9, 0.2), (0.25, 0.01)] {
            let match = try #require(oscillators.first { abs(($0["frequency"] as? Double ?? 0) - omega) < 1e-3 })
            #expect(abs(try #require(match["period"] as? Double) - 2 * Double.pi / omega) <= 1e-8 * 2 * Double.pi / omega)
            #expect(abs(try #require(match["decay_time"] as? Double) - 1 / gamma) <= 1e-7 / gamma)
        }
        // noise-free: reconstruction and forecast are exact
        let forecast = try #require(json["forecast"] as? [String: Any])
        #expect(try #require(forecast["nrmse"] as? Double) <= 1e-8)
        #expect(try #require((json["reconstruction"] as? [String: Any])?["nrmse"] as? Double) <= 1e-8)
        #expect(try #require(json["persistence_nrmse"] as? Double) > 0.5)
    }

    /// C·z(kΔ) from `phasor network` (exact solution of dz/dt = J z) equals row k of free_run.npy (the DMD mode sum
    /// Φ Λ^k b), inside the training span and beyond it.
    @Test func networkOfTheIdentifiedSystemReproducesTheDMDFreeRun() throws {
        let dir = cliTemporaryDirectory()
        let csv = dir.appendingPathComponent("s.csv"), net = dir.appendingPathComponent("net")
        try writeSinusoids(csv, length: 200, wobble: 0.01)
        let run = try CLI.run(["identify", "--data", csv.path, "--delays", "8", "--rank", "6", "--dt", "0.1",
                               "--network-out", net.path])
        #expect(run.status == 0, "\(run.stderr)")
        let freeRun = try readNpy(net.appendingPathComponent("free_run.npy"))
        let c = try readComplexNpy(net.appendingPathComponent("C.npy"))
        #expect(freeRun.shape == [153 + 40, 2] && c.shape == [2, 6])
        let steps = Array(stride(from: 0, to: 193, by: 12))
        let times = steps.map { String(Double($0) * 0.1) }.joined(separator: ",")
        let network = try CLI.run(["network", "--jacobian", net.appendingPathComponent("J.npy").path,
                                   "--z0", net.appendingPathComponent("z0.npy").path, "--times", times, "--json"])
        #expect(network.status == 0, "\(network.stderr)")
        let states = try #require(try TestFiles.json(network.stdout)["z"] as? [[[Double]]])
        let scale = freeRun.values.map(abs).max() ?? 1
        var worst = 0.0
        for (row, k) in steps.enumerated() {
            for ch in 0..<2 {
                var y = 0.0  // Re Σ_j C_{ch j} z_j
                for j in 0..<6 {
                    let (cr, ci) = c.values[ch * 6 + j]
                    y += cr * states[row][j][0] - ci * states[row][j][1]
                }
                worst = max(worst, abs(y - freeRun.values[k * 2 + ch]))
            }
        }
        #expect(worst <= 1e-9 * scale)
    }

    /// The written system and layer read back through `phasor map`, the layer's ring reproduces it, and a training run
    /// started from the layer keeps its spectrum when the SSM learning rate is 0.
    @Test func writtenSystemAndLayerWorkDownstream() throws {
        let dir = cliTemporaryDirectory()
        let csv = dir.appendingPathComponent("s.csv")
        try writeSinusoids(csv, length: 300)
        let layer = dir.appendingPathComponent("layer.safetensors"), system = dir.appendingPathComponent("sys.safetensors")
        let run = try CLI.run(["identify", "--data", csv.path, "--delays", "6", "--rank", "6", "--dt", "0.1",
                               "--out", layer.path, "--system-out", system.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try TestFiles.json(run.stdout)
        #expect(json["designed_modes"] as? Int == 3)
        let periods = try #require(json["oscillators"] as? [[String: Any]]).compactMap { $0["period"] as? Double }

        let map = try CLI.run(["map", "--system", system.path, "--json"])
        #expect(map.status == 0, "\(map.stderr)")
        let systemPeriods = try #require(try TestFiles.json(map.stdout)["modes"] as? [[String: Any]]).compactMap { $0["period"] as? Double }
        for p in periods { #expect(systemPeriods.filter { abs($0 - p) <= 1e-9 * p }.count == 2) }  // μ and its conjugate

        // the ring of the identified layer reproduces the layer's own output (ring's identity, DESIGN.md §6)
        let input = dir.appendingPathComponent("u.npy")
        try writeNpy(input, shape: [64], values: (0..<64).map { sin(0.3 * Double($0)) })
        let ring = try CLI.run(["ring", "--model", layer.path, "--layer-input", "--input", input.path, "--json"])
        #expect(ring.status == 0, "\(ring.stderr)")
        #expect(try #require(try TestFiles.json(ring.stdout)["max_abs_difference_vs_model"] as? Double) <= 1e-10)

        let ramps = dir.appendingPathComponent("ramps.csv"), model = dir.appendingPathComponent("m.safetensors")
        try writeRampCSV(ramps)
        let train = try CLI.run(["train", "--data", ramps.path, "--out", model.path, "--layers", "2", "--d-model", "4",
                                 "--d-state", "6", "--epochs", "1", "--batch", "8", "--ssm-lr", "0", "--precision", "f64",
                                 "--init-from", layer.path])
        #expect(train.status == 0, "\(train.stderr)")
        let trained = try CLI.run(["map", "--model", model.path, "--json"])
        let layers = try #require(try TestFiles.json(trained.stdout)["layers"] as? [[String: Any]])
        #expect(layers.count == 2)
        for l in layers {
            for channel in try #require(l["channels"] as? [[String: Any]]) {
                let found = try #require(channel["modes"] as? [[String: Any]]).compactMap { $0["period"] as? Double }
                #expect(found.count == 3)
                for p in periods { #expect(found.contains { abs($0 - p) <= 1e-12 * p }) }
            }
        }
        let wrongSize = try CLI.run(["train", "--data", ramps.path, "--out", model.path, "--d-model", "4", "--d-state", "8",
                                     "--epochs", "1", "--init-from", layer.path])
        #expect(wrongSize.status != 0 && wrongSize.stderr.contains("--d-state 6"))
    }

    @Test func havokOnLorenzReportsTheForcingAndWritesFigures() throws {
        let dir = cliTemporaryDirectory()
        let series = dir.appendingPathComponent("lorenz.npy"), plots = dir.appendingPathComponent("plots")
        let make = try CLI.run(["attractor", "--name", "Lorenz", "--length", "12000", "--dt", "0.01", "--out", series.path])
        #expect(make.status == 0, "\(make.stderr)")
        #expect(try readNpy(series).shape == [12000, 3])
        let run = try CLI.run(["identify", "--data", series.path, "--component", "0", "--method", "havok", "--delays", "20", "--rank", "11",
                               "--dt", "0.01", "--plot", plots.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let switching = try #require(try TestFiles.json(run.stdout)["switching"] as? [String: Any])
        #expect(try #require(switching["precision"] as? Double) >= 0.9)
        #expect(try #require(switching["recall"] as? Double) >= 2 * (try #require(switching["chance_recall"] as? Double)))
        for name in ["spectrum.svg", "series.svg", "forcing.svg"] {
            let svg = try String(contentsOf: plots.appendingPathComponent(name), encoding: .utf8)
            #expect(svg.contains("<svg") && svg.hasSuffix("</svg>\n") && (svg.contains("<circle") || svg.contains("<polyline")))
        }
    }
}
