import Foundation

// Every written file is atomic (DESIGN.md §2): the bytes go to a temporary file in the destination's own directory
// (same file system, so the rename cannot cross devices), are flushed, and the temporary file is renamed over the
// destination. A reader sees the old file or the new one, never half of one; a killed writer leaves at most a stray
// `.phasor-tmp-*` file, never a truncated destination.

/// A file could not be written.
public struct FileWriteError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

public enum AtomicFile {
    /// Writes `data` to `path` atomically, replacing any existing file.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else { throw FileWriteError(path: path, reason: "directory \(directory.path) does not exist") }
        let temporary = directory.appendingPathComponent(".phasor-tmp-\(UUID().uuidString)-\(url.lastPathComponent)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw FileWriteError(path: path, reason: "directory \(directory.path) is not writable")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, url.path) != 0 {
                throw FileWriteError(path: path, reason: String(cString: strerror(errno)))
            }
        } catch let error as FileWriteError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw FileWriteError(path: path, reason: "\(error)")
        }
    }

    /// Writes UTF-8 `text` to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }
}
