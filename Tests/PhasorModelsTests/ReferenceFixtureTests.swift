// Checkpoints exported from the reference code (Tests/Fixtures/architectures, written by the export_*.py recipes from
// lindermanlab/S5, minimal-LRU, the LinOSS repository (S5, LRU, LinOSS-IM/IMEX with a relu-clamped oscillator) and
// log-neural-cdes' torch S6, in float64) read through the one door give the reference's own logits to ≤ 1e-10, and
// every block's output (Flax `encoder.layers_i`, the core output `encoder.layers_i.seq`; Equinox `blocks.i.output`;
// torch `blocks.i`, its core `blocks.i.mamba`, its norm `blocks.i.norm`) to the same tolerance. An independent computation: the reference frameworks' own forward
// passes, stored by the recipes.
import Foundation
import PhasorData
import Testing
@testable import PhasorModels

enum ReferenceFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/architectures")
    static func path(_ family: String, _ name: String) -> String { folder.appendingPathComponent("\(family)/\(name)").path }

    /// The S5 and LRU fixtures (family folder, name).
    static let s5LRU: [(String, String)] = [
        ("s5", "s5_default"),
        ("s5", "s5_full_glu_layernorm_postnorm_bilinear_last"),
        ("s5", "s5_half_glu2_bidirectional_batchnorm_postnorm"),
        ("s5", "s5_gelu_complex_normal_layernorm_prenorm_bilinear"),
        ("s5", "s5_linoss"),
        ("lru", "lru_linoss"),
        ("lru", "lru_minimal"),
        ("lru", "lru_minimal_layernorm_postnorm_last"),
        ("linoss", "linoss_im"),
        ("linoss", "linoss_imex"),
        ("s6", "s6"),
    ]

    static func load(_ family: String, _ name: String) throws -> (checkpoint: Checkpoint, input: NpyArray, logits: [Double],
                                                                   trace: SafeTensorsFile, notes: [String]) {
        let loaded = try ModelFile.load(path: path(family, name + ".safetensors"))
        return (loaded.checkpoint, try NpyArray(contentsOf: path(family, name + ".input.npy")),
                try NpyArray(contentsOf: path(family, name + ".logits.npy")).asDoubles(),
                try SafeTensorsFile(contentsOf: path(family, name + ".trace.safetensors")), loaded.notes)
    }

    /// (B, L, H) row-major → (B, H, L).
    static func channelsFirst(_ x: [Double], batch: Int, length: Int, channels: Int) -> [Double] {
        var out = x
        for b in 0..<batch { for l in 0..<length { for h in 0..<channels {
            out[(b * channels + h) * length + l] = x[(b * length + l) * channels + h]
        } } }
        return out
    }
}

@Suite struct ReferenceFixtureTests {
    @Test(arguments: ReferenceFixtures.s5LRU.map { "\($0.0)/\($0.1)" })
    func logitsAndBlocksMatchTheReference(_ id: String) throws {
        let parts = id.split(separator: "/").map(String.init)
        let f = try ReferenceFixtures.load(parts[0], parts[1])
        #expect(f.notes.isEmpty, "the recipe writes every flag: \(f.notes)")
        let shape = f.input.shape, B = shape[0], L = shape[1], d = shape[2]
        let x = try f.input.asDoubles()
        let logits = try f.checkpoint.logits(inputs: x, batch: B, length: L, channels: d)
        #expect(maxAbsDiff(logits, f.logits) <= 1e-10)
        let m = f.checkpoint.model, H = m.configuration.dModel
        let trace = try m.trace(inputs: x, batch: B, length: L)
        let flax = m.configuration.skeleton.isFlax, torch = m.configuration.skeleton == .logNCDEMamba
        for i in 0..<m.configuration.layers {
            let block = try f.trace.tensor(flax ? "encoder.layers_\(i)" : (torch ? "blocks.\(i)" : "blocks.\(i).output")).asDoubles()
            let mine = trace.layers[i].residualOutput
            #expect(maxAbsDiff(mine, ReferenceFixtures.channelsFirst(block, batch: B, length: L, channels: H)) <= 1e-10)
            if flax || torch {
                let core = try f.trace.tensor(flax ? "encoder.layers_\(i).seq" : "blocks.\(i).mamba").asDoubles()
                #expect(maxAbsDiff(trace.layers[i].ssmOutput, ReferenceFixtures.channelsFirst(core, batch: B, length: L, channels: H)) <= 1e-10)
            }
            if torch {
                let norm = try f.trace.tensor("blocks.\(i).norm").asDoubles()
                #expect(maxAbsDiff(trace.layers[i].blockInput, ReferenceFixtures.channelsFirst(norm, batch: B, length: L, channels: H)) <= 1e-10)
            }
        }
    }

    /// The checkpoint written back by Phasor (F64) is the same file to the door: same key set, same flags, same logits.
    @Test(arguments: ReferenceFixtures.s5LRU.map { "\($0.0)/\($0.1)" })
    func writtenBackReadsTheSame(_ id: String) throws {
        let parts = id.split(separator: "/").map(String.init)
        let f = try ReferenceFixtures.load(parts[0], parts[1])
        let original = try SafeTensorsFile(contentsOf: ReferenceFixtures.path(parts[0], parts[1] + ".safetensors"))
        let written = try f.checkpoint.file(precision: .f64)
        #expect(Set(written.tensors.keys) == Set(original.tensors.keys))
        let back = try ModelFile.load(SafeTensorsFile(bytes: try written.serialized()))
        #expect(back.notes.isEmpty)
        #expect(back.checkpoint.model.configuration == f.checkpoint.model.configuration)
        #expect(back.checkpoint.model.parameters == f.checkpoint.model.parameters)
    }
}

/// Models Phasor builds for every reference skeleton are written under the reference's names with every flag, and read
/// back through the door as the same model, without a note.
@Suite struct ReferenceRoundTripTests {
    static let configurations: [S4ModelConfiguration] = [
        S4ModelConfiguration(core: .s5, dInput: 2, dModel: 4, dState: 8, layers: 2, classes: 3, dropout: 0),
        S4ModelConfiguration(core: .s5, dInput: 2, dModel: 4, dState: 6, layers: 1, classes: 3, prenorm: false, dropout: 0,
                             head: .gelu, norm: .layer, pooling: .last, discretization: .bilinear,
                             s5: S5Options(conjugateSymmetric: false, clipEigenvalues: true, bidirectional: true,
                                           stepRescale: 0.5, cInit: .complexNormal)),
        S4ModelConfiguration(core: .s5, skeleton: .linossRepo, dInput: 2, dModel: 4, dState: 4, layers: 2, classes: 3, dropout: 0),
        S4ModelConfiguration(core: .lru, dInput: 2, dModel: 4, dState: 3, layers: 2, classes: 3, dropout: 0),
        S4ModelConfiguration(core: .lru, skeleton: .linossRepo, dInput: 2, dModel: 4, dState: 3, layers: 1, classes: 3, dropout: 0),
    ]

    @Test(arguments: 0..<5)
    func writtenAndReadBack(_ k: Int) throws {
        let c = Self.configurations[k]
        let model = try S4Model(configuration: c, seed: 9)
        let file = try Checkpoint(model: model).file(precision: .f64)
        let back = try ModelFile.load(SafeTensorsFile(bytes: try file.serialized()))
        #expect(back.notes.isEmpty, "\(back.notes)")
        #expect(back.checkpoint.model.configuration.s5 == c.s5 || c.core != .s5)
        var expected = c
        expected.dropout = 0; expected.initialisation = .lin                         // training-only choices are not stored
        if c.core != .s5 { expected.s5 = back.checkpoint.model.configuration.s5 }
        expected.lru = back.checkpoint.model.configuration.lru                     // initialisation only
        expected.s5.blocks = back.checkpoint.model.configuration.s5.blocks
        expected.s5.dtMin = back.checkpoint.model.configuration.s5.dtMin; expected.s5.dtMax = back.checkpoint.model.configuration.s5.dtMax
        #expect(back.checkpoint.model.configuration == expected)
        #expect(back.checkpoint.model.parameters == model.parameters)
    }
}
