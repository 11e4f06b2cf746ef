// Classifiers exported from the families' reference code (Tests/Fixtures/architectures, made by the export recipes
// there from the official repositories; docs/architectures-reference.md §9) load through the one door and give the
// reference's own float64 logits and block outputs to ≤ 1e-10. The same files written back by Phasor load again
// identically; metadata that contradicts the tensors is refused.
import Foundation
import PhasorData
import Testing
@testable import PhasorModels

enum ArchitectureFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/architectures")
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The fixture's input (B, L, d_in), its reference logits and its trace (module outputs).
    static func reference(_ name: String) throws -> (x: NpyArray, logits: [Double], trace: SafeTensorsFile) {
        (try NpyArray(contentsOf: path(name + ".input.npy")), try NpyArray(contentsOf: path(name + ".logits.npy")).asDoubles(),
         try SafeTensorsFile(contentsOf: path(name + ".trace.safetensors")))
    }

    /// A (B, L, H) reference activation as (B, H, L), Phasor's layout.
    static func transposed(_ t: Tensor) -> [Double] {
        let v = t.asDoubles(), b = t.shape[0], l = t.shape[1], h = t.shape[2]
        var out = [Double](repeating: 0, count: v.count)
        for s in 0..<b { for k in 0..<l { for c in 0..<h { out[(s * h + c) * l + k] = v[(s * l + k) * h + c] } } }
        return out
    }

    static func difference(_ a: [Double], _ b: [Double]) -> Double {
        a.count == b.count ? zip(a, b).map { abs($0 - $1) }.max() ?? 0 : .infinity
    }
}

@Suite struct ReferenceClassifierTests {
    /// Logits of a fixture through the door, and the evaluation trace.
    func run(_ name: String) throws -> (checkpoint: Checkpoint, logits: [Double], trace: S4ModelTrace, reference: [Double], refTrace: SafeTensorsFile) {
        let checkpoint = try ModelFile.load(path: ArchitectureFixtures.path(name + ".safetensors")).checkpoint
        let (x, reference, refTrace) = try ArchitectureFixtures.reference(name)
        let values = try x.asDoubles()
        let logits = try checkpoint.logits(inputs: values, batch: x.shape[0], length: x.shape[1], channels: x.shape[2])
        let trace = try checkpoint.trace(inputs: values, batch: x.shape[0], length: x.shape[1])
        return (checkpoint, logits, trace, reference, refTrace)
    }

    @Test func s6FromLogNeuralCDEsGivesItsLogitsAndEveryModuleOutput() throws {
        let r = try run("s6/s6")
        let c = r.checkpoint.model.configuration
        #expect(c.core == .s6 && c.layers == 2 && c.dModel == 8 && c.dState == 4 && c.dtRank == 1 && c.prenorm)
        #expect(ArchitectureFixtures.difference(r.logits, r.reference) <= 1e-10)
        for i in 0..<2 {   // what the reference's modules returned: the norm, the S6 layer, the block
            let t = r.trace.layers[i], ref = r.refTrace.tensors
            #expect(ArchitectureFixtures.difference(t.blockInput, ArchitectureFixtures.transposed(ref["blocks.\(i).norm"]!)) <= 1e-10)
            #expect(ArchitectureFixtures.difference(t.ssmOutput, ArchitectureFixtures.transposed(ref["blocks.\(i).mamba"]!)) <= 1e-10)
            #expect(ArchitectureFixtures.difference(t.residualOutput, ArchitectureFixtures.transposed(ref["blocks.\(i)"]!)) <= 1e-10)
        }
        #expect(ArchitectureFixtures.difference(r.trace.pooled, r.refTrace.tensors["pooled"]!.asDoubles()) <= 1e-10)
    }

    @Test(arguments: [("linoss/linoss_im", CoreKind.linossIM), ("linoss/linoss_imex", .linossIMEX)])
    func linossFromTheLinOSSRepositoryGivesItsLogitsAndEveryBlockOutput(_ fixture: (String, CoreKind)) throws {
        let r = try run(fixture.0)
        let c = r.checkpoint.model.configuration
        #expect(c.core == fixture.1 && c.layers == 2 && c.dModel == 8 && c.dState == 6 && c.prenorm)
        // the fixture's relu-clamped oscillator (A_diag < 0: a Jordan block, run by the recurrence)
        guard case .linoss(let core) = r.checkpoint.model.block(1).core else { Issue.record("not a LinOSS core"); return }
        #expect(core.aDiag[1] < 0)
        #expect(ArchitectureFixtures.difference(r.logits, r.reference) <= 1e-10)
        let ref = r.refTrace.tensors
        #expect(ArchitectureFixtures.difference(r.trace.encoded, ArchitectureFixtures.transposed(ref["encoder.output"]!)) <= 1e-10)
        for i in 0..<2 {
            #expect(ArchitectureFixtures.difference(r.trace.layers[i].residualOutput,
                                                    ArchitectureFixtures.transposed(ref["blocks.\(i).output"]!)) <= 1e-10)
        }
        #expect(ArchitectureFixtures.difference(r.trace.pooled, ref["pooled"]!.asDoubles()) <= 1e-10)
    }

    @Test func linossWithoutDiscretizationMetadataIsReadAsIMWithANote() throws {
        var file = try SafeTensorsFile(contentsOf: ArchitectureFixtures.path("linoss/linoss_imex.safetensors"))
        file.metadata["discretization"] = nil
        let loaded = try ModelFile.load(file)
        #expect(loaded.checkpoint.model.configuration.core == .linossIM)
        #expect(loaded.notes.count == 1 && loaded.notes[0].hasPrefix("assuming LinOSS-IM"))
        file.metadata["discretization"] = "zoh"
        #expect(throws: ModelError.self) { try ModelFile.load(file) }
    }

    @Test func aWrittenCheckpointReadsBackIdentically() throws {
        for name in ["s6/s6", "linoss/linoss_im", "linoss/linoss_imex"] {
            let r = try run(name)
            let bytes = try r.checkpoint.file(precision: .f64).serialized()
            let back = try ModelFile.load(SafeTensorsFile(bytes: bytes))
            #expect(back.checkpoint.model.parameters == r.checkpoint.model.parameters)
            #expect(back.checkpoint.model.configuration == r.checkpoint.model.configuration)
            #expect(back.notes.isEmpty)
        }
    }

    @Test(arguments: [("s6/s6", CoreKind.s6, "tanh", "batch"), ("linoss/linoss_im", .linossIM, "erf", "layer")])
    func metadataThatContradictsTheTensorsIsRefused(_ f: (String, CoreKind, String, String)) throws {
        let file = try SafeTensorsFile(contentsOf: ArchitectureFixtures.path(f.0 + ".safetensors"))
        for (key, value) in [("gelu", f.2), ("norm", f.3), ("pooling", "last"), ("prenorm", "false"), ("family", "lru"),
                             ("norm_eps", "1e-6"), ("norm_affine", f.1 == .s6 ? "false" : "true")] {
            var bad = file
            bad.metadata[key] = value
            #expect(throws: ModelError.self) { try ModelFile.load(bad) }
        }
        #expect(throws: ModelError.self) { try ModelFile.load(file, options: ModelLoadOptions(normPlacement: .post)) }
        var bare = file
        bare.metadata = f.1 == .s6 ? [:] : ["discretization": "IM"]        // the skeleton is in the key set
        #expect(try ModelFile.load(bare).checkpoint.model.configuration.core == f.1)
    }
}
