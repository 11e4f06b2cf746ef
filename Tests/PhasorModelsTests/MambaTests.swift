// The Mamba language model against transformers' MambaForCausalLM (fixtures written by
// Tests/Fixtures/mamba/make_mamba_fixtures.py, compared without Python), streaming, loading and errors.
import Foundation
import PhasorData
import PhasorNumerics
import Testing
@testable import PhasorModels

enum MambaFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/mamba")
    static let names = ["hf_tied", "hf_untied", "ssm_bf16", "sharded"]

    static func path(_ name: String, _ file: String = "") -> String { folder.appendingPathComponent(name).appendingPathComponent(file).path }

    /// Token ids (B, L) and reference logits (B, L, vocab) of a fixture.
    static func reference(_ name: String, _ logits: String) throws -> (tokens: [Int], batch: Int, length: Int, logits: [Double]) {
        let t = try NpyArray(contentsOf: path(name, "tokens.npy"))
        return (try t.asInt64().map { Int($0) }, t.shape[0], t.shape[1], try NpyArray(contentsOf: path(name, logits)).asDoubles())
    }

    /// max|a − b| / max|b|.
    static func relative(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count, !b.isEmpty else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max()! / b.map(abs).max()!
    }
}

@Suite struct MambaTests {
    @Test(arguments: MambaFixture.names)
    func logitsMatchTransformersInFloat64(_ name: String) throws {
        let model = try MambaLanguageModel(path: MambaFixture.path(name))
        let ref = try MambaFixture.reference(name, "logits_f64.npy")
        let logits = try model.logits(tokens: ref.tokens, batch: ref.batch, length: ref.length)
        #expect(MambaFixture.relative(logits, ref.logits) < 1e-10)
        #expect(model.configuration.vocabulary == 64 && model.configuration.dModel == 16 && model.configuration.dInner == 32)
        #expect(model.configuration.states == 8 && model.configuration.layers == 2 && model.configuration.convolutionWidth == 4)
    }

    @Test(arguments: MambaFixture.names)
    func logitsMatchTransformersInFloat32(_ name: String) throws {
        let model = try MambaLanguageModel(path: MambaFixture.path(name))
        let ref = try MambaFixture.reference(name, "logits_f32.npy")
        let logits = try model.logits(tokens: ref.tokens, batch: ref.batch, length: ref.length, precision: .f32)
        #expect(MambaFixture.relative(logits, ref.logits) < 1e-4)
    }

    @Test func configurationComesFromShapesAndConfigJSON() throws {
        let untied = try MambaLanguageModel(path: MambaFixture.path("hf_untied", "model.safetensors"))
        #expect(untied.configuration.epsilon == 1e-3)          // config.json beside the file
        #expect(untied.configuration.dtRank == 3 && !untied.configuration.tiedHead && untied.configuration.projectionBias)
        let ssm = try MambaLanguageModel(path: MambaFixture.path("ssm_bf16", "model.safetensors"))
        #expect(ssm.configuration.epsilon == 1e-5)             // no config.json: the default
        #expect(ssm.configuration.tiedHead && !ssm.configuration.convolutionBias && ssm.configuration.dtRank == 1)
        let sharded = try SafeTensorsCheckpoint(path: MambaFixture.path("sharded", "model.safetensors.index.json"))
        #expect(sharded.files.count == 4)
        #expect(try MambaLanguageModel(checkpoint: sharded) == MambaLanguageModel(path: MambaFixture.path("sharded")))
        // Every stored tensor counted once.
        var counted = untied.embedding.count + untied.head!.count + untied.finalNorm.count
        for l in untied.layers {
            let m = l.mixer, s = m.selective
            counted += l.norm.count + m.inProj.count + m.inProjBias!.count + m.convolution.count + m.convolutionBias!.count
            counted += m.outProj.count + m.outProjBias!.count + s.aLog.count + s.d.count + s.xProjWeight.count
            counted += s.dtProjWeight.count + s.dtProjBias.count
        }
        #expect(untied.configuration.parameterCount == counted)
    }

    @Test func streamingInChunksEqualsOneCall() throws {
        let model = try MambaLanguageModel(path: MambaFixture.path("hf_untied"))
        var g = SeededGenerator(seed: 5)
        let b = 2, l = 23
        let tokens = (0..<(b * l)).map { _ in Int(g.next() % 64) }
        let whole = try model.logits(tokens: tokens, batch: b, length: l)
        let runner = MambaRunner(model, precision: .f64)
        var state = MambaState(for: model.configuration, batch: b)
        var pieces = [[Double]](repeating: [], count: b)
        var start = 0
        for chunk in [1, 2, 7, 1, 12] {   // lengths 1 and 2 are shorter than the convolution's K − 1 = 3 history
            let ids = (0..<b).flatMap { s in tokens[(s * l + start)..<(s * l + start + chunk)] }
            let out = try runner.logits(tokens: ids, batch: b, length: chunk, state: &state)
            for s in 0..<b { pieces[s] += out[(s * chunk * 64)..<((s + 1) * chunk * 64)] }
            start += chunk
        }
        #expect(start == l && state.position == l)
        #expect(MambaFixture.relative(pieces.flatMap { $0 }, whole) < 1e-12)
        // The carried state is the state of the whole run; advancing without logits reaches the same state.
        var full = MambaState(for: model.configuration, batch: b), advanced = full
        _ = try runner.logits(tokens: tokens, batch: b, length: l, state: &full)
        try runner.advance(tokens: tokens, batch: b, length: l, state: &advanced)
        #expect(advanced == full)
        for layer in 0..<2 {
            #expect(MambaFixture.relative(state.ssm[layer], full.ssm[layer]) < 1e-12)
            #expect(MambaFixture.relative(state.convolution[layer], full.convolution[layer]) < 1e-12)
        }
    }

    @Test func traceRecordsTheScanOfEachLayer() throws {
        let model = try MambaLanguageModel(path: MambaFixture.path("hf_tied"))
        let ref = try MambaFixture.reference("hf_tied", "logits_f64.npy")
        let ids = Array(ref.tokens[0..<ref.length])
        let (logits, layers) = try model.trace(tokens: ids)
        #expect(MambaFixture.relative(logits, Array(ref.logits[0..<(ref.length * 64)])) < 1e-10)
        #expect(layers.count == 2)
        for trace in layers {
            // The recorded scan output is the selective layer's own forward on the recorded input.
            let y = try model.layers[trace.layer].mixer.selective.forward(trace.input, length: trace.length)
            #expect(MambaFixture.relative(y, trace.output) < 1e-14)
            let tokens = try model.layers[trace.layer].mixer.selective.tokens(trace.input, length: trace.length)
            #expect(MambaFixture.relative(tokens.delta, trace.tokens.delta) < 1e-14)
            #expect(MambaFixture.relative(tokens.c, trace.tokens.c) < 1e-14)
        }
    }

    @Test func writtenTensorsReadBackUnderBothSpellings() throws {
        let model = try MambaLanguageModel(path: MambaFixture.path("hf_untied"))
        for ssmNames in [false, true] {
            let bytes = try model.safeTensors(mambaSSMNames: ssmNames).serialized()
            let read = try MambaLanguageModel(checkpoint: try SafeTensorsCheckpoint(path: try temporary(bytes)))
            #expect(read.configuration.epsilon == 1e-5)  // no config.json beside the temporary file
            var expected = model.configuration
            expected.epsilon = 1e-5
            #expect(read.configuration == expected && read.layers == model.layers && read.embedding == model.embedding)
        }
    }

    @Test func randomModelRunsBothPrecisions() throws {
        let c = try MambaConfiguration(vocabulary: 50, dModel: 24, dInner: 48, states: 5, dtRank: 2, convolutionWidth: 3,
                                       layers: 3, projectionBias: true, convolutionBias: false, tiedHead: false)
        let model = try MambaLanguageModel(random: c, seed: 9)
        let tokens = (0..<(3 * 70)).map { ($0 * 7) % 50 }
        let f64 = try model.logits(tokens: tokens, batch: 3, length: 70)
        let f32 = try model.logits(tokens: tokens, batch: 3, length: 70, precision: .f32)
        #expect(MambaFixture.relative(f32, f64) < 1e-5)
        // norm, in_proj (+ bias), conv1d, x_proj (R + 2N = 12 rows), dt_proj (+ bias), A_log, D, out_proj (+ bias)
        let perLayer = 24 + (2 * 48 * 24 + 2 * 48) + 48 * 3 + 12 * 48 + (48 * 2 + 48) + 48 * 5 + 48 + (24 * 48 + 24)
        #expect(c.parameterCount == 2 * 50 * 24 + 24 + 3 * perLayer)
    }

    @Test func badTokensAndStatesAreClearErrors() throws {
        let model = try MambaLanguageModel(path: MambaFixture.path("hf_tied"))
        #expect(throws: MambaError.tokenOutOfRange(index: 2, id: 64, vocabulary: 64)) {
            try model.logits(tokens: [1, 2, 64, 3], batch: 1, length: 4)
        }
        #expect(throws: MambaError.tokenOutOfRange(index: 0, id: -1, vocabulary: 64)) {
            try model.logits(tokens: [-1], batch: 1, length: 1)
        }
        #expect(throws: MambaError.self) { try model.logits(tokens: [1, 2, 3], batch: 2, length: 2) }
        var state = MambaState(for: model.configuration, batch: 2)
        #expect(throws: MambaError.self) { try model.logits(tokens: [1, 2], batch: 1, length: 2, state: &state) }
        state.ssm[1][0] = .nan
        #expect(throws: ArchitectureError.self) { try model.logits(tokens: [1, 2], batch: 2, length: 1, state: &state) }
    }

    @Test func checkpointsOfOtherModelsAreRefusedWithTheReason() throws {
        let model = try MambaLanguageModel(path: MambaFixture.path("hf_tied"))
        func load(_ edit: (inout SafeTensorsFile) throws -> Void, config: String? = nil) throws {
            var file = try model.safeTensors()
            try edit(&file)
            _ = try MambaLanguageModel(checkpoint: try SafeTensorsCheckpoint(path: try temporary(try file.serialized(), config: config)))
        }
        func message(_ edit: (inout SafeTensorsFile) throws -> Void, config: String? = nil) -> String {
            do { try load(edit, config: config); return "" } catch { return "\(error)" }
        }
        #expect(message({ $0.tensors["backbone.layers.0.mixer.A_log"] = try Tensor(shape: [4], float64: [0, 0, 0, 0]) }).contains("Mamba-2"))
        #expect(message({ $0.tensors["backbone.layers.1.norm.bias"] = try Tensor(shape: [16], float64: .init(repeating: 0, count: 16)) })
            .contains("LayerNorm"))
        #expect(message({ $0.tensors["backbone.layers.0.mixer.extra"] = try Tensor(shape: [1], float64: [0]) }).contains("backbone.layers.0.mixer.extra"))
        #expect(message({ $0.tensors["backbone.embedding.weight"] = $0.tensors["backbone.embeddings.weight"] }).contains("both"))
        #expect(message({ $0.tensors["backbone.layers.1.mixer.conv1d.weight"] = try Tensor(shape: [32, 1, 3], float64: .init(repeating: 0, count: 96)) })
            .contains("layer 1"))
        #expect(message({ $0.tensors["backbone.layers.0.mixer.in_proj.weight"] = try Tensor(shape: [60, 16], float64: .init(repeating: 0, count: 960)) })
            .contains("in_proj"))
        #expect(message({ _ in }, config: #"{"hidden_size": 32}"#).contains("hidden_size"))
        #expect(message({ _ in }, config: #"{"d_model": 16, "rms_norm": false}"#).contains("rms_norm"))
        #expect(message({ $0.tensors["backbone.norm_f.weight"] = try Tensor(shape: [16], float64: [.nan] + .init(repeating: 1, count: 15)) })
            .contains("not finite"))
        // A config that agrees loads, and its ε is used.
        var file = try model.safeTensors()
        file.metadata = [:]
        let read = try MambaLanguageModel(checkpoint: try SafeTensorsCheckpoint(
            path: try temporary(try file.serialized(), config: #"{"d_model": 16, "n_layer": 2, "norm_epsilon": 0.25, "ssm_cfg": {}}"#)))
        #expect(read.configuration.epsilon == 0.25)
    }

    @Test func shardIndexProblemsAreReported() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mamba-shards-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = URL(fileURLWithPath: MambaFixture.path("sharded"))
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        #expect(try MambaLanguageModel(path: folder.path).layers.count == 2)
        let index = folder.appendingPathComponent("model.safetensors.index.json")
        let text = try String(contentsOf: index, encoding: .utf8)
        try text.replacingOccurrences(of: "\"backbone.norm_f.weight\": \"model-0000", with: "\"backbone.norm_f.weight\": \"model-9999")
            .write(to: index, atomically: true, encoding: .utf8)
        #expect(throws: DataError.self) { try MambaLanguageModel(path: folder.path) }
        try text.replacingOccurrences(of: "\"backbone.norm_f.weight\"", with: "\"backbone.norm_f.weight.moved\"")
            .write(to: index, atomically: true, encoding: .utf8)
        do { _ = try MambaLanguageModel(path: folder.path); Issue.record("a shard holding an unlisted tensor loaded") } catch {
            #expect("\(error)".contains("does not list"))
        }
    }

    /// Writes `bytes` as model.safetensors (and `config` as config.json) in a fresh folder; returns the file's path.
    private func temporary(_ bytes: [UInt8], config: String? = nil) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mamba-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: folder.appendingPathComponent("model.safetensors"))
        if let config { try config.write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8) }
        return folder.appendingPathComponent("model.safetensors").path
    }
}
