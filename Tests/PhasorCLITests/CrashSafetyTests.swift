import Foundation
import Testing

// Crash safety of `phasor train` (docs/reliability.md): a run killed with SIGKILL in the middle of an epoch leaves
// a checkpoint that loads, `--resume` continues from the last completed epoch, and the final parameters are
// bit-for-bit those of an uninterrupted run with the same seed. The checkpoint and the resume state are polled
// while the process runs and must parse completely every time they exist (files are written by rename, never
// in place). The run is tracked (--track): the resumed run continues the tracking records, which end identical to the
// uninterrupted run's (they were wiped before issue 14). Tiny model, small data made here, so the whole test takes a
// few seconds in debug.

/// A safetensors file checked byte by byte, independently of Phasor's reader: 8-byte little-endian header length,
/// a JSON object header, every tensor's data_offsets inside the data, and the data exactly as long as the last offset.
enum SafeTensorsCheck {
    static func metadata(_ bytes: [UInt8]) -> [String: String]? {
        guard bytes.count >= 8 else { return nil }
        let n = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(bytes.count - 8) else { return nil }
        let headerEnd = 8 + Int(n)
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) as? [String: Any] else { return nil }
        var end = 0
        for (key, value) in header where key != "__metadata__" {
            guard let entry = value as? [String: Any], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2,
                  offsets[0] <= offsets[1] else { return nil }
            end = max(end, offsets[1])
        }
        guard end == bytes.count - headerEnd else { return nil }
        return header["__metadata__"] as? [String: String] ?? [:]
    }

    static func intact(_ path: String) -> Bool? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }  // absent (or replaced meanwhile)
        return metadata(Array(data)) != nil
    }
}

@Suite struct CrashSafetyTests {
    static let epochs = 3

    /// 80 sequences of 24 steps, two classes told apart by frequency.
    static func dataset(in dir: URL) throws -> String {
        var rows: [String] = []
        for i in 0..<80 {
            let c = i % 2
            let values = (0..<24).map { t in String(format: "%.5f", sin(Double(1 + 2 * c) * 0.3 * Double(t) + 0.1 * Double(i))) }
            rows.append(values.joined(separator: ",") + (c == 0 ? ",a" : ",b"))
        }
        let path = dir.appendingPathComponent("waves.csv").path
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func arguments(data: String, out: String) -> [String] {
        ["train", "--data", data, "--layers", "1", "--d-model", "4", "--d-state", "4", "--epochs", "\(epochs)",
         "--batch", "4", "--validation-fraction", "0", "--threads", "1", "--seed", "11", "--precision", "f64", "--out", out,
         "--track", out + ".run", "--track-every", "3"]
    }

    /// The number of completed epochs recorded in a resume state file (metadata `phasor.state`, JSON).
    static func completedEpochs(_ path: String) throws -> Int {
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let metadata = try #require(SafeTensorsCheck.metadata(Array(bytes)))
        let json = try #require(metadata["phasor.state"])
        let state = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return try #require(state["completedEpochs"] as? Int ?? state["completed_epochs"] as? Int)
    }

    @Test func killedRunResumesToTheUninterruptedResult() throws {
        let dir = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try Self.dataset(in: dir)

        // Reference: the uninterrupted run.
        let reference = dir.appendingPathComponent("reference.safetensors").path
        let full = try CLI.run(Self.arguments(data: data, out: reference))
        try #require(full.status == 0, "\(full.stderr)")

        // The run to kill: started as a subprocess, polled until the first epoch's state exists, then SIGKILLed.
        let out = dir.appendingPathComponent("model.safetensors").path
        let state = dir.appendingPathComponent("model.resume.safetensors").path
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = Self.arguments(data: data, out: out)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var polls = 0, brokenReads: [String] = []
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline {
            for path in [out, state] where SafeTensorsCheck.intact(path) == false { brokenReads.append(path) }
            polls += 1
            if FileManager.default.fileExists(atPath: state) { break }
            usleep(2_000)
        }
        let killedWhileRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(brokenReads.isEmpty, "checkpoint read while being written: \(brokenReads)")
        try #require(killedWhileRunning, "the run ended before it could be killed; make the data larger")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)

        // (a) After the kill both files are intact and the checkpoint loads.
        #expect(SafeTensorsCheck.intact(out) == true && SafeTensorsCheck.intact(state) == true)
        let inspect = try CLI.run(["inspect", out])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let eval = try CLI.run(["eval", "--model", out, "--data", data])
        #expect(eval.status == 0, "the killed run's checkpoint does not evaluate: \(eval.stderr)")
        let completed = try Self.completedEpochs(state)
        #expect(completed >= 1 && completed < Self.epochs, "killed after \(completed) completed epochs")

        // (b) --resume trains exactly the epochs after the last completed one.
        let resumed = try CLI.run(Self.arguments(data: data, out: out) + ["--resume"])
        try #require(resumed.status == 0, "\(resumed.stderr)")
        let trainedEpochs = resumed.stderr.split(separator: "\n").filter { $0.hasPrefix("epoch ") }
            .compactMap { Int($0.dropFirst(6).prefix { $0 != "/" }) }
        #expect(trainedEpochs == Array((completed + 1)...Self.epochs), "resumed run trained epochs \(trainedEpochs)")
        #expect(try Self.completedEpochs(state) == Self.epochs)

        // (c) The final parameters are bit-for-bit those of the uninterrupted run (same seed; F64 tensors, same
        // metadata, so the whole files agree).
        let a = try #require(FileManager.default.contents(atPath: reference))
        let b = try #require(FileManager.default.contents(atPath: out))
        #expect(a == b, "resumed checkpoint differs from the uninterrupted one")
        #expect(polls > 0)

        // (d) The tracking records continue: the resumed run's are those of the uninterrupted run, step for step.
        let records = { (run: String) in FileManager.default.contents(atPath: run + ".run/tracking.jsonl") }
        let referenceRecords = try #require(records(reference)), resumedRecords = try #require(records(out))
        #expect(referenceRecords.count > 0 && resumedRecords == referenceRecords, "the tracking records differ after --resume")

        // (e) Nothing stays behind: no temporaries, no kept originals of the replaced files.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path) + FileManager.default.contentsOfDirectory(atPath: out + ".run")
        #expect(!left.contains { $0.hasPrefix(".phasor-tmp") }, "\(left)")
    }
}
