// A selective (Mamba-style, S6) SSM: the selective scan at the heart of a Mamba block (Gu & Dao, "Mamba: Linear-Time
// Sequence Modeling with Selective State Spaces", 2023; reference state-spaces/mamba `mamba_simple.py` and
// `selective_scan_ref`). Per token t, with u_t ∈ ℝ^H (H = d_inner channels), N states per channel, rank R:
//     ξ_t = W_x u_t ∈ ℝ^{R+2N}                         (x_proj, no bias)
//     Δ_t = softplus(W_dt ξ_t[0..<R] + b_dt) ∈ ℝ^H      (dt_proj; i.e. Δ_t = softplus(W_Δ u_t + b_Δ), W_Δ = W_dt W_x[0..<R])
//     B_t = ξ_t[R..<R+N],  C_t = ξ_t[R+N..<R+2N]        (shared by all channels)
//     A = −exp(A_log) ∈ ℝ^{H×N}                        (real, negative)
//     x_t[h,n] = exp(Δ_t[h] A[h,n]) x_{t−1}[h,n] + Δ_t[h] B_t[n] u_t[h]
//     y_t[h]   = Σ_n C_t[n] x_t[h,n] + D[h] u_t[h]
// Ā_t = exp(Δ_t A) is the exact ZOH transition; B̄_t = Δ_t B_t is Mamba's simplified (Euler) input matrix, not the ZOH
// (exp(ΔA) − 1)/A·B — the two agree to O(Δ²). The system is time-varying, so there is no convolution kernel.
// Not included: the block's in_proj, causal conv1d, SiLU gate and out_proj.
// Complex option (Phasor's S4D-like variant, NOT Mamba's complex parametrisation, which also makes B_t, C_t complex):
// with A_imag given, A = −exp(A_log) + i·A_imag, the state is complex, B_t and C_t stay real, and
//     y_t[h] = Re Σ_n C_t[n] x_t[h,n] + D[h] u_t[h];   per token the state (h, n) turns by Δ_t[h]·A_imag[h,n] radians.
// Safetensors keys (Mamba's names): A_log (H, N), D (H), x_proj.weight (R+2N, H), dt_proj.weight (H, R), dt_proj.bias (H);
// plus A_imag (H, N) for the complex option (read when present).
import PhasorData
import PhasorNumerics

/// The input-dependent quantities of a sequence: Δ_t (L, H), B_t (L, N), C_t (L, N), row-major by token.
public struct SelectiveTokens: Sendable, Equatable {
    public let length: Int
    public let delta: [Double]
    public let b: [Double]
    public let c: [Double]
}

/// Mamba's selective scan with real diagonal A.
public struct SelectiveLayer: Sendable, Equatable {
    /// log(−A), H × N.
    public var aLog: [Double]
    public var d: [Double]
    /// W_x, (R + 2N) × H.
    public var xProjWeight: [Double]
    /// W_dt, H × R.
    public var dtProjWeight: [Double]
    /// b_dt, H.
    public var dtProjBias: [Double]
    /// Im A, H × N, for the complex option (nil: real A, as Mamba).
    public var aImag: [Double]?
    public let states: Int
    public let dtRank: Int

    public var channels: Int { d.count }

    public init(aLog: [Double], d: [Double], xProjWeight: [Double], dtProjWeight: [Double], dtProjBias: [Double],
                states n: Int, dtRank r: Int, aImag: [Double]? = nil) throws {
        let h = d.count
        try ArchitectureCheck.positive([("H (channels)", h), ("N (states)", n), ("R (dt_rank)", r)])
        try ArchitectureCheck.count(aLog, h * n, "A_log")
        try ArchitectureCheck.count(d, h, "D")
        try ArchitectureCheck.count(xProjWeight, (r + 2 * n) * h, "x_proj.weight")
        try ArchitectureCheck.count(dtProjWeight, h * r, "dt_proj.weight")
        try ArchitectureCheck.count(dtProjBias, h, "dt_proj.bias")
        if let aImag { try ArchitectureCheck.count(aImag, h * n, "A_imag") }
        self.aImag = aImag
        self.aLog = aLog; self.d = d; self.xProjWeight = xProjWeight; self.dtProjWeight = dtProjWeight
        self.dtProjBias = dtProjBias; self.states = n; self.dtRank = r
    }

    /// Mamba's initialisation: A_log[h,n] = log(n+1) (S4D-Real), D = 1, Δ = softplus(b_dt) log-uniform in
    /// [dtMin, dtMax] (b_dt = Δ + log(−expm1(−Δ)), the inverse softplus), W_dt ~ U(±R^{−1/2}), W_x ~ U(±H^{−1/2}).
    public init(channels h: Int, states n: Int, dtRank r: Int, dtMin: Double = 1e-3, dtMax: Double = 1e-1,
                generator: inout SeededGenerator) throws {
        guard 0 < dtMin, dtMin <= dtMax, dtMax.isFinite else {
            throw ArchitectureError.invalid("need 0 < dtMin ≤ dtMax < ∞, got \(dtMin), \(dtMax)")
        }
        try ArchitectureCheck.positive([("H (channels)", h), ("N (states)", n), ("R (dt_rank)", r)])
        let aLog = (0..<(h * n)).map { Double.log(Double($0 % n + 1)) }
        let bias = (0..<h).map { _ -> Double in
            let dt = Double.exp(Double.log(dtMin) + generator.uniform() * (Double.log(dtMax) - Double.log(dtMin)))
            return dt + Double.log(-Double.expMinusOne(-dt))  // softplus⁻¹(Δ)
        }
        let sr = 1 / Double(r).squareRoot(), sh = 1 / Double(h).squareRoot()
        try self.init(aLog: aLog, d: [Double](repeating: 1, count: h),
                      xProjWeight: (0..<((r + 2 * n) * h)).map { _ in (2 * generator.uniform() - 1) * sh },
                      dtProjWeight: (0..<(h * r)).map { _ in (2 * generator.uniform() - 1) * sr },
                      dtProjBias: bias, states: n, dtRank: r)
    }

    /// A = −exp(A_log), H × N.
    public var a: [Double] { aLog.map { -Double.exp($0) } }

    /// Δ_t, B_t, C_t for the input u (H, L) (`SelectiveWeights.project`, the routine the Mamba model runs too).
    /// Throws `nonPositiveStep` if a Δ underflows to 0.
    public func tokens(_ u: [Double], length: Int) throws -> SelectiveTokens {
        let h = channels, n = states
        try ArchitectureCheck.input(u, channels: h, length: length)
        let weights = SelectiveWeights<Double>(self), np = weights.paddedStates
        var delta = [Double](repeating: 0, count: h * length)
        var bp = [Double](repeating: 0, count: length * np), cp = bp
        try u.withUnsafeBufferPointer { ub in try delta.withUnsafeMutableBufferPointer { db in
            try bp.withUnsafeMutableBufferPointer { bb in try cp.withUnsafeMutableBufferPointer { cb in
                try weights.project(ub.baseAddress!, columns: length, delta: db.baseAddress!, b: bb.baseAddress!,
                                    c: cb.baseAddress!)
            } }
        } }
        var steps = [Double](repeating: 0, count: length * h)
        for q in 0..<h { for t in 0..<length { steps[t * h + q] = delta[q * length + t] } }  // (H, L) → (L, H)
        let bt = (0..<(length * n)).map { bp[($0 / n) * np + $0 % n] }, ct = (0..<(length * n)).map { cp[($0 / n) * np + $0 % n] }
        return SelectiveTokens(length: length, delta: steps, b: bt, c: ct)
    }

    /// y (H, L) from u (H, L) by the selective recurrence from x₀ = 0 (`SelectiveWeights.scan`).
    public func forward(_ u: [Double], length: Int) throws -> [Double] {
        if let aImag { return try forwardComplex(u, length: length, aImag: aImag) }
        let h = channels
        try ArchitectureCheck.input(u, channels: h, length: length)
        let weights = SelectiveWeights<Double>(self), np = weights.paddedStates
        var delta = [Double](repeating: 0, count: h * length), y = delta
        var bp = [Double](repeating: 0, count: length * np), cp = bp, state = [Double](repeating: 0, count: h * np)
        try u.withUnsafeBufferPointer { ub in try delta.withUnsafeMutableBufferPointer { db in
            try bp.withUnsafeMutableBufferPointer { bb in try cp.withUnsafeMutableBufferPointer { cb in
                try state.withUnsafeMutableBufferPointer { sb in try y.withUnsafeMutableBufferPointer { yb in
                    try weights.project(ub.baseAddress!, columns: length, delta: db.baseAddress!, b: bb.baseAddress!,
                                        c: cb.baseAddress!)
                    weights.scan(ub.baseAddress!, delta: db.baseAddress!, b: bb.baseAddress!, c: cb.baseAddress!,
                                 columns: length, first: 0, length: length, state: sb.baseAddress!, y: yb.baseAddress!)
                } }
            } }
        } }
        try ArchitectureCheck.output(y, "selective scan output")
        return y
    }

    /// The complex option: x_t = e^{Δ_t(A + i·A_imag)} x_{t−1} + Δ_t B_t u_t, y_t = Re Σ_n C_t x_t + D u_t.
    private func forwardComplex(_ u: [Double], length: Int, aImag: [Double]) throws -> [Double] {
        let tok = try tokens(u, length: length)
        let h = channels, n = states, a = a
        var xr = [Double](repeating: 0, count: h * n), xi = xr
        var y = [Double](repeating: 0, count: h * length)
        for t in 0..<length {
            for q in 0..<h {
                let dt = tok.delta[t * h + q], ut = u[q * length + t]
                var out = d[q] * ut
                for k in 0..<n {
                    let i = q * n + k
                    let decay = Double.exp(dt * a[i]), angle = dt * aImag[i]
                    let cr = decay * Double.cos(angle), ci = decay * Double.sin(angle)  // Ā_t = e^{Δ_t A}(cos + i sin)(Δ_t A_imag)
                    let nr = cr * xr[i] - ci * xi[i] + dt * tok.b[t * n + k] * ut       // x_t = Ā_t x_{t−1} + Δ_t B_t u_t
                    xi[i] = cr * xi[i] + ci * xr[i]
                    xr[i] = nr
                    out += tok.c[t * n + k] * xr[i]                                     // Re(C_t x_t), C_t real
                }
                y[q * length + t] = out
            }
        }
        try ArchitectureCheck.output(y, "selective scan output")
        return y
    }

    /// The Lyapunov exponents (per token) of the token dynamics x_t = Ā_t x_{t−1} for the input u: Ā_t is diagonal,
    /// so the exponent of state (h, n) is exactly (1/L) Σ_t log|Ā_t[h,n]| = (1/L) Σ_t Δ_t[h] A[h,n] (shape H × N; the
    /// same with the complex option, |e^{Δ(A + iA_imag)}| = e^{ΔA}, each complex state then being a pair of equal exponents).
    public func lyapunovExponents(_ u: [Double], length: Int) throws -> [Double] {
        let tok = try tokens(u, length: length)
        let h = channels, n = states, a = a
        var sums = [Double](repeating: 0, count: h * n)
        for t in 0..<length { for q in 0..<h { for k in 0..<n { sums[q * n + k] += tok.delta[t * h + q] * a[q * n + k] } } }
        return sums.map { $0 / Double(length) }
    }

    // MARK: safetensors

    /// Reads A_log, D, x_proj.weight, dt_proj.weight, dt_proj.bias under `prefix`; H, N, R come from shapes.
    public init(file: SafeTensorsFile, prefix: String = "") throws {
        let aTensor = try file.tensor(prefix + "A_log"), dtTensor = try file.tensor(prefix + "dt_proj.weight")
        guard aTensor.shape.count == 2, dtTensor.shape.count == 2 else {
            throw ArchitectureError.shapeMismatch("A_log \(aTensor.shape) must be (H, N) and dt_proj.weight \(dtTensor.shape) (H, R)")
        }
        let h = aTensor.shape[0], n = aTensor.shape[1], r = dtTensor.shape[1]
        try self.init(aLog: try ArchitectureTensors.read(file, prefix, "A_log", [h, n]),
                      d: try ArchitectureTensors.read(file, prefix, "D", [h]),
                      xProjWeight: try ArchitectureTensors.read(file, prefix, "x_proj.weight", [r + 2 * n, h]),
                      dtProjWeight: try ArchitectureTensors.read(file, prefix, "dt_proj.weight", [h, r]),
                      dtProjBias: try ArchitectureTensors.read(file, prefix, "dt_proj.bias", [h]), states: n, dtRank: r,
                      aImag: file.tensors[prefix + "A_imag"] == nil ? nil : try ArchitectureTensors.read(file, prefix, "A_imag", [h, n]))
    }

    /// Adds the layer's tensors (float64) to `file` under `prefix`.
    public func write(to file: inout SafeTensorsFile, prefix: String = "") throws {
        let h = channels, n = states, r = dtRank
        try ArchitectureTensors.put(&file, prefix, "A_log", [h, n], aLog)
        try ArchitectureTensors.put(&file, prefix, "D", [h], d)
        try ArchitectureTensors.put(&file, prefix, "x_proj.weight", [r + 2 * n, h], xProjWeight)
        try ArchitectureTensors.put(&file, prefix, "dt_proj.weight", [h, r], dtProjWeight)
        try ArchitectureTensors.put(&file, prefix, "dt_proj.bias", [h], dtProjBias)
        if let aImag { try ArchitectureTensors.put(&file, prefix, "A_imag", [h, n], aImag) }
    }
}
