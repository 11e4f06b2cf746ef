// What the LinOSS and S6 reference files say beyond their tensors: LinOSS's IM or IMEX is only in the metadata
// ("discretization"; without it IM is assumed, with a note), and metadata that contradicts the tensors or the skeleton
// is refused with one clear error. (Logits and block outputs against the reference: ReferenceFixtureTests.)
import Foundation
import PhasorData
import Testing
@testable import PhasorModels

@Suite struct LinOSSS6FileTests {
    @Test func linossWithoutDiscretizationMetadataIsReadAsIMWithANote() throws {
        var file = try SafeTensorsFile(contentsOf: ReferenceFixtures.path("linoss", "linoss_imex.safetensors"))
        #expect(try ModelFile.load(file).checkpoint.model.configuration.core == .linossIMEX)
        file.metadata["discretization"] = nil
        let loaded = try ModelFile.load(file)
        #expect(loaded.checkpoint.model.configuration.core == .linossIM)
        #expect(loaded.notes.count == 1 && loaded.notes[0].hasPrefix("assuming LinOSS-IM"))
        file.metadata["discretization"] = "zoh"
        #expect(throws: ModelError.self) { try ModelFile.load(file) }
    }

    @Test(arguments: [("s6", "s6", "batch", "false"), ("linoss", "linoss_im", "layer", "true")])
    func metadataThatContradictsTheTensorsIsRefused(_ f: (String, String, String, String)) throws {
        let file = try SafeTensorsFile(contentsOf: ReferenceFixtures.path(f.0, f.1 + ".safetensors"))
        for (key, value) in [("norm", f.2), ("pooling", "last"), ("prenorm", "false"), ("family", "lru"), ("norm_affine", f.3),
                             ("block", "s5-flax")] {
            var bad = file
            bad.metadata[key] = value
            #expect(throws: ModelError.self, "\(key) = \(value)") { try ModelFile.load(bad) }
        }
        #expect(throws: ModelError.self) { try ModelFile.load(file, options: ModelLoadOptions(normPlacement: .post)) }
        var bare = file
        bare.metadata = [:]                                                   // the skeleton is in the key set
        let read = try ModelFile.load(bare).checkpoint.model.configuration
        #expect(read.core == (f.0 == "s6" ? .s6 : .linossIM) && read.skeleton == (f.0 == "s6" ? .logNCDEMamba : .linossRepo))
    }
}
