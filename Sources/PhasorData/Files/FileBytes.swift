#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Every reader starts from the whole file as bytes: the parsers work on [UInt8] (fast, no per-character String
// handling) and can check every size claimed by a header against the real file size before allocating anything.
// Only regular files are read: a named pipe, device or socket would block or never end (and Foundation called a FIFO
// "You don't have permission"), so each is refused by name before it is opened.

enum FileBytes {
    /// The contents of `path`, or a `DataError` naming the file and the reason.
    static func read(_ path: String) throws -> [UInt8] {
        func failure(_ problem: String, _ fix: String) -> DataError { DataError(.unreadable, file: path, problem: problem, fix: fix) }
        func failure(_ error: FileSystem.Errno) -> DataError {
            switch error.code {
            case ENOENT: return failure("no such file", "check the path; relative paths are taken from the current directory")
            case EACCES, EPERM: return failure("permission denied", "check the file's permissions (ls -l)")
            default: return failure("cannot be read: \(error.sentence)", "check the path and the file")
            }
        }
        let kind: FileSystem.Kind
        switch FileSystem.status(path) {
        case let .success(s): kind = .init(mode: s.st_mode)
        case let .failure(error): throw failure(error)
        }
        try requireRegular(kind, failure)
        let fd = FileSystem.retrying { open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { throw failure(FileSystem.Errno(errno)) }
        defer { close(fd) }
        var s = stat()
        guard fstat(fd, &s) == 0 else { throw failure(FileSystem.Errno(errno)) }
        try requireRegular(.init(mode: s.st_mode), failure)   // the path may have been replaced since the stat
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(s.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { b in FileSystem.retrying { systemRead(fd, b.baseAddress, b.count) } }
            if n < 0 { throw failure(FileSystem.Errno(errno)) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    private static func requireRegular(_ kind: FileSystem.Kind, _ failure: (String, String) -> DataError) throws {
        switch kind {
        case .regular: return
        case .directory: throw failure("is a directory, not a file", "pass a file")
        default:
            throw failure("is \(kind.phrase), not a regular file",
                          "Phasor reads input files whole; save the data to a regular file first, e.g. cat … > data.csv")
        }
    }

    /// The first `count` bytes of a regular file (fewer if it is shorter); nil if it is not a readable regular file.
    /// Never blocks: a FIFO or device is not opened.
    static func prefix(_ path: String, count: Int) -> [UInt8]? {
        guard FileSystem.kind(path) == .regular else { return nil }
        let fd = FileSystem.retrying { open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: count)
        let n = head.withUnsafeMutableBytes { b in FileSystem.retrying { systemRead(fd, b.baseAddress, b.count) } }
        return n < 0 ? nil : Array(head[0..<n])
    }

    /// Reads a little-endian unsigned integer of `width` bytes at `offset` (caller checked the bounds).
    @inline(__always)
    static func littleEndian(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in stride(from: width - 1, through: 0, by: -1) { value = (value << 8) | UInt64(bytes[offset + i]) }
        return value
    }

    /// Appends `value` as `width` little-endian bytes.
    @inline(__always)
    static func appendLittleEndian(_ value: UInt64, width: Int, to bytes: inout [UInt8]) {
        for i in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }
}

/// POSIX read(2), by a name that FileBytes.read does not shadow.
@inline(__always)
fileprivate func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
