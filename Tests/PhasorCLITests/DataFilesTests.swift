import Foundation
import Testing

// What the command line does with datasets and output files beyond the tables in BadInputTableTests (issue 14):
// the class order of a dataset is the same in every process; outputs with long names, through symbolic links and
// after a killed writer; statistics that used to print "mean inf" (and fail JSON with Code=3840).

@Suite struct DataFilesCommandTests {
    /// A CSV whose labels include "nan" and "NaN": the class order once depended on the process (a NaN in a numeric
    /// sort over a Set's per-process order: four different checkpoints from one seed). In fresh processes it must
    /// be the same, and the documented one (labels that are not all finite numbers: UTF-8 byte order).
    @Test func classOrderIsTheSameInEveryProcess() throws {
        let dir = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let labels = ["nan", "3", "1", "10", "2", "7", "NaN", "5"]
        var text = ""
        for (i, label) in (labels + labels + labels).enumerated() {
            text += (0..<4).map { t in String(Double((i * 7 + t * 3) % 11) / 4) }.joined(separator: ",") + ",\(label)\n"
        }
        let csv = try BadFiles.write(text, dir, "nan.csv")
        for _ in 0..<6 {
            let r = try CLI.run(["inspect", csv, "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try TestFiles.json(r.stdout)["classes"] as? [String] == ["1", "10", "2", "3", "5", "7", "NaN", "nan"])
        }
        // The symptom itself: the same seed gives byte-identical checkpoints in separate runs.
        var checkpoints: [Data] = []
        for run in 0..<3 {
            let out = dir.appendingPathComponent("m\(run).safetensors").path
            let r = try CLI.run(["train", "--data", csv, "--out", out, "--layers", "1", "--d-model", "4", "--d-state", "4",
                                 "--epochs", "1", "--batch", "8", "--seed", "5", "--precision", "f64"])
            #expect(r.status == 0, "\(r.stderr)")
            checkpoints.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        #expect(Set(checkpoints).count == 1)
    }

    /// A legal 234-character output name is written (the temporary name no longer carries it).
    @Test func longOutputNamesAreWritten() throws {
        let dir = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = String(repeating: "L", count: 234 - ".safetensors".count) + ".safetensors"
        let r = try CLI.run(["design", "--periods", "10", "--memories", "50", "--out", BadFiles.path(dir, name)])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [name])
        #expect(try CLI.run(["inspect", BadFiles.path(dir, name)]).status == 0)
    }

    /// After a kill, a full-size temporary of the output stays beside it; the next write of the same output removes
    /// it (its writer is dead), and keeps a live writer's and another output's. The names are built here from the
    /// documented scheme (.phasor-tmp-<FNV-1a 64 of the name>-<FNV-1a 32 of the host>-<pid>-<8 hex>), independently
    /// of the library.
    @Test func staleTemporariesOfTheSameOutputAreRemoved() throws {
        let dir = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func fnv(_ bytes: [UInt8]) -> UInt64 { bytes.reduce(14_695_981_039_346_656_037) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 } }
        func hex(_ v: UInt64, _ digits: Int) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: digits - s.count) + s }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        let hostHash = hex(fnv(host.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }) & 0xFFFF_FFFF, 8)
        func temporary(_ output: String, pid: Int32) -> String { ".phasor-tmp-\(hex(fnv(Array(output.utf8)), 16))-\(hostHash)-\(pid)-89abcdef" }
        let sh = Process()
        sh.executableURL = URL(fileURLWithPath: "/bin/sh")
        sh.arguments = ["-c", "exit 0"]
        try sh.run()
        sh.waitUntilExit()
        let dead = sh.processIdentifier
        let stale = temporary("layer.safetensors", pid: dead)
        let live = temporary("layer.safetensors", pid: 1)
        let other = temporary("other.safetensors", pid: dead)
        for name in [stale, live, other] { try Data(count: 200_000).write(to: dir.appendingPathComponent(name)) }
        let r = try CLI.run(["design", "--periods", "10", "--memories", "50", "--out", BadFiles.path(dir, "layer.safetensors")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)) == [live, other, "layer.safetensors"])
    }

    /// An output that is a symbolic link is written through to its target; the link stays a link.
    @Test func symbolicLinkOutputsAreWrittenThrough() throws {
        let dir = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let runs = dir.appendingPathComponent("runs")
        try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: BadFiles.path(dir, "latest.safetensors"), withDestinationPath: "runs/layer.safetensors")
        let r = try CLI.run(["design", "--periods", "10", "--memories", "50", "--out", BadFiles.path(dir, "latest.safetensors")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: BadFiles.path(dir, "latest.safetensors")) == "runs/layer.safetensors")
        #expect(try FileManager.default.contentsOfDirectory(atPath: runs.path) == ["layer.safetensors"])
        #expect(try CLI.run(["inspect", runs.appendingPathComponent("layer.safetensors").path]).status == 0)
    }

    /// `inspect` of an array whose sum overflows prints its true mean (it printed "mean inf", and --json failed with
    /// NSCocoaErrorDomain Code=3840 "Invalid number value (inf)").
    @Test func inspectMeanDoesNotOverflow() throws {
        let dir = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = try BadFiles.npy(dir, shape: [4], values: [1.7e308, 1.6e308, 1.5e308, 1.2e308])
        let text = try CLI.run(["inspect", big])
        #expect(text.status == 0 && !text.stdout.contains("inf"), "\(text.stdout)\(text.stderr)")
        let json = try CLI.run(["inspect", big, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let mean = try #require(try TestFiles.json(json.stdout)["mean"] as? Double)
        // (1.7 + 1.6 + 1.5 + 1.2)/4 · 1e308 = 1.5e308, computed on values scaled by 2⁻¹⁰ (exact) and scaled back.
        let scaled = [1.7e308, 1.6e308, 1.5e308, 1.2e308].map { $0 * 0x1p-10 }.reduce(0, +) / 4 * 0x1p10
        #expect(abs(mean - scaled) <= 1e-15 * scaled)
    }

    /// Notes about the input reach stderr in a run that goes on, and the data it trains on are what the notes say
    /// (a pandas header skipped: 10 samples, not 11 of 3 classes).
    @Test func readerNotesArePrinted() throws {
        let dir = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try BadFiles.copyFixture("pandas_named_label.csv", to: dir)
        let r = try CLI.run(["train", "--data", csv, "--out", BadFiles.path(dir, "m.safetensors"), "--layers", "1", "--d-model", "4",
                             "--d-state", "4", "--epochs", "1", "--batch", "4", "--validation-fraction", "0"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("note: \(csv): line 1 skipped as a header row") }.count == 1, "\(r.stderr)")
        #expect(lines.contains { $0.contains("10 training, 0 validation, 0 test samples; 1 channel(s), 2 classes") }, "\(r.stderr)")
    }
}
