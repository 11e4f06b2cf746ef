// The system description's "Rademacher complexity from oscillator properties" (ExpressivityAnalysis):
//     R_heur = √( n_osc · (1 + ‖A − diag A‖_F) / n ),
// n_osc the state dimension, ‖A − diag A‖_F the Frobenius norm of the couplings, n the number of samples.
// It is a HEURISTIC: it is not derived from any bound and is reported only under that label.
import PhasorCorrespondence
import PhasorNumerics

/// The seed's Rademacher heuristic. Not a bound; `label` says so wherever it is printed.
public struct RademacherHeuristic: Codable, Sendable, Equatable {
    public let label: String
    public let oscillators: Int
    public let offDiagonalNorm: Double
    public let samples: Int
    public let value: Double

    public static let heuristicLabel = "HEURISTIC (system description; not a bound): sqrt(n_osc (1 + ||offdiag A||_F) / n)"

    public init(oscillators: Int, offDiagonalNorm: Double, samples: Int) throws {
        guard oscillators > 0, samples > 0, offDiagonalNorm >= 0, offDiagonalNorm.isFinite else {
            throw AnalysisError.invalid("Rademacher heuristic needs n_osc > 0, n > 0 and a finite coupling norm "
                + "(got \(oscillators), \(samples), \(offDiagonalNorm))")
        }
        label = Self.heuristicLabel
        self.oscillators = oscillators
        self.offDiagonalNorm = offDiagonalNorm
        self.samples = samples
        value = (Double(oscillators) * (1 + offDiagonalNorm) / Double(samples)).squareRoot()  // √(n_osc(1+‖off‖)/n)
    }

    /// For a general system: n_osc = state dimension, ‖A − diag A‖_F from its A.
    public init(system: LTISystem, samples: Int) throws {
        var off = 0.0
        for i in 0..<system.a.rows { for j in 0..<system.a.columns where i != j { off += system.a[i, j].lengthSquared } }
        try self.init(oscillators: system.stateCount, offDiagonalNorm: off.squareRoot(), samples: samples)
    }
}
