import Foundation
import Testing

// The bad-input table (docs/reliability.md): one row per hostile input, across every subcommand. Each row builds its
// input files in a fresh temporary directory, runs `phasor`, and requires
//   • a non-zero exit status,
//   • exactly ONE line on stderr (no usage dump, no stack trace), containing the row's message fragment,
//   • nothing new in the directory afterwards (no partial output file, no leftover temporary file).
// Files are written byte by byte here (TestFiles in MapTests.swift), independently of Phasor's own writers.

/// One row: a name, how to build the input files inside `dir` and the arguments that use them, and the fragment the
/// one-line error must contain (matched case-insensitively).
struct BadInputCase: Sendable, CustomTestStringConvertible {
    let name: String
    let fragment: String
    let setup: @Sendable (URL) throws -> [String]
    /// What must still hold afterwards beyond "no new file" (e.g. a device given as output is still a device).
    let after: (@Sendable (URL) throws -> Void)?
    /// Environment variables for the run (e.g. PHASOR_MEMORY_LIMIT).
    let environment: [String: String]
    /// Run with the row's folder as the current directory (rows that spell paths relatively).
    let inFolder: Bool
    var testDescription: String { name }

    init(_ name: String, _ fragment: String, environment: [String: String] = [:], inFolder: Bool = false,
         after: (@Sendable (URL) throws -> Void)? = nil, _ setup: @escaping @Sendable (URL) throws -> [String]) {
        self.name = name
        self.fragment = fragment
        self.environment = environment
        self.inFolder = inFolder
        self.after = after
        self.setup = setup
    }
}

/// Inputs the rows share: small valid files, and byte-level ways to break them.
enum BadFiles {
    static func path(_ dir: URL, _ name: String) -> String { dir.appendingPathComponent(name).path }

    static func write(_ text: String, _ dir: URL, _ name: String) throws -> String {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
        return path(dir, name)
    }

    static func write(_ bytes: [UInt8], _ dir: URL, _ name: String) throws -> String {
        try Data(bytes).write(to: dir.appendingPathComponent(name))
        return path(dir, name)
    }

    /// A one-layer S4D checkpoint (H channels, M modes, Δ), as RingCommandTests.linLayer, with optional replacements.
    static func s4d(_ dir: URL, _ name: String = "model.safetensors", channels: Int = 2, modes: Int = 2, dt: Double = 0.1,
                    replacing: [String: ([Int], [Double])] = [:]) throws -> String {
        var tensors = RingCommandTests.linLayer(channels: channels, modes: modes, dt: dt)
        for (i, t) in tensors.enumerated() { if let r = replacing[t.0] { tensors[i] = (t.0, r.0, r.1) } }
        try TestFiles.safetensors(tensors, to: dir.appendingPathComponent(name))
        return path(dir, name)
    }

    /// A system file with tensors A, B, C, D (row-major) and optional metadata (e.g. "dt").
    static func system(_ dir: URL, a: ([Int], [Double]), b: ([Int], [Double]), c: ([Int], [Double]), d: ([Int], [Double]),
                       metadata: [String: String] = [:]) throws -> String {
        try TestFiles.safetensors([("A", a.0, a.1), ("B", b.0, b.1), ("C", c.0, c.1), ("D", d.0, d.1)],
                                  metadata: metadata, to: dir.appendingPathComponent("system.safetensors"))
        return path(dir, "system.safetensors")
    }

    /// A stable 2-state continuous system (A = [[−1, 2], [−2, −1]]).
    static func stableSystem(_ dir: URL, metadata: [String: String] = [:]) throws -> String {
        try system(dir, a: ([2, 2], [-1, 2, -2, -1]), b: ([2, 1], [1, 0]), c: ([1, 2], [0, 1]), d: ([1, 1], [0]),
                   metadata: metadata)
    }

    static func npy(_ dir: URL, _ name: String = "x.npy", shape: [Int], values: [Double]) throws -> String {
        try TestFiles.npy(shape: shape, values: values, to: dir.appendingPathComponent(name))
        return path(dir, name)
    }

    /// A .npy v1 file with the given header dictionary text and raw payload.
    static func npyRaw(_ dir: URL, header dict: String, payload: [UInt8], magic: [UInt8] = [0x93] + Array("NUMPY".utf8))
        throws -> String {
        var header = dict
        while (10 + header.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes = magic + [1, 0]
        bytes += withUnsafeBytes(of: UInt16(header.count).littleEndian) { Array($0) }
        bytes += Array(header.utf8) + payload
        return try write(bytes, dir, "x.npy")
    }

    /// A safetensors file with the given header JSON (padded to 8 bytes) and raw payload.
    static func safetensorsRaw(_ dir: URL, header json: String, payload: [UInt8], declaredLength: UInt64? = nil) throws -> String {
        var header = Array(json.utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes = withUnsafeBytes(of: (declaredLength ?? UInt64(header.count)).littleEndian) { Array($0) }
        bytes += header + payload
        return try write(bytes, dir, "bad.safetensors")
    }

    /// A full S4Model checkpoint (state-spaces keys, F64; d_input 1, H = 2, N/2 = 1, one layer, classes a, b) with
    /// optional replaced or removed tensors.
    static func checkpoint(_ dir: URL, replacing: [String: ([Int], [Double])] = [:], removing: Set<String> = [],
                           adding: [(String, [Int], [Double])] = [], metadata: [String: String] = [:]) throws -> String {
        let h = 2
        var tensors: [(String, [Int], [Double])] = [
            ("encoder.weight", [h, 1], [0.5, -0.3]), ("encoder.bias", [h], [0.1, 0]),
            ("s4_layers.0.D", [h], [0.2, 0.1]), ("s4_layers.0.kernel.C", [h, 1, 2], [1, 0.5, -0.2, 0.3]),
            ("s4_layers.0.kernel.log_dt", [h], [log(0.1), log(0.05)]),
            ("s4_layers.0.kernel.log_A_real", [h, 1], [log(0.5), log(0.5)]),
            ("s4_layers.0.kernel.A_imag", [h, 1], [0, Double.pi]),
            ("s4_layers.0.output_linear.0.weight", [2 * h, h, 1], [0.1, 0.2, -0.1, 0.3, 0.2, 0, 0.1, -0.2]),
            ("s4_layers.0.output_linear.0.bias", [2 * h], [0, 0.1, 0, -0.1]),
            ("norms.0.weight", [h], [1, 1]), ("norms.0.bias", [h], [0, 0]),
            ("decoder.weight", [2, h], [0.4, -0.4, -0.2, 0.3]), ("decoder.bias", [2], [0, 0]),
        ]
        tensors.removeAll { removing.contains($0.0) }
        for (i, t) in tensors.enumerated() { if let r = replacing[t.0] { tensors[i] = (t.0, r.0, r.1) } }
        tensors += adding
        try TestFiles.safetensors(tensors, metadata: metadata.merging(["class_names": "[\\\"a\\\",\\\"b\\\"]"]) { a, _ in a },
                                  to: dir.appendingPathComponent("model.safetensors"))
        return path(dir, "model.safetensors")
    }

    /// A small two-class CSV dataset (labels a, b; 4 steps per row).
    static let csv = "1,2,3,4,a\n2,3,4,5,b\n1,2,3,3,a\n2,3,4,6,b\n1,2,3,1,a\n2,3,4,2,b\n"

    static let tsHeader = "@problemName toy\n@timeStamps false\n@univariate true\n@equalLength true\n@classLabel true a b\n@data\n"

    /// A named pipe (FIFO) called `name`.
    static func fifo(_ dir: URL, _ name: String) throws -> String {
        let p = path(dir, name)
        guard mkfifo(p, 0o644) == 0 else { throw SetupError("mkfifo \(p) failed") }
        return p
    }

    /// A copy of the character device /dev/null or /dev/full made with mknod (as root; otherwise the device itself,
    /// which a non-root writer could not replace anyway).
    static func device(_ dir: URL, _ name: String, copying original: String = "/dev/null") -> String {
        var s = stat()
        let p = path(dir, name)
        guard stat(original, &s) == 0, mknod(p, S_IFCHR | 0o666, s.st_rdev) == 0 else { return original }
        return p
    }

    /// Requires the object at `path` to still be of the given type (st_mode & S_IFMT), not a regular file.
    static func requireType(_ path: String, _ type: mode_t) throws {
        var s = stat()
        guard lstat(path, &s) == 0, s.st_mode & S_IFMT == type else {
            throw SetupError("\(path) was replaced (mode \(String(s.st_mode, radix: 8)))")
        }
    }

    static func copyFixture(_ name: String, to dir: URL, as newName: String? = nil) throws -> String {
        let target = dir.appendingPathComponent(newName ?? name)
        try FileManager.default.copyItem(at: Fixture.folder.appendingPathComponent(name), to: target)
        return target.path
    }
}

/// Tests/Fixtures/data (written by make_real_world.py).
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/data")
}

/// The Mamba language model of Tests/Fixtures/mamba (written by make_mamba_fixtures.py).
enum MambaFixture {
    static let folder = Fixture.folder.deletingLastPathComponent().appendingPathComponent("mamba/hf_tied")
    static let model = folder.appendingPathComponent("model.safetensors").path
    static let tokens = folder.appendingPathComponent("tokens.npy").path
}

/// A test-setup failure.
struct SetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum BadInputTable {
    static let f64x4 = TestFiles.littleEndian([1, 2, 3, 4])

    static let rows: [BadInputCase] = firstPass + HostileTable.rows

    static let firstPass: [BadInputCase] = [
        // ── malformed files ─────────────────────────────────────────────────────────────────────────────────────
        BadInputCase("safetensors truncated inside the data", "offset") { dir in
            let full = try BadFiles.s4d(dir, "full.safetensors")
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: full)))
            try FileManager.default.removeItem(atPath: full)
            return ["inspect", try BadFiles.write(Array(bytes.dropLast(9)), dir, "cut.safetensors")]
        },
        BadInputCase("safetensors header length beyond the file", "header") { dir in
            ["inspect", try BadFiles.safetensorsRaw(dir, header: "{}", payload: [], declaredLength: 1 << 40)]
        },
        BadInputCase("safetensors header not JSON", "JSON") { dir in
            ["inspect", try BadFiles.safetensorsRaw(dir, header: "{\"a\": [1, 2", payload: [])]
        },
        BadInputCase("safetensors data_offsets outside the data", "offset") { dir in
            ["inspect", try BadFiles.safetensorsRaw(
                dir, header: "{\"a\":{\"dtype\":\"F64\",\"shape\":[4],\"data_offsets\":[0,64]}}", payload: f64x4)]
        },
        BadInputCase("safetensors unknown dtype", "dtype") { dir in
            ["inspect", try BadFiles.safetensorsRaw(
                dir, header: "{\"a\":{\"dtype\":\"Q7\",\"shape\":[4],\"data_offsets\":[0,32]}}", payload: f64x4)]
        },
        BadInputCase("safetensors shape disagrees with the byte count", "bytes") { dir in
            ["inspect", try BadFiles.safetensorsRaw(
                dir, header: "{\"a\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,32]}}", payload: f64x4)]
        },
        BadInputCase("safetensors shape with 10¹⁸ elements", "shape") { dir in
            ["inspect", try BadFiles.safetensorsRaw(
                dir, header: "{\"a\":{\"dtype\":\"F64\",\"shape\":[1000000000,1000000000],\"data_offsets\":[0,32]}}",
                payload: f64x4)]
        },
        BadInputCase(".npy bad magic", "magic") { dir in
            ["inspect", try BadFiles.npyRaw(dir, header: "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }",
                                            payload: f64x4, magic: [0x93] + Array("NUMPX".utf8))]
        },
        BadInputCase(".npy unsupported dtype", "element type") { dir in
            ["inspect", try BadFiles.npyRaw(dir, header: "{'descr': '<U8', 'fortran_order': False, 'shape': (1,), }",
                                            payload: Array(repeating: 0, count: 32))]
        },
        BadInputCase(".npy header claims L = 10⁹ (refused before reading)", "bytes") { dir in
            ["inspect", try BadFiles.npyRaw(dir, header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000,), }",
                                            payload: f64x4)]
        },
        BadInputCase(".npy truncated header", "header") { dir in
            ["inspect", try BadFiles.write([0x93] + Array("NUMPY".utf8) + [1, 0, 0x76, 0] + Array("{'descr'".utf8), dir, "x.npy")]
        },
        BadInputCase(".ts ragged rows in an equal-length set", "length") { dir in
            ["inspect", try BadFiles.write(BadFiles.tsHeader + "1,2,3:a\n4,5:b\n", dir, "toy.ts")]
        },
        BadInputCase(".ts undeclared class label", "label") { dir in
            ["inspect", try BadFiles.write(BadFiles.tsHeader + "1,2,3:a\n4,5,6:c\n", dir, "toy.ts")]
        },
        BadInputCase(".ts without @data", "@data") { dir in
            ["inspect", try BadFiles.write("@problemName toy\n@univariate true\n@classLabel true a b\n1,2:a\n", dir, "toy.ts")]
        },
        BadInputCase(".ts non-numeric value", "number") { dir in
            ["inspect", try BadFiles.write(BadFiles.tsHeader + "1,2,3:a\n4,x5,6:b\n", dir, "toy.ts")]
        },
        BadInputCase(".ts with no cases (empty dataset)", "no") { dir in
            ["inspect", try BadFiles.write(BadFiles.tsHeader, dir, "toy.ts")]
        },
        BadInputCase("CSV non-numeric value", "number") { dir in
            ["inspect", try BadFiles.write("1,2,3,a\n4,five,6,b\n", dir, "toy.csv")]
        },
        BadInputCase("CSV rows of different widths", "column") { dir in
            ["inspect", try BadFiles.write("1,2,3,a\n4,5,b\n", dir, "toy.csv")]
        },
        BadInputCase("CSV empty file (empty dataset)", "no rows") { dir in
            ["inspect", try BadFiles.write("", dir, "toy.csv")]
        },
        BadInputCase("test set with a class unseen in training", "label") { dir in
            _ = try BadFiles.write(BadFiles.tsHeader + "1,2,3:a\n4,5,6:b\n", dir, "toy_TRAIN.ts")
            _ = try BadFiles.write(BadFiles.tsHeader.replacingOccurrences(of: "true a b", with: "true a b z")
                                   + "1,2,3:a\n4,5,6:z\n", dir, "toy_TEST.ts")
            return ["inspect", dir.path]
        },
        BadInputCase("test set with other channels than training", "channels") { dir in
            _ = try BadFiles.write(BadFiles.tsHeader + "1,2,3:a\n4,5,6:b\n", dir, "toy_TRAIN.ts")
            _ = try BadFiles.write(BadFiles.tsHeader.replacingOccurrences(of: "univariate true", with: "univariate false")
                                   + "1,2,3:4,5,6:a\n", dir, "toy_TEST.ts")
            return ["inspect", dir.path]
        },
        BadInputCase("file does not exist", "no such file") { dir in
            ["inspect", BadFiles.path(dir, "missing.safetensors")]
        },
        // ── wrong shapes ────────────────────────────────────────────────────────────────────────────────────────
        BadInputCase("checkpoint A_imag shape ≠ log_A_real shape", "shape") { dir in
            ["map", "--model", try BadFiles.s4d(dir, replacing: ["s4_layers.0.kernel.A_imag": ([2, 3], [0, 1, 2, 0, 1, 2])])]
        },
        BadInputCase("checkpoint missing a kernel tensor", "kernel.C") { dir in
            var tensors = RingCommandTests.linLayer(channels: 1, modes: 2, dt: 0.1)
            tensors.removeAll { $0.0 == "s4_layers.0.kernel.C" }
            try TestFiles.safetensors(tensors, to: dir.appendingPathComponent("model.safetensors"))
            return ["map", "--model", BadFiles.path(dir, "model.safetensors")]
        },
        BadInputCase("system matrix A (J) not square", "square") { dir in
            ["map", "--system", try BadFiles.system(dir, a: ([2, 3], [1, 2, 3, 4, 5, 6]), b: ([2, 1], [1, 0]),
                                                    c: ([1, 2], [0, 1]), d: ([1, 1], [0]))]
        },
        BadInputCase("system B rows ≠ states", "B") { dir in
            ["map", "--system", try BadFiles.system(dir, a: ([2, 2], [-1, 0, 0, -2]), b: ([3, 1], [1, 0, 0]),
                                                    c: ([1, 2], [0, 1]), d: ([1, 1], [0]))]
        },
        BadInputCase("ring input width ≠ the layer's channels", "channels") { dir in
            ["ring", "--layer-input", "--model", try BadFiles.s4d(dir, channels: 2), "--input",
             try BadFiles.npy(dir, shape: [1, 4, 3], values: Array(repeating: 1, count: 12))]
        },
        BadInputCase("ring input of rank 4", "shape") { dir in
            ["ring", "--layer-input", "--model", try BadFiles.s4d(dir), "--input",
             try BadFiles.npy(dir, shape: [1, 2, 2, 2], values: Array(repeating: 1, count: 8))]
        },
        // ── NaN / Inf ───────────────────────────────────────────────────────────────────────────────────────────
        BadInputCase("checkpoint with NaN in C", "not finite") { dir in
            ["map", "--model", try BadFiles.s4d(dir, channels: 1, modes: 2,
                                                 replacing: ["s4_layers.0.kernel.C": ([1, 2, 2], [1, .nan, 0, 0])])]
        },
        BadInputCase("checkpoint with Inf in log_A_real", "not finite") { dir in
            ["map", "--model", try BadFiles.s4d(dir, channels: 1, modes: 2,
                                                 replacing: ["s4_layers.0.kernel.log_A_real": ([1, 2], [.infinity, 0])])]
        },
        BadInputCase("system with Inf in A", "not finite") { dir in
            ["map", "--system", try BadFiles.system(dir, a: ([2, 2], [-1, .infinity, 0, -1]), b: ([2, 1], [1, 0]),
                                                    c: ([1, 2], [0, 1]), d: ([1, 1], [0]))]
        },
        BadInputCase("ring input with NaN", "not finite") { dir in
            ["ring", "--layer-input", "--model", try BadFiles.s4d(dir), "--input", try BadFiles.npy(dir, shape: [4], values: [1, .nan, 2, 3])]
        },
        // ── zero / negative Δ ───────────────────────────────────────────────────────────────────────────────────
        BadInputCase("design --dt 0", "Δ") { _ in ["design", "--periods", "10", "--memories", "50", "--dt", "0"] },
        BadInputCase("design --dt -1", "Δ") { _ in ["design", "--periods", "10", "--memories", "50", "--dt=-1"] },
        BadInputCase("checkpoint log_dt = 1000 (Δ overflows)", "Δ") { dir in
            ["map", "--model", try BadFiles.s4d(dir, channels: 1, replacing: ["s4_layers.0.kernel.log_dt": ([1], [1000])])]
        },
        BadInputCase("system metadata dt = 0", "step size") { dir in
            ["map", "--system", try BadFiles.stableSystem(dir, metadata: ["dt": "0"])]
        },
        BadInputCase("system metadata dt = -0.5", "step size") { dir in
            ["map", "--system", try BadFiles.stableSystem(dir, metadata: ["dt": "-0.5"])]
        },
        // ── impossible designs and absurd sizes ─────────────────────────────────────────────────────────────────
        BadInputCase("design period below Nyquist (T ≤ 2Δ)", "Nyquist") { _ in
            ["design", "--periods", "1.5", "--memories", "50"]
        },
        BadInputCase("design periods and memories of different counts", "memories") { _ in
            ["design", "--periods", "10,20", "--memories", "50"]
        },
        BadInputCase("design negative memory", "memor") { _ in ["design", "--periods", "10", "--memories", "-5"] },
        BadInputCase("design non-numeric period", "--periods") { _ in ["design", "--periods", "ten", "--memories", "5"] },
        BadInputCase("design --channels 0", "channel") { _ in ["design", "--periods", "10", "--memories", "50", "--channels", "0"] },
        BadInputCase("design --channels 10⁹ (absurd size, refused up front)", "channels") { dir in
            ["design", "--periods", "10", "--memories", "50", "--channels", "1000000000", "--out", BadFiles.path(dir, "x.safetensors")]
        },
        BadInputCase("ring on a designed layer file without --layer-input", "--layer-input") { dir in
            ["ring", "--model", try BadFiles.s4d(dir), "--input", try BadFiles.npy(dir, shape: [4, 1], values: [1, 2, 3, 4])]
        },
        BadInputCase("ring --prenorm and --postnorm together", "at most one") { dir in
            ["ring", "--prenorm", "--postnorm", "--model", try BadFiles.s4d(dir), "--input", try BadFiles.npy(dir, shape: [4], values: [1, 2, 3, 4])]
        },
        BadInputCase("ring input of one step", "at least 2") { dir in
            ["ring", "--layer-input", "--model", try BadFiles.s4d(dir), "--input", try BadFiles.npy(dir, shape: [1], values: [1])]
        },
        // ── arguments that name nothing ─────────────────────────────────────────────────────────────────────────
        BadInputCase("map with neither --model nor --system", "exactly one") { _ in ["map"] },
        BadInputCase("map --layer beyond the checkpoint", "layer 5") { dir in
            ["map", "--model", try BadFiles.s4d(dir), "--layer", "5"]
        },
        BadInputCase("ring --channel beyond the layer", "channel") { dir in
            ["ring", "--layer-input", "--model", try BadFiles.s4d(dir), "--channel", "9", "--input", try BadFiles.npy(dir, shape: [4], values: [1, 2, 3, 4])]
        },
        BadInputCase("ring --sample beyond the batch", "sample 3") { dir in
            ["ring", "--layer-input", "--model", try BadFiles.s4d(dir), "--sample", "3", "--input",
             try BadFiles.npy(dir, shape: [2, 4], values: Array(repeating: 1, count: 8))]
        },
        BadInputCase("unknown option", "--frobnicate") { _ in ["design", "--periods", "10", "--memories", "5", "--frobnicate"] },
        // ── train / eval / predict ──────────────────────────────────────────────────────────────────────────────
        BadInputCase("train --out into a missing folder (refused before an epoch)", "/nonexistent/dir") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--out", "/nonexistent/dir/m.safetensors"]
        },
        BadInputCase("train on a CSV with a non-numeric cell", "not a number") { dir in
            ["train", "--data", try BadFiles.write("1,2,x,4,a\n2,3,4,5,b\n", dir, "d.csv"), "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("train --d-model 0", "d_model") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--d-model", "0", "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("train --epochs 0", "epochs") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--epochs", "0", "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("train --norm group (not a norm kind)", "--norm") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--norm", "group", "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("train --block swiglu (not a head kind)", "--block") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--block", "swiglu", "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("train --patience -1", "patience") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--patience", "-1", "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("baseline on data without a test part", "no test part") { dir in
            ["baseline", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv")]
        },
        BadInputCase("baseline --window beyond 1", "window") { dir in
            ["baseline", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--test-fraction", "0.5", "--window", "2"]
        },
        BadInputCase("predict --input with a Mamba language model (was a missing example.py tensor)", "--tokens") { dir in
            ["predict", "--model", MambaFixture.model, "--input", try BadFiles.npy(dir, shape: [1, 4, 1], values: [0, 1, 2, 3]), "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("eval of a Mamba language model", "mamba language model") { dir in
            ["eval", "--model", MambaFixture.model, "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv")]
        },
        BadInputCase("map of a Mamba language model without --tokens", "--tokens") { _ in
            ["map", "--model", MambaFixture.model]
        },
        BadInputCase("predict --tokens with --prenorm (was ignored)", "--prenorm") { dir in
            ["predict", "--model", MambaFixture.model, "--tokens", MambaFixture.tokens, "--prenorm", "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("ring --tokens with --prefix (was ignored)", "--prefix") { _ in
            ["ring", "--model", MambaFixture.model, "--tokens", MambaFixture.tokens, "--prefix", "backbone"]
        },
        BadInputCase("operator --degree with the convergent order (was ignored)", "--formulation chebyshev") { dir in
            ["operator", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--degree", "3"]
        },
        BadInputCase("operator --formulation taylor --bands layer (was ignored)", "belongs to the convergent order") { dir in
            ["operator", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.data(dir), "--formulation", "taylor", "--bands", "layer"]
        },
        BadInputCase("train --folds 7 on 6 samples", "--folds 7") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--folds", "7", "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("train --folds 3 with --validation-fraction", "give one of them") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--folds", "3", "--validation-fraction", "0.3",
             "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("train --resume where cross-validation is chosen", "--folds 0") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--resume", "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("train --folds Int.max (no overflow in the job estimate)", "at most one fold per training sample") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--folds", "\(Int.max)", "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("train --folds -2", "--folds") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--folds", "-2", "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("train on an empty CSV", "no rows") { dir in
            ["train", "--data", try BadFiles.write("", dir, "d.csv"), "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("train with a test set holding an unseen class", "z") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"),
             "--test", try BadFiles.write("1,2,3,4,z\n", dir, "t.csv"), "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("train on values whose std exceeds Double (±1.7e308, unbalanced)", "is not finite") { dir in
            let row = "1.7e308,-1.7e308,-1.7e308,-1.7e308"
            return ["train", "--data", try BadFiles.write("\(row),a\n\(row),b\n\(row),a\n\(row),b\n", dir, "d.csv"),
                    "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("eval with a class the model does not know", "not one of the model's classes") { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir), "--data", try BadFiles.write("1,2,3,4,a\n2,3,4,5,z\n1,2,3,3,a\n", dir, "d.csv")]
        },
        BadInputCase("eval with a checkpoint holding NaN", "NaN") { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir, replacing: ["decoder.bias": ([2], [.nan, 0])]),
             "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv")]
        },
        BadInputCase("eval with metadata norm = batch on a LayerNorm model", "metadata norm = batch") { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir, metadata: ["norm": "batch"]), "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv")]
        },
        BadInputCase("eval with an unknown metadata block", "metadata block") { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir, metadata: ["block": "swiglu"]), "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv")]
        },
        BadInputCase("eval with a BatchNorm whose running variance is negative", "running_var") { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir, adding: [("norms.0.running_mean", [2], [0, 0]), ("norms.0.running_var", [2], [1, -2]),
                                                                      ("norms.0.num_batches_tracked", [], [3])]),
             "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv")]
        },
        BadInputCase("eval with a checkpoint missing the decoder", "decoder.weight") { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir, removing: ["decoder.weight"]),
             "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv")]
        },
        BadInputCase("eval with a checkpoint whose encoder has the wrong shape", "shape") { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir, replacing: ["encoder.bias": ([3], [0, 0, 0])]),
             "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv")]
        },
        BadInputCase("predict input width ≠ d_input", "d_input = 1") { dir in
            ["predict", "--model", try BadFiles.checkpoint(dir), "--input",
             try BadFiles.npy(dir, shape: [2, 5, 3], values: Array(repeating: 0, count: 30)), "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("predict input with NaN", "not finite") { dir in
            ["predict", "--model", try BadFiles.checkpoint(dir), "--input",
             try BadFiles.npy(dir, shape: [1, 3, 1], values: [0, .nan, 1]), "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("predict input of rank 2", "(B, L, d_input)") { dir in
            ["predict", "--model", try BadFiles.checkpoint(dir), "--input",
             try BadFiles.npy(dir, shape: [2, 3], values: Array(repeating: 0, count: 6)), "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("predict --output into a missing folder", "/nonexistent/dir") { dir in
            ["predict", "--model", try BadFiles.checkpoint(dir), "--input",
             try BadFiles.npy(dir, shape: [1, 3, 1], values: [0, 1, 2]), "--output", "/nonexistent/dir/y.npy"]
        },
        BadInputCase("predict with a truncated checkpoint", "offset") { dir in
            let full = try BadFiles.checkpoint(dir)
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: full)))
            try FileManager.default.removeItem(atPath: full)
            return ["predict", "--model", try BadFiles.write(Array(bytes.dropLast(5)), dir, "cut.safetensors"), "--input",
                    try BadFiles.npy(dir, shape: [1, 3, 1], values: [0, 1, 2]), "--output", BadFiles.path(dir, "y.npy")]
        },
        // ── oscillator / network / kuramoto ────────────────────────────────────────────────────────────────────
        BadInputCase("network J not square", "square") { dir in
            ["network", "--jacobian", try BadFiles.npy(dir, "j.npy", shape: [2, 3], values: Array(repeating: 0, count: 6)),
             "--z0", try BadFiles.npy(dir, "z.npy", shape: [2], values: [1, 0]), "--times", "1"]
        },
        BadInputCase("network J with NaN", "NaN or infinite") { dir in
            ["network", "--jacobian", try BadFiles.npy(dir, "j.npy", shape: [2, 2], values: [.nan, 0, 0, -1]),
             "--z0", try BadFiles.npy(dir, "z.npy", shape: [2], values: [1, 0]), "--times", "1"]
        },
        BadInputCase("network z0 length ≠ n", "n = 2") { dir in
            ["network", "--jacobian", try BadFiles.npy(dir, "j.npy", shape: [2, 2], values: [-1, 0, 0, -1]),
             "--z0", try BadFiles.npy(dir, "z.npy", shape: [3], values: [1, 0, 0]), "--times", "1"]
        },
        BadInputCase("network times decreasing", "non-decreasing") { dir in
            ["network", "--jacobian", try BadFiles.npy(dir, "j.npy", shape: [2, 2], values: [-1, 0, 0, -1]),
             "--z0", try BadFiles.npy(dir, "z.npy", shape: [2], values: [1, 0]), "--times", "1,0.5"]
        },
        BadInputCase("network negative time", "t = 0") { dir in
            ["network", "--jacobian", try BadFiles.npy(dir, "j.npy", shape: [2, 2], values: [-1, 0, 0, -1]),
             "--z0", try BadFiles.npy(dir, "z.npy", shape: [2], values: [1, 0]), "--times", "-1"]
        },
        BadInputCase("kuramoto adjacency not n×n", "n×n") { dir in
            ["kuramoto", "--omega", try BadFiles.npy(dir, "w.npy", shape: [3], values: [1, 2, 3]),
             "--adjacency", try BadFiles.npy(dir, "a.npy", shape: [2, 2], values: [0, 1, 1, 0]), "--coupling", "1",
             "--theta0", try BadFiles.npy(dir, "t.npy", shape: [3], values: [0, 0, 0]), "--times", "1"]
        },
        BadInputCase("oscillator ω = ∞", "--omega inf is not a finite number") { _ in
            ["oscillator", "--omega", "inf", "--gamma", "0.1", "--z0", "1,0", "--times", "1"]
        },
        BadInputCase("oscillator time NaN", "not a finite number") { _ in
            ["oscillator", "--omega", "1", "--gamma", "0.1", "--z0", "1,0", "--times", "1,nan"]
        },
        // ── unwritable outputs (nothing may be left behind) ─────────────────────────────────────────────────────
        BadInputCase("design --out into a missing folder", "/nonexistent/dir/x.safetensors") { _ in
            ["design", "--periods", "10", "--memories", "50", "--out", "/nonexistent/dir/x.safetensors"]
        },
        BadInputCase("design --out ok but --system-out unwritable (no partial output)", "/nonexistent/dir/s.safetensors") { dir in
            ["design", "--periods", "10", "--memories", "50", "--out", BadFiles.path(dir, "layer.safetensors"),
             "--system-out", "/nonexistent/dir/s.safetensors"]
        },
        BadInputCase("map --plot into a missing folder", "/nonexistent/dir/p.svg") { dir in
            ["map", "--system", try BadFiles.stableSystem(dir), "--plot", "/nonexistent/dir/p.svg"]
        },
        BadInputCase("ring --plot onto a folder", "plot.svg") { dir in
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("plot.svg"), withIntermediateDirectories: false)
            return ["ring", "--layer-input", "--model", try BadFiles.s4d(dir), "--input", try BadFiles.npy(dir, shape: [4], values: [1, 2, 3, 4]),
                    "--plot", BadFiles.path(dir, "plot.svg")]
        },
        // ── dataset files still refused, each with the hint that fixes it (issue 14) ────────────────────────────
        BadInputCase("CSV with the label first (UCR 2018), read label-last: one sample per class", "--label-column first") { dir in
            ["inspect", try BadFiles.write("1,0.5,0.25,0.125\n2,0.75,0.5,0.375\n1,0.3,0.2,0.1\n", dir, "ucr.csv")]
        },
        BadInputCase("UCR .tsv folder with NaN padding, trained label-last: fractional labels", "--label-column first") { dir in
            let ucr = dir.appendingPathComponent("ucr")
            try FileManager.default.createDirectory(at: ucr, withIntermediateDirectories: false)
            for part in ["TRAIN", "TEST"] { _ = try BadFiles.copyFixture("UcrToy_\(part).tsv", to: ucr) }
            return ["train", "--data", ucr.path, "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("label-last CSV read with --label-column first", "--label-column last") { dir in
            ["inspect", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--label-column", "first"]
        },
        BadInputCase("--label-column first on a .ts file", "label column") { dir in
            ["inspect", try BadFiles.write(BadFiles.tsHeader + "1,2,3:a\n4,5,6:b\n", dir, "toy.ts"), "--label-column", "first"]
        },
        BadInputCase("--label-column middle", "label-column") { dir in
            ["inspect", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--label-column", "middle"]
        },
        BadInputCase("CSV saved as UTF-16 (Excel \"Unicode text\")", "UTF-16") { dir in
            ["inspect", try BadFiles.write([0xFF, 0xFE] + BadFiles.csv.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, dir, "d.csv")]
        },
        BadInputCase("CSV with an unclosed quote", "quote") { dir in
            ["inspect", try BadFiles.write("1,2,\"3,a\n4,5,6,b\n", dir, "d.csv")]
        },
        BadInputCase("CSV separated by ';' with decimal commas", "';'") { dir in
            ["inspect", try BadFiles.write("1,5;2,5;a\n3,5;4,5;b\n", dir, "d.csv")]
        },
        BadInputCase(".ts case holding only missing values", "only missing") { dir in
            ["inspect", try BadFiles.write(BadFiles.tsHeader + "1,2,3:a\n?,NaN,?:b\n", dir, "toy.ts")]
        },
        BadInputCase(".ts channel holding only missing values", "channel 2 holds only missing") { dir in
            ["inspect", try BadFiles.write("@dimensions 2\n@classLabel true a b\n@data\n1,2:3,4:a\n1,2:?,NaN:b\n", dir, "toy.ts")]
        },
        BadInputCase("CSV row of empty cells and NaN", "only missing") { dir in
            ["inspect", try BadFiles.write("1,2,3,a\n,NaN,,b\n", dir, "d.csv")]
        },
        BadInputCase("CSV infinite value", "infinite") { dir in
            ["inspect", try BadFiles.write("1,2,3,a\n4,-inf,6,b\n", dir, "d.csv")]
        },
        BadInputCase(".ts value overflowing to infinity", "infinite") { dir in
            ["inspect", try BadFiles.write(BadFiles.tsHeader + "1,2,3:a\n4,1e400,6:b\n", dir, "toy.ts")]
        },
        BadInputCase("CSV first row mixing names and numbers (not a header)", "not a number") { dir in
            ["inspect", try BadFiles.write("t1,2,3,class\n" + BadFiles.csv, dir, "d.csv")]
        },
        BadInputCase("eval of a pandas CSV with a class the model lacks (the header note rides on the one line)", "not one of the model's classes") { dir in
            ["eval", "--model", try BadFiles.checkpoint(dir),
             "--data", try BadFiles.write("0,1,2,3,label\n1,2,3,4,a\n2,3,4,5,z\n1,2,3,3,a\n", dir, "d.csv")]
        },
        // ── inputs that are not regular files ───────────────────────────────────────────────────────────────────
        BadInputCase("inspect a FIFO named .csv (not opened, so no hang)", "named pipe") { dir in
            ["inspect", try BadFiles.fifo(dir, "d.csv")]
        },
        BadInputCase("inspect a FIFO without an extension (the .npy sniff does not open it)", "named pipe") { dir in
            ["inspect", try BadFiles.fifo(dir, "data")]
        },
        BadInputCase("train --data a FIFO", "named pipe") { dir in
            ["train", "--data", try BadFiles.fifo(dir, "d.csv"), "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("predict --input a FIFO", "named pipe") { dir in
            ["predict", "--model", try BadFiles.checkpoint(dir), "--input", try BadFiles.fifo(dir, "x.npy"),
             "--output", BadFiles.path(dir, "y.npy")]
        },
        BadInputCase("eval --model a copy of /dev/null", "character device") { dir in
            ["eval", "--model", BadFiles.device(dir, "model.safetensors"), "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv")]
        },
        // ── outputs that are not regular files (the device or pipe must survive) ───────────────────────────────
        BadInputCase("predict --output onto a copy of /dev/null", "character device",
                     after: { dir in try BadFiles.requireType(BadFiles.device(dir, "y.npy"), S_IFCHR) }) { dir in
            ["predict", "--model", try BadFiles.checkpoint(dir), "--input", try BadFiles.npy(dir, shape: [1, 3, 1], values: [0, 1, 2]),
             "--output", BadFiles.device(dir, "y.npy")]
        },
        BadInputCase("design --out onto a copy of /dev/full", "character device",
                     after: { dir in try BadFiles.requireType(BadFiles.device(dir, "x.safetensors", copying: "/dev/full"), S_IFCHR) }) { dir in
            ["design", "--periods", "10", "--memories", "50", "--out", BadFiles.device(dir, "x.safetensors", copying: "/dev/full")]
        },
        BadInputCase("train --out onto a copy of /dev/null (refused before an epoch)", "character device",
                     after: { dir in try BadFiles.requireType(BadFiles.device(dir, "m.safetensors"), S_IFCHR) }) { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--out", BadFiles.device(dir, "m.safetensors")]
        },
        BadInputCase("design --out onto a FIFO", "named pipe",
                     after: { dir in try BadFiles.requireType(BadFiles.path(dir, "x.safetensors"), S_IFIFO) }) { dir in
            ["design", "--periods", "10", "--memories", "50", "--out", try BadFiles.fifo(dir, "x.safetensors")]
        },
        BadInputCase("map --plot through a symbolic link to a FIFO", "named pipe",
                     after: { dir in try BadFiles.requireType(BadFiles.path(dir, "pipe"), S_IFIFO) }) { dir in
            _ = try BadFiles.fifo(dir, "pipe")
            try FileManager.default.createSymbolicLink(atPath: BadFiles.path(dir, "p.svg"), withDestinationPath: "pipe")
            return ["map", "--system", try BadFiles.stableSystem(dir), "--plot", BadFiles.path(dir, "p.svg")]
        },
        BadInputCase("design --out with a 256-byte file name", "256 bytes long") { dir in
            ["design", "--periods", "10", "--memories", "50", "--out", BadFiles.path(dir, String(repeating: "n", count: 256))]
        },
        BadInputCase("design --out onto a symbolic-link loop", "symbolic links") { dir in
            try FileManager.default.createSymbolicLink(atPath: BadFiles.path(dir, "loop"), withDestinationPath: "loop")
            return ["design", "--periods", "10", "--memories", "50", "--out", BadFiles.path(dir, "loop")]
        },
        BadInputCase("analyze --plot where a regular file is in the way (was NSCocoaErrorDomain 516)", "not a folder") { dir in
            _ = try BadFiles.write("x", dir, "plots")
            return ["analyze", "--model", try BadFiles.checkpoint(dir), "--plot", BadFiles.path(dir, "plots")]
        },
        // ── identify / attractor / train --init-from ────────────────────────────────────────────────────────────
        BadInputCase("identify a missing series", "no such file") { dir in ["identify", "--data", BadFiles.path(dir, "none.npy")] },
        BadInputCase("identify a series with a missing value", "missing value") { dir in
            ["identify", "--data", try BadFiles.write("1\n2\nNaN\n4\n", dir, "s.csv")]
        },
        BadInputCase("identify a 3-D .npy", "(L,) or (L, d)") { dir in
            ["identify", "--data", try BadFiles.npy(dir, shape: [2, 2, 2], values: Array(repeating: 1, count: 8))]
        },
        BadInputCase("identify a constant-zero series", "every singular value is zero") { dir in
            ["identify", "--data", try BadFiles.npy(dir, shape: [20], values: Array(repeating: 0, count: 20))]
        },
        BadInputCase("identify with more delays than samples", "too short") { dir in
            ["identify", "--data", try BadFiles.npy(dir, shape: [10], values: (0..<10).map(Double.init)), "--delays", "12"]
        },
        BadInputCase("identify --rank 0", "rank 0") { dir in
            ["identify", "--data", try BadFiles.npy(dir, shape: [10], values: (0..<10).map { sin(Double($0)) }), "--rank", "0"]
        },
        BadInputCase("identify --rank and --energy together", "at most one") { dir in
            ["identify", "--data", try BadFiles.npy(dir, shape: [4], values: [1, 2, 3, 4]), "--rank", "2", "--energy", "0.9"]
        },
        BadInputCase("identify --energy 1.5", "energy 1.5") { dir in
            ["identify", "--data", try BadFiles.npy(dir, shape: [10], values: (0..<10).map { sin(Double($0)) }), "--energy", "1.5"]
        },
        BadInputCase("identify --dt 0", "Δ") { dir in
            ["identify", "--data", try BadFiles.npy(dir, shape: [10], values: (0..<10).map { sin(Double($0)) }), "--dt", "0"]
        },
        BadInputCase("identify --holdout 0.95", "holdout") { dir in
            ["identify", "--data", try BadFiles.npy(dir, shape: [10], values: (0..<10).map { sin(Double($0)) }), "--holdout", "0.95"]
        },
        BadInputCase("identify HAVOK with rank 1", "rank ≥ 2") { dir in
            ["identify", "--data", try BadFiles.npy(dir, shape: [30], values: (0..<30).map { sin(Double($0)) }), "--method", "havok",
             "--delays", "4", "--rank", "1"]
        },
        BadInputCase("identify --network-out with HAVOK", "--method dmd") { dir in
            ["identify", "--data", try BadFiles.npy(dir, shape: [30], values: (0..<30).map { sin(Double($0)) }), "--method", "havok",
             "--network-out", BadFiles.path(dir, "net")]
        },
        BadInputCase("identify --out into a missing folder (nothing computed or written)", "/nonexistent/dir") { dir in
            ["identify", "--data", try BadFiles.npy(dir, shape: [10], values: (0..<10).map { sin(Double($0)) }),
             "--out", "/nonexistent/dir/layer.safetensors"]
        },
        BadInputCase("identify --component beyond the channels", "--component 3") { dir in
            ["identify", "--data", try BadFiles.npy(dir, shape: [10, 2], values: (0..<20).map { sin(Double($0)) }), "--component", "3"]
        },
        BadInputCase("identify --plot onto a file", "not a folder") { dir in
            ["identify", "--data", try BadFiles.npy(dir, shape: [10], values: (0..<10).map { sin(Double($0)) }),
             "--plot", try BadFiles.write("x", dir, "plots")]
        },
        BadInputCase("attractor without equations", "no equations") { dir in
            ["attractor", "--name", "Lorenz96", "--out", BadFiles.path(dir, "s.npy")]
        },
        BadInputCase("attractor --length 0", "length 0") { dir in
            ["attractor", "--name", "Lorenz", "--length", "0", "--out", BadFiles.path(dir, "s.npy")]
        },
        BadInputCase("train --init-from a layer with other mode counts", "--d-state 2") { dir in
            _ = try BadFiles.s4d(dir, "layer.safetensors", channels: 1, modes: 1)
            return ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--d-model", "2", "--d-state", "4",
                    "--init-from", BadFiles.path(dir, "layer.safetensors"), "--out", BadFiles.path(dir, "m.safetensors")]
        },
        BadInputCase("train --init-from a missing file", "no such file") { dir in
            ["train", "--data", try BadFiles.write(BadFiles.csv, dir, "d.csv"), "--init-from", BadFiles.path(dir, "none.safetensors"),
             "--out", BadFiles.path(dir, "m.safetensors")]
        },
    ]
}

/// One real-world file that must be ACCEPTED by `inspect`, `train` and `eval` with the right counts (issue 14).
struct AcceptedFileCase: Sendable, CustomTestStringConvertible {
    let name: String
    /// Training samples (the whole file, or the *_TRAIN part), test samples of a *_TEST part, class names in order.
    let samples: Int
    let test: Int?
    let classes: [String]
    /// Notes the readers print (a skipped header row, filled or trailing missing values), over both parts.
    let notes: Int
    /// Builds the data in `dir`; returns the path and any extra option (--label-column first).
    let setup: @Sendable (URL) throws -> (path: String, options: [String])
    var testDescription: String { name }
}

enum AcceptedFileTable {
    static let rows: [AcceptedFileCase] = [
        AcceptedFileCase(name: "pandas to_csv(index=False), named label column (header 0,…,7,label)", samples: 10, test: nil,
                         classes: ["cat", "dog"], notes: 1) { dir in (try BadFiles.copyFixture("pandas_named_label.csv", to: dir), []) },
        AcceptedFileCase(name: "pandas to_csv(index=False) of an unnamed frame (header 0,…,8)", samples: 10, test: nil,
                         classes: ["0.0", "1.0"], notes: 1) { dir in (try BadFiles.copyFixture("pandas_unnamed.csv", to: dir), []) },
        AcceptedFileCase(name: "pandas, variable length padded with NaN (empty cells), inner and leading gaps", samples: 8, test: nil,
                         classes: ["a", "b", "c"], notes: 3) { dir in (try BadFiles.copyFixture("pandas_nan_padded.csv", to: dir), []) },
        AcceptedFileCase(name: "Excel CSV UTF-8: byte-order mark, CR LF, quoted fields, text header", samples: 6, test: nil,
                         classes: ["down", "up"], notes: 1) { dir in (try BadFiles.copyFixture("excel_utf8.csv", to: dir), []) },
        AcceptedFileCase(name: "classic Mac OS line ends (lone CR)", samples: 6, test: nil, classes: ["down", "up"], notes: 0) { dir in
            (try BadFiles.copyFixture("lone_cr.csv", to: dir), [])
        },
        AcceptedFileCase(name: "UCR 2018 folder: NAME_TRAIN.tsv/NAME_TEST.tsv, label first, NaN padding", samples: 6, test: 3,
                         classes: ["1", "2", "3"], notes: 2) { dir in
            let ucr = dir.appendingPathComponent("UcrToy")
            try FileManager.default.createDirectory(at: ucr, withIntermediateDirectories: false)
            for part in ["TRAIN", "TEST"] { _ = try BadFiles.copyFixture("UcrToy_\(part).tsv", to: ucr) }
            return (ucr.path, ["--label-column", "first"])
        },
        AcceptedFileCase(name: "a single UCR 2018 .tsv file, label first (--label-column first)", samples: 6, test: nil,
                         classes: ["1", "2", "3"], notes: 1) { dir in
            (try BadFiles.copyFixture("UcrToy_TRAIN.tsv", to: dir), ["--label-column", "first"])
        },
        AcceptedFileCase(name: "UEA .ts pair, @missing true: '?' inside, NaN padding of different length per channel", samples: 4, test: 2,
                         classes: ["walk", "run"], notes: 3) { dir in
            let uea = dir.appendingPathComponent("UeaToy")
            try FileManager.default.createDirectory(at: uea, withIntermediateDirectories: false)
            for part in ["TRAIN", "TEST"] { _ = try BadFiles.copyFixture("UeaToy_\(part).ts", to: uea) }
            return (uea.path, [])
        },
        AcceptedFileCase(name: ".ts with a byte-order mark and CR LF line ends", samples: 4, test: nil, classes: ["a", "b"], notes: 0) { dir in
            let text = (BadFiles.tsHeader + "1,2,3:a\n4,5,6:b\n1,2,2:a\n4,5,5:b\n").replacingOccurrences(of: "\n", with: "\r\n")
            return (try BadFiles.write([0xEF, 0xBB, 0xBF] + Array(text.utf8), dir, "toy.ts"), [])
        },
        AcceptedFileCase(name: "CSV label first, every field quoted, CR LF (--label-column first)", samples: 6, test: nil,
                         classes: ["1", "2"], notes: 0) { dir in
            let rows = (0..<6).map { i in "\"\(i % 2 + 1)\",\"\(Double(i) / 4)\",\"\(1.5 - Double(i))\",\"\(i * i)\"" }
            return (try BadFiles.write(rows.joined(separator: "\r\n") + "\r\n", dir, "first.csv"), ["--label-column", "first"])
        },
        AcceptedFileCase(name: ".ts with @missing true and NaN-padded univariate cases", samples: 4, test: nil, classes: ["a", "b"], notes: 2) { dir in
            let header = "@problemName gaps\n@missing true\n@univariate true\n@equalLength false\n@classLabel true a b\n@data\n"
            return (try BadFiles.write(header + "1,?,3,4:a\n4,5,NaN,NaN:b\n1,2,3,4:a\n4,NaN,6,NaN:b\n", dir, "gaps.ts"), [])
        },
    ]
}

@Suite struct BadInputTableTests {
    @Test(arguments: BadInputTable.rows)
    func failsWithOneLine(_ row: BadInputCase) throws {
        let dir = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let arguments = try row.setup(dir)
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        let result = try CLI.run(arguments, in: row.inFolder ? dir : nil, environment: row.environment)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(result.status != 0, "exit status 0; stdout: \(result.stdout)")
        #expect(lines.count == 1, "stderr has \(lines.count) lines: \(result.stderr)")
        #expect(!result.stderr.contains("Code=") && !result.stderr.contains("Fatal error"), "\(result.stderr)")
        #expect(result.stderr.lowercased().contains(row.fragment.lowercased()),
                "stderr lacks '\(row.fragment)': \(result.stderr)")
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(after == before, "files left behind: \(after.subtracting(before).sorted())")
        if let check = row.after { #expect(throws: Never.self) { try check(dir) } }
    }

    @Test func tableHasAtLeastThirtyRows() {
        #expect(BadInputTable.firstPass.count >= 107 && HostileTable.rows.count >= 111)
        #expect(Set(BadInputTable.rows.map(\.name)).count == BadInputTable.rows.count)
        #expect(Set(AcceptedFileTable.rows.map(\.name)).count == AcceptedFileTable.rows.count)
    }

    /// Each real-world file: `inspect` finds the samples, classes and notes; `train` trains on it (its banner counts
    /// the samples; one stderr line per note); `eval` of the trained model counts the evaluated samples.
    @Test(arguments: AcceptedFileTable.rows)
    func acceptedByInspectTrainAndEval(_ row: AcceptedFileCase) throws {
        let dir = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (data, options) = try row.setup(dir)

        let inspect = try CLI.run(["inspect", data, "--json"] + options)
        #expect(inspect.status == 0 && inspect.stderr.isEmpty, "\(inspect.stderr)")
        let summary = try TestFiles.json(inspect.stdout)
        #expect(summary["classes"] as? [String] == row.classes)
        #expect((summary["train"] as? [String: Any])?["cases"] as? Int == row.samples)
        #expect((summary["test"] as? [String: Any])?["cases"] as? Int == row.test)
        #expect((summary["notes"] as? [String])?.count == row.notes, "\(summary["notes"] ?? "")")

        let model = dir.appendingPathComponent("m.safetensors").path
        let train = try CLI.run(["train", "--data", data, "--out", model, "--layers", "1", "--d-model", "4", "--d-state", "4",
                                 "--epochs", "1", "--batch", "4", "--validation-fraction", "0", "--json"] + options)
        #expect(train.status == 0, "\(train.stderr)")
        let lines = train.stderr.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("note: ") }.count == row.notes, "\(train.stderr)")
        #expect(lines.contains { $0.contains(": \(row.samples) training, 0 validation, \(row.test ?? 0) test samples")
                                 && $0.contains("\(row.classes.count) classes") }, "\(train.stderr)")
        let trained = try TestFiles.json(train.stdout)
        #expect((trained["test"] as? [String: Any])?["count"] as? Int == row.test)

        let eval = try CLI.run(["eval", "--model", model, "--data", data, "--json"] + options)
        #expect(eval.status == 0, "\(eval.stderr)")
        let evaluated = try TestFiles.json(eval.stdout)
        #expect(evaluated["count"] as? Int == row.test ?? row.samples)
        #expect(evaluated["classes"] as? [String] == row.classes)
    }
}

// Unstable and defective systems are not errors for `phasor map`: reading them is legitimate (DESIGN.md §4). They
// exit 0 with the problem stated as a warning, and every number printed is finite or an explicit ∞ (null in JSON).
@Suite struct FlaggedSystemTests {
    @Test func unstableDiscreteSystemIsReadWithAWarning() throws {
        let dir = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let system = try BadFiles.system(dir, a: ([2, 2], [1.2, 0, 0, 0.5]), b: ([2, 1], [1, 1]), c: ([1, 2], [1, 1]),
                                         d: ([1, 1], [0]), metadata: ["dt": "1"])
        let result = try CLI.run(["map", "--system", system])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("|μ| = 1.2") && result.stdout.contains("does not decay"))
        #expect(!result.stdout.lowercased().contains("nan"))
    }

    @Test func defectiveSystemIsFlaggedNotInverted() throws {
        let dir = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let system = try BadFiles.system(dir, a: ([2, 2], [-1, 1, 0, -1]), b: ([2, 1], [0, 1]), c: ([1, 2], [1, 0]),
                                         d: ([1, 1], [0]))
        let result = try CLI.run(["map", "--system", system, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try TestFiles.json(result.stdout)
        #expect(json["eigen_reading_meaningful"] as? Bool == false)
        #expect(!result.stdout.lowercased().contains("nan"))
    }
}
