// The selective scan's arithmetic, written once for Double and Float and for any number of channel columns: the
// single-layer `SelectiveLayer` (Double, one sequence) and the Mamba language model (Double or Float, a batch of
// sequences, state carried across calls) both run through these two routines, so there is one selective scan.
//
// Layout: channel-major. A block of `columns` tokens (a batch of sequences laid end to end, column j = b·L + t) is a
// row-major (rows × columns) matrix, so every projection is one product W (out × in) · X (in × columns) with the
// PyTorch weight exactly as stored, and each channel's sequence is a contiguous row.
//   project:  ξ = W_x u                   ((R + 2N) × columns; x_proj, no bias)
//             Δ = softplus(W_dt ξ[0..<R] + b_dt)   (H × columns)
//             B = ξ[R..<R+N]ᵀ, C = ξ[R+N..<R+2N]ᵀ   (columns × N_pad, zero-padded: one token's B and C contiguous)
//   scan:     x_t[h,n] = e^{Δ_t[h] A[h,n]} x_{t−1}[h,n] + B_t[n]·(Δ_t[h] u_t[h])
//             y_t[h]   = Σ_n C_t[n] x_t[h,n] + D[h] u_t[h]
// The state dimension is padded to a multiple of the SIMD width with A = B = C = 0 there (those states stay 0 and
// read out nothing), so the inner loop over n is whole vectors. softplus(x) = max(x, 0) + log(1 + e^{−|x|}), exact
// (PyTorch returns x itself above 20, a difference below 2.1e-9).
import PhasorNumerics

/// The arithmetic of the selective scan and of the Mamba block around it: Double (identities) or Float (speed).
protocol SelectiveScalar: BlockScalar, Real {
    associatedtype Lanes: SIMD where Lanes.Scalar == Self
    /// e^x lane-wise.
    static func exp(_ x: Lanes) -> Lanes
    /// C (m×n) = A (m×k)·B (k×n), row-major, through BLAS (for the thin products of short calls).
    static func blasProduct(m: Int, n: Int, k: Int, a: UnsafePointer<Self>, b: UnsafePointer<Self>, c: UnsafeMutablePointer<Self>)
}

extension Double: SelectiveScalar {
    typealias Lanes = SIMD8<Double>
    @inline(__always) static func exp(_ x: SIMD8<Double>) -> SIMD8<Double> { VectorMath.exp(x) }
    static func blasProduct(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
                            c: UnsafeMutablePointer<Double>) {
        MatrixProduct.gemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n,
                           beta: 0, c: c, ldc: n)
    }
}

extension Float: SelectiveScalar {
    typealias Lanes = SIMD16<Float>
    @inline(__always) static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> { FloatVectorMath.exp(x) }
    static func blasProduct(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                            c: UnsafeMutablePointer<Float>) {
        RealProduct.gemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n, beta: 0, c: c, ldc: n)
    }
}

extension SelectiveScalar {
    /// softplus(x) = log(1 + eˣ) = max(x, 0) + log(1 + e^{−|x|}), without overflow.
    @inline(__always) static func softplus(_ x: Self) -> Self { max(x, 0) + Self.log(onePlus: Self.exp(-abs(x))) }

    /// State size rounded up to whole SIMD vectors.
    static func paddedStates(_ n: Int) -> Int { (n + Lanes.scalarCount - 1) / Lanes.scalarCount * Lanes.scalarCount }

    /// dst[i] = src[i]·σ(src[i]) (SiLU), or dst[i] *= σ(src[i])·src[i] when `gate` (the Mamba output gate y·SiLU(z)).
    static func silu(_ src: UnsafePointer<Self>, _ dst: UnsafeMutablePointer<Self>, count: Int, gate: Bool) {
        let w = Lanes.scalarCount
        var i = 0
        while i + w <= count {
            let x = UnsafeRawPointer(src + i).loadUnaligned(as: Lanes.self)
            var s = x / (Lanes(repeating: 1) + exp(-x))                          // x·σ(x) = x/(1 + e^{−x})
            if gate { s *= UnsafeRawPointer(dst + i).loadUnaligned(as: Lanes.self) }
            UnsafeMutableRawPointer(dst + i).storeBytes(of: s, as: Lanes.self)
            i += w
        }
        while i < count {
            let x = src[i], s = x / (1 + Self.exp(-x))
            dst[i] = gate ? dst[i] * s : s
            i += 1
        }
    }
}

/// A weight matrix W (rows × columns, PyTorch's (out, in)) for products W·X, stored in column panels of at most 128
/// (each panel a contiguous rows × width block). C = Σ_panels W_p X_p: each entry is a fixed-order sum of ≤ 128
/// products per panel, the panel sums added in order — 3× smaller rounding error in Float than one sequential sum
/// over 768–1536 terms (measured: RMS 2.1e-7 against 6.9e-7 for k = 1536, BLAS 2.9e-7), at ~1% more arithmetic.
struct PanelMatrix<T: SelectiveScalar>: Sendable {
    static var panel: Int { 128 }
    let rows: Int, columns: Int
    private let storage: [T]

    init(_ w: [Double], rows: Int, columns: Int) {
        self.rows = rows; self.columns = columns
        var s = [T](repeating: 0, count: rows * columns), o = 0
        for p0 in stride(from: 0, to: columns, by: Self.panel) {
            let width = min(Self.panel, columns - p0)
            for i in 0..<rows { for p in 0..<width { s[o + i * width + p] = T(w[i * columns + p0 + p]) } }
            o += rows * width
        }
        storage = s
    }

    /// C (rows × n) = W · X (columns × n), row-major. At least one full SIMD tile of columns: the register-blocked
    /// kernel with the rows split over the cores; fewer (a single token per call): BLAS.
    func apply(_ x: UnsafePointer<T>, n: Int, _ c: UnsafeMutablePointer<T>) {
        let m = rows, k = columns
        guard m > 0, n > 0 else { return }
        c.update(repeating: 0, count: m * n)
        guard k > 0 else { return }
        let simd = n >= 4 * T.Lanes.scalarCount
        let rowsPerBlock = simd ? max(4, (m + 15) / 16 / 4 * 4) : m, blocks = (m + rowsPerBlock - 1) / rowsPerBlock
        storage.withUnsafeBufferPointer { sb in
            let wp = SharedReadPointer(sb.baseAddress!), xp = SharedReadPointer(x), cp = SharedPointer(c)
            parallelFor(blocks) { blk in
                let i0 = blk * rowsPerBlock, count = min(rowsPerBlock, m - i0)
                var partial = [T](repeating: 0, count: count * n)
                partial.withUnsafeMutableBufferPointer { pb in
                    var offset = 0
                    for p0 in stride(from: 0, to: k, by: Self.panel) {
                        let width = min(Self.panel, k - p0), a = wp.base + offset + i0 * width, b = xp.base + p0 * n
                        if simd { T.multiply(m: count, n: n, k: width, a: a, b: b, c: pb.baseAddress!, accumulate: false) }
                        else { T.blasProduct(m: count, n: n, k: width, a: a, b: b, c: pb.baseAddress!) }
                        let out = cp.base + i0 * n
                        for i in 0..<(count * n) { out[i] += pb[i] }                       // C += W_p X_p
                        offset += m * width
                    }
                }
            }
        }
    }
}

/// The selective layer's parameters in arithmetic T, laid out for the channel-major routines.
struct SelectiveWeights<T: SelectiveScalar> {
    let channels: Int, states: Int, paddedStates: Int, rank: Int
    /// W_x ((R + 2N) × H), W_dt (H × R); b_dt (H), D (H).
    let xProj: PanelMatrix<T>, dtProj: PanelMatrix<T>
    let dtBias: [T], d: [T]
    /// A = −exp(A_log), H × N_pad (zero in the padding).
    let a: [T]

    init(_ layer: SelectiveLayer) {
        channels = layer.channels; states = layer.states; rank = layer.dtRank
        paddedStates = T.paddedStates(states)
        xProj = PanelMatrix(layer.xProjWeight, rows: rank + 2 * states, columns: channels)
        dtProj = PanelMatrix(layer.dtProjWeight, rows: channels, columns: rank)
        dtBias = layer.dtProjBias.map { T($0) }; d = layer.d.map { T($0) }
        var a = [T](repeating: 0, count: channels * paddedStates)
        for h in 0..<channels { for n in 0..<states { a[h * paddedStates + n] = T(-Double.exp(layer.aLog[h * states + n])) } }
        self.a = a
    }

    /// Δ (H × columns), B and C (columns × N_pad) from u (H × columns). Throws if some Δ is not positive and finite.
    func project(_ u: UnsafePointer<T>, columns: Int, delta: UnsafeMutablePointer<T>, b: UnsafeMutablePointer<T>,
                 c: UnsafeMutablePointer<T>) throws {
        let h = channels, n = states, np = paddedStates, r = rank, rows = r + 2 * n
        var xi = [T](repeating: 0, count: rows * columns)
        try xi.withUnsafeMutableBufferPointer { xb in
            let xi = xb.baseAddress!
            xProj.apply(u, n: columns, xi)                                                  // ξ = W_x u
            dtProj.apply(xi, n: columns, delta)                                             // W_dt ξ[0..<R]
            for q in 0..<h {
                let bias = dtBias[q]
                for j in 0..<columns {
                    let dt = T.softplus(delta[q * columns + j] + bias)                     // Δ = softplus(W_dt ξ + b_dt)
                    guard dt > 0, dt.isFinite else {
                        throw ArchitectureError.nonPositiveStep("Δ at token \(j), channel \(q) = softplus(\(delta[q * columns + j] + bias)) = \(dt)")
                    }
                    delta[q * columns + j] = dt
                }
            }
            b.update(repeating: 0, count: columns * np)
            c.update(repeating: 0, count: columns * np)
            for k in 0..<n {
                for j in 0..<columns {
                    b[j * np + k] = xi[(r + k) * columns + j]                               // B_t = ξ_t[R..<R+N]
                    c[j * np + k] = xi[(r + n + k) * columns + j]                           // C_t = ξ_t[R+N..<R+2N]
                }
            }
        }
    }

    /// Runs the recurrence over the columns [first, first + length) of one sequence from `state` (H × N_pad, updated
    /// in place), writing y (H × columns) on those columns.
    func scan(_ u: UnsafePointer<T>, delta: UnsafePointer<T>, b: UnsafePointer<T>, c: UnsafePointer<T>, columns: Int,
              first: Int, length: Int, state: UnsafeMutablePointer<T>, y: UnsafeMutablePointer<T>) {
        let h = channels, np = paddedStates, w = T.Lanes.scalarCount
        let perBlock = max(1, min(64, (h + 7) / 8)), blocks = (h + perBlock - 1) / perBlock
        let up = SharedReadPointer(u), dp = SharedReadPointer(delta), bp = SharedReadPointer(b), cp = SharedReadPointer(c)
        let sp = SharedPointer(state), yp = SharedPointer(y)
        a.withUnsafeBufferPointer { ab in d.withUnsafeBufferPointer { db in
            let ap = SharedReadPointer(ab.baseAddress!), dd = SharedReadPointer(db.baseAddress!)
            parallelFor(blocks) { blk in
                for q in (blk * perBlock)..<min(h, (blk + 1) * perBlock) {
                    let aRow = ap.base + q * np, sRow = sp.base + q * np
                    for j in first..<(first + length) {
                        let dt = dp.base[q * columns + j], ut = up.base[q * columns + j], du = dt * ut
                        let dtv = T.Lanes(repeating: dt), duv = T.Lanes(repeating: du)
                        var acc = T.Lanes()
                        var k = 0
                        while k < np {
                            let av = UnsafeRawPointer(aRow + k).loadUnaligned(as: T.Lanes.self)
                            let bv = UnsafeRawPointer(bp.base + j * np + k).loadUnaligned(as: T.Lanes.self)
                            let cv = UnsafeRawPointer(cp.base + j * np + k).loadUnaligned(as: T.Lanes.self)
                            var x = UnsafeRawPointer(sRow + k).loadUnaligned(as: T.Lanes.self)
                            x = T.exp(av * dtv) * x + bv * duv                              // x_t = e^{Δ_t A} x_{t−1} + B_t Δ_t u_t
                            UnsafeMutableRawPointer(sRow + k).storeBytes(of: x, as: T.Lanes.self)
                            acc += cv * x                                                   // C_t · x_t
                            k += w
                        }
                        yp.base[q * columns + j] = acc.sum() + dd.base[q] * ut              // y_t = C_t x_t + D u_t
                    }
                }
            }
        } }
    }
}
