import Foundation

// safetensors (https://github.com/huggingface/safetensors), the checkpoint format of Phasor and of PyTorch users:
//
//   bytes 0..<8        N, the header length, unsigned 64-bit little-endian
//   bytes 8..<8+N      a UTF-8 JSON object: name → {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]},
//                      plus an optional "__metadata__": {string: string}
//   bytes 8+N..<EOF    the data buffer; each tensor's bytes are buffer[begin..<end], little-endian, C order
//
// Reading checks everything a header claims against the file before allocating: N within the file, offsets within
// the buffer, end − begin = product(shape) × dtype size (overflow-checked), tensors neither overlapping nor leaving
// holes (the format requires the buffer to be indexed completely). Writing puts the metadata first and the tensors
// in sorted name order, pads the header with spaces so the data starts at a multiple of 8 bytes, and writes
// atomically.

/// A safetensors file in memory: named tensors and string metadata.
public struct SafeTensorsFile: Sendable {
    public var tensors: [String: Tensor]
    /// The header's "__metadata__" object (string → string).
    public var metadata: [String: String]

    /// The format's limit on the header size (safetensors refuses larger headers too).
    public static let maximumHeaderLength = 100_000_000

    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads a safetensors file.
    public init(contentsOf path: String) throws {
        try self.init(bytes: try FileBytes.read(path), file: path)
    }

    /// Parses safetensors bytes (errors name the source as "<bytes>").
    public init(bytes: [UInt8]) throws {
        try self.init(bytes: bytes, file: "<bytes>")
    }

    init(bytes: [UInt8], file: String) throws {
        func fail(_ kind: DataError.Kind, at offset: Int? = nil, _ problem: String, _ fix: String) -> DataError {
            DataError(kind, file: file, byteOffset: offset, problem: problem, fix: fix)
        }
        guard bytes.count >= 8 else {
            throw fail(.truncated, at: bytes.count,
                       "the file is \(bytes.count) bytes; a safetensors file starts with an 8-byte header length",
                       "the file is truncated or not a safetensors file; write it again")
        }
        let claimed = FileBytes.littleEndian(bytes, at: 0, width: 8)
        guard claimed <= UInt64(bytes.count - 8) else {
            throw fail(.truncated, at: 0,
                       "the header length \(claimed) reaches beyond the end of the file (\(bytes.count) bytes)",
                       "the file is truncated or not a safetensors file; write it again")
        }
        let headerLength = Int(claimed)
        guard headerLength <= Self.maximumHeaderLength else {
            throw fail(.tooLarge, at: 0, "the header length \(headerLength) exceeds the format's limit of 100 MB",
                       "this is not a valid safetensors file")
        }
        guard headerLength >= 2, bytes[8] == UInt8(ascii: "{") else {
            throw fail(.badHeader, at: 8, "the header does not start with '{'",
                       "this is not a safetensors file (the header must be a JSON object)")
        }
        let header: JSONValue
        do {
            header = try JSONParser.parse(bytes, 8..<(8 + headerLength))
        } catch {
            throw fail(.badHeader, at: error.offset, "the header is not valid JSON: \(error.message)",
                       "the file is damaged or not a safetensors file")
        }
        guard case let .object(members) = header else {
            throw fail(.badHeader, at: 8, "the header is not a JSON object", "this is not a safetensors file")
        }
        let dataStart = 8 + headerLength
        let dataSize = bytes.count - dataStart

        var metadata: [String: String] = [:]
        var entries: [(name: String, dtype: TensorDType, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in members {
            if name == "__metadata__" {
                guard case let .object(pairs) = value else {
                    throw fail(.badHeader, at: 8, "\"__metadata__\" is \(value.kindName), not an object",
                               "__metadata__ must map strings to strings")
                }
                for (key, item) in pairs {
                    guard case let .string(text) = item else {
                        throw fail(.badHeader, at: 8, "metadata \"\(key)\" is \(item.kindName), not a string",
                                   "__metadata__ values must be strings (encode arrays as JSON text)")
                    }
                    metadata[key] = text
                }
                continue
            }
            guard case let .object(fields) = value else {
                throw fail(.badHeader, at: 8, "tensor \"\(name)\" is \(value.kindName), not an object",
                           "each tensor entry needs dtype, shape and data_offsets")
            }
            let field = Dictionary(fields, uniquingKeysWith: { a, _ in a })
            guard case let .string(dtypeName)? = field["dtype"] else {
                throw fail(.badHeader, at: 8, "tensor \"\(name)\" has no string \"dtype\"", "the header is damaged")
            }
            guard let dtype = TensorDType(rawValue: dtypeName) else {
                throw fail(.unsupportedDType, at: 8, "tensor \"\(name)\" has dtype \(dtypeName), which Phasor does not read",
                           "save it as one of \(TensorDType.allCases.map(\.rawValue).joined(separator: ", ")) (F32 or F64 for weights)")
            }
            guard case let .array(shapeValues)? = field["shape"] else {
                throw fail(.badHeader, at: 8, "tensor \"\(name)\" has no \"shape\" array", "the header is damaged")
            }
            var shape: [Int] = []
            for dimension in shapeValues {
                guard case let .number(text, integer) = dimension, let d = integer else {
                    throw fail(.badShape, at: 8, "tensor \"\(name)\" has a non-integer dimension in its shape",
                               "dimensions must be non-negative integers")
                }
                guard d >= 0 else {
                    throw fail(.badShape, at: 8, "tensor \"\(name)\" has a negative dimension \(text)",
                               "dimensions must be non-negative integers")
                }
                shape.append(d)
            }
            guard case let .array(offsetValues)? = field["data_offsets"], offsetValues.count == 2,
                  case let .number(_, beginValue) = offsetValues[0], let begin = beginValue,
                  case let .number(_, endValue) = offsetValues[1], let end = endValue else {
                throw fail(.badOffsets, at: 8, "tensor \"\(name)\" has no \"data_offsets\" pair of integers",
                           "the header is damaged")
            }
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw fail(.badOffsets, at: 8,
                           "tensor \"\(name)\" has data_offsets [\(begin), \(end)] outside the data buffer of \(dataSize) bytes",
                           "the file is truncated or its header is damaged")
            }
            guard let size = ElementCount.of(shape, elementSize: dtype.size) else {
                throw fail(.tooLarge, at: 8, "tensor \"\(name)\" claims shape \(shape), too many elements to address",
                           "the header is damaged")
            }
            guard size.bytes == end - begin else {
                throw fail(.sizeMismatch, at: 8,
                           "tensor \"\(name)\" of shape \(shape) and dtype \(dtypeName) needs \(size.bytes) bytes, but its data_offsets span \(end - begin)",
                           "the header is damaged")
            }
            entries.append((name, dtype, shape, begin, end))
        }

        // The buffer must be covered exactly once: sorted by offset, each tensor starts where the previous ended.
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        var previous = "the start of the data"
        for entry in entries {
            if entry.begin < covered {
                throw fail(.badOffsets, at: dataStart + entry.begin,
                           "tensors \"\(previous)\" and \"\(entry.name)\" overlap (bytes \(entry.begin)..<\(covered))",
                           "the header is damaged; every tensor needs its own bytes")
            }
            if entry.begin > covered {
                throw fail(.badOffsets, at: dataStart + covered,
                           "data bytes \(covered)..<\(entry.begin) belong to no tensor",
                           "the file is damaged; the format requires the data buffer to be fully indexed")
            }
            covered = entry.end
            previous = entry.name
        }
        if covered != dataSize {
            throw fail(.badOffsets, at: dataStart + covered,
                       "data bytes \(covered)..<\(dataSize) after the last tensor belong to no tensor",
                       "the file is damaged or has trailing bytes; write it again")
        }

        var tensors: [String: Tensor] = [:]
        tensors.reserveCapacity(entries.count)
        for entry in entries {
            let raw = Array(bytes[(dataStart + entry.begin)..<(dataStart + entry.end)])
            tensors[entry.name] = try Tensor(shape: entry.shape, dtype: entry.dtype, rawBytes: raw)
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The file's bytes: 8-byte LE header length, JSON header (metadata first, tensors in sorted name order, padded
    /// with spaces to a multiple of 8 bytes), then the data in the same order.
    public func serialized() throws -> [UInt8] {
        if let bad = tensors.keys.first(where: { $0 == "__metadata__" }) {
            throw DataError(.badArgument, file: "<safetensors>", problem: "a tensor cannot be named \"\(bad)\"",
                            fix: "rename the tensor; the name is reserved for metadata")
        }
        var header: [UInt8] = [UInt8(ascii: "{")]
        var first = true
        if !metadata.isEmpty {
            JSONWriter.appendString("__metadata__", to: &header)
            header.append(contentsOf: Array(":{".utf8))
            for (index, key) in metadata.keys.sorted().enumerated() {
                if index > 0 { header.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(key, to: &header)
                header.append(UInt8(ascii: ":"))
                JSONWriter.appendString(metadata[key]!, to: &header)
            }
            header.append(UInt8(ascii: "}"))
            first = false
        }
        let names = tensors.keys.sorted()
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            if !first { header.append(UInt8(ascii: ",")) }
            first = false
            JSONWriter.appendString(name, to: &header)
            header.append(contentsOf: Array(":{\"dtype\":".utf8))
            JSONWriter.appendString(tensor.dtype.rawValue, to: &header)
            header.append(contentsOf: Array(",\"shape\":".utf8))
            JSONWriter.appendIntegers(tensor.shape, to: &header)
            header.append(contentsOf: Array(",\"data_offsets\":".utf8))
            JSONWriter.appendIntegers([offset, offset + tensor.rawBytes.count], to: &header)
            header.append(UInt8(ascii: "}"))
            offset += tensor.rawBytes.count
        }
        header.append(UInt8(ascii: "}"))
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }   // data starts 8-byte aligned

        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        FileBytes.appendLittleEndian(UInt64(header.count), width: 8, to: &out)
        out.append(contentsOf: header)
        for name in names { out.append(contentsOf: tensors[name]!.rawBytes) }
        return out
    }

    /// Writes the file atomically.
    public func write(to path: String) throws {
        try AtomicFile.write(Data(try serialized()), to: path)
    }

    // MARK: Looking tensors up with errors a user can act on

    /// The tensor called `name`; if `shape` is given, its shape must equal it. `file` names the checkpoint in errors.
    public func tensor(_ name: String, shape: [Int]? = nil, file: String = "<safetensors>") throws -> Tensor {
        guard let tensor = tensors[name] else {
            let names = tensors.keys.sorted()
            let listed = names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", …" : "")
            throw DataError(.missingTensor, file: file, problem: "there is no tensor \"\(name)\" (the file has: \(listed))",
                            fix: "check the key names; DESIGN.md §9 lists the names Phasor expects")
        }
        if let shape, tensor.shape != shape {
            throw DataError(.shapeMismatch, file: file,
                            problem: "tensor \"\(name)\" has shape \(tensor.shape), expected \(shape)",
                            fix: "the checkpoint does not match the model's dimensions")
        }
        return tensor
    }

    // MARK: Metadata holding JSON arrays of numbers (e.g. "input_mean", "input_std" of DESIGN.md §9)

    /// The metadata value for `key` read as a JSON array of numbers, or nil if the key is absent.
    public func metadataNumbers(_ key: String) throws -> [Double]? {
        guard let text = metadata[key] else { return nil }
        let bytes = Array(text.utf8)
        let problem = "metadata \"\(key)\" = \(text.prefix(80)) is not a JSON array of finite numbers"
        guard case let .array(items)? = try? JSONParser.parse(bytes, 0..<bytes.count) else {
            throw DataError(.badHeader, file: "<safetensors metadata>", problem: problem,
                            fix: "store it as text like [0.5,1.25]")
        }
        var values: [Double] = []
        for item in items {
            guard let v = item.doubleValue, v.isFinite else {
                throw DataError(.badHeader, file: "<safetensors metadata>", problem: problem,
                                fix: "store it as text like [0.5,1.25]")
            }
            values.append(v)
        }
        return values
    }

    /// Stores `values` under `key` as a JSON array (shortest round-trip decimal form of each Double).
    public mutating func setMetadataNumbers(_ key: String, _ values: [Double]) throws {
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw DataError(.nonFinite, file: "<safetensors metadata>",
                            problem: "metadata \"\(key)\" element \(index) is \(values[index])",
                            fix: "only finite numbers can be stored")
        }
        metadata[key] = "[" + values.map { "\($0)" }.joined(separator: ",") + "]"
    }
}
