import Foundation
@testable import PhasorModels

// What the training tests share: the tiny S4D classifier they train (1 layer, H = 4, N = 4, two classes) and a fresh
// scratch folder per run.

let tinyTrainingModel = S4ModelConfiguration(dInput: 1, dModel: 4, dState: 4, layers: 1, classes: 2, prenorm: false,
                                             dropout: 0.1, initialisation: .lin, discretization: .zoh)

/// A new empty folder under the temporary directory, named `prefix-<uuid>`.
func trainingScratchDirectory(_ prefix: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
}
