// The choices that define an S4D layer beyond its sizes: how its poles are initialised (here), how the continuous
// system is discretised (Discretization.swift) and the arithmetic of the hot paths (DESIGN.md §3).

/// Initialisation of the diagonal state matrix (Gu et al., "On the Parameterization and Initialization of Diagonal
/// State Space Models", 2022). n = 0…N/2−1, N = d_state.
public enum S4DInit: String, Sendable, CaseIterable, Codable {
    /// S4D-Lin: λ_n = −½ + iπn.
    case lin
    /// S4D-Inv: λ_n = −½ + i(N/π)(N/(2n+1) − 1).
    case inv
    /// S4D-Real: λ_n = −(n+1).
    case real
}

/// Arithmetic precision of a hot path: Double for every identity and evaluation, Float allowed for training speed.
public enum ComputePrecision: String, Sendable, CaseIterable, Codable {
    case f64
    case f32
}
