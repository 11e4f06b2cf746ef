// What the demo measured, stage by stage. `DemoResults` holds everything the report draws; `DemoSummary` is its
// numeric digest written to summary.json (JSONEncoder rejects NaN/Inf, so a non-finite number cannot slip out).
import PhasorAnalysis
import PhasorModels
import PhasorOperator

/// Stage 1: data and training of the default-initialised model.
public struct TrainingStageResult: Sendable {
    public var dataPath: String
    public var classNames: [String]
    public var trainSamples: Int, validationSamples: Int, testSamples: Int
    public var history: [EpochSummary]
    public var bestEpoch: Int
    public var test: Evaluation
    public var checkpoint: Checkpoint
    public var checkpointPath: String
    public var seconds: Double
}

/// One ring drawn for one real test input: node states (L × M, split re/im) and the ring ≡ S4D check.
public struct RingWave: Sendable {
    public var sampleLabel: String
    public var layer: Int, channel: Int
    public var nodesRe: [[Double]], nodesIm: [[Double]]
    /// max_k |ring output − model's SSM output| / max_k |model's SSM output|.
    public var relativeError: Double
}

/// Stage 2: spectrum, rings and dispersion.
public struct MapStageResult: Sendable {
    /// (layer, λΔ) per mode: continuous rate times the channel's step.
    public var spectrum: [(layer: Int, re: Double, im: Double)]
    public var waves: [RingWave]
    /// The ring's response to a unit impulse at node 0 (the drawn channel), L × M.
    public var impulseRe: [[Double]], impulseIm: [[Double]]
    public var impulseSpeed: Double
    /// v(n) in nodes per step for a few channels: (name, values).
    public var dispersion: [(name: String, values: [Double])]
    public var worstRingError: Double
}

/// Stage 3: the explicit operator.
public struct OperatorStageResult: Sendable {
    public var report: ConvergentReport
    /// Per class c: the layer-0 band-pair map — mean ablation effect of pair {p, q} (diagonal: band p) on logit c over
    /// class-c samples, (n × n) symmetric, n = bands + skip.
    public var classMaps: [(className: String, matrix: [[Double]])]
    /// "T≈<period>" per band of layer 0, "skip" last.
    public var bandLabels: [String]
    public var seconds: Double
}

/// Stage 5: default vs designed initialisation, trained briefly with the same seed and data.
/// The exact-by-construction model (bilinear head, BatchNorm): its test evaluation and its explicit operator, exact at
/// order `degree` = 2^layers.
public struct ExactStageResult: Sendable {
    public var test: Evaluation
    public var degree: Int
    /// Orders 1…degree on the evaluated test digits (relative logit error, accuracy, agreement with the model).
    public var orders: [OrderRow]
    public var fullAccuracy: Double
    /// Test digits the operator evaluated.
    public var samples: Int
    /// Σ_{p ≤ degree} ℓ^[p] against the model's own logits (relative).
    public var identityError: Double
    public var checkpointPath: String
    public var seconds: Double
}

/// One small model of another SSM family trained on the same digits: its test accuracy and its modes' λΔ per step.
public struct FamilySpectrum: Sendable {
    public var core: CoreKind
    public var skeleton: ReferenceSkeleton
    public var testAccuracy: Double
    public var points: [(re: Double, im: Double)]
}

public struct FamiliesStageResult: Sendable {
    public var families: [FamilySpectrum]
    public var seconds: Double
}

public struct DesignStageResult: Sendable {
    public var periods: [[Double]], memories: [[Double]]
    public var defaultHistory: [EpochSummary], designedHistory: [EpochSummary]
    public var defaultTest: Evaluation, designedTest: Evaluation
    public var seconds: Double
}

/// Everything the report shows.
public struct DemoResults: Sendable {
    public var settings: DemoSettings
    public var training: TrainingStageResult
    public var map: MapStageResult
    public var operatorStage: OperatorStageResult
    public var exact: ExactStageResult
    public var families: FamiliesStageResult
    public var analysis: ModelAnalysisReport
    public var analysisSeconds: Double
    public var design: DesignStageResult
    public var stageSeconds: [(stage: String, seconds: Double)]
}

/// The numeric digest (summary.json).
public struct DemoSummary: Codable, Sendable {
    public struct Row: Codable, Sendable { public var name: String; public var value: String }
    public var settings: DemoSettings
    public var data: String
    public var trainSamples: Int, validationSamples: Int, testSamples: Int
    public var bestEpoch: Int
    public var testAccuracy: Double, testLoss: Double
    public var epochs: [EpochSummary]
    public var modes: Int
    public var medianDecaySteps: Double?, medianPeriodSteps: Double?
    public var ringIdentityError: Double
    public var impulseSpeedNodesPerStep: Double
    /// The convergent order's table, its headline order (nil: none ≤ K) and the accuracy ratio there (or at K).
    public var operatorOrders: [ConvergenceRow]
    public var headlineOrder: Int?
    public var explainedAccuracy: Double
    /// The band decomposition's truncation table and layer 0's top band pairs per class.
    public var bandOrders: [ConvergenceRow]
    public var topBandPairs: [ConvergentReport.BandPair]
    public var memoryCapacity: [Double]
    public var memoryStateDimension: Int
    public var entropy: [Double]
    public var rademacher: Double?
    public var pacBayesBound: Double?
    public var heuristic: Double?
    /// The bilinear-head model beside it: test accuracy, its operator's orders and the identity at order 2^layers.
    public var exactTestAccuracy: Double
    public var exactOrders: [OrderRow]
    public var exactIdentityError: Double
    /// The other families' small models: core name → test accuracy.
    public var familyTestAccuracy: [String: Double]
    public var designDefaultTestAccuracy: Double, designDesignedTestAccuracy: Double
    public var stageSeconds: [String: Double]
    public var totalSeconds: Double
    /// The short table the command prints.
    public var table: [Row]
}
