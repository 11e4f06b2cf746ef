// Exact roots of unity: W_n^t = e^{−2πi t/n} with the exponent reduced exactly (t mod n in integers) before any
// floating-point work, so twiddles of huge products j·k are as accurate as those of small ones. Computed in Double
// and rounded once to the plan's scalar type.

enum UnitRoots {
    /// (cos, sin) of 2π·t/n with t reduced mod n first; the twiddle W_n^t = cos − i·sin.
    static func cosSin(_ t: Int, _ n: Int) -> (Double, Double) {
        var r = t % n
        if r < 0 { r += n }
        // Use the symmetry about π so the angle is at most π: sin/cos are most accurate near 0.
        if 2 * r > n {
            let a = 2.0 * Double.pi * Double(n - r) / Double(n)
            return (Double.cos(a), -Double.sin(a))
        }
        let a = 2.0 * Double.pi * Double(r) / Double(n)
        return (Double.cos(a), Double.sin(a))
    }
}
