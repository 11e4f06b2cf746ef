// Checkpoints as PyTorch users save them (Tests/Fixtures/checkpoints, made by make_checkpoints.py with torch): a plain
// state_dict, the same weights under DataParallel's, torch.compile's, Lightning's and nested prefixes, a sub-model of
// a larger file, a pre-norm model saved without metadata, a bilinear model, and F16 / BF16 copies. Each loads through
// the one door and gives PyTorch's own float64 logits (computed there from the weights as stored) to ~1e-13; what the
// door assumed comes back as notes, and contradictions are errors.
import Foundation
import Testing
import PhasorData
@testable import PhasorModels

enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/checkpoints")
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    static var x: NpyArray { get throws { try NpyArray(contentsOf: path("x.npy")) } }
    static func logits(_ name: String) throws -> [Double] { try NpyArray(contentsOf: path("logits_\(name).npy")).asDoubles() }

    /// max |a − b|.
    static func difference(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { abs($0 - $1) }.max() ?? .infinity }

    /// The loaded checkpoint's logits on x.npy.
    static func logits(of checkpoint: Checkpoint) throws -> [Double] {
        let x = try self.x
        return try checkpoint.logits(inputs: try x.asDoubles(), batch: x.shape[0], length: x.shape[1], channels: x.shape[2])
    }
}

@Suite struct PyTorchCheckpointTests {
    @Test(arguments: [("plain", ""), ("dataparallel", "module."), ("compiled", "_orig_mod."), ("lightning", "model."),
                      ("nested", "_orig_mod.module.")])
    func wrappedStateDictsLoadWithTheirPrefixStripped(_ file: (String, String)) throws {
        let loaded = try ModelFile.load(path: Fixtures.path(file.0 + ".safetensors"))
        #expect(Fixtures.difference(try Fixtures.logits(of: loaded.checkpoint), try Fixtures.logits("plain")) <= 1e-13)
        let stripped = loaded.notes.filter { $0.contains("stripped the prefix") }
        #expect(stripped == (file.1.isEmpty ? [] : ["stripped the prefix '\(file.1)' shared by every tensor name (a DataParallel/DDP, torch.compile or Lightning wrapper)"]))
        #expect(loaded.notes.filter { $0.hasPrefix("assuming post-norm") }.count == 1)   // no metadata in any of them
        #expect(loaded.checkpoint.model.configuration.layers == 2 && !loaded.checkpoint.model.configuration.prenorm)
    }

    @Test func aSubModelIsPickedWithPrefixAndTheErrorNamesTheCandidates() throws {
        let path = Fixtures.path("bundle.safetensors")
        #expect(throws: ModelError.underPrefix("'student', 'teacher'")) { try ModelFile.load(path: path) }
        for prefix in ["student", "student."] {
            let loaded = try ModelFile.load(path: path, options: ModelLoadOptions(prefix: prefix, normPlacement: .post))
            #expect(loaded.notes.isEmpty)
            #expect(Fixtures.difference(try Fixtures.logits(of: loaded.checkpoint), try Fixtures.logits("plain")) <= 1e-13)
        }
        #expect(throws: ModelError.self) { try ModelFile.load(path: path, options: ModelLoadOptions(prefix: "pupil")) }
    }

    @Test func aPrenormFileWithoutMetadataIsNeverReadSilently() throws {
        let path = Fixtures.path("prenorm.safetensors"), expected = try Fixtures.logits("prenorm")
        let assumed = try ModelFile.load(path: path)
        #expect(assumed.notes == ["assuming post-norm (example.py's default): the checkpoint has no 'prenorm' metadata; pass --prenorm if the model was trained with prenorm=True (or --postnorm to silence this note)"])
        #expect(Fixtures.difference(try Fixtures.logits(of: assumed.checkpoint), expected) > 1e-3)   // post-norm: wrong, but said
        let stated = try ModelFile.load(path: path, options: ModelLoadOptions(normPlacement: .pre))
        #expect(stated.notes.isEmpty && stated.checkpoint.model.configuration.prenorm)
        #expect(Fixtures.difference(try Fixtures.logits(of: stated.checkpoint), expected) <= 1e-13)
    }

    /// Metadata "prenorm" in every spelling PyTorch code writes decides; a stated placement that contradicts it is an
    /// error, one that agrees is silent; an unknown spelling is an error.
    @Test func prenormMetadataSpellingsAndContradictions() throws {
        var file = try SafeTensorsFile(contentsOf: Fixtures.path("prenorm.safetensors"))
        for (text, pre) in [("true", true), ("True", true), ("1", true), ("false", false), ("False", false), ("0", false)] {
            file.metadata = ["prenorm": text]
            let loaded = try ModelFile.load(file)
            #expect(loaded.checkpoint.model.configuration.prenorm == pre && loaded.notes.isEmpty, "\(text)")
            #expect(try ModelFile.load(file, options: ModelLoadOptions(normPlacement: pre ? .pre : .post)).notes.isEmpty)
            #expect(throws: ModelError.self) { try ModelFile.load(file, options: ModelLoadOptions(normPlacement: pre ? .post : .pre)) }
        }
        file.metadata = ["prenorm": "yes"]
        #expect(throws: ModelError.self) { try ModelFile.load(file) }
        // the map does not depend on the placement: no note when the caller says so
        file.metadata = [:]
        #expect(try ModelFile.load(file, options: ModelLoadOptions(normPlacementMatters: false)).notes.isEmpty)
    }

    @Test func bilinearMetadataIsHonoured() throws {
        let loaded = try ModelFile.load(path: Fixtures.path("bilinear.safetensors"))
        #expect(loaded.checkpoint.model.configuration.discretization == .bilinear && loaded.notes.isEmpty)
        #expect(Fixtures.difference(try Fixtures.logits(of: loaded.checkpoint), try Fixtures.logits("bilinear")) <= 1e-13)
        var file = try SafeTensorsFile(contentsOf: Fixtures.path("bilinear.safetensors"))
        file.metadata["discretization"] = "tustin"
        #expect(throws: ModelError.self) { try ModelFile.load(file) }
    }

    /// F16 and BF16 files are read exactly (each value widened) and run in Double: PyTorch's logits of the same
    /// rounded weights, not the F32 model's.
    @Test(arguments: [("half", TensorDType.float16), ("bfloat16", TensorDType.bfloat16)])
    func halfPrecisionCheckpointsRunOnTheirRoundedWeights(_ file: (String, TensorDType)) throws {
        let raw = try SafeTensorsFile(contentsOf: Fixtures.path(file.0 + ".safetensors"))
        #expect(raw.tensors.values.allSatisfy { $0.dtype == file.1 })
        let checkpoint = try ModelFile.load(raw).checkpoint
        let mine = try Fixtures.logits(of: checkpoint)
        #expect(Fixtures.difference(mine, try Fixtures.logits(file.0)) <= 1e-13)
        #expect(Fixtures.difference(mine, try Fixtures.logits("plain")) > 1e-7)      // really the rounded model
    }
}
