import Foundation

// Where a file bundled with Phasor (Data/…) lives: an explicit path, else `relativePath` under the current directory
// or any of its parents, else beside the executable or any of its parents (.build/release/phasor → ../../Data), up to
// eight levels each. Used for the digits set of the demo and the attractor catalogue.

public enum BundledFile {
    /// The file: `explicit` if given (it must exist), else the first match of the search.
    /// Throws `BundledFileMissing` listing every place searched.
    public static func locate(_ relativePath: String, explicit: String? = nil,
                              executable: String = CommandLine.arguments.first ?? "") throws -> String {
        let fm = FileManager.default
        if let explicit {
            guard fm.fileExists(atPath: explicit) else { throw BundledFileMissing(relativePath: relativePath, searched: [explicit]) }
            return explicit
        }
        var searched: [String] = []
        var starts = [fm.currentDirectoryPath]
        if !executable.isEmpty {
            starts.append(URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent().path)
        }
        for start in starts {
            var dir = URL(fileURLWithPath: start)
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent(relativePath).path
                searched.append(candidate)
                if fm.fileExists(atPath: candidate) { return candidate }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw BundledFileMissing(relativePath: relativePath, searched: searched)
    }
}

/// A bundled file was not found; `searched` lists the paths tried.
public struct BundledFileMissing: Error, CustomStringConvertible, Sendable, Equatable {
    public let relativePath: String
    public let searched: [String]
    public var description: String {
        "the bundled file \(relativePath) was not found; looked in: \(searched.joined(separator: ", ")). "
            + "Run from the Phasor checkout or give its path"
    }
}
