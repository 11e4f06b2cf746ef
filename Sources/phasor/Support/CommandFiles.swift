import ArgumentParser
import Foundation
import PhasorData

// What a command reads and writes, checked before `run()` by `mainWithOneLineErrors` (docs/reliability.md §2,
// "mechanisms"), inside the command's FileTransaction (PhasorData/Files/FileTransaction.swift):
//   • OUTPUTS are declared by the command (`WritesFiles.outputs`: each option that names a file or folder it writes,
//     and files it derives from them, such as train's <out>.resume.safetensors). Each must be writable — a file: not a
//     folder, device, FIFO or socket, in an existing writable folder, a name that fits (AtomicFile.destination); a
//     folder: creatable — and no two may be the same file.
//   • INPUTS need no declaration: every path-valued option or argument of the parsed command (found by reflection,
//     ParsedOptions) that names an existing regular file is protected, and so is every file the readers read (the
//     *_TRAIN/*_TEST files of a --data folder, a tracked run's records; FileTransaction). An output that is an input
//     — by any spelling: a relative path, "./", a symbolic or hard link — is refused before any work (or, for a file
//     found only when it is read, at that moment), and any later write onto an input is refused too.
// So every output is checked before anything is computed or written, and an option added later is protected as an
// input without asking; a new output option needs one line in its command's `outputs`.

/// An output of a command: the option that names it, its path (nil: not given), whether it is a folder, and whether
/// the command reads it back as its own earlier output (train --resume: the checkpoint, the state, the --track run).
struct OutputFile {
    let option: String
    let path: String?
    let isFolder: Bool
    var rereadable = false

    static func file(_ option: String, _ path: String?) -> OutputFile { OutputFile(option: option, path: path, isFolder: false) }
    static func folder(_ option: String, _ path: String?) -> OutputFile { OutputFile(option: option, path: path, isFolder: true) }

    /// The same output, read back by the command when it continues an earlier run.
    var rereadByResume: OutputFile { OutputFile(option: option, path: path, isFolder: isFolder, rereadable: true) }
}

/// A command that writes files lists them (see the file comment).
protocol WritesFiles {
    var outputs: [OutputFile] { get }
}

enum CommandFiles {
    /// Checks `command`'s outputs and protects its inputs in `transaction` (one line on the first problem).
    static func check(_ command: Any, in transaction: FileTransaction) throws {
        let outputs = (command as? WritesFiles)?.outputs ?? []
        for output in outputs {
            guard let path = output.path else { continue }
            if output.isFolder { try AtomicFile.requireFolderWritable(atPath: path) } else { try requireWritableFile(path) }
            try transaction.declare(path, as: "\(output.option) \(path)", isFolder: output.isFolder, rereadable: output.rereadable)
        }
        let outputOptions = Set(outputs.map(\.option))
        for value in ParsedOptions.values(of: command) where !outputOptions.contains(value.option) {
            for path in (value.value as? [String]) ?? (value.value as? String).map({ [$0] }) ?? [] {
                try transaction.protect(path, as: "\(value.option) \(path)")
            }
        }
    }


    /// A file output: its folder exists and is writable; the path is not a folder, device, FIFO or socket; its name
    /// fits; links are followed (AtomicFile.destination). One-line errors.
    static func requireWritableFile(_ path: String) throws {
        let target = try AtomicFile.destination(of: path)
        let folder = (target as NSString).deletingLastPathComponent
        guard access(folder.isEmpty ? "." : folder, W_OK) == 0 else {
            throw DataError(.unreadable, file: path, problem: "the folder \(folder.isEmpty ? "." : folder) is not writable",
                            fix: "choose an output path in a writable folder")
        }
    }
}
