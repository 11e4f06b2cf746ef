// THE change of representation "a LinOSS layer → diagonal systems" (as S4DSystems.swift is S4D's). Oscillator p of a
// LinOSS layer is the real 2×2 recurrence s_k = M_p s_{k−1} + F_p v_k, v_k = (B u_k)_p, read out through y = s[1]
// (LinOSSLayer.swift). When M_p = V_p diag(μ₊, μ₋) V_p⁻¹ has two distinct eigenvalues it is two complex modes of the
// diagonal system x_k = diag(μ) x_{k−1} + B̄ u_k, y_k = Re(C̃ x_k) (`LinOSSLayer.diagonalised()`, the formulas):
//     μ± = eigenvalues of M_p,  B̄_±· = (V_p⁻¹F_p)_± B_p·,  C̃_·± = C_·p (μ± − m00)
// An oscillator whose eigenvectors (nearly) coincide has no usable eigen-reading: relu(A_diag) = 0 exactly makes M_p
// the Jordan block [1 0; Δ 1] (μ = 1 twice: a double integrator, impulse response (M^l F)_y = Δ²(l + 1)); a tiny Δ√A
// or IMEX at Δ²A = 4 come close to it. Those oscillators — κ₂(V_p) > 1e4, so that the modal form would lose more than
// ~1e-12 to rounding — are kept as a LinOSS layer of their own (the `integrators`, with D = 0) run by their 2×2
// recurrence, exactly. The layer is then
//     out_k = Re(C̃ x_k) + D ⊙ u_k  +  integrators(u)_k          (D in the modal system; without modes, added alone)
// and every reader (map, ring, analyze, the operator's interaction bases) goes through this one conversion.
import PhasorModels
import PhasorNumerics

/// A LinOSS layer as a diagonal system of the oscillators that have an eigen-reading, plus the rest run as they are.
public struct LinOSSSystems: Sendable {
    /// The diagonalisable oscillators' two modes each (mode 2j ↔ μ₊, 2j + 1 ↔ μ₋ of oscillator `modalOscillators[j]`),
    /// with the layer's D; nil when no oscillator has an eigen-reading.
    public let modes: DiagonalMIMOSystem?
    /// Which oscillator each pair of modes comes from.
    public let modalOscillators: [Int]
    /// The step Δ of each mode (its oscillator's).
    public let modeSteps: [Double]
    /// The oscillators without an eigen-reading, as a LinOSS layer with D = 0 (nil when there are none).
    public let integrators: LinOSSLayer?
    /// Their indices in the layer.
    public let integratorOscillators: [Int]
    /// D (H).
    public let direct: [Double]
    /// κ₂(V_p) of every oscillator's eigenvector matrix (+∞ when its eigenvalues coincide).
    public let conditionNumbers: [Double]
    public let scheme: LinOSSScheme

    /// The largest κ₂(V_p) read by its modes.
    public static let conditionLimit = 1e4

    public var channels: Int { direct.count }

    public init(_ layer: LinOSSLayer) throws {
        let blocks = try layer.blocks(requireStable: false), h = layer.channels, p = layer.oscillators
        let kappa = blocks.map(Self.eigenvectorCondition)
        let modal = (0..<p).filter { kappa[$0] <= Self.conditionLimit }
        let rest = (0..<p).filter { kappa[$0] > Self.conditionLimit }
        conditionNumbers = kappa
        func part(_ oscillators: [Int], d: [Double]) throws -> LinOSSLayer? {
            guard !oscillators.isEmpty else { return nil }
            return try LinOSSLayer(aDiag: oscillators.map { layer.aDiag[$0] },
                                   b: oscillators.flatMap { q in (0..<h).map { layer.b[q * h + $0] } },
                                   c: (0..<h).flatMap { i in oscillators.map { layer.c[i * p + $0] } },
                                   d: d, steps: oscillators.map { layer.steps[$0] }, scheme: layer.scheme)
        }
        modes = try part(modal, d: layer.d)?.diagonalised()
        modalOscillators = modal
        modeSteps = modal.flatMap { [blocks[$0].step, blocks[$0].step] }
        integrators = try part(rest, d: [Double](repeating: 0, count: h))
        integratorOscillators = rest
        direct = layer.d
        scheme = layer.scheme
    }

    /// κ₂ of V = [[m01, m01], [μ₊ − m00, μ₋ − m00]] (the eigenvectors of the diagonalisation): with
    /// s = ‖V‖²_F and d = |det V|, σ²_max,min = (s ± √(s² − 4d²))/2.
    static func eigenvectorCondition(_ b: LinOSSBlock) -> Double {
        let (plus, minus) = b.eigenvalues, m00 = Complex(b.m00), m01 = Complex(b.m01)
        let det = (m01 * (minus - plus)).length
        guard det > 0 else { return .infinity }
        let s = 2 * m01.lengthSquared + (plus - m00).lengthSquared + (minus - m00).lengthSquared
        let root = max(s * s - 4 * det * det, 0).squareRoot()
        let small = 2 * det * det / (s + root)                               // σ²_min = d²/σ²_max, without cancellation
        return ((s + root) / 2 / small).squareRoot()
    }

    /// The layer's output (H, L) on u (H, L) from zero states: the modes' recurrence (with D ⊙ u) + the integrators'.
    public func output(_ u: [Double], length: Int) throws -> [Double] {
        var y: [Double]
        if let modes { y = try modes.recur(u, length: length) } else {
            y = [Double](repeating: 0, count: u.count)
            for i in 0..<channels { for k in 0..<length { y[i * length + k] = direct[i] * u[i * length + k] } }  // D ⊙ u
        }
        try addIntegrators(&y, u, length: length)
        try requireFinite(y, "LinOSS output from its diagonal systems")
        return y
    }

    /// y += the integrators' output on u (H, L).
    public func addIntegrators(_ y: inout [Double], _ u: [Double], length: Int) throws {
        guard let integrators else { return }
        let extra = try integrators.forward(u, length: length)
        for e in 0..<y.count { y[e] += extra[e] }
    }
}

extension LinOSSLayer {
    /// The layer as diagonal systems (see LinOSSSystems).
    public func diagonalSystems() throws -> LinOSSSystems { try LinOSSSystems(self) }
}
