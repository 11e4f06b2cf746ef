import Foundation

// A checkpoint as Hugging Face `save_pretrained` (and mamba_ssm) leave it on disk:
//
//   folder/model.safetensors                       one file, or
//   folder/model.safetensors.index.json            {"metadata": {…}, "weight_map": {tensor name: shard file name}}
//   folder/model-00001-of-0000K.safetensors …      the shards it names (paths relative to the index's folder)
//   folder/config.json                             optional: the model's hyper-parameters (a JSON object)
//
// The path given may be the .safetensors file, the index .json, or the folder. Shards are merged into one
// SafeTensorsFile; every tensor the index names must be in the shard it names, no tensor may appear in two shards,
// and a shard may not hold tensors the index does not list (a stale or mixed-up folder). config.json, when present
// beside the weights, is parsed and kept as its top-level members.

/// A top-level value of config.json.
public enum ConfigValue: Sendable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    /// Arrays and nested objects (e.g. mamba_ssm's "ssm_cfg"), kept as their kind only.
    case structured

    /// The number, if this is one.
    public var number: Double? { if case let .number(v) = self { return v }; return nil }
    /// The boolean, if this is one.
    public var bool: Bool? { if case let .bool(v) = self { return v }; return nil }
}

/// The tensors of a (possibly sharded) safetensors checkpoint and the config.json beside it.
public struct SafeTensorsCheckpoint: Sendable {
    /// All tensors (merged over the shards) and the first file's metadata.
    public let file: SafeTensorsFile
    /// The safetensors files read, in the order read.
    public let files: [String]
    /// config.json's top-level members, when the file exists beside the weights.
    public let configuration: [String: ConfigValue]?
    /// Where config.json was read from.
    public let configurationPath: String?

    /// Reads a .safetensors file, a model.safetensors.index.json with its shards, or a folder holding either.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(.unreadable, file: path, problem: "no such file or folder",
                            fix: "give a .safetensors file, a model.safetensors.index.json, or the folder holding them")
        }
        let folder: URL, weights: String
        if isDirectory.boolValue {
            folder = URL(fileURLWithPath: path)
            let index = folder.appendingPathComponent("model.safetensors.index.json").path
            let single = folder.appendingPathComponent("model.safetensors").path
            if FileManager.default.fileExists(atPath: index) { weights = index }
            else if FileManager.default.fileExists(atPath: single) { weights = single }
            else {
                throw DataError(.unreadable, file: path, problem: "the folder has neither model.safetensors nor model.safetensors.index.json",
                                fix: "give the .safetensors file itself")
            }
        } else {
            folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            weights = path
        }
        if weights.hasSuffix(".json") {
            (file, files) = try Self.readShards(index: weights, folder: folder)
        } else {
            file = try SafeTensorsFile(contentsOf: weights)
            files = [weights]
        }
        let config = folder.appendingPathComponent("config.json").path
        if FileManager.default.fileExists(atPath: config) {
            configuration = try Self.readObject(config)
            configurationPath = config
        } else {
            configuration = nil
            configurationPath = nil
        }
    }

    /// The top-level members of a JSON object file.
    static func readObject(_ path: String) throws -> [String: ConfigValue] {
        let bytes = try FileBytes.read(path)
        let value: JSONValue
        do { value = try JSONParser.parse(bytes, 0..<bytes.count) } catch {
            throw DataError(.badHeader, file: path, byteOffset: error.offset, problem: "not valid JSON: \(error.message)",
                            fix: "the file is damaged; write it again (e.g. with save_pretrained)")
        }
        guard case let .object(members) = value else {
            throw DataError(.badHeader, file: path, problem: "the file is \(value.kindName), not a JSON object",
                            fix: "config.json must be one JSON object")
        }
        var result: [String: ConfigValue] = [:]
        for (key, item) in members {
            switch item {
            case let .number(text, _): result[key] = Double(text).map(ConfigValue.number) ?? .structured
            case let .string(s): result[key] = .string(s)
            case let .bool(b): result[key] = .bool(b)
            case .null: result[key] = .null
            case .array, .object: result[key] = .structured
            }
        }
        return result
    }

    private static func readShards(index: String, folder: URL) throws -> (SafeTensorsFile, [String]) {
        let bytes = try FileBytes.read(index)
        let value: JSONValue
        do { value = try JSONParser.parse(bytes, 0..<bytes.count) } catch {
            throw DataError(.badHeader, file: index, byteOffset: error.offset, problem: "not valid JSON: \(error.message)",
                            fix: "the index is damaged; write the checkpoint again")
        }
        guard case let .object(members) = value,
              case let .object(map)? = members.first(where: { $0.0 == "weight_map" })?.1 else {
            throw DataError(.badHeader, file: index, problem: "no \"weight_map\" object",
                            fix: "a sharded checkpoint's index maps each tensor name to its shard file")
        }
        var shardOf: [String: String] = [:]
        for (name, item) in map {
            guard case let .string(shard) = item, !shard.isEmpty, !shard.contains("/"), shard != "..", shard != "." else {
                throw DataError(.badHeader, file: index, problem: "weight_map[\"\(name)\"] is not a shard file name in the index's folder",
                                fix: "each entry must name a .safetensors file beside the index")
            }
            shardOf[name] = shard
        }
        guard !shardOf.isEmpty else {
            throw DataError(.emptyData, file: index, problem: "the weight_map is empty", fix: "the index lists no tensors")
        }
        var merged = SafeTensorsFile()
        var files: [String] = []
        for shard in Set(shardOf.values).sorted() {
            let path = folder.appendingPathComponent(shard).path
            let part = try SafeTensorsFile(contentsOf: path)
            for (name, tensor) in part.tensors {
                guard shardOf[name] == shard else {
                    throw DataError(.badHeader, file: path,
                                    problem: "holds tensor \"\(name)\", which the index " + (shardOf[name].map { "places in \($0)" } ?? "does not list"),
                                    fix: "the folder mixes checkpoints; save it again")
                }
                merged.tensors[name] = tensor
            }
            if merged.metadata.isEmpty { merged.metadata = part.metadata }
            files.append(path)
        }
        if let missing = shardOf.keys.sorted().first(where: { merged.tensors[$0] == nil }) {
            throw DataError(.missingTensor, file: folder.appendingPathComponent(shardOf[missing]!).path,
                            problem: "the index places tensor \"\(missing)\" here, but the file does not hold it",
                            fix: "the shard is stale or truncated; save the checkpoint again")
        }
        return (merged, files)
    }
}
