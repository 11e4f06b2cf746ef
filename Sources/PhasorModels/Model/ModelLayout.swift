// The map between a classifier's typed parts (BlockParts.swift) and its flat store (ParameterStore: what the optimiser
// steps and a checkpoint writes), for every reference skeleton. Each skeleton's key names are written in ONE file, its
// `ModelLayout` conformance: CheckpointLayout.swift (state-spaces example.py, S4D), LinOSSLayout.swift
// (tk-rusch/linoss), S6Layout.swift (log-neural-cdes, torch). `CoreKind.layout` is the one switch that picks it.
//
// A checkpoint carries no configuration file: shapes come from the tensors, switches from the metadata (read in one
// place, ReferenceMetadata.swift); every tensor must have exactly the shape the configuration implies, and missing or
// extra keys are errors (an extra key means a different model).

/// The key names and shapes of one reference classifier skeleton, and its typed parts ⇄ flat tensors.
protocol ModelLayout {
    static var encoderWeight: String { get }
    static var encoderBias: String { get }
    static var decoderWeight: String { get }
    static var decoderBias: String { get }

    /// Every tensor name with its shape, in the reference's own order.
    static func parameterShapes(_ c: S4ModelConfiguration) -> [(name: String, shape: [Int])]

    /// Block i's typed parts from the values of its tensors.
    static func block(_ i: Int, _ c: S4ModelConfiguration, value: (String) throws -> [Double]) throws -> ResidualBlock

    /// Block i's tensors from its typed parts (the same names as `parameterShapes`).
    static func tensors(of block: ResidualBlock, index i: Int) throws -> [String: [Double]]

    /// Whether `key` is a running statistic (a buffer: written and read like a parameter, never stepped by the
    /// optimiser).
    static func isStatistic(_ key: String) -> Bool

    /// Whether `keys` are this skeleton's (to choose the layout of a file and to find a prefix to strip).
    static func recognises(_ keys: Set<String>) -> Bool

    /// The configuration a file's tensor shapes and metadata imply (the key set and shapes are checked afterwards
    /// against `parameterShapes`). `notes` receives what was assumed.
    static func configuration(shapes: [String: [Int]], metadata: ReferenceMetadata, options: ModelLoadOptions,
                              notes: inout [String]) throws -> S4ModelConfiguration

    /// The metadata a checkpoint of this skeleton carries (the reference recipes' keys, §1.2 of the reference page).
    static func metadata(_ c: S4ModelConfiguration) -> [String: String]
}

extension CoreKind {
    /// The layout of this core's reference skeleton.
    var layout: ModelLayout.Type {
        switch self {
        case .s4d: return S4DLayout.self
        case .linossIM, .linossIMEX: return LinOSSLayout.self
        case .s6: return S6Layout.self
        }
    }

    /// The layouts a file may have, tried in this order (example.py's S4D last: it is also the default).
    static var layouts: [ModelLayout.Type] { [LinOSSLayout.self, S6Layout.self, S4DLayout.self] }
}

extension ModelLayout {
    static func isStatistic(_ key: String) -> Bool { false }

    /// The shape of `key`, which must have `rank` positive dimensions.
    static func shape(_ shapes: [String: [Int]], _ key: String, rank: Int) throws -> [Int] {
        guard let s = shapes[key] else { throw ModelError.missingKey(key) }
        guard s.count == rank, s.allSatisfy({ $0 > 0 }) else {
            throw ModelError.invalidConfiguration("tensor '\(key)' has shape \(s); expected \(rank) positive dimensions")
        }
        return s
    }

    /// The number of blocks: the indices after `prefix` must run 0, 1, …, n − 1 (at least one).
    static func blockCount<S: Sequence>(_ keys: S, prefixes: [String], probe: (Int) -> String) throws -> Int
        where S.Element == String {
        var indices = Set<Int>()
        for key in keys {
            for prefix in prefixes where key.hasPrefix(prefix) {
                let rest = key.dropFirst(prefix.count)
                if let dot = rest.firstIndex(of: "."), let i = Int(rest[..<dot]), i >= 0 { indices.insert(i) }
            }
        }
        guard !indices.isEmpty else { throw ModelError.missingKey(probe(0)) }
        if let missing = (0..<indices.count).first(where: { !indices.contains($0) }) { throw ModelError.missingKey(probe(missing)) }
        return indices.count
    }
}
