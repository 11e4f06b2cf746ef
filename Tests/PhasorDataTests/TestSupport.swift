import Foundation
@testable import PhasorData

// Shared helpers: the repository root (for Data/), temporary folders, and building binary files by hand.

enum Repo {
    /// The package root, found from this file's path (Tests/PhasorDataTests/TestSupport.swift).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func data(_ relative: String) -> String { root.appendingPathComponent("Data").appendingPathComponent(relative).path }
}

/// A fresh temporary directory, removed by `cleanup()`.
struct TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("phasor-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func write(_ name: String, _ text: String) throws -> String {
        let p = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// Little-endian bytes of an unsigned integer.
func le(_ value: UInt64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }

/// Little-endian bytes of Doubles / Floats, written bit by bit (independent of the library's memory copies).
func leBytes(_ values: [Double]) -> [UInt8] { values.flatMap { le($0.bitPattern, 8) } }
func leBytes(_ values: [Float]) -> [UInt8] { values.flatMap { le(UInt64($0.bitPattern), 4) } }

/// Runs `body` and returns the DataError it throws (nil if it throws nothing or something else).
func dataError(_ body: () throws -> Void) -> DataError? {
    do { try body() } catch let error as DataError { return error } catch { return nil }
    return nil
}

/// A safetensors file from a header string and data bytes, exactly as the format lays them out.
func safetensorsBytes(header: String, data: [UInt8]) -> [UInt8] {
    let h = Array(header.utf8)
    return le(UInt64(h.count), 8) + h + data
}
