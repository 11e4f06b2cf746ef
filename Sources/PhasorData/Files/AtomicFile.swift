import Foundation

// Every written file is atomic (DESIGN.md §2): the bytes go to a temporary file in the destination's own folder
// (same file system, so the rename cannot cross devices), are flushed, and the temporary file is renamed over the
// destination. A reader sees the old file or the new one, never half of one; a killed writer leaves at most a stray
// temporary file, never a truncated destination — and the next write of the same output removes it.
//
// The destination (docs/data-formats.md "Writing files"):
//   • a regular file or nothing: written (an existing file keeps its permission bits);
//   • a symbolic link: followed to its final target, which is written atomically in the TARGET's folder, so the link
//     stays a link (as `cmd > link` would write through it); a dangling link creates its target;
//   • a folder, character or block device (/dev/null, a mknod copy of /dev/full), named pipe or socket: refused.
//     Renaming over such a path would replace the device node itself with a regular file;
//   • a name longer than the folder's file system allows (NAME_MAX, usually 255 bytes): refused up front.
//
// Temporary names are short whatever the destination's name (so a legal 250-byte name stays writable):
//     .phasor-tmp-<h>-<host>-<pid>-<r>
// h = FNV-1a 64 of the destination's name (16 hex digits), host = FNV-1a 32 of the host name (8 hex digits), pid the
// writer's process id, r 32 random bits (8 hex digits) — at most 57 bytes. Before writing, temporaries of the SAME
// destination (same h) from this host whose writer has died (kill(pid, 0) fails with ESRCH) are removed — only
// regular files owned by this user, never one of a live process (another writer of the same output, or a reused pid:
// then it is left alone). Files from other hosts on a shared file system are never touched (their pids mean nothing
// here).

/// A file could not be written.
public struct FileWriteError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "cannot write \(path): \(reason)" }
}

public enum AtomicFile {
    /// Writes `data` to `path` atomically, replacing an existing regular file (through a symbolic link: its target).
    public static func write(_ data: Data, to path: String) throws {
        let target = try destination(of: path)
        let folder = folder(of: target)
        let name = (target as NSString).lastPathComponent
        removeStaleTemporaries(of: name, in: folder)
        let temporary = (folder as NSString).appendingPathComponent(temporaryPrefix(of: name)
            + "\(getpid())-" + hex(UInt64(UInt32.random(in: .min ... .max)), digits: 8))
        func failure(_ what: String) -> FileWriteError {
            let reason = FileSystem.Errno(errno).sentence
            unlink(temporary)
            return FileWriteError(path: path, reason: "\(what): \(reason)")
        }
        let fd = FileSystem.retrying { open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) }
        guard fd >= 0 else {
            throw FileWriteError(path: path, reason: errno == EACCES || errno == EPERM
                                 ? "the folder \(folder) is not writable" : FileSystem.Errno(errno).sentence)
        }
        var s = stat()
        if stat(target, &s) == 0 { _ = fchmod(fd, s.st_mode & 0o777) }   // keep the replaced file's permissions
        let written: Bool = data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = FileSystem.retrying { Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset) }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        guard written, fsync(fd) == 0 else {
            let error = failure("writing the data failed")
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw failure("writing the data failed") }
        guard rename(temporary, target) == 0 else { throw failure("replacing the file failed") }
        // Make the rename itself durable (best effort: some file systems cannot sync a folder).
        let directory = open(folder, O_RDONLY | O_CLOEXEC)
        if directory >= 0 { _ = fsync(directory); close(directory) }
    }

    /// Writes UTF-8 `text` to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// The file a write to `path` replaces or creates: `path` itself, or the final target of the symbolic links it
    /// names. Throws a one-line FileWriteError when the destination is not writable as a regular file: a folder, a
    /// device, a FIFO or socket, a missing or non-folder parent, a name longer than the file system allows.
    /// Commands call it before any work (so a bad output costs nothing), and `write` calls it again.
    public static func destination(of path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            switch FileSystem.status(current, followLinks: false) {
            case let .failure(error) where error.code == ENOENT:
                try requireFolder(of: current, path: path)
                return current
            case let .failure(error):
                if error.code == ENAMETOOLONG { try requireFolder(of: current, path: path) }   // says how long
                throw FileWriteError(path: path, reason: error.sentence)
            case let .success(s):
                switch FileSystem.Kind(mode: s.st_mode) {
                case .regular:
                    try requireFolder(of: current, path: path)
                    return current
                case .symbolicLink:
                    guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else {
                        throw FileWriteError(path: path, reason: "the symbolic link \(current) cannot be read")
                    }
                    current = link.hasPrefix("/") ? link : (folder(of: current) as NSString).appendingPathComponent(link)
                case .directory:
                    throw FileWriteError(path: path, reason: current == path ? "the output path is a folder (give a file name inside it)"
                                                                             : "it is a link to the folder \(current) (give a file name)")
                case let kind:
                    throw FileWriteError(path: path, reason: (current == path ? "it" : "its link target \(current)")
                        + " is \(kind.phrase), not a regular file; Phasor replaces outputs atomically and will not replace \(kind.phrase) (choose a regular file path)")
                }
            }
        }
        throw FileWriteError(path: path, reason: FileSystem.Errno(ELOOP).sentence)
    }

    /// Creates the folder `path` and its missing parents (as `mkdir -p`), with one-line errors: a component that
    /// exists but is not a folder, permission denied, a read-only file system. (Not atomic; it lives here so that
    /// every output path goes through this one type.)
    public static func createFolder(atPath path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix = prefix.isEmpty || prefix.hasSuffix("/") ? prefix + component : prefix + "/" + component
            switch FileSystem.status(prefix) {
            case let .success(s):
                let kind = FileSystem.Kind(mode: s.st_mode)
                guard kind == .directory else {
                    throw FileWriteError(path: path, reason: "\(prefix) is \(kind.phrase), not a folder")
                }
            case let .failure(error) where error.code == ENOENT:
                if mkdir(prefix, 0o777) != 0, errno != EEXIST {
                    throw FileWriteError(path: path, reason: "cannot create the folder \(prefix): \(FileSystem.Errno(errno).sentence)")
                }
            case let .failure(error):
                throw FileWriteError(path: path, reason: "\(prefix): \(error.sentence)")
            }
        }
    }

    // MARK: - Temporary names

    /// ".phasor-tmp-<h>-<host>-": the part of a temporary's name shared by every writer of `name` on this host.
    static func temporaryPrefix(of name: String) -> String {
        ".phasor-tmp-" + hex(fnv1a64(Array(name.utf8)), digits: 16) + "-" + hex(fnv1a64(hostName()) & 0xFFFF_FFFF, digits: 8) + "-"
    }

    /// Removes temporaries of `name` in `folder` left by dead writers on this host (see the file comment).
    static func removeStaleTemporaries(of name: String, in folder: String) {
        let prefix = temporaryPrefix(of: name)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let parts = entry.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let pid = Int32(parts[0]), pid > 0, pid != getpid(),
                  parts[1].count == 8, parts[1].allSatisfy(\.isHexDigit) else { continue }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }   // alive, or not ours to know: keep
            let file = (folder as NSString).appendingPathComponent(entry)
            guard case let .success(s) = FileSystem.status(file, followLinks: false),
                  FileSystem.Kind(mode: s.st_mode) == .regular, s.st_uid == geteuid() else { continue }
            unlink(file)
        }
    }

    /// The folder holding `path` ("." for a bare name).
    private static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// The folder of `current` exists and is a folder, and `current`'s name fits the file system's NAME_MAX.
    private static func requireFolder(of current: String, path: String) throws {
        let parent = folder(of: current)
        switch FileSystem.status(parent) {
        case let .success(s) where FileSystem.Kind(mode: s.st_mode) == .directory: break
        case .success: throw FileWriteError(path: path, reason: "\(parent) is not a folder")
        case let .failure(error) where error.code == ENOENT: throw FileWriteError(path: path, reason: "directory \(parent) does not exist")
        case let .failure(error): throw FileWriteError(path: path, reason: "\(parent): \(error.sentence)")
        }
        let length = (current as NSString).lastPathComponent.utf8.count
        let limit = pathconf(parent, Int32(_PC_NAME_MAX))
        if limit > 0, length > limit {
            throw FileWriteError(path: path, reason: "the file name is \(length) bytes long; the file system allows \(limit)")
        }
    }

    private static func hostName() -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return [] }
        return buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
    }

    /// FNV-1a, 64 bits: h ← (h ⊕ byte) · 1099511628211, from 14695981039346656037.
    private static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 14_695_981_039_346_656_037
        for b in bytes { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        return h
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
