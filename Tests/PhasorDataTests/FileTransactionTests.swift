import Foundation
@testable import PhasorData
import Testing

// One command's writes as one unit (FileTransaction.swift): a rollback restores every replaced file byte for byte and
// removes every created file and folder; a commit keeps the writes and leaves no kept original behind; an output that
// is an input — by hard link, symbolic link or another spelling — is refused; a read makes a file an input unless it
// is a rereadable output. Each test uses a task-local transaction (`isolated`), so tests running beside it in this
// process write outside it.
@Suite("file transactions")
struct FileTransactionTests {
    func entries(_ folder: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
    }

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func rollBackRestoresReplacedFilesAndRemovesCreatedOnes() throws {
        let folder = try TemporaryDirectory()
        defer { folder.cleanup() }
        let kept = try folder.write("kept.txt", "original")
        try FileTransaction.isolated { t in
            try AtomicFile.write("new contents", to: kept)
            try AtomicFile.write("again", to: kept)                     // the second write keeps no second original
            try AtomicFile.createFolder(atPath: folder.path("plots/deep"))
            try AtomicFile.write("svg", to: folder.path("plots/deep/a.svg"))
            try AtomicFile.write("created", to: folder.path("created.txt"))
            #expect(try text(kept) == "again")
            t.rollBack()
        }
        #expect(try text(kept) == "original")
        #expect(try entries(folder) == ["kept.txt"])                     // no created file, folder or kept original
    }

    @Test func commitKeepsTheWritesAndNoOriginal() throws {
        let folder = try TemporaryDirectory()
        defer { folder.cleanup() }
        let kept = try folder.write("kept.txt", "original")
        try FileTransaction.isolated { t in
            try AtomicFile.write("new", to: kept)
            try AtomicFile.write("created", to: folder.path("created.txt"))
            #expect(try entries(folder).count == 3)                       // the original is kept until the end
            t.commit()
        }
        #expect(try text(kept) == "new")
        #expect(try entries(folder) == ["created.txt", "kept.txt"])
    }

    @Test func anOutputThatIsAnInputIsRefusedByAnySpelling() throws {
        let folder = try TemporaryDirectory()
        defer { folder.cleanup() }
        let data = try folder.write("d.csv", "1,2,a\n")
        guard link(data, folder.path("hard.csv")) == 0 else { throw CocoaError(.fileWriteUnknown) }
        try FileManager.default.createSymbolicLink(atPath: folder.path("soft.csv"), withDestinationPath: "d.csv")
        let spellings = [data, folder.path("hard.csv"), folder.path("soft.csv"), folder.path("sub/../d.csv"),
                         folder.url.path + "/./d.csv"]
        try FileManager.default.createDirectory(atPath: folder.path("sub"), withIntermediateDirectories: false)
        for output in spellings {
            FileTransaction.isolated { t in
                #expect(throws: FileWriteError.self) {
                    try t.protect(data, as: "--data d.csv")
                    try t.declare(output, as: "--out")
                }
                t.rollBack()
            }
            FileTransaction.isolated { t in                               // declared first, protected second
                #expect(throws: FileWriteError.self) {
                    try t.declare(output, as: "--out")
                    try t.protect(data, as: "--data d.csv")
                }
                t.rollBack()
            }
        }
        #expect(try text(data) == "1,2,a\n")
    }

    @Test func twoOutputsNamingOneFileAreRefused() throws {
        let folder = try TemporaryDirectory()
        defer { folder.cleanup() }
        try FileManager.default.createDirectory(atPath: folder.path("sub"), withIntermediateDirectories: false)
        FileTransaction.isolated { t in
            #expect(throws: FileWriteError.self) {
                try t.declare(folder.path("x.safetensors"), as: "--out")
                try t.declare(folder.path("sub/../x.safetensors"), as: "--system-out")
            }
            t.rollBack()
        }
        FileTransaction.isolated { t in                                   // different files are fine
            #expect(throws: Never.self) {
                try t.declare(folder.path("x.safetensors"), as: "--out")
                try t.declare(folder.path("y.safetensors"), as: "--system-out")
            }
            t.rollBack()
        }
    }

    @Test func aWriteOntoAnInputIsRefusedAndTheInputSurvives() throws {
        let folder = try TemporaryDirectory()
        defer { folder.cleanup() }
        let data = try folder.write("d.csv", "data")
        FileTransaction.isolated { t in
            #expect(throws: FileWriteError.self) {
                _ = try FileBytes.read(data)                               // reading makes it an input
                try AtomicFile.write("overwritten", to: data)
            }
            t.rollBack()
        }
        #expect(try text(data) == "data")
        #expect(try entries(folder) == ["d.csv"])
    }

    @Test func aRereadableOutputMayBeReadAndWritten() throws {
        let folder = try TemporaryDirectory()
        defer { folder.cleanup() }
        let state = try folder.write("m.resume.safetensors", "epoch 1")
        let run = folder.path("run")
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: false)
        let records = try folder.write("run/tracking.jsonl", "1\n")
        try FileTransaction.isolated { t in
            try t.declare(state, as: "--out's resume state", rereadable: true)
            try t.declare(run, as: "--track", isFolder: true, rereadable: true)
            _ = try FileBytes.read(state)
            _ = try FileBytes.read(records)
            try AtomicFile.write("epoch 2", to: state)
            try AtomicFile.write("1\n2\n", to: records)
            t.commit()
        }
        #expect(try text(state) == "epoch 2")
        #expect(try text(records) == "1\n2\n")
    }

    @Test func outsideATransactionWritesAreUnchanged() throws {
        let folder = try TemporaryDirectory()
        defer { folder.cleanup() }
        let data = try folder.write("d.csv", "data")
        _ = try FileBytes.read(data)
        try AtomicFile.write("replaced", to: data)
        #expect(try text(data) == "replaced")
        #expect(try entries(folder) == ["d.csv"])
    }
}
