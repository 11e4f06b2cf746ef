import Foundation
import PhasorData

// Output files are written atomically one by one (AtomicFile), but a command that writes several must not leave the
// first behind when a later one cannot be written: every destination is checked before anything is written.

enum OutputPaths {
    /// Throws a one-line DataError for the first path whose folder is missing or not writable, or that is a folder.
    static func requireWritable(_ paths: [String?]) throws {
        for case let path? in paths {
            let url = URL(fileURLWithPath: path)
            let folder = url.deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw DataError(.unreadable, file: path, problem: "the folder \(folder) does not exist",
                                fix: "create it first or choose another output path")
            }
            guard FileManager.default.isWritableFile(atPath: folder) else {
                throw DataError(.unreadable, file: path, problem: "the folder \(folder) is not writable",
                                fix: "choose an output path in a writable folder")
            }
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw DataError(.badArgument, file: path, problem: "the output path is a folder",
                                fix: "give a file name inside it")
            }
            _ = try AtomicFile.destination(of: path)   // not a device, FIFO or socket; a name that fits; links followed
        }
    }

    /// Creates `folder` (and its parents) for figure files, or throws one line saying why it cannot.
    static func createFolder(_ folder: String) throws {
        try AtomicFile.createFolder(atPath: folder)   // one line: a file in the way, permissions (never Code=516)
    }
}
