// "Capacity" as the von Neumann entropy of the normalised state covariance (ExpressivityAnalysis.capacity_analysis,
// made precise). With P the stationary state covariance under unit white-noise input (`MemoryCapacity.covariance`),
//     ρ = P / tr P   (PSD, unit trace),   S = −tr(ρ log ρ) = −Σ_i p_i ln p_i  (p_i the eigenvalues of ρ, 0·ln 0 = 0),
// 0 ≤ S ≤ ln N, and e^S ∈ [1, N] is the effective number of independent state directions ("oscillators").
// For a layer of H independent channels, P is block-diagonal, so its spectrum is the union of the channels' spectra
// weighted by tr P_h / Σ_h tr P_h.
import PhasorCorrespondence
import PhasorNumerics

public struct StateEntropy: Codable, Sendable, Equatable {
    /// S in nats.
    public let entropy: Double
    /// e^S.
    public let effectiveOscillators: Double
    /// N, so that S ≤ ln N.
    public let stateDimension: Int
    /// Eigenvalues p_i of ρ, descending.
    public let spectrum: [Double]

    /// From the eigenvalues of a PSD covariance (any scale); rounding-level negatives (≥ −1e-12·max) are set to 0.
    public init(covarianceEigenvalues values: [Double]) throws {
        try requireFinite(values, "state covariance eigenvalues")
        let top = values.max() ?? 0
        guard top > 0 else {
            throw AnalysisError.degenerate("the state covariance is zero (no input reaches the state): its entropy is undefined")
        }
        if let bad = values.first(where: { $0 < -1e-12 * top }) {
            throw AnalysisError.invalid("a covariance must be positive semi-definite, found eigenvalue \(bad)")
        }
        let clipped = values.map { max($0, 0) }
        let trace = clipped.reduce(0, +)
        let p = clipped.map { $0 / trace }.sorted(by: >)                    // p_i = σ_i / tr P
        entropy = max(0, -p.reduce(0) { $1 > 0 ? $0 + $1 * Double.log($1) : $0 })  // S = −Σ p ln p
        effectiveOscillators = Double.exp(entropy)
        stateDimension = values.count
        spectrum = p
    }

    /// One channel: ρ = P/tr P of its real state.
    public init(_ ssm: DiagonalSSM) throws {
        let p = try MemoryCapacity.covariance(RealDiagonalForm(ssm))
        try self.init(covarianceEigenvalues: try p.singularValues())  // PSD: singular values = eigenvalues
    }

    /// One state shared by all channels (S5, LRU), driven by independent unit white noise on every input: the paths
    /// `ArchitectureReading.channelPath(h)` have the same modes, so P = Σ_h P_h.
    public init(sharedState paths: [DiagonalSSM]) throws {
        guard var total = try paths.first.map({ try MemoryCapacity.covariance(RealDiagonalForm($0)) }) else {
            throw AnalysisError.degenerate("no channel reaches the state: its entropy is undefined")
        }
        for ssm in paths.dropFirst() { total = try total + MemoryCapacity.covariance(RealDiagonalForm(ssm)) }
        try self.init(covarianceEigenvalues: try total.singularValues())
    }

    /// A layer of independent channels: the union of the channels' covariance spectra.
    public init(channels: [DiagonalSSM]) throws {
        var all: [Double] = []
        for ssm in channels { all += try MemoryCapacity.covariance(RealDiagonalForm(ssm)).singularValues() }
        try self.init(covarianceEigenvalues: all)
    }
}
