import Foundation
import PhasorData

// The settings `phasor train` chooses from the data when the user leaves them out (docs/training.md, "Settings
// chosen from the data"). A pure function of the training split's shape — n samples (after the validation split), longest
// length L, channels, classes — and of the settings the user gave, which are always used as given:
//
//   batch      B = clamp(2^⌊log₂(n/16)⌋, 8, 64 or the core recipe's batch)   ≥ 16 optimiser steps per epoch for 128 ≤ n ≤ 1024;
//              at least 8 (batches of 4 made AdamW at lr 0.01 too noisy on 32–53-series sets: docs/training.md)
//   steps/epoch s = ⌈n/B⌉
//   epochs     E = clamp(⌈S/s⌉, 20, 400), S = 3000 steps    a cap: early stopping usually ends the run first
//   patience   P = clamp(⌈E/4⌉, 10, 50) epochs               without a newly selected (best-validation) epoch
//   warm-up    5 % of the cap's steps, then cosine to 0 at the cap
//   model      layers 2, d_model 64 below n = 2000; layers 4, d_model 128 (example.py's sizes) from n = 2000;
//              d_model at least the next power of two ≥ 2·channels; d_state 64 (s4d.py's default)
//   folds      K = 5 when the validation split holds fewer than 50 samples (ModelSelection.smallValidation), else 0:
//              the number of epochs is then chosen by 5-fold cross-validation over all the training data and the
//              model written is trained on all of it (CrossValidation.swift); K ≤ the training samples
//
// The constants are rules of thumb (an epoch of ≥ 16 steps, a budget of ~3000 steps, example.py's sizes for large
// sets), not fitted to any test split; their measured result on every bundled set, with the commands, is in
// docs/training.md ("Settings chosen from the data").

/// What the automatic settings look at: the training split as the optimiser sees it.
public struct DataShape: Sendable, Codable, Equatable {
    /// Training samples (after the validation split is held out).
    public var samples: Int
    /// Longest sequence.
    public var length: Int
    public var channels: Int
    public var classes: Int
    /// Samples of the validation split (0: none).
    public var validationSamples: Int

    public init(samples: Int, length: Int, channels: Int, classes: Int, validationSamples: Int = 0) {
        self.samples = samples
        self.length = length
        self.channels = channels
        self.classes = classes
        self.validationSamples = validationSamples
    }

    public init(_ data: TrainingData) {
        self.init(samples: data.train.count, length: data.train.lengths.max() ?? 0, channels: data.train.channels,
                  classes: data.classNames.count, validationSamples: data.validation?.count ?? 0)
    }
}

/// The settings the automatic rule governs, each either given (used as is) or left out (nil: chosen).
public struct TrainingSettings: Sendable, Codable, Equatable {
    public var layers: Int?
    public var dModel: Int?
    public var dState: Int?
    public var batchSize: Int?
    /// The epoch cap.
    public var epochs: Int?
    /// Early-stopping patience in epochs; 0 turns early stopping off (a negative value is passed on, for
    /// `TrainingOptions.validate` to refuse).
    public var patience: Int?
    public var warmupFraction: Double?
    /// Cross-validation folds; 0 (or 1): one validation split.
    public var folds: Int?

    public init(layers: Int? = nil, dModel: Int? = nil, dState: Int? = nil, batchSize: Int? = nil, epochs: Int? = nil,
                patience: Int? = nil, warmupFraction: Double? = nil, folds: Int? = nil) {
        self.layers = layers
        self.dModel = dModel
        self.dState = dState
        self.batchSize = batchSize
        self.epochs = epochs
        self.patience = patience
        self.warmupFraction = warmupFraction
        self.folds = folds
    }
}

/// Every governed setting of a run, and which of them the rule chose. Stored in the checkpoint's metadata under
/// `metadataKey` (JSON).
public struct TrainingChoices: Sendable, Codable, Equatable {
    public var layers: Int
    public var dModel: Int
    public var dState: Int
    public var batchSize: Int
    public var epochs: Int
    /// nil: no early stopping.
    public var patience: Int?
    public var warmupFraction: Double
    /// K ≥ 2: the number of epochs was chosen by K-fold cross-validation and the model trained on all the training
    /// data (`CrossValidation`); 0: one validation split chose the epoch.
    public var folds: Int = 0
    /// Names (the CLI's option names, e.g. "batch", "d-model") of the settings the rule chose; the others were given.
    public var chosen: [String]

    public static let metadataKey = "phasor.settings"

    enum CodingKeys: String, CodingKey {
        case layers, dModel, dState, batchSize, epochs, patience, warmupFraction, folds, chosen
    }


    /// The JSON stored under `metadataKey`, keys sorted: a checkpoint is a pure function of the run (Foundation's
    /// encoder on Linux orders a struct's keys differently from process to process).
    public func metadataValue() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The one-line account printed in `phasor train`'s banner: "chose batch 8, 2 layers, …" (the chosen ones) and
    /// "given …" (the rest).
    public var summary: String {
        func describe(_ name: String) -> String {
            switch name {
            case "batch": return "batch \(batchSize)"
            case "layers": return layers == 1 ? "1 layer" : "\(layers) layers"
            case "d-model": return "d_model \(dModel)"
            case "d-state": return "d_state \(dState)"
            case "epochs": return "≤ \(epochs) epochs"
            case "patience": return patience.map { "patience \($0)" } ?? "no early stopping"
            case "folds": return folds >= 2 ? "epochs by \(folds)-fold cross-validation" : "one validation split"
            default: return "warm-up \(Self.percent(warmupFraction))"
            }
        }
        let given = Self.names.filter { !chosen.contains($0) }
        var parts: [String] = []
        if !chosen.isEmpty { parts.append("chose " + chosen.map(describe).joined(separator: ", ")) }
        if !given.isEmpty { parts.append("given " + given.map(describe).joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    /// The governed settings' names in banner order.
    public static let names = ["batch", "layers", "d-model", "d-state", "epochs", "patience", "warmup", "folds"]

    private static func percent(_ f: Double) -> String {
        let p = f * 100
        return p == p.rounded() ? "\(Int(p))%" : "\(p)%"
    }
}

public enum TrainingDefaults {
    /// Optimiser steps the epoch cap aims at (S).
    public static let stepBudget = 3000
    public static let epochRange = 20...400
    public static let patienceRange = 10...50
    public static let batchRange = 8...64
    public static let warmupFraction = 0.05
    /// Folds of the cross-validation chosen for small validation splits.
    public static let folds = 5
    /// From this many training samples on, example.py's sizes (4 layers, d_model 128).
    public static let largeSampleCount = 2000

    /// The settings of a run on data of `shape`: every setting in `given` as is, the others chosen. The batch rule is
    /// capped at `largestBatch` (the core's published recipe: 64 for example.py, 32 for the LinOSS repository's).
    public static func choose(for shape: DataShape, given: TrainingSettings = TrainingSettings(),
                              largestBatch: Int = batchRange.upperBound) -> TrainingChoices {
        var chosen: [String] = []
        func pick<T>(_ name: String, _ value: T?, _ rule: () -> T) -> T {
            if let value { return value }
            chosen.append(name)
            return rule()
        }
        let n = max(shape.samples, 1)
        let large = n >= largeSampleCount
        let batch = pick("batch", given.batchSize) {
            clamp(powerOfTwo(atMost: n / 16), batchRange.lowerBound...max(batchRange.lowerBound, largestBatch))
        }
        let layers = pick("layers", given.layers) { large ? 4 : 2 }
        let dModel = pick("d-model", given.dModel) { max(large ? 128 : 64, powerOfTwo(atLeast: 2 * shape.channels)) }
        let dState = pick("d-state", given.dState) { 64 }
        let stepsPerEpoch = n / max(batch, 1) + (n % max(batch, 1) == 0 ? 0 : 1)      // ⌈n/B⌉, B may be Int.max
        let epochs = pick("epochs", given.epochs) {
            clamp((stepBudget + stepsPerEpoch - 1) / stepsPerEpoch, epochRange)
        }
        // ⌈E/4⌉ without overflow (E may be a user number)
        let patience = pick("patience", given.patience) { clamp(epochs / 4 + (epochs % 4 == 0 ? 0 : 1), patienceRange) }
        let warmup = pick("warmup", given.warmupFraction) { warmupFraction }
        // Cross-validate where one validation split is too small to choose from (the same threshold at which
        // ModelSelection ranks by loss), with no more folds than samples.
        let total = shape.samples + shape.validationSamples
        let small = shape.validationSamples > 0 && ModelSelection.forValidation(count: shape.validationSamples) == .loss
        let k = pick("folds", given.folds) { small && total >= 2 ? min(folds, total) : 0 }
        return TrainingChoices(layers: layers, dModel: dModel, dState: dState, batchSize: batch, epochs: epochs,
                               patience: patience == 0 ? nil : patience, warmupFraction: warmup, folds: k >= 2 ? k : 0,
                               chosen: TrainingChoices.names.filter { chosen.contains($0) })
    }

    private static func clamp(_ x: Int, _ r: ClosedRange<Int>) -> Int { min(max(x, r.lowerBound), r.upperBound) }

    /// The largest power of two ≤ x (1 for x < 2).
    private static func powerOfTwo(atMost x: Int) -> Int {
        var p = 1
        while p <= x / 2 { p *= 2 }
        return p
    }

    /// The smallest power of two ≥ x (1 for x < 2).
    private static func powerOfTwo(atLeast x: Int) -> Int {
        var p = 1
        while p < x { p *= 2 }
        return p
    }
}

extension TrainingChoices {
    /// Decodes stored settings; those written before cross-validation (no "folds") used one validation split.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(layers: try c.decode(Int.self, forKey: .layers), dModel: try c.decode(Int.self, forKey: .dModel),
                  dState: try c.decode(Int.self, forKey: .dState), batchSize: try c.decode(Int.self, forKey: .batchSize),
                  epochs: try c.decode(Int.self, forKey: .epochs), patience: try c.decodeIfPresent(Int.self, forKey: .patience),
                  warmupFraction: try c.decode(Double.self, forKey: .warmupFraction),
                  folds: try c.decodeIfPresent(Int.self, forKey: .folds) ?? 0,
                  chosen: try c.decode([String].self, forKey: .chosen))
    }

    /// The settings a run writing `output` started with, nil when it has no resume state. `--resume` uses them for
    /// every setting the user leaves out, so a resumed run continues with its own choices even if the data or the rule
    /// changed. Values come from the resume state (what the trainer compares), the `chosen` list from the model
    /// file's metadata (empty if it has none).
    public static func resumed(output: String) throws -> TrainingChoices? {
        let path = TrainingState.path(for: output)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let state = try TrainingState.recordedSettings(path: path)
        let written = (try? SafeTensorsFile(contentsOf: output))?.metadata[metadataKey]
            .flatMap { try? JSONDecoder().decode(TrainingChoices.self, from: Data($0.utf8)) }
        let c = state.configuration, o = state.options
        return TrainingChoices(layers: c.layers, dModel: c.dModel, dState: c.dState, batchSize: o.batchSize,
                               epochs: o.epochs, patience: o.patience, warmupFraction: o.warmupFraction,
                               chosen: written?.chosen ?? [])
    }

    /// The settings of `given` that differ from these, as "--name value (the run has other)", in banner order.
    public func contradictions(_ given: TrainingSettings) -> [String] {
        let replaced = overridden(by: given)
        let pairs: [(String, String, String)] = [
            ("batch", "\(replaced.batchSize)", "\(batchSize)"), ("layers", "\(replaced.layers)", "\(layers)"),
            ("d-model", "\(replaced.dModel)", "\(dModel)"), ("d-state", "\(replaced.dState)", "\(dState)"),
            ("epochs", "\(replaced.epochs)", "\(epochs)"),
            ("patience", "\(replaced.patience ?? 0)", "\(patience ?? 0)"),
            ("warmup", "\(replaced.warmupFraction)", "\(warmupFraction)"), ("folds", "\(replaced.folds)", "\(folds)"),
        ]
        return pairs.filter { $0.1 != $0.2 }.map { "--\($0.0) \($0.1) (the run has \($0.2))" }
    }

    /// These settings with every one in `given` replaced (and no longer counted as chosen).
    public func overridden(by given: TrainingSettings) -> TrainingChoices {
        var r = self
        var replaced: [String] = []
        func set<T>(_ name: String, _ value: T?, _ target: inout T) {
            if let value { target = value; replaced.append(name) }
        }
        set("layers", given.layers, &r.layers)
        set("d-model", given.dModel, &r.dModel)
        set("d-state", given.dState, &r.dState)
        set("batch", given.batchSize, &r.batchSize)
        set("epochs", given.epochs, &r.epochs)
        set("warmup", given.warmupFraction, &r.warmupFraction)
        if let k = given.folds { r.folds = k >= 2 ? k : 0; replaced.append("folds") }
        if let p = given.patience { r.patience = p == 0 ? nil : p; replaced.append("patience") }
        r.chosen.removeAll { replaced.contains($0) }
        return r
    }
}
