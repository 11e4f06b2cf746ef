import Foundation
@testable import PhasorData
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

// Writing and reading files that are not ordinary (issue 14): long names, stale temporaries of killed writers, device
// files, FIFOs, symbolic links, permissions; every failure a one-line FileWriteError/DataError with the true cause.
@Suite("atomic files and special paths")
struct SpecialPathTests {
    /// A fresh folder for one test.
    func folder() throws -> TemporaryDirectory { try TemporaryDirectory() }

    func kind(_ path: String, followLinks: Bool = false) -> FileSystem.Kind? { FileSystem.kind(path, followLinks: followLinks) }

    func writeError(_ path: String) -> FileWriteError? {
        do { try AtomicFile.write("x", to: path) } catch let error as FileWriteError { return error } catch { return nil }
        return nil
    }

    /// The pid of a process that has exited (and been reaped).
    func deadPid() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "exit 0"]
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    @Test func longNamesFitAndTooLongNamesAreRefusedUpFront() throws {
        let dir = try folder()
        defer { dir.cleanup() }
        let long = dir.path(String(repeating: "a", count: 250) + ".bin")   // 254 bytes: legal
        try AtomicFile.write("data", to: long)
        #expect(try String(contentsOfFile: long, encoding: .utf8) == "data")
        let tooLong = dir.path(String(repeating: "b", count: 256))
        #expect(writeError(tooLong)?.reason.contains("256 bytes long") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).count == 1)
        // The temporary name's length does not depend on the destination's: ≤ 57 bytes even for a 255-byte name.
        #expect(AtomicFile.temporaryPrefix(of: String(repeating: "c", count: 255)).utf8.count + "2147483647-0123abcd".count <= 57)
    }

    @Test func staleTemporariesOfDeadWritersAreRemoved() throws {
        let dir = try folder()
        defer { dir.cleanup() }
        let out = dir.path("model.safetensors")
        let prefix = AtomicFile.temporaryPrefix(of: "model.safetensors")
        let dead = try deadPid()
        let stale = dir.path(prefix + "\(dead)-0123abcd")
        let live = dir.path(prefix + "1-89abcdef")                                           // pid 1 is alive
        let otherOutput = dir.path(AtomicFile.temporaryPrefix(of: "other.safetensors") + "\(dead)-0123abcd")
        let notOurs = dir.path(prefix + "\(dead)-not-hex")
        let staleFolder = dir.path(prefix + "\(dead)-deadbeef")
        for path in [stale, live, otherOutput, notOurs] { try Data(repeating: 7, count: 1 << 16).write(to: URL(fileURLWithPath: path)) }
        try FileManager.default.createDirectory(atPath: staleFolder, withIntermediateDirectories: false)
        try AtomicFile.write("new", to: out)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.url.path))
        #expect(!left.contains((stale as NSString).lastPathComponent))
        for kept in [live, otherOutput, notOurs, staleFolder, out] {
            #expect(left.contains((kept as NSString).lastPathComponent), "\(kept) was removed")
        }
        #expect(left.count == 5)
    }

    @Test func devicesFIFOsAndFoldersAreNeverReplaced() throws {
        let dir = try folder()
        defer { dir.cleanup() }
        let fifo = dir.path("pipe")
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect(writeError(fifo)?.reason.contains("named pipe (FIFO), not a regular file") == true)
        #expect(kind(fifo) == .fifo)
        let sub = dir.path("sub")
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false)
        #expect(writeError(sub)?.reason.contains("folder") == true && kind(sub) == .directory)
        // A copy of /dev/null (needs the right to create device nodes: root; skipped otherwise).
        let null = dir.path("null")
        var device = stat()
        if stat("/dev/null", &device) == 0, mknod(null, S_IFCHR | 0o666, device.st_rdev) == 0 {
            #expect(writeError(null)?.reason.contains("character device") == true)
            #expect(kind(null) == .characterDevice)
            // Through a symbolic link, too.
            let link = dir.path("link-to-null")
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "null")
            #expect(writeError(link)?.reason.contains("character device") == true && kind(null) == .characterDevice)
        }
        // Nothing else appeared (no temporary left behind).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).allSatisfy { !$0.hasPrefix(".phasor-tmp") })
    }

    @Test func symbolicLinksAreWrittenThroughToTheirTarget() throws {
        let dir = try folder()
        defer { dir.cleanup() }
        let runs = dir.url.appendingPathComponent("runs/42")
        try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
        let target = runs.appendingPathComponent("model.bin").path
        try AtomicFile.write("old", to: target)
        let link = dir.path("latest.bin")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "runs/42/model.bin")   // relative
        let chain = dir.path("chain.bin")
        try FileManager.default.createSymbolicLink(atPath: chain, withDestinationPath: link)                 // absolute
        try AtomicFile.write("new", to: chain)
        #expect(kind(link) == .symbolicLink && kind(chain) == .symbolicLink)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: runs.path) == ["model.bin"])
        // A dangling link creates its target; a loop is refused.
        let dangling = dir.path("dangling.bin")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "runs/42/fresh.bin")
        try AtomicFile.write("fresh", to: dangling)
        #expect(try String(contentsOfFile: runs.appendingPathComponent("fresh.bin").path, encoding: .utf8) == "fresh")
        let loop = dir.path("loop")
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: "loop")
        #expect(writeError(loop)?.reason.contains("symbolic links") == true)
    }

    @Test func replacedFilesKeepTheirPermissions() throws {
        let dir = try folder()
        defer { dir.cleanup() }
        let path = dir.path("secret.bin")
        try AtomicFile.write("one", to: path)
        #expect(chmod(path, 0o640) == 0)
        try AtomicFile.write("two", to: path)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o640)
    }

    @Test func foldersAreCreatedWithOneLineErrors() throws {
        let dir = try folder()
        defer { dir.cleanup() }
        let nested = dir.path("a/b/c")
        try AtomicFile.createFolder(atPath: nested)
        try AtomicFile.createFolder(atPath: nested)   // exists: fine
        #expect(kind(nested) == .directory)
        try AtomicFile.write("x", to: dir.path("file"))
        do {
            try AtomicFile.createFolder(atPath: dir.path("file/sub"))
            Issue.record("a folder inside a regular file was created")
        } catch let error as FileWriteError {
            #expect(error.reason.hasSuffix("file is a regular file, not a folder") && !error.description.contains("Domain"))
        }
    }

    @Test func readingSpecialFilesSaysWhatTheyAre() throws {
        let dir = try folder()
        defer { dir.cleanup() }
        let fifo = dir.path("data.csv")
        #expect(mkfifo(fifo, 0o644) == 0)
        // Refused by name before it is opened (opening a FIFO for reading would block until a writer appears).
        let error = dataError { _ = try DatasetLoader.load(path: fifo) }
        #expect(error?.kind == .unreadable && error?.problem == "is a named pipe (FIFO), not a regular file")
        #expect(dataError { _ = try SafeTensorsFile(contentsOf: fifo) }?.problem.contains("named pipe") == true)
        #expect(!NpyArray.hasMagic(atPath: fifo))
        #expect(dataError { _ = try NpyArray(contentsOf: "/dev/null") }?.problem == "is a character device, not a regular file")
        #expect(dataError { _ = try NpyArray(contentsOf: dir.url.path) }?.problem.contains("directory") == true)
        #expect(dataError { _ = try NpyArray(contentsOf: dir.path("none.npy")) }?.problem == "no such file")
        // Permission denied is said as such (root reads anything, so only checked for other users).
        if geteuid() != 0 {
            let locked = dir.path("locked.npy")
            try AtomicFile.write("x", to: locked)
            #expect(chmod(locked, 0) == 0)
            #expect(dataError { _ = try NpyArray(contentsOf: locked) }?.problem == "permission denied")
        }
    }
}
