// One identification run, as `phasor identify` performs it: split the series into a training part and a held-out
// tail, identify on the training part (Hankel DMD or HAVOK), and measure
//   reconstruction  the model's own continuation over the training windows (DMD: free run from the first window;
//                   HAVOK: driven by the forcing measured on the training span), against x_{q−1} … x_{L_train−1};
//   forecast        DMD: the free run from the last training window over the tail x_{L_train} … x_{L−1};
//                   HAVOK: the linear model driven by the forcing measured on the tail's windows (HAVOK needs the
//                   forcing from data, so this is a driven reconstruction of unseen data, not a forecast);
//   persistence     the naive forecast x̂_{L_train+j} = x_{L_train−1}, for scale;
// each as a normalised RMS error over all channels,
//   NRMSE = √(Σ_{t,c} (x̂_{t,c} − x_{t,c})² / Σ_{t,c} (x_{t,c} − x̄_c)²)   (x̄_c: the segment's mean; 1 = as bad as it).
// For HAVOK, the forcing's agreement with sign changes of channel 0 (SwitchingAgreement) over the training windows.
import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorNumerics

/// Which model to identify.
public enum IdentificationMethod: String, Sendable, CaseIterable {
    /// Hankel DMD (exact DMD on delay windows; delays = 1 is plain exact DMD).
    case dmd
    /// HAVOK: linear delay coordinates forced by the last one.
    case havok
}

/// The options of a run.
public struct IdentificationSettings: Sendable, Equatable {
    public var method: IdentificationMethod
    public var delays: Int
    public var rank: RankRule
    /// Δ, the sampling step (time unit of every reported time).
    public var step: Double
    /// Fraction of the series held out at the end, in [0, 0.9].
    public var holdout: Double
    /// HAVOK forcing threshold k (in standard deviations) and switch window (samples before, after).
    public var threshold: Double
    public var window: (before: Int, after: Int)

    public init(method: IdentificationMethod = .dmd, delays: Int = 1, rank: RankRule = .optimalHardThreshold,
                step: Double = 1, holdout: Double = 0.2, threshold: Double = 2.5, window: (before: Int, after: Int) = (30, 10)) {
        self.method = method
        self.delays = delays
        self.rank = rank
        self.step = step
        self.holdout = holdout
        self.threshold = threshold
        self.window = window
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.method == b.method && a.delays == b.delays && a.rank == b.rank && a.step == b.step && a.holdout == b.holdout
            && a.threshold == b.threshold && a.window == b.window
    }
}

/// A model compared with the data over one stretch of time.
public struct SegmentFit: Sendable {
    /// Index of the first sample (time = index·Δ).
    public let start: Int
    /// The model's values (count × d, time-major).
    public let model: [Double]
    /// The data over the same samples.
    public let truth: [Double]
    /// NRMSE of the model.
    public let error: Double
}

/// The result of one identification.
public struct Identification: Sendable {
    public let settings: IdentificationSettings
    public let series: TimeSeries
    /// L_train and the held-out tail's length.
    public let trainingLength: Int, holdoutLength: Int
    /// The identified discrete system (DMD: free response = reconstruction; HAVOK: driven by the forcing).
    public let system: LTISystem
    public let oscillators: IdentifiedOscillators
    public let rank: Int
    public let singularValues: [Double]
    public let reconstruction: SegmentFit
    /// nil when nothing is held out.
    public let forecast: SegmentFit?
    /// NRMSE of the persistence forecast over the tail.
    public let persistenceError: Double?
    /// The Hankel DMD (method dmd) or the HAVOK model (method havok).
    public let dmd: HankelDMD?
    public let havok: HAVOK?
    /// HAVOK only: the forcing against sign changes of channel 0.
    public let switching: SwitchingAgreement?
    public let warnings: [String]

    public init(_ series: TimeSeries, settings: IdentificationSettings) throws {
        guard settings.step > 0, settings.step.isFinite else {
            throw IdentificationError.invalid("step Δ = \(settings.step) must be positive and finite")
        }
        guard settings.holdout >= 0, settings.holdout <= 0.9 else {
            throw IdentificationError.invalid("holdout \(settings.holdout) must lie in [0, 0.9] (the fraction of the series kept for the forecast)")
        }
        let length = series.length, d = series.channels, q = settings.delays
        let holdout = Int((settings.holdout * Double(length)).rounded())
        let training = length - holdout
        guard training - q + 1 >= 3 else {
            throw IdentificationError.tooShort("\(length) samples, \(holdout) held out, leave \(training) for training: "
                + "\(q) delays need at least \(q + 2) (use fewer delays or a smaller --holdout)")
        }
        let trainingSeries = try series.prefix(training)
        var warnings: [String] = []
        let reconstructed: [Double], tail: [Double]?
        switch settings.method {
        case .dmd:
            let model = try HankelDMD(trainingSeries, delays: q, rank: settings.rank, step: settings.step)
            system = try model.system()
            rank = model.dmd.rank
            singularValues = model.dmd.singularValues
            warnings += model.dmd.warnings
            reconstructed = try model.reconstruction()
            tail = holdout > 0 ? try model.forecast(count: holdout) : nil
            dmd = model
            havok = nil
            switching = nil
        case .havok:
            let model = try HAVOK(trainingSeries, delays: q, rank: settings.rank, step: settings.step)
            system = try model.system()
            rank = model.rank
            singularValues = model.singularValues
            warnings += model.warnings
            reconstructed = try model.reconstruction()
            if holdout > 0 {
                // forcing of the windows ending at L_train − 1 … L − 1, measured from the data
                let whole = try DelayEmbedding(series, delays: q, minimumWindows: 1)
                let last = model.embedding.windows - 1
                let forcing = try (last..<whole.windows).map { try model.coordinates(of: whole.window($0))[model.rank - 1] }
                tail = Array(try model.driven(from: Array(model.coordinates[last].prefix(model.rank - 1)), forcing: forcing)
                    .dropFirst(d))
            } else { tail = nil }
            switching = try SwitchingAgreement(forcing: model.forcing, observable: Array(trainingSeries.channel(0)[(q - 1)...]),
                                               thresholdSigmas: settings.threshold, before: settings.window.before,
                                               after: settings.window.after)
            dmd = nil
            havok = model
        }
        oscillators = try IdentifiedOscillators(system)
        warnings += oscillators.warnings
        let seen = Array(trainingSeries.values[((q - 1) * d)...])
        reconstruction = SegmentFit(start: q - 1, model: reconstructed, truth: seen,
                                    error: Self.normalisedError(reconstructed, seen, channels: d))
        if let tail {
            let truth = Array(series.values[(training * d)...])
            forecast = SegmentFit(start: training, model: tail, truth: truth, error: Self.normalisedError(tail, truth, channels: d))
            let last = Array(series.values[((training - 1) * d)..<(training * d)])
            let persistence = (0..<holdout).flatMap { _ in last }
            persistenceError = Self.normalisedError(persistence, truth, channels: d)
        } else {
            forecast = nil
            persistenceError = nil
        }
        self.settings = settings
        self.series = series
        trainingLength = training
        holdoutLength = holdout
        self.warnings = warnings
    }

    /// NRMSE = √(Σ (x̂ − x)² / Σ (x − x̄_c)²) over time-major values of `channels` channels (0 when both are equal).
    public static func normalisedError(_ model: [Double], _ truth: [Double], channels d: Int) -> Double {
        let n = truth.count / d
        var means = [Double](repeating: 0, count: d)
        for t in 0..<n { for c in 0..<d { means[c] += truth[t * d + c] / Double(n) } }
        var error = 0.0, spread = 0.0
        for t in 0..<n {
            for c in 0..<d {
                let x = truth[t * d + c]
                error += (model[t * d + c] - x) * (model[t * d + c] - x)
                spread += (x - means[c]) * (x - means[c])
            }
        }
        if error == 0 { return 0 }
        return spread > 0 ? (error / spread).squareRoot() : .infinity
    }

    /// The figures (file name, SVG): spectrum, reconstruction and forecast of channel 0 (at most `points` samples
    /// each), and for HAVOK the forcing.
    public func figures(points: Int = 2000) throws -> [(name: String, svg: String)] {
        let d = series.channels, dt = settings.step
        func part(_ title: String, _ fit: SegmentFit) -> (title: String, times: [Double], truth: [Double], model: [Double]) {
            let count = min(fit.truth.count / d, points)
            return (title, (0..<count).map { Double(fit.start + $0) * dt },
                    (0..<count).map { fit.truth[$0 * d] }, (0..<count).map { fit.model[$0 * d] })
        }
        var parts = [part(String(format: "reconstruction (NRMSE %.3g)", reconstruction.error), reconstruction)]
        if let forecast {
            let label = settings.method == .dmd ? "forecast" : "tail, driven by measured forcing"
            parts.append(part(String(format: "%@ (NRMSE %.3g)", label, forecast.error), forecast))
        }
        var out = [(name: "spectrum.svg", svg: try IdentificationPlots.spectrum(oscillators, title: series.name)),
                   (name: "series.svg", svg: try IdentificationPlots.series(parts, modelName: settings.method == .dmd ? "DMD" : "HAVOK"))]
        if let havok, let switching {
            let f = havok.forcing
            let count = min(f.count, points)
            out.append((name: "forcing.svg",
                        svg: try IdentificationPlots.forcing(times: (0..<count).map { Double(settings.delays - 1 + $0) * dt },
                                                         observable: Array(reconstruction.truth.enumerated().filter { $0.offset % d == 0 }.map(\.element).prefix(count)),
                                                         forcing: Array(f.prefix(count)), threshold: switching.threshold)))
        }
        return out
    }
}
