// Checkpoints of the new block kinds: PyTorch's own bilinear-head models with BatchNorm1d and without norms
// (Tests/Fixtures/checkpoints/make_exact_checkpoints.py) give PyTorch's float64 logits; Phasor files round-trip their
// kinds and buffers; the "block"/"norm" metadata is checked against the tensors.
import Foundation
import Testing
import PhasorData
@testable import PhasorModels

@Suite struct ExactCheckpointTests {
    @Test(arguments: [("exact_batch", NormKind.batch), ("exact_none", .none)])
    func pytorchBilinearModelsGiveTheirLogits(_ file: (String, NormKind)) throws {
        let loaded = try ModelFile.load(path: Fixtures.path(file.0 + ".safetensors"))
        let c = loaded.checkpoint.model.configuration
        #expect(c.head == .bilinear && c.norm == file.1 && c.layers == 2)
        #expect(Fixtures.difference(try Fixtures.logits(of: loaded.checkpoint), try Fixtures.logits(file.0)) <= 1e-13)
        // BatchNorm has its placement note; a model without norms has nothing to place
        #expect(loaded.notes.filter { $0.hasPrefix("assuming post-norm") }.count == (file.1 == .batch ? 1 : 0))
        if file.1 == .batch, case .batch(let p) = loaded.checkpoint.model.block(1).norm {
            #expect(p.batchesTracked == 3 && p.runningVariance != [1, 1, 1, 1])
        }
        // read as the gated GELU head (no "block" metadata), the same tensors give other logits
        var raw = try SafeTensorsFile(contentsOf: Fixtures.path(file.0 + ".safetensors"))
        raw.metadata = [:]
        let glu = try ModelFile.load(raw).checkpoint
        #expect(glu.model.configuration.head == .glu)
        #expect(Fixtures.difference(try Fixtures.logits(of: glu), try Fixtures.logits(file.0)) > 1e-3)
    }

    @Test(arguments: [NormKind.layer, .batch, .none], [HeadKind.glu, .bilinear])
    func phasorFilesRoundTripTheirKinds(norm: NormKind, head: HeadKind) throws {
        let c = S4ModelConfiguration(dInput: 2, dModel: 3, dState: 4, layers: 2, classes: 2, prenorm: true, dropout: 0,
                                     norm: norm, head: head)
        var model = try S4Model(configuration: c, seed: 4)
        if norm == .batch {
            var b = model.block(1)
            b.norm = .batch(try BatchNormParameters(weight: [1.5, 0.5, 1], bias: [0.1, 0, -0.1], runningMean: [0.3, -1, 2],
                                                    runningVariance: [0.5, 2, 3], batchesTracked: 41))
            try model.setBlock(1, b)
        }
        let file = try Checkpoint(model: model).file(precision: .f64)
        #expect(file.metadata["block"] == head.rawValue && file.metadata["norm"] == norm.rawValue)
        #expect(Set(file.tensors.keys.filter { $0.hasPrefix("norms.1.") }) == Set(S4ModelKeys.block(1).norm(norm)))
        let back = try ModelFile.load(SafeTensorsFile(bytes: file.serialized())).checkpoint.model
        #expect(back.configuration == model.configuration && back.parameters == model.parameters)
        let x = randomVector(2 * 6 * 2, seed: 1)
        #expect(try back.logits(inputs: x, batch: 2, length: 6) == model.logits(inputs: x, batch: 2, length: 6))
    }

    @Test func metadataMustAgreeWithTheTensors() throws {
        var file = try SafeTensorsFile(contentsOf: Fixtures.path("exact_batch.safetensors"))
        file.metadata["norm"] = "batch"
        #expect(try ModelFile.load(file).checkpoint.model.configuration.norm == .batch)
        for (key, value) in [("norm", "layer"), ("norm", "none"), ("norm", "group"), ("block", "swiglu")] {
            var bad = file
            bad.metadata[key] = value
            #expect(throws: ModelError.self, "\(key)=\(value)") { try ModelFile.load(bad) }
        }
        // impossible buffers: a negative running variance, a fractional batch count
        var negative = file
        negative.tensors["norms.0.running_var"] = try Tensor(shape: [4], float32: [1, -0.5, 1, 1])
        #expect(throws: ModelError.self) { try ModelFile.load(negative) }
        var fractional = file
        fractional.tensors["norms.0.num_batches_tracked"] = try Tensor(shape: [], float64: [2.5])
        #expect(throws: ModelError.self) { try ModelFile.load(fractional) }
        // an S4Model checkpoint without the keys is today's model: LayerNorm and the gated GELU head
        let plain = try ModelFile.load(path: Fixtures.path("plain.safetensors")).checkpoint.model.configuration
        #expect(plain.norm == .layer && plain.head == .glu)
    }

    @Test func resumeStateWrittenBeforeTheKindsStillDecodes() throws {
        let old = #"{"dInput":1,"dModel":2,"dState":2,"layers":1,"classes":2,"prenorm":false,"dropout":0.1,"initialisation":"lin","discretization":"zoh"}"#
        let c = try JSONDecoder().decode(S4ModelConfiguration.self, from: Data(old.utf8))
        #expect(c.norm == .layer && c.head == .glu)
        let new = try JSONDecoder().decode(S4ModelConfiguration.self,
                                           from: JSONEncoder().encode(S4ModelConfiguration(dInput: 1, classes: 2, norm: .none, head: .bilinear)))
        #expect(new.norm == NormKind.none && new.head == .bilinear)
    }
}
