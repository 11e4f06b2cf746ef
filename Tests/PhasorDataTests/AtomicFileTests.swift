import Foundation
import PhasorData
import Testing

@Test func atomicWriteReplacesAndLeavesNoTemporary() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("phasor-atomic-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("a.txt").path
    try AtomicFile.write("first", to: path)
    try AtomicFile.write("second", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["a.txt"])
    #expect(throws: FileWriteError.self) { try AtomicFile.write("x", to: "/no/such/dir/a.txt") }
}
