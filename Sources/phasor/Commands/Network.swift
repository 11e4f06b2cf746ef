import ArgumentParser
import Foundation
import PhasorData
import PhasorFigures
import PhasorNumerics
import PhasorOscillators

// `phasor network`: the linear oscillator network dz/dt = J z solved exactly, perturbatively (Dyson series in the
// off-diagonal coupling) or numerically (DOP853).

struct Network: ParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        abstract: "A linear oscillator network dz/dt = J z: exact, perturbative (Dyson series) or numeric (DOP853).",
        discussion: """
        J.npy is n×n (real or complex128), Z.npy has n entries. Prints {"times", "z": [[[re, im], …], …]} with \
        --json, plus "route", "eigenvector_condition" (exact) or "converging", "term_norms" (perturbative).
        """
    )

    enum Method: String, ExpressibleByArgument, CaseIterable { case exact, perturbative, numeric }

    @Option(help: "The Jacobian J (.npy, n×n, real or complex).") var jacobian: String
    @Option(help: "The initial state z0 (.npy, n entries, real or complex).") var z0: String
    @Option(parsing: .unconditional, help: "Output times t1,t2,… (≥ 0, non-decreasing).") var times: String
    @Option(help: "exact | perturbative | numeric") var method: Method = .exact
    @Option(help: "Truncation order of the perturbative (Dyson) series.") var order: Int = 4
    @Option(help: "Relative tolerance of the numeric method.") var rtol: Double = 1e-12
    @Option(help: "Absolute tolerance of the numeric method.") var atol: Double = 1e-14
    @Flag(help: "Print the result as JSON.") var json = false
    @Option(help: "Write an SVG figure (|z_i| vs time).") var plot: String?

    var outputs: [OutputFile] { [.file("--plot", plot)] }

    func run() throws {
        try CLIReport.guarded("network") {
            let j = try CLIParse.npyComplex(jacobian, name: "--jacobian")
            guard j.shape.count == 2, j.shape[0] == j.shape[1], j.shape[0] > 0 else {
                throw CLIInputError(description: "--jacobian \(jacobian) has shape \(j.shape); J must be square n×n")
            }
            let n = j.shape[0]
            let start = try CLIParse.npyComplex(z0, name: "--z0")
            guard start.values.count == n, start.shape.count <= 2 else {
                throw CLIInputError(description: "--z0 \(z0) has shape \(start.shape); it must have n = \(n) entries to match J")
            }
            let t = try CLIParse.doubles(times, name: "--times")
            let network = try OscillatorNetwork(jacobian: ComplexMatrix(rows: n, columns: n, rowMajor: j.values))
            let solution: NetworkSolution
            switch method {
            case .exact:
                solution = try network.exactSolution(from: start.values, times: t)
            case .perturbative:
                solution = try network.dysonSeries(from: start.values, times: t, order: order).solution
                if let d = solution.dyson {
                    if !d.converging {
                        FileHandle.standardError.write(Data("phasor network: warning: the Dyson series is not converging at order \(order) (last term \(d.relativeLastTerm) × the zeroth); use --method exact\n".utf8))
                    }
                }
            case .numeric:
                guard rtol.isFinite, atol.isFinite, rtol >= 0, atol >= 0, rtol + atol > 0 else {
                    throw CLIInputError(description: "--rtol \(rtol) and --atol \(atol) must be finite, ≥ 0 and not both 0")
                }
                solution = try network.numericSolution(from: start.values, times: t,
                                                       tolerance: NumericTolerance(relative: rtol, absolute: atol))
            }
            if json {
                try JSONOutput.print(solution)
            } else {
                for (time, state) in zip(solution.times, solution.states) {
                    print("t = \(time)\t|z| = " + state.map { "\($0.length)" }.joined(separator: " "))
                }
            }
            if let plot {
                try AtomicFile.write(Charts.file(try solution.figure(title: "network (\(method.rawValue)): |z_i| vs time")), to: plot)
            }
        }
    }
}
