// Sizes of the demo run. `standard` is the default `phasor demo` (≈ minutes on 2 cores), `quick` the smoke test
// (< 1 minute in release), `tiny` the in-test configuration (seconds in debug).
import PhasorModels

public struct DemoSettings: Sendable, Codable, Equatable {
    public var dModel: Int
    public var dState: Int
    public var layers: Int
    public var epochs: Int
    public var batchSize: Int
    public var dropout: Double
    /// Epochs of the brief default-vs-designed comparison.
    public var designEpochs: Int
    /// Samples per class kept from the data (nil: all).
    public var samplesPerClass: Int?
    /// Highest order K of the explicit operator (the per-channel surrogates' degree).
    public var maxOrder: Int
    /// Test samples evaluated by the operator (at most), and by the band decomposition's truncation table.
    public var operatorSamples: Int
    public var attributionSamples: Int
    /// Samples per class attributed to band pairs.
    public var interactionSamplesPerClass: Int
    /// Width (d_model = d_state) and epochs of the other families' one-layer models (stage 5).
    public var familyWidth: Int
    public var familyEpochs: Int
    /// Parameter draws per σ of the PAC-Bayes risk.
    public var pacBayesDraws: Int
    public var rademacherDraws: Int
    public var threads: Int
    public var seed: UInt64

    public static func standard(seed: UInt64 = 0) -> DemoSettings {
        DemoSettings(dModel: 64, dState: 32, layers: 2, epochs: 25, batchSize: 32, dropout: 0.0, designEpochs: 6,
                     samplesPerClass: nil, maxOrder: 9, operatorSamples: 360, attributionSamples: 40,
                     interactionSamplesPerClass: 2, familyWidth: 16, familyEpochs: 15, pacBayesDraws: 5, rademacherDraws: 100, threads: 2, seed: seed)
    }

    public static func quick(seed: UInt64 = 0) -> DemoSettings {
        DemoSettings(dModel: 16, dState: 16, layers: 2, epochs: 10, batchSize: 32, dropout: 0.0, designEpochs: 3,
                     samplesPerClass: nil, maxOrder: 6, operatorSamples: 120, attributionSamples: 20,
                     interactionSamplesPerClass: 1, familyWidth: 8, familyEpochs: 5, pacBayesDraws: 2, rademacherDraws: 40, threads: 2, seed: seed)
    }

    /// Seconds in a debug build: a tiny model on a few samples per class, one epoch.
    public static func tiny(seed: UInt64 = 0) -> DemoSettings {
        DemoSettings(dModel: 4, dState: 8, layers: 1, epochs: 1, batchSize: 16, dropout: 0.0, designEpochs: 1,
                     samplesPerClass: 8, maxOrder: 2, operatorSamples: 16, attributionSamples: 4,
                     interactionSamplesPerClass: 1, familyWidth: 4, familyEpochs: 1, pacBayesDraws: 1, rademacherDraws: 5, threads: 2, seed: seed)
    }

    func validate() throws {
        guard dModel >= 1, dState >= 4, dState % 2 == 0, layers >= 1, epochs >= 1, batchSize >= 1, designEpochs >= 1,
              maxOrder >= 1, maxOrder <= 25, operatorSamples >= 1, attributionSamples >= 1, threads >= 1,
              familyWidth >= 2, familyWidth % 2 == 0, familyEpochs >= 1 else {
            throw ReportError.invalidSetting("sizes must be positive (d_state even and ≥ 4): \(self)")
        }
    }

    func configuration(classes: Int, channels: Int) -> S4ModelConfiguration {
        S4ModelConfiguration(dInput: channels, dModel: dModel, dState: dState, layers: layers, classes: classes,
                             prenorm: false, dropout: dropout, initialisation: .lin, discretization: .zoh)
    }

    func trainingOptions(epochs: Int) -> TrainingOptions {
        TrainingOptions(epochs: epochs, batchSize: batchSize, learningRate: 0.01, ssmLearningRate: 0.001,
                        weightDecay: 0.01, gradientClip: 1.0, warmupFraction: 0, validationFraction: 0.2, seed: seed,
                        threads: threads)
    }
}
