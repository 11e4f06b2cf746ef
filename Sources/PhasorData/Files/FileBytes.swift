import Foundation

// Every reader starts from the whole file as bytes: the parsers work on [UInt8] (fast, no per-character String
// handling) and can check every size claimed by a header against the real file size before allocating anything.

enum FileBytes {
    /// The contents of `path`, or a `DataError` naming the file and the reason.
    static func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(.unreadable, file: path, problem: "no such file",
                            fix: "check the path; relative paths are taken from the current directory")
        }
        if isDirectory.boolValue {
            throw DataError(.unreadable, file: path, problem: "is a directory, not a file", fix: "pass a file")
        }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw DataError(.unreadable, file: path, problem: "cannot be read: \(error.localizedDescription)",
                            fix: "check the file's permissions")
        }
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
