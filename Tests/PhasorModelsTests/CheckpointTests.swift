import Foundation
import Testing
@testable import PhasorModels
import PhasorData
import PhasorNumerics

// Checkpoints: a file laid out byte for byte as `safetensors.torch.save_file(model.state_dict(), path)` writes it
// loads; Phasor's own files round-trip; every malformed checkpoint is refused with the matching error.


private func configuration(prenorm: Bool = false) -> S4ModelConfiguration {
    S4ModelConfiguration(dInput: 2, dModel: 4, dState: 4, layers: 2, classes: 3, prenorm: prenorm, dropout: 0,
                         initialisation: .lin, discretization: .zoh)
}

/// Float32 little-endian bytes, written independently of Tensor.
private func f32Bytes(_ values: [Double]) -> [UInt8] {
    values.flatMap { v -> [UInt8] in withUnsafeBytes(of: Float(v).bitPattern.littleEndian, Array.init) }
}

/// What safetensors' Rust serializer produces for a state_dict of F32 tensors and no metadata: tensors sorted by
/// (dtype, name) — all F32 here, so by name —, header keys in that order as {"dtype","shape","data_offsets"}, compact
/// JSON, padded with spaces to a multiple of 8, preceded by its u64 little-endian length.
private func pytorchBytes(_ tensors: [(String, [Int], [Double])]) -> [UInt8] {
    let sorted = tensors.sorted { $0.0 < $1.0 }
    var offset = 0
    var entries: [String] = []
    var data: [UInt8] = []
    for (name, shape, values) in sorted {
        let bytes = f32Bytes(values)
        entries.append("\"\(name)\":{\"dtype\":\"F32\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes.count)]}")
        offset += bytes.count
        data += bytes
    }
    var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
    while header.count % 8 != 0 { header.append(0x20) }
    return withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init) + header + data
}

private func randomTensors(seed: UInt64) -> [(String, [Int], [Double])] {
    var g = SeededGenerator(seed: seed)
    return configuration().parameterShapes.map { key, shape in
        let n = shape.reduce(1, *)
        let values: [Double] = (0..<n).map { _ in
            key.hasSuffix("log_dt") ? -3 - g.uniform() : (key.hasSuffix("log_A_real") ? -0.7 : g.normal() * 0.5)
        }
        return (key, shape, values)
    }
}

private func temporaryPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("phasor-ckpt-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

@Test func pytorchStateDictFileLoads() throws {
    let tensors = randomTensors(seed: 11)
    let path = temporaryPath("torch.safetensors")
    try Data(pytorchBytes(tensors)).write(to: URL(fileURLWithPath: path))
    let checkpoint = try Checkpoint.load(path: path)
    #expect(checkpoint.model.configuration == configuration())
    #expect(checkpoint.standardisation == nil && checkpoint.classNames == nil && checkpoint.extraMetadata.isEmpty)
    for (key, _, values) in tensors {
        #expect(try checkpoint.model.parameters.values(key) == values.map { Double(Float($0)) })
    }
    // The loaded model computes what a model built directly from the same (F32-rounded) numbers computes.
    var store = ParameterStore()
    for (key, shape, values) in configuration().parameterShapes.map({ k, s in (k, s, tensors.first { $0.0 == k }!.2) }) {
        try store.append(Parameter(name: key, shape: shape, values: values.map { Double(Float($0)) }))
    }
    let direct = try S4Model(configuration: configuration(), parameters: store)
    var g = SeededGenerator(seed: 3)
    let x = (0..<(2 * 5 * 2)).map { _ in g.normal() }
    #expect(try checkpoint.logits(inputs: x, batch: 2, length: 5, channels: 2)
            == direct.logits(inputs: x, batch: 2, length: 5))
}

@Test func phasorCheckpointsRoundTrip() throws {
    let model = try S4Model(configuration: configuration(prenorm: true), seed: 5)
    let standardisation = try InputStandardisation(mean: [0.5, -2], std: [3, 0.25])
    let checkpoint = try Checkpoint(model: model, standardisation: standardisation, classNames: ["a", "b", "c"],
                                    extraMetadata: ["phasor.epoch": "7"])
    let path = temporaryPath("m.safetensors")
    try checkpoint.write(to: path, precision: .f64)
    let back = try Checkpoint.load(path: path)
    #expect(back.model.configuration == model.configuration)          // prenorm from metadata
    #expect(back.model.parameters == model.parameters)                // F64: exact
    #expect(back.standardisation == standardisation && back.classNames == ["a", "b", "c"])
    #expect(back.extraMetadata == ["phasor.epoch": "7"])
    try checkpoint.write(to: path, precision: .f32)
    let rounded = try Checkpoint.load(path: path)
    for (p, q) in zip(rounded.model.parameters.parameters, model.parameters.parameters) {
        #expect(p.values == q.values.map { Double(Float($0)) })
    }
    // Standardisation is applied before the model: raw x through the checkpoint = (x − μ)/σ through the model.
    let x: [Double] = [1, 2, 3, 4, 5, 6]
    let a = 0.5, b = -2.0, sa = 3.0, sb = 0.25
    let z: [Double] = [(1 - a) / sa, (2 - b) / sb, (3 - a) / sa, (4 - b) / sb, (5 - a) / sa, (6 - b) / sb]
    #expect(try back.logits(inputs: x, batch: 1, length: 3, channels: 2) == model.logits(inputs: z, batch: 1, length: 3))
}

@Test func malformedCheckpointsAreRefused() throws {
    func load(_ edit: (inout SafeTensorsFile) throws -> Void) throws -> Checkpoint {
        var file = try Checkpoint(model: try S4Model(configuration: configuration(), seed: 1)).file(precision: .f64)
        try edit(&file)
        return try Checkpoint(file: file)
    }
    #expect(throws: ModelError.missingKey("decoder.bias")) { try load { $0.tensors["decoder.bias"] = nil } }
    #expect(throws: ModelError.unexpectedKeys(["phasor.optimizer.m.encoder.bias"])) {
        try load { $0.tensors["phasor.optimizer.m.encoder.bias"] = try Tensor(shape: [4], float64: [0, 0, 0, 0]) }
    }
    #expect(throws: ModelError.shapeMismatch(key: "s4_layers.1.D", expected: [4], found: [5])) {
        try load { $0.tensors["s4_layers.1.D"] = try Tensor(shape: [5], float64: [0, 0, 0, 0, 0]) }
    }
    #expect(throws: ModelError.nonFinite(key: "norms.0.weight")) {
        try load { $0.tensors["norms.0.weight"] = try Tensor(shape: [4], float64: [1, .nan, 1, 1]) }
    }
    #expect(throws: ModelError.nonFinite(key: "encoder.bias")) {
        try load { $0.tensors["encoder.bias"] = try Tensor(shape: [4], float32: [1, 1, -.infinity, 1]) }
    }
    // Δ = exp(log_dt) overflows to +inf or underflows to 0.
    #expect(throws: ModelError.nonPositiveStep(key: "s4_layers.0.kernel.log_dt", value: .infinity)) {
        try load { $0.tensors["s4_layers.0.kernel.log_dt"] = try Tensor(shape: [4], float64: [-2, 800, -2, -2]) }
    }
    #expect(throws: ModelError.nonPositiveStep(key: "s4_layers.1.kernel.log_dt", value: 0)) {
        try load { $0.tensors["s4_layers.1.kernel.log_dt"] = try Tensor(shape: [4], float64: [-2, -2, -2, -800]) }
    }
    #expect(throws: ModelError.self) { try load { $0.tensors["decoder.bias"] = try Tensor(shape: [3], int64: [0, 0, 0]) } }
    #expect(throws: ModelError.self) { try load { $0.metadata["prenorm"] = "yes" } }
    #expect(throws: ModelError.self) { try load { $0.metadata["input_mean"] = "[0, 1]" } }
    let good = try load { _ in }
    #expect(throws: ModelError.inputWidth(expected: 2, found: 3)) {
        try good.logits(inputs: [Double](repeating: 0, count: 9), batch: 1, length: 3, channels: 3)
    }
    #expect(throws: NonFiniteError.self) {
        try good.logits(inputs: [0, .nan, 0, 0], batch: 1, length: 2, channels: 2)
    }
}
