// Where the bundled digits set lives: an explicit path, else Data/digits/digits.csv in the current directory or any
// parent, else beside the executable or any of its parents (.build/release/phasor → ../../Data) — BundledFile's search.
import Foundation
import PhasorData

public enum DataLocator {
    public static let relativePath = "Data/digits/digits.csv"

    /// The digits CSV: `explicit` if given (must exist), else the first match of the search; throws with the list of
    /// searched places otherwise.
    public static func digits(explicit: String? = nil, executable: String = CommandLine.arguments.first ?? "") throws -> String {
        do { return try BundledFile.locate(relativePath, explicit: explicit, executable: executable) } catch let missing as BundledFileMissing {
            throw ReportError.dataMissing(searched: missing.searched)
        }
    }
}
