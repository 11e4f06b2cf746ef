// The Kuramoto network dθ_i/dt = ω_i + ε Σ_j A_ij sin(θ_j − θ_i − φ) (DESIGN.md §5) and ring adjacencies. The three
// solvers (Kuramoto by DOP853, the exact complex-valued form, the renormalised iterative form) are in
// KuramotoSolvers.swift; the order parameter is in OrderParameter.swift.

import PhasorNumerics

/// A Kuramoto network: natural frequencies ω, real adjacency A (n×n), coupling ε and phase lag φ.
public struct KuramotoNetwork: Sendable {
    /// Natural frequencies ω_i.
    public let omega: [Double]
    /// Adjacency A, row-major n×n: `adjacency[i * n + j]` = A_ij.
    public let adjacency: [Double]
    /// Coupling strength ε.
    public let coupling: Double
    /// Phase lag φ.
    public let phaseLag: Double

    /// Throws `.shapeMismatch` unless A has n² entries for n = ω.count ≥ 1, `.nonFiniteParameter` for NaN/Inf.
    public init(omega: [Double], adjacency: [Double], coupling: Double, phaseLag: Double = 0) throws(OscillatorError) {
        let n = omega.count
        guard n > 0, adjacency.count == n * n else {
            throw .shapeMismatch("the adjacency has \(adjacency.count) entries for \(n) oscillators; it must be n×n = \(n * n)")
        }
        try Validate.finite(omega, "omega")
        try Validate.finite(adjacency, "adjacency")
        try Validate.finite(coupling, "coupling")
        try Validate.finite(phaseLag, "phase lag")
        self.omega = omega
        self.adjacency = adjacency
        self.coupling = coupling
        self.phaseLag = phaseLag
    }

    /// The number of oscillators n.
    public var count: Int { omega.count }

    /// The ring adjacency on n nodes where each node is joined to its k nearest neighbours on each side:
    /// A_ij = 1 when the circular distance min(|i − j|, n − |i − j|) is in 1…k, else 0.
    public static func ringAdjacency(nodes n: Int, neighbours k: Int) -> [Double] {
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let d = abs(i - j), circular = min(d, n - d)
                if circular >= 1 && circular <= k { a[i * n + j] = 1 }
            }
        }
        return a
    }

    /// The twisted state θ_j = 2πqj/n with winding number q.
    public static func twistedState(nodes n: Int, winding q: Int) -> [Double] {
        (0..<n).map { 2 * Double.pi * Double(q) * Double($0) / Double(n) }
    }

    /// The Kuramoto vector field dθ_i/dt = ω_i + ε Σ_j A_ij sin(θ_j − θ_i − φ).
    public func field(_ theta: [Double]) -> [Double] {
        let n = count
        var d = omega
        for i in 0..<n {
            var sum = 0.0
            for j in 0..<n where adjacency[i * n + j] != 0 {
                sum += adjacency[i * n + j] * Double.sin(theta[j] - theta[i] - phaseLag)  // A_ij sin(θ_j − θ_i − φ)
            }
            d[i] += coupling * sum
        }
        return d
    }

    /// The generator of the complex-valued form, K = iΩ + ε e^{−iφ} A (n×n).
    public var complexGenerator: ComplexMatrix {
        let n = count
        var k = ComplexMatrix(rows: n, columns: n)
        let lag = Complex(Double.cos(phaseLag), -Double.sin(phaseLag)).multiplied(by: coupling)  // ε e^{−iφ}
        for i in 0..<n {
            for j in 0..<n where adjacency[i * n + j] != 0 { k[i, j] = lag.multiplied(by: adjacency[i * n + j]) }
            k[i, i] = k[i, i] + Complex(0, omega[i])  // + iΩ
        }
        return k
    }
}
