import ArgumentParser
import PhasorModels

// The options of every command that loads a model, and the call to the library's one door (ModelFile): the library
// reads the file and returns notes (a stripped prefix, an assumed norm placement); each is printed once on stderr —
// when the command ends (Notes), so that a failing command still prints exactly one line, with the notes in it.

struct LoadingOptions: ParsableArguments {
    @Option(help: "Read only the tensors whose names start with this prefix (a model inside a larger file), prefix removed.")
    var prefix: String?
    @Flag(help: "The model was trained with prenorm=True (LayerNorm before each block); for checkpoints without 'prenorm' metadata. An error if the metadata says otherwise.")
    var prenorm = false
    @Flag(help: "The model is post-norm (example.py's default); silences the note for checkpoints without 'prenorm' metadata. An error if the metadata says otherwise.")
    var postnorm = false

    func validate() throws {
        if prenorm && postnorm { throw ValidationError("give at most one of --prenorm and --postnorm") }
    }

    /// A Mamba language model (`--tokens`) is read by its own key names and is pre-norm (RMSNorm) by construction:
    /// the classifier loading options do not apply to it, and giving one is an error rather than ignored.
    func requireNoneForLanguageModel() throws {
        let given = [prefix.map { _ in "--prefix" }, prenorm ? "--prenorm" : nil, postnorm ? "--postnorm" : nil].compactMap { $0 }
        guard given.isEmpty else {
            throw CLIError("\(given.joined(separator: " and ")) read\(given.count == 1 ? "s" : "") classifier checkpoints; a Mamba language "
                + "model (--tokens) is read by its own key names (backbone.*) and is pre-norm by construction: leave "
                + (given.count == 1 ? "it" : "them") + " out")
        }
    }

    func options(normPlacementMatters: Bool = true) -> ModelLoadOptions {
        ModelLoadOptions(prefix: prefix, normPlacement: prenorm ? .pre : (postnorm ? .post : nil),
                         normPlacementMatters: normPlacementMatters)
    }

    /// The checkpoint at `path`; the door's notes go to stderr.
    func checkpoint(_ path: String) throws -> Checkpoint {
        let loaded = try ModelFile.load(path: path, options: options())
        Notes.add(loaded.notes, about: path)
        return loaded.checkpoint
    }

    /// The S4D cores at `path` (a model's or a designed layer file's); notes to stderr.
    func cores(_ path: String, normPlacementMatters: Bool = false) throws -> LoadedCores {
        let loaded = try ModelFile.loadCores(path: path, options: options(normPlacementMatters: normPlacementMatters))
        Notes.add(loaded.notes, about: path)
        return loaded
    }
}

/// Notes about how input files were read, printed once when the command ends: each on its own stderr line after a
/// success, appended to the single error line after a failure.
enum Notes {
    nonisolated(unsafe) private static var pending: [String] = []

    static func add(_ notes: [String], about path: String) {
        for note in notes where !pending.contains("\(path): \(note)") { pending.append("\(path): \(note)") }
    }

    /// The pending notes (and forgets them).
    static func take() -> [String] {
        defer { pending = [] }
        return pending
    }
}
