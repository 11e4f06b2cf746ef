// Where the bundled digits set lives: an explicit path, else Data/digits/digits.csv in the current directory or any
// parent, else beside the executable or any of its parents (.build/release/phasor → ../../Data).
import Foundation

public enum DataLocator {
    public static let relativePath = "Data/digits/digits.csv"

    /// The digits CSV: `explicit` if given (must exist), else the first match of the search; throws with the list of
    /// searched places otherwise.
    public static func digits(explicit: String? = nil, executable: String = CommandLine.arguments.first ?? "") throws -> String {
        let fm = FileManager.default
        if let explicit {
            guard fm.fileExists(atPath: explicit) else { throw ReportError.dataMissing(searched: [explicit]) }
            return explicit
        }
        var searched: [String] = []
        var starts = [fm.currentDirectoryPath]
        let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent().path
        if !executable.isEmpty { starts.append(exe) }
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
        throw ReportError.dataMissing(searched: searched)
    }
}
