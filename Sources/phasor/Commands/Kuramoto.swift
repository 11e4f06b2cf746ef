import ArgumentParser
import Foundation
import PhasorData
import PhasorFigures
import PhasorNumerics
import PhasorOscillators

// `phasor kuramoto`: dθ_i/dt = ω_i + ε Σ_j A_ij sin(θ_j − θ_i − φ) by DOP853, or its complex-valued form
// dx/dt = (iΩ + εe^{−iφ}A)x solved exactly (θ = Arg x), or the iterative form renormalised every --step.

struct Kuramoto: ParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        abstract: "A Kuramoto network: numeric phases, the exact complex-valued form, or its iterative form.",
        discussion: """
        W.npy and T.npy have n entries, A.npy is n×n (real). Prints {"times", "theta": [[…], …], "order": […]} \
        with --json (order = r, the modulus of the order parameter mean e^{iθ}).
        """
    )

    @Option(parsing: .unconditional, help: "Natural frequencies ω (.npy, n entries).") var omega: String
    @Option(help: "Adjacency A (.npy, n×n, real).") var adjacency: String
    @Option(parsing: .unconditional, help: "Coupling strength ε.") var coupling: Double
    @Option(parsing: .unconditional, help: "Phase lag φ.") var phaseLag: Double = 0
    @Option(help: "Initial phases θ0 (.npy, n entries).") var theta0: String
    @Option(parsing: .unconditional, help: "Output times t1,t2,… (≥ 0, non-decreasing).") var times: String
    @Option(help: "kuramoto | complex | iterative") var method: KuramotoMethod = .kuramoto
    @Option(parsing: .unconditional, help: "Renormalisation step δt of the iterative method.") var step: Double?
    @Flag(help: "Print the result as JSON.") var json = false
    @Option(help: "Write an SVG figure (final phases on the ring; order parameter vs time).") var plot: String?

    var outputs: [OutputFile] { [.file("--plot", plot)] }

    func run() throws {
        try CLIReport.guarded("kuramoto") {
            let w = try CLIParse.npyReal(omega, name: "--omega")
            let n = w.values.count
            guard w.shape.count <= 1 || (w.shape.count == 2 && w.shape.contains(1)) else {
                throw CLIInputError(description: "--omega \(omega) has shape \(w.shape); it must be a vector of n frequencies")
            }
            let a = try CLIParse.npyReal(adjacency, name: "--adjacency")
            guard a.shape == [n, n] else {
                throw CLIInputError(description: "--adjacency \(adjacency) has shape \(a.shape); it must be n×n = [\(n), \(n)] to match --omega")
            }
            let th = try CLIParse.npyReal(theta0, name: "--theta0")
            guard th.values.count == n else {
                throw CLIInputError(description: "--theta0 \(theta0) has \(th.values.count) entries; it must have n = \(n) to match --omega")
            }
            let t = try CLIParse.doubles(times, name: "--times")
            let network = try KuramotoNetwork(omega: w.values, adjacency: a.values, coupling: coupling, phaseLag: phaseLag)
            let solution = try network.solve(method, theta0: th.values, times: t, step: step)
            if json {
                try JSONOutput.print(solution)
            } else {
                for (time, r) in zip(solution.times, solution.order) { print("t = \(time)\tr = \(r)") }
            }
            if let plot { try AtomicFile.write(Charts.file(try solution.figure()), to: plot) }
        }
    }
}

extension KuramotoMethod: ExpressibleByArgument {}
