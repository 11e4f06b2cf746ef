// The Kuramoto order parameter r e^{iψ} = (1/n) Σ_j e^{iθ_j}: r = 1 for perfect synchrony, r ≈ 0 for incoherence.

import PhasorNumerics

/// r e^{iψ} = (1/n) Σ_j e^{iθ_j}, returned as (r, ψ). An empty phase list gives (0, 0).
public func orderParameter(_ theta: [Double]) -> (r: Double, psi: Double) {
    guard !theta.isEmpty else { return (0, 0) }
    var c = 0.0, s = 0.0
    for t in theta { c += Double.cos(t); s += Double.sin(t) }  // Σ e^{iθ_j}
    let n = Double(theta.count)
    return ((c * c + s * s).squareRoot() / n, Double.atan2(y: s, x: c))
}

/// The phase difference wrapped into (−π, π].
public func wrappedPhaseDifference(_ a: Double, _ b: Double) -> Double {
    var d = (a - b).truncatingRemainder(dividingBy: 2 * Double.pi)
    if d > Double.pi { d -= 2 * Double.pi }
    if d <= -Double.pi { d += 2 * Double.pi }
    return d
}
