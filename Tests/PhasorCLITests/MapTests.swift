import Foundation
import Testing

// `phasor map` as a user runs it. Files are written here byte by byte (safetensors: 8-byte little-endian header
// length, JSON header, little-endian F64 data; .npy v1), independently of Phasor's own writers.

enum TestFiles {
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("phasor-corr-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func littleEndian(_ values: [Double]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    }

    /// Writes F64 tensors (name → (shape, row-major values)) and metadata as a safetensors file.
    static func safetensors(_ tensors: [(String, [Int], [Double])], metadata: [String: String] = [:], to url: URL) throws {
        var entries: [String] = []
        var data: [UInt8] = []
        for (name, shape, values) in tensors {
            let start = data.count
            data += littleEndian(values)
            entries.append("\"\(name)\":{\"dtype\":\"F64\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],"
                + "\"data_offsets\":[\(start),\(data.count)]}")
        }
        if !metadata.isEmpty {
            entries.append("\"__metadata__\":{" + metadata.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "}")
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) }
        bytes += header + data
        try Data(bytes).write(to: url)
    }

    /// Writes a little-endian f8 C-order .npy (version 1.0).
    static func npy(shape: [Int], values: [Double], to url: URL) throws {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes += withUnsafeBytes(of: UInt16(header.count).littleEndian) { Array($0) }
        bytes += Array(header.utf8) + littleEndian(values)
        try Data(bytes).write(to: url)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

@Suite struct MapCommandTests {
    /// HiPPO-LegS N×N: A_nk = −√(2n+1)√(2k+1) (n > k), −(n+1) (n = k); B_n = √(2n+1); C = 1; D = 0 (row-major).
    static func legS(_ n: Int) -> [(String, [Int], [Double])] {
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for k in 0...i { a[i * n + k] = i == k ? -Double(i + 1) : -(Double(2 * i + 1) * Double(2 * k + 1)).squareRoot() } }
        return [("A", [n, n], a), ("B", [n, 1], (0..<n).map { Double(2 * $0 + 1).squareRoot() }),
                ("C", [1, n], Array(repeating: 1, count: n)), ("D", [1, 1], [0])]
    }

    @Test func hippoLegSGetsTheSchurReading() throws {
        let dir = try TestFiles.directory()
        let file = dir.appendingPathComponent("legs.safetensors")
        try TestFiles.safetensors(Self.legS(64), to: file)
        let result = try CLI.run(["map", "--system", file.path, "--json", "--plot", dir.appendingPathComponent("s.svg").path])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try TestFiles.json(result.stdout)
        #expect(json["eigen_reading_meaningful"] as? Bool == false)
        if let kappa = json["kappa"] as? Double { #expect(kappa > 1e8) } else { #expect(json["kappa"] as? String == "inf") }
        let schur = try #require(json["schur"] as? [String: Any])
        #expect(try #require(schur["relative_residual"] as? Double) <= 1e-12)
        #expect((schur["oscillators"] as? [[Double]])?.count == 64)
        #expect(!result.stdout.contains("nan"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("s.svg").path))
    }

    @Test func undampedAndUnstableModesAreNullsAndWarningsNeverNaN() throws {
        let dir = try TestFiles.directory()
        let file = dir.appendingPathComponent("osc.safetensors")
        // continuous complex diag(i, −i) (trailing axis 2 = re, im): ω = ±1, γ = 0 exactly ⇒ decay_time, quality null
        try TestFiles.safetensors([("A", [2, 2, 2], [0, 1, 0, 0, 0, 0, 0, -1]), ("B", [2], [1, 0]), ("C", [2], [1, 0])],
                                  to: file)
        let result = try CLI.run(["map", "--system", file.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try TestFiles.json(result.stdout)
        let modes = try #require(json["modes"] as? [[String: Any]])
        #expect(modes.count == 2)
        for mode in modes {
            #expect(mode["decay_time"] is NSNull && mode["quality"] is NSNull)
            #expect(abs(try #require(mode["period"] as? Double) - 2 * Double.pi) <= 1e-12)
        }
        #expect(!(json["warnings"] as? [String] ?? []).isEmpty)
        #expect(json["dt"] is NSNull)
    }

    @Test func badSystemsFailWithOneLine() throws {
        let dir = try TestFiles.directory()
        // discrete Ā with eigenvalue −0.5: no principal logarithm
        let negative = dir.appendingPathComponent("neg.safetensors")
        try TestFiles.safetensors([("A", [2, 2], [-0.5, 0, 0, 0.3]), ("B", [2, 1], [1, 1]), ("C", [1, 2], [1, 1])],
                                  metadata: ["dt": "0.5"], to: negative)
        let r1 = try CLI.run(["map", "--system", negative.path, "--json"])
        #expect(r1.status != 0 && r1.stderr.contains("principal logarithm"))
        #expect(r1.stderr.split(separator: "\n").count == 1)
        // B with the wrong number of rows
        let shapes = dir.appendingPathComponent("shape.safetensors")
        try TestFiles.safetensors([("A", [2, 2], [-1, 0, 0, -2]), ("B", [3, 1], [1, 1, 1]), ("C", [1, 2], [1, 1])], to: shapes)
        let r2 = try CLI.run(["map", "--system", shapes.path])
        #expect(r2.status != 0 && r2.stderr.contains("shape"))
        // Δ ≤ 0
        let step = dir.appendingPathComponent("step.safetensors")
        try TestFiles.safetensors([("A", [1, 1], [0.5]), ("B", [1, 1], [1]), ("C", [1, 1], [1])], metadata: ["dt": "-1"], to: step)
        let r3 = try CLI.run(["map", "--system", step.path])
        #expect(r3.status != 0 && r3.stderr.contains("Δ"))
        // neither or both sources
        #expect(try CLI.run(["map", "--json"]).status != 0)
        // an unstable discrete mode is reported, not hidden
        let unstable = dir.appendingPathComponent("unstable.safetensors")
        try TestFiles.safetensors([("A", [1, 1], [1.2]), ("B", [1, 1], [1]), ("C", [1, 1], [1])], metadata: ["dt": "1"], to: unstable)
        let r4 = try CLI.run(["map", "--system", unstable.path, "--json"])
        #expect(r4.status == 0)
        #expect((try TestFiles.json(r4.stdout)["warnings"] as? [String])?.contains { $0.contains("does not decay") } == true)
    }
}
