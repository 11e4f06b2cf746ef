import Foundation
import Testing

// The Mamba language model through the command line: `predict --tokens` against transformers' logits (fixtures of
// Tests/Fixtures/mamba), streaming with --chunk, `map`/`operator`/`ring --tokens` and their identities, and bad inputs
// (one line on stderr, no output file left behind).

enum MambaCLIFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/mamba")
    static func path(_ name: String, _ file: String = "") -> String { folder.appendingPathComponent(name).appendingPathComponent(file).path }

    /// A version-1 .npy of little-endian int64 values, C order (written here, independently of Phasor).
    static func tokens(_ dir: URL, _ name: String, shape: [Int], _ ids: [Int64]) throws -> String {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<i8', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8)
        for v in ids { bytes += withUnsafeBytes(of: v.littleEndian, Array.init) }
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func relative(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max()! / b.map(abs).max()!
    }

    static let sixteen: [Int64] = [5, 3, 9, 1, 1, 7, 2, 8, 9, 4, 4, 4, 0, 63, 12, 6]
}

@Suite struct MambaCommandTests {
    @Test func predictMatchesTransformersAndStreams() throws {
        let dir = cliTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["hf_untied", "sharded"] {
            let reference = try readNpy(URL(fileURLWithPath: MambaCLIFixture.path(name, "logits_f64.npy")))
            let tokens = MambaCLIFixture.path(name, "tokens.npy")
            let whole = dir.appendingPathComponent("\(name).npy"), chunked = dir.appendingPathComponent("\(name)-chunked.npy")
            var r = try CLI.run(["predict", "--model", MambaCLIFixture.path(name), "--tokens", tokens, "--output", whole.path])
            #expect(r.status == 0, "\(r.stderr)")
            let out = try readNpy(whole)
            #expect(out.shape == [2, 12, 64] && MambaCLIFixture.relative(out.values, reference.values) < 1e-10)
            r = try CLI.run(["predict", "--model", MambaCLIFixture.path(name), "--tokens", tokens, "--output", chunked.path, "--chunk", "5"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(MambaCLIFixture.relative(try readNpy(chunked).values, out.values) < 1e-12)
        }
        // float32 arithmetic against transformers' float32 run; a 1-D token array is one sequence.
        let f32 = dir.appendingPathComponent("f32.npy")
        let r = try CLI.run(["predict", "--model", MambaCLIFixture.path("hf_tied", "model.safetensors"), "--tokens",
                             MambaCLIFixture.path("hf_tied", "tokens.npy"), "--output", f32.path, "--precision", "f32"])
        #expect(r.status == 0, "\(r.stderr)")
        let reference32 = try readNpy32(URL(fileURLWithPath: MambaCLIFixture.path("hf_tied", "logits_f32.npy")))
        #expect(MambaCLIFixture.relative(try readNpy(f32).values, reference32) < 1e-4)
        let single = try MambaCLIFixture.tokens(dir, "one.npy", shape: [16], MambaCLIFixture.sixteen)
        let one = dir.appendingPathComponent("one-out.npy")
        #expect(try CLI.run(["predict", "--model", MambaCLIFixture.path("hf_tied"), "--tokens", single, "--output", one.path]).status == 0)
        #expect(try readNpy(one).shape == [1, 16, 64])
    }

    @Test func mapReadsEveryLayerAsRelaxators() throws {
        let dir = cliTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokens = try MambaCLIFixture.tokens(dir, "t.npy", shape: [16], MambaCLIFixture.sixteen)
        let r = try CLI.run(["map", "--model", MambaCLIFixture.path("hf_untied"), "--tokens", tokens, "--channel", "5", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try TestFiles.json(r.stdout)
        #expect(json["relaxators"] as? Bool == true)
        let all = try #require(json["layers"] as? [[String: Any]])
        #expect(all.count == 2 && all.allSatisfy { $0["steps"] == nil })   // per-channel arrays only for one layer
        for index in 0..<2 {
            let one = try CLI.run(["map", "--model", MambaCLIFixture.path("hf_untied"), "--tokens", tokens, "--channel", "5",
                                   "--layer", "\(index)", "--json"])
            #expect(one.status == 0, "\(one.stderr)")
            let layer = try #require((try TestFiles.json(one.stdout)["layers"] as? [[String: Any]])?.first)
            #expect(layer["index"] as? Int == index)
            #expect((layer["lyapunov"] as? [String: Any])?["largest"] as? Double == (all[index]["lyapunov"] as? [String: Any])?["largest"] as? Double)
            let steps = try #require(layer["steps"] as? [[Double]])
            #expect(steps.count == 16 && steps.allSatisfy { $0.count == 32 && $0.allSatisfy { $0 > 0 } })
            let slowest = try #require(layer["slowest_mu"] as? [[Double]])
            #expect(slowest.joined().allSatisfy { $0 > 0 && $0 < 1 })
            let channel = try #require(layer["channel"] as? [String: Any])
            let a = try #require(channel["A"] as? [Double]), mu = try #require(channel["mu"] as? [[Double]])
            let tau = try #require(channel["timescale"] as? [[Double]])
            for t in 0..<16 {
                #expect(abs((channel["steps"] as! [Double])[t] - steps[t][5]) == 0)
                for n in 0..<8 {
                    #expect(abs(mu[t][n] - Foundation.exp(steps[t][5] * a[n])) < 1e-15)          // μ = e^{ΔA}
                    #expect(abs(tau[t][n] * steps[t][5] * abs(a[n]) - 1) < 1e-13)                  // τ = 1/(Δ|A|)
                }
            }
            let lyapunov = try #require(layer["lyapunov"] as? [String: Any])
            #expect(lyapunov["stable"] as? Bool == true && (lyapunov["largest"] as! Double) < 0)
            #expect(abs((lyapunov["qr_spectrum_of_channel"] as! [Double])[0] - (lyapunov["largest"] as! Double)) < 1e-12)
            let effects = try #require(layer["token_effects"] as? [[String: Any]])
            #expect(effects.map { $0["count"] as! Int }.reduce(0, +) == 16)
        }
        let dynamics = try #require(json["token_dynamics"] as? [String: Any])
        #expect(dynamics["stable"] as? Bool == true && (dynamics["interval_exponents"] as? [Double])?.count == 2)
        let text = try CLI.run(["map", "--model", MambaCLIFixture.path("hf_untied"), "--tokens", tokens, "--layer", "1"])
        #expect(text.status == 0 && text.stdout.contains("layer 1:") && !text.stdout.contains("layer 0:"))
    }

    @Test func operatorAndRingReproduceTheScan() throws {
        let dir = cliTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokens = try MambaCLIFixture.tokens(dir, "t.npy", shape: [1, 16], MambaCLIFixture.sixteen)
        let plots = dir.appendingPathComponent("plots")
        var r = try CLI.run(["operator", "--model", MambaCLIFixture.path("ssm_bf16"), "--tokens", tokens, "--layer", "1",
                             "--groups", "3", "--plot", plots.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        var json = try TestFiles.json(r.stdout)
        #expect((json["identity_error"] as! Double) < 1e-12)
        let groups = try #require(json["groups"] as? [[String: Any]])
        #expect(groups.count == 3 && (groups[0]["map"] as! [[Double]]).count == 16)
        let range = try #require(json["influence_range"] as? [Double])
        #expect(range.count == 16 && zip(range, 0..<16).allSatisfy { $0 >= 0 && $0 <= Double($1) })
        let files = try FileManager.default.contentsOfDirectory(atPath: plots.path).sorted()
        #expect(files == (0..<3).map { "hidden_attention_layer1_group\($0).svg" })
        r = try CLI.run(["ring", "--model", MambaCLIFixture.path("ssm_bf16"), "--tokens", tokens, "--layer", "0", "--channel", "11", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        json = try TestFiles.json(r.stdout)
        #expect((json["max_abs_difference_vs_scan"] as! Double) < 1e-12 && json["nodes_count"] as? Int == 8)
    }

    @Test func benchRunsASmallRandomModel() throws {
        let r = try CLI.run(["bench", "mamba", "--layers", "2", "--d-model", "16", "--vocabulary", "40", "--state", "4",
                             "--length", "9", "--repeats", "1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try TestFiles.json(r.stdout)
        #expect(json["d_inner"] as? Int == 32 && json["length"] as? Int == 9 && (json["tokens_per_second"] as! Double) > 0)
    }

    static let badInputs: [BadInputCase] = [
        BadInputCase("predict: token id beyond the vocabulary", "outside the vocabulary") { dir in
            ["predict", "--model", MambaCLIFixture.path("hf_tied"), "--tokens",
             try MambaCLIFixture.tokens(dir, "t.npy", shape: [3], [1, 64, 2]), "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("predict: negative token id", "outside the vocabulary") { dir in
            ["predict", "--model", MambaCLIFixture.path("hf_tied"), "--tokens",
             try MambaCLIFixture.tokens(dir, "t.npy", shape: [2], [-1, 2]), "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("predict: non-integer token ids", "integer token ids") { dir in
            ["predict", "--model", MambaCLIFixture.path("hf_tied"), "--tokens",
             try BadFiles.npy(dir, shape: [2], values: [1.5, 2]), "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("predict: tokens of rank 3", "expected (L) or (B, L)") { dir in
            ["predict", "--model", MambaCLIFixture.path("hf_tied"), "--tokens",
             try MambaCLIFixture.tokens(dir, "t.npy", shape: [1, 1, 2], [1, 2]), "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("predict: --input and --tokens together", "exactly one of --input or --tokens") { dir in
            let t = try MambaCLIFixture.tokens(dir, "t.npy", shape: [2], [1, 2])
            return ["predict", "--model", MambaCLIFixture.path("hf_tied"), "--tokens", t, "--input", t, "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("predict: --chunk 0", "--chunk 0") { dir in
            ["predict", "--model", MambaCLIFixture.path("hf_tied"), "--tokens",
             try MambaCLIFixture.tokens(dir, "t.npy", shape: [2], [1, 2]), "--output", BadFiles.path(dir, "y.npy"), "--chunk", "0"]
        },
        BadInputCase("predict: a Mamba-2-shaped A_log", "Mamba-2") { dir in
            let model = dir.appendingPathComponent("m.safetensors")
            try TestFiles.safetensors([("backbone.embeddings.weight", [4, 2], [0, 0, 0, 0, 0, 0, 0, 0]),
                                       ("backbone.layers.0.mixer.A_log", [2], [0, 0])], to: model)
            return ["predict", "--model", model.path, "--tokens", try MambaCLIFixture.tokens(dir, "t.npy", shape: [2], [1, 2]),
                    "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("map: several sequences", "this command reads one") { dir in
            ["map", "--model", MambaCLIFixture.path("hf_tied"), "--tokens", try MambaCLIFixture.tokens(dir, "t.npy", shape: [2, 2], [1, 2, 3, 4])]
        },
        BadInputCase("map: layer beyond the model", "layer 2 does not exist") { dir in
            ["map", "--model", MambaCLIFixture.path("hf_tied"), "--tokens", try MambaCLIFixture.tokens(dir, "t.npy", shape: [2], [1, 2]), "--layer", "2"]
        },
        BadInputCase("operator: layer beyond the model", "layer 5 does not exist") { dir in
            ["operator", "--model", MambaCLIFixture.path("hf_tied"), "--tokens", try MambaCLIFixture.tokens(dir, "t.npy", shape: [2], [1, 2]), "--layer", "5"]
        },
        BadInputCase("operator: neither --data nor --tokens", "give --data") { _ in
            ["operator", "--model", MambaCLIFixture.path("hf_tied")]
        },
        BadInputCase("ring: channel beyond d_inner", "channel 32 does not exist") { dir in
            ["ring", "--model", MambaCLIFixture.path("hf_tied"), "--tokens", try MambaCLIFixture.tokens(dir, "t.npy", shape: [2], [1, 2]), "--channel", "32"]
        },
    ]

    @Test(arguments: badInputs)
    func badInputFailsWithOneLine(_ row: BadInputCase) throws {
        try BadInputTableTests().failsWithOneLine(row)
    }
}

/// Reads a little-endian float32 .npy (as NumPy writes it) as Double.
func readNpy32(_ url: URL) throws -> [Double] {
    let bytes = [UInt8](try Data(contentsOf: url))
    let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    #expect(String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self).contains("'<f4'"))
    let data = Array(bytes[(10 + headerLength)...])
    return stride(from: 0, to: data.count, by: 4).map { i in
        Double(Float(bitPattern: data[i..<(i + 4)].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }))
    }
}
