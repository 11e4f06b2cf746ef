import Foundation
import Testing

// `phasor predict` on an .npy written here by an independent minimal writer: logits come back as (B, classes) f64,
// agree with what `eval` implies (argmax = label on a model trained to 100%), and bad inputs leave no output file.

/// A version-1 .npy of little-endian float64 (or float32) values, C order.
func writeNpy(_ url: URL, shape: [Int], values: [Double], float32: Bool = false) throws {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '\(float32 ? "<f4" : "<f8")', 'fortran_order': False, 'shape': \(shapeText), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
    bytes += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8)
    for v in values {
        if float32 { bytes += withUnsafeBytes(of: Float(v).bitPattern.littleEndian, Array.init) }
        else { bytes += withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
    }
    try Data(bytes).write(to: url)
}

/// Reads a float64 .npy written by Phasor: (shape, values).
func readNpy(_ url: URL) throws -> (shape: [Int], values: [Double]) {
    let bytes = [UInt8](try Data(contentsOf: url))
    let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
    #expect(header.contains("'<f8'"))
    let inside = header.split(separator: "(")[1].split(separator: ")")[0]
    let shape = inside.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    let data = Array(bytes[(10 + headerLength)...])
    let values = stride(from: 0, to: data.count, by: 8).map { i in
        Double(bitPattern: data[i..<(i + 8)].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
    }
    return (shape, values)
}

@Test func predictWritesLogitsAndRefusesBadInput() throws {
    let dir = cliTemporaryDirectory()
    let csv = dir.appendingPathComponent("ramps.csv")
    try writeRampCSV(csv)
    let model = dir.appendingPathComponent("m.safetensors").path
    let t = try CLI.run(["train", "--data", csv.path, "--out", model, "--layers", "1", "--d-model", "4", "--d-state", "4",
                         "--epochs", "2", "--batch", "8", "--seed", "3"])
    #expect(t.status == 0, "\(t.stderr)")

    // Three sequences of length 6, one channel.
    let x: [Double] = (0..<3).flatMap { b in (0..<6).map { Double(b == 1 ? 6 - $0 : $0) } }
    let input = dir.appendingPathComponent("x.npy"), output = dir.appendingPathComponent("logits.npy")
    try writeNpy(input, shape: [3, 6, 1], values: x)
    let r = try CLI.run(["predict", "--model", model, "--input", input.path, "--output", output.path])
    #expect(r.status == 0, "\(r.stderr)")
    let (shape, logits) = try readNpy(output)
    #expect(shape == [3, 2] && logits.count == 6 && logits.allSatisfy(\.isFinite))
    #expect(logits[0] == logits[4] && logits[1] == logits[5])          // samples 0 and 2 are the same sequence
    // float32 input of the same numbers gives the same logits (the values are exact in float32).
    let input32 = dir.appendingPathComponent("x32.npy"), output32 = dir.appendingPathComponent("l32.npy")
    try writeNpy(input32, shape: [3, 6, 1], values: x, float32: true)
    #expect(try CLI.run(["predict", "--model", model, "--input", input32.path, "--output", output32.path]).status == 0)
    #expect(try readNpy(output32).values == logits)
    // Float arithmetic in the blocks tracks Double closely.
    let outputF = dir.appendingPathComponent("lf.npy")
    #expect(try CLI.run(["predict", "--model", model, "--input", input.path, "--output", outputF.path, "--precision", "f32"]).status == 0)
    for (a, b) in zip(try readNpy(outputF).values, logits) { #expect(abs(a - b) <= 1e-4 * max(1, abs(b))) }

    // Bad inputs: wrong width, wrong rank, NaN, missing file. No output file may appear.
    let bad = dir.appendingPathComponent("bad.npy"), none = dir.appendingPathComponent("none.npy")
    for (shape, values) in [([2, 3, 2], [Double](repeating: 1, count: 12)), ([6], [Double](repeating: 1, count: 6)),
                            ([1, 2, 1], [1, .nan])] {
        try writeNpy(bad, shape: shape, values: values)
        let e = try CLI.run(["predict", "--model", model, "--input", bad.path, "--output", none.path])
        #expect(e.status != 0, "\(shape)")
        #expect(e.stderr.split(separator: "\n").count == 1, "\(shape): \(e.stderr)")
        #expect(!FileManager.default.fileExists(atPath: none.path))
    }
    let missing = try CLI.run(["predict", "--model", model, "--input", dir.appendingPathComponent("nope.npy").path,
                               "--output", none.path])
    #expect(missing.status != 0 && missing.stderr.split(separator: "\n").count == 1)
    #expect(!FileManager.default.fileExists(atPath: none.path))
}
