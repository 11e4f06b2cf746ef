// One pass of the self-sorting (Stockham) decimation-in-frequency FFT, for radix 2, 3, 4, 5 or a generic odd radix.
//
// A pass works on s interleaved sub-transforms of length ℓ = r·m (s = product of the earlier radices). With
// j' = p + j·m and k' = k + r·k₂ (p, k₂ < m; j, k < r):
//     X[k + r·k₂] = Σ_p W_m^{p·k₂} · ( W_ℓ^{p·k} · Σ_j x[p + j·m] · W_r^{j·k} )
// so the pass computes the radix-r butterfly of the r inputs x[q + s(p + j·m)], multiplies output k by the twiddle
// W_ℓ^{p·k}, and stores it at y[q + s(r·p + k)]: the s·r sub-transforms of length m of the next pass, already in
// order (no bit reversal).

/// The precomputed data of one pass: its radix, geometry and twiddles W_ℓ^{p·k}.
struct StockhamPass<T: FFTScalar>: Sendable {
    let radix: Int
    /// s: the number of interleaved sub-transforms (product of the earlier radices).
    let stride: Int
    /// m = ℓ / radix: the length of each sub-transform after this pass.
    let m: Int
    /// The twiddle W_ℓ^{p·k} = e^{−2πi p k/ℓ} = twRe + i·twIm at index (k − 1)·m + p.
    let twRe: [T]
    let twIm: [T]
    /// Generic odd radix only: cos(2πt/r) and sin(2πt/r), t = 0..<r.
    let rootCos: [T]
    let rootSin: [T]

    init(radix r: Int, stride s: Int, length l: Int) {
        radix = r
        stride = s
        m = l / r
        var tr = [T](repeating: 0, count: (r - 1) * m)
        var ti = tr
        for k in 1..<r {
            for p in 0..<m {
                let (c, sn) = UnitRoots.cosSin(p * k, l)   // W_ℓ^{pk} = cos − i sin
                tr[(k - 1) * m + p] = T(c)
                ti[(k - 1) * m + p] = T(-sn)
            }
        }
        twRe = tr
        twIm = ti
        if r > 5 {
            rootCos = (0..<r).map { T(UnitRoots.cosSin($0, r).0) }
            rootSin = (0..<r).map { T(UnitRoots.cosSin($0, r).1) }
        } else {
            rootCos = []
            rootSin = []
        }
    }

    /// Runs the pass from (xr, xi) into (yr, yi); the buffers hold s·r·m elements each and must not overlap.
    func run(_ xr: UnsafePointer<T>, _ xi: UnsafePointer<T>,
             _ yr: UnsafeMutablePointer<T>, _ yi: UnsafeMutablePointer<T>) {
        twRe.withUnsafeBufferPointer { tr in
            twIm.withUnsafeBufferPointer { ti in
                switch radix {
                case 2: stockhamRadix2(stride, m, tr.baseAddress!, ti.baseAddress!, xr, xi, yr, yi)
                case 3: stockhamRadix3(stride, m, tr.baseAddress!, ti.baseAddress!, xr, xi, yr, yi)
                case 4: stockhamRadix4(stride, m, tr.baseAddress!, ti.baseAddress!, xr, xi, yr, yi)
                case 5: stockhamRadix5(stride, m, tr.baseAddress!, ti.baseAddress!, xr, xi, yr, yi)
                default:
                    rootCos.withUnsafeBufferPointer { rc in
                        rootSin.withUnsafeBufferPointer { rs in
                            stockhamOddRadix(radix, stride, m, tr.baseAddress!, ti.baseAddress!,
                                             rc.baseAddress!, rs.baseAddress!, xr, xi, yr, yi)
                        }
                    }
                }
            }
        }
    }
}

// MARK: - Radix kernels. `tr/ti` point at the twiddles (k − 1)·m + p; `x` is read at q + s(p + j·m) and `y`
// written at q + s(r·p + k). Each butterfly is written once, generic over `FFTLane` (a scalar, or SIMD8 lanes), and
// run by up to four loop drivers: lanes over q when s is a multiple of 8 (contiguous loads and stores, twiddles
// broadcast); for radix 2 and 4, lanes over p when s = 1 (contiguous loads, outputs interleaved in registers) and
// lanes over (p, q) for two consecutive p when s = 4 (contiguous loads, half-vector stores); scalar otherwise.
// Complex product (a + ib)(c + id) = (ac − bd) + i(ad + bc).

extension SIMD8: FFTLane where Scalar: FFTScalar {}

@inline(__always) func lanes<T: FFTScalar>(_ p: UnsafePointer<T>) -> SIMD8<T> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self)
}
@inline(__always) func store<T: FFTScalar>(_ v: SIMD8<T>, _ p: UnsafeMutablePointer<T>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<T>.self)
}
/// (t[0] ×4, t[1] ×4): the twiddles of two consecutive p, each repeated over q = 0…3.
@inline(__always) func pairBroadcast<T: FFTScalar>(_ t: UnsafePointer<T>) -> SIMD8<T> {
    SIMD8(lowHalf: SIMD4(repeating: t[0]), highHalf: SIMD4(repeating: t[1]))
}
/// Stores a₀ b₀ a₁ b₁ … a₇ b₇.
@inline(__always) func storeInterleaved2<T: FFTScalar>(_ a: SIMD8<T>, _ b: SIMD8<T>, _ out: UnsafeMutablePointer<T>) {
    store(SIMD8(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3]), out)
    store(SIMD8(a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7]), out + 8)
}
/// Stores a₀ b₀ c₀ d₀ a₁ b₁ c₁ d₁ … a₇ b₇ c₇ d₇.
@inline(__always) func storeInterleaved4<T: FFTScalar>(
    _ a: SIMD8<T>, _ b: SIMD8<T>, _ c: SIMD8<T>, _ d: SIMD8<T>, _ out: UnsafeMutablePointer<T>
) {
    store(SIMD8(a[0], b[0], c[0], d[0], a[1], b[1], c[1], d[1]), out)
    store(SIMD8(a[2], b[2], c[2], d[2], a[3], b[3], c[3], d[3]), out + 8)
    store(SIMD8(a[4], b[4], c[4], d[4], a[5], b[5], c[5], d[5]), out + 16)
    store(SIMD8(a[6], b[6], c[6], d[6], a[7], b[7], c[7], d[7]), out + 24)
}

// Radix 2: b0 = a0 + a1, b1 = (a0 − a1)·w.
@inline(__always)
func butterfly2<V: FFTLane>(_ a0r: V, _ a0i: V, _ a1r: V, _ a1i: V, _ wr: V, _ wi: V) -> (V, V, V, V) {
    let dr = a0r - a1r, di = a0i - a1i
    return (a0r + a1r, a0i + a1i, dr * wr - di * wi, dr * wi + di * wr)
}

@_specialize(where T == Double)
@_specialize(where T == Float)
func stockhamRadix2<T: FFTScalar>(
    _ s: Int, _ m: Int, _ tr: UnsafePointer<T>, _ ti: UnsafePointer<T>,
    _ xr: UnsafePointer<T>, _ xi: UnsafePointer<T>, _ yr: UnsafeMutablePointer<T>, _ yi: UnsafeMutablePointer<T>
) {
    let sm = s * m
    if s % 8 == 0 {
        for p in 0..<m {
            let wr = SIMD8(repeating: tr[p]), wi = SIMD8(repeating: ti[p])
            let x0r = xr + s * p, x0i = xi + s * p, y0r = yr + 2 * s * p, y0i = yi + 2 * s * p
            for q in stride(from: 0, to: s, by: 8) {
                let b = butterfly2(lanes(x0r + q), lanes(x0i + q), lanes(x0r + q + sm), lanes(x0i + q + sm), wr, wi)
                store(b.0, y0r + q); store(b.1, y0i + q); store(b.2, y0r + q + s); store(b.3, y0i + q + s)
            }
        }
        return
    }
    var p0 = 0
    if s == 1 {
        // lanes over p; outputs interleaved: y[2p + k]
        while p0 + 8 <= m {
            let p = p0
            let b = butterfly2(lanes(xr + p), lanes(xi + p), lanes(xr + p + m), lanes(xi + p + m),
                               lanes(tr + p), lanes(ti + p))
            storeInterleaved2(b.0, b.2, yr + 2 * p); storeInterleaved2(b.1, b.3, yi + 2 * p)
            p0 += 8
        }
    } else if s == 4 {
        // lanes over (p, q) for two consecutive p: x[q + 4p + j·4m] is contiguous; y[8p + 4k + q]
        while p0 + 2 <= m {
            let p = p0
            let wr = pairBroadcast(tr + p), wi = pairBroadcast(ti + p)
            let b = butterfly2(lanes(xr + 4 * p), lanes(xi + 4 * p), lanes(xr + 4 * p + sm), lanes(xi + 4 * p + sm),
                               wr, wi)
            store(SIMD8(lowHalf: b.0.lowHalf, highHalf: b.2.lowHalf), yr + 8 * p)
            store(SIMD8(lowHalf: b.1.lowHalf, highHalf: b.3.lowHalf), yi + 8 * p)
            store(SIMD8(lowHalf: b.0.highHalf, highHalf: b.2.highHalf), yr + 8 * p + 8)
            store(SIMD8(lowHalf: b.1.highHalf, highHalf: b.3.highHalf), yi + 8 * p + 8)
            p0 += 2
        }
    }
    for p in p0..<m {
        let wr = tr[p], wi = ti[p]
        let x0r = xr + s * p, x0i = xi + s * p, y0r = yr + 2 * s * p, y0i = yi + 2 * s * p
        for q in 0..<s {
            let b = butterfly2(x0r[q], x0i[q], x0r[q + sm], x0i[q + sm], wr, wi)
            y0r[q] = b.0; y0i[q] = b.1; y0r[q + s] = b.2; y0i[q + s] = b.3
        }
    }
}

// Radix 3, W₃ = −½ − i·√3/2:  t = a1 + a2, d = (√3/2)(a1 − a2), c = a0 − t/2;
// b0 = a0 + t,  b1 = c − i·d,  b2 = c + i·d;  outputs 1, 2 multiplied by w1, w2.
@inline(__always)
func butterfly3<V: FFTLane>(
    _ a0r: V, _ a0i: V, _ a1r: V, _ a1i: V, _ a2r: V, _ a2i: V,
    _ w1r: V, _ w1i: V, _ w2r: V, _ w2i: V, _ half: V, _ h: V
) -> (V, V, V, V, V, V) {
    let tr_ = a1r + a2r, ti_ = a1i + a2i
    let dr = h * (a1r - a2r), di = h * (a1i - a2i)
    let cr = a0r - half * tr_, ci = a0i - half * ti_
    let b1r = cr + di, b1i = ci - dr
    let b2r = cr - di, b2i = ci + dr
    return (a0r + tr_, a0i + ti_,
            b1r * w1r - b1i * w1i, b1r * w1i + b1i * w1r,
            b2r * w2r - b2i * w2i, b2r * w2i + b2i * w2r)
}

@_specialize(where T == Double)
@_specialize(where T == Float)
func stockhamRadix3<T: FFTScalar>(
    _ s: Int, _ m: Int, _ tr: UnsafePointer<T>, _ ti: UnsafePointer<T>,
    _ xr: UnsafePointer<T>, _ xi: UnsafePointer<T>, _ yr: UnsafeMutablePointer<T>, _ yi: UnsafeMutablePointer<T>
) {
    let h = T(0.86602540378443864676372317075293618)  // √3/2
    let half = T(0.5)
    let sm = s * m
    if s % 8 == 0 {
        let hv = SIMD8(repeating: h), halfv = SIMD8(repeating: half)
        for p in 0..<m {
            let w1r = SIMD8(repeating: tr[p]), w1i = SIMD8(repeating: ti[p])
            let w2r = SIMD8(repeating: tr[m + p]), w2i = SIMD8(repeating: ti[m + p])
            let x0r = xr + s * p, x0i = xi + s * p, y0r = yr + 3 * s * p, y0i = yi + 3 * s * p
            for q in stride(from: 0, to: s, by: 8) {
                let b = butterfly3(lanes(x0r + q), lanes(x0i + q), lanes(x0r + q + sm), lanes(x0i + q + sm),
                                   lanes(x0r + q + 2 * sm), lanes(x0i + q + 2 * sm), w1r, w1i, w2r, w2i, halfv, hv)
                store(b.0, y0r + q); store(b.1, y0i + q)
                store(b.2, y0r + q + s); store(b.3, y0i + q + s)
                store(b.4, y0r + q + 2 * s); store(b.5, y0i + q + 2 * s)
            }
        }
        return
    }
    for p in 0..<m {
        let w1r = tr[p], w1i = ti[p], w2r = tr[m + p], w2i = ti[m + p]
        let x0r = xr + s * p, x0i = xi + s * p, y0r = yr + 3 * s * p, y0i = yi + 3 * s * p
        for q in 0..<s {
            let b = butterfly3(x0r[q], x0i[q], x0r[q + sm], x0i[q + sm], x0r[q + 2 * sm], x0i[q + 2 * sm],
                               w1r, w1i, w2r, w2i, half, h)
            y0r[q] = b.0; y0i[q] = b.1; y0r[q + s] = b.2; y0i[q + s] = b.3; y0r[q + 2 * s] = b.4; y0i[q + 2 * s] = b.5
        }
    }
}

// Radix 4, W₄ = −i:  t0 = a0 + a2, t1 = a0 − a2, t2 = a1 + a3, t3 = a1 − a3;
// b0 = t0 + t2,  b1 = t1 − i·t3,  b2 = t0 − t2,  b3 = t1 + i·t3;  outputs 1…3 multiplied by w1…w3.
@inline(__always)
func butterfly4<V: FFTLane>(
    _ a0r: V, _ a0i: V, _ a1r: V, _ a1i: V, _ a2r: V, _ a2i: V, _ a3r: V, _ a3i: V,
    _ w1r: V, _ w1i: V, _ w2r: V, _ w2i: V, _ w3r: V, _ w3i: V
) -> (V, V, V, V, V, V, V, V) {
    let t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i
    let t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1r - a3r, t3i = a1i - a3i
    let b1r = t1r + t3i, b1i = t1i - t3r
    let b2r = t0r - t2r, b2i = t0i - t2i
    let b3r = t1r - t3i, b3i = t1i + t3r
    return (t0r + t2r, t0i + t2i,
            b1r * w1r - b1i * w1i, b1r * w1i + b1i * w1r,
            b2r * w2r - b2i * w2i, b2r * w2i + b2i * w2r,
            b3r * w3r - b3i * w3i, b3r * w3i + b3i * w3r)
}

@_specialize(where T == Double)
@_specialize(where T == Float)
func stockhamRadix4<T: FFTScalar>(
    _ s: Int, _ m: Int, _ tr: UnsafePointer<T>, _ ti: UnsafePointer<T>,
    _ xr: UnsafePointer<T>, _ xi: UnsafePointer<T>, _ yr: UnsafeMutablePointer<T>, _ yi: UnsafeMutablePointer<T>
) {
    let sm = s * m
    if s % 8 == 0 {
        for p in 0..<m {
            let w1r = SIMD8(repeating: tr[p]), w1i = SIMD8(repeating: ti[p])
            let w2r = SIMD8(repeating: tr[m + p]), w2i = SIMD8(repeating: ti[m + p])
            let w3r = SIMD8(repeating: tr[2 * m + p]), w3i = SIMD8(repeating: ti[2 * m + p])
            let x0r = xr + s * p, x0i = xi + s * p, y0r = yr + 4 * s * p, y0i = yi + 4 * s * p
            for q in stride(from: 0, to: s, by: 8) {
                let b = butterfly4(lanes(x0r + q), lanes(x0i + q), lanes(x0r + q + sm), lanes(x0i + q + sm),
                                   lanes(x0r + q + 2 * sm), lanes(x0i + q + 2 * sm),
                                   lanes(x0r + q + 3 * sm), lanes(x0i + q + 3 * sm),
                                   w1r, w1i, w2r, w2i, w3r, w3i)
                store(b.0, y0r + q); store(b.1, y0i + q)
                store(b.2, y0r + q + s); store(b.3, y0i + q + s)
                store(b.4, y0r + q + 2 * s); store(b.5, y0i + q + 2 * s)
                store(b.6, y0r + q + 3 * s); store(b.7, y0i + q + 3 * s)
            }
        }
        return
    }
    var p0 = 0
    if s == 1 {
        // lanes over p; outputs interleaved: y[4p + k]
        while p0 + 8 <= m {
            let p = p0
            let b = butterfly4(lanes(xr + p), lanes(xi + p), lanes(xr + p + m), lanes(xi + p + m),
                               lanes(xr + p + 2 * m), lanes(xi + p + 2 * m),
                               lanes(xr + p + 3 * m), lanes(xi + p + 3 * m),
                               lanes(tr + p), lanes(ti + p), lanes(tr + m + p), lanes(ti + m + p),
                               lanes(tr + 2 * m + p), lanes(ti + 2 * m + p))
            storeInterleaved4(b.0, b.2, b.4, b.6, yr + 4 * p); storeInterleaved4(b.1, b.3, b.5, b.7, yi + 4 * p)
            p0 += 8
        }
    } else if s == 4 {
        // lanes over (p, q) for two consecutive p: x[q + 4p + j·4m] is contiguous; y[16p + 4k + q]
        while p0 + 2 <= m {
            let p = p0
            let b = butterfly4(lanes(xr + 4 * p), lanes(xi + 4 * p), lanes(xr + 4 * p + sm), lanes(xi + 4 * p + sm),
                               lanes(xr + 4 * p + 2 * sm), lanes(xi + 4 * p + 2 * sm),
                               lanes(xr + 4 * p + 3 * sm), lanes(xi + 4 * p + 3 * sm),
                               pairBroadcast(tr + p), pairBroadcast(ti + p),
                               pairBroadcast(tr + m + p), pairBroadcast(ti + m + p),
                               pairBroadcast(tr + 2 * m + p), pairBroadcast(ti + 2 * m + p))
            let yr0 = yr + 16 * p, yi0 = yi + 16 * p
            store(SIMD8(lowHalf: b.0.lowHalf, highHalf: b.2.lowHalf), yr0)
            store(SIMD8(lowHalf: b.1.lowHalf, highHalf: b.3.lowHalf), yi0)
            store(SIMD8(lowHalf: b.4.lowHalf, highHalf: b.6.lowHalf), yr0 + 8)
            store(SIMD8(lowHalf: b.5.lowHalf, highHalf: b.7.lowHalf), yi0 + 8)
            store(SIMD8(lowHalf: b.0.highHalf, highHalf: b.2.highHalf), yr0 + 16)
            store(SIMD8(lowHalf: b.1.highHalf, highHalf: b.3.highHalf), yi0 + 16)
            store(SIMD8(lowHalf: b.4.highHalf, highHalf: b.6.highHalf), yr0 + 24)
            store(SIMD8(lowHalf: b.5.highHalf, highHalf: b.7.highHalf), yi0 + 24)
            p0 += 2
        }
    }
    for p in p0..<m {
        let w1r = tr[p], w1i = ti[p], w2r = tr[m + p], w2i = ti[m + p], w3r = tr[2 * m + p], w3i = ti[2 * m + p]
        let x0r = xr + s * p, x0i = xi + s * p, y0r = yr + 4 * s * p, y0i = yi + 4 * s * p
        for q in 0..<s {
            let b = butterfly4(x0r[q], x0i[q], x0r[q + sm], x0i[q + sm], x0r[q + 2 * sm], x0i[q + 2 * sm],
                               x0r[q + 3 * sm], x0i[q + 3 * sm], w1r, w1i, w2r, w2i, w3r, w3i)
            y0r[q] = b.0; y0i[q] = b.1; y0r[q + s] = b.2; y0i[q + s] = b.3
            y0r[q + 2 * s] = b.4; y0i[q + 2 * s] = b.5; y0r[q + 3 * s] = b.6; y0i[q + 3 * s] = b.7
        }
    }
}

// Radix 5 with c_k = cos(2πk/5), s_k = sin(2πk/5):  t1 = a1 + a4, t2 = a2 + a3, d1 = a1 − a4, d2 = a2 − a3;
// b0 = a0 + t1 + t2;  b1,4 = a0 + c1·t1 + c2·t2 ∓ i(s1·d1 + s2·d2);  b2,3 = a0 + c2·t1 + c1·t2 ∓ i(s2·d1 − s1·d2).
@inline(__always)
func butterfly5<V: FFTLane>(
    _ a0r: V, _ a0i: V, _ a1r: V, _ a1i: V, _ a2r: V, _ a2i: V, _ a3r: V, _ a3i: V, _ a4r: V, _ a4i: V,
    _ c1: V, _ c2: V, _ s1: V, _ s2: V
) -> (V, V, V, V, V, V, V, V, V, V) {
    let t1r = a1r + a4r, t1i = a1i + a4i, t2r = a2r + a3r, t2i = a2i + a3i
    let d1r = a1r - a4r, d1i = a1i - a4i, d2r = a2r - a3r, d2i = a2i - a3i
    let e1r = a0r + c1 * t1r + c2 * t2r, e1i = a0i + c1 * t1i + c2 * t2i
    let e2r = a0r + c2 * t1r + c1 * t2r, e2i = a0i + c2 * t1i + c1 * t2i
    let f1r = s1 * d1r + s2 * d2r, f1i = s1 * d1i + s2 * d2i
    let f2r = s2 * d1r - s1 * d2r, f2i = s2 * d1i - s1 * d2i
    // e − i·f = (e_r + f_i) + i(e_i − f_r);  e + i·f = (e_r − f_i) + i(e_i + f_r)
    return (a0r + t1r + t2r, a0i + t1i + t2i,
            e1r + f1i, e1i - f1r, e2r + f2i, e2i - f2r, e2r - f2i, e2i + f2r, e1r - f1i, e1i + f1r)
}

@inline(__always)
func twiddled<V: FFTLane>(_ br: V, _ bi: V, _ wr: V, _ wi: V) -> (V, V) {
    (br * wr - bi * wi, br * wi + bi * wr)
}

@_specialize(where T == Double)
@_specialize(where T == Float)
func stockhamRadix5<T: FFTScalar>(
    _ s: Int, _ m: Int, _ tr: UnsafePointer<T>, _ ti: UnsafePointer<T>,
    _ xr: UnsafePointer<T>, _ xi: UnsafePointer<T>, _ yr: UnsafeMutablePointer<T>, _ yi: UnsafeMutablePointer<T>
) {
    let c1 = T(0.30901699437494742410229341718281906)   // cos 2π/5
    let c2 = T(-0.80901699437494742410229341718281906)  // cos 4π/5
    let s1 = T(0.95105651629515357211643933337938214)   // sin 2π/5
    let s2 = T(0.58778525229247312916870595463907277)   // sin 4π/5
    let sm = s * m
    if s % 8 == 0 {
        let c1v = SIMD8(repeating: c1), c2v = SIMD8(repeating: c2), s1v = SIMD8(repeating: s1)
        let s2v = SIMD8(repeating: s2)
        for p in 0..<m {
            let x0r = xr + s * p, x0i = xi + s * p, y0r = yr + 5 * s * p, y0i = yi + 5 * s * p
            let w1r = SIMD8(repeating: tr[p]), w1i = SIMD8(repeating: ti[p])
            let w2r = SIMD8(repeating: tr[m + p]), w2i = SIMD8(repeating: ti[m + p])
            let w3r = SIMD8(repeating: tr[2 * m + p]), w3i = SIMD8(repeating: ti[2 * m + p])
            let w4r = SIMD8(repeating: tr[3 * m + p]), w4i = SIMD8(repeating: ti[3 * m + p])
            for q in stride(from: 0, to: s, by: 8) {
                let b = butterfly5(lanes(x0r + q), lanes(x0i + q), lanes(x0r + q + sm), lanes(x0i + q + sm),
                                   lanes(x0r + q + 2 * sm), lanes(x0i + q + 2 * sm),
                                   lanes(x0r + q + 3 * sm), lanes(x0i + q + 3 * sm),
                                   lanes(x0r + q + 4 * sm), lanes(x0i + q + 4 * sm), c1v, c2v, s1v, s2v)
                let y1 = twiddled(b.2, b.3, w1r, w1i), y2 = twiddled(b.4, b.5, w2r, w2i)
                let y3 = twiddled(b.6, b.7, w3r, w3i), y4 = twiddled(b.8, b.9, w4r, w4i)
                store(b.0, y0r + q); store(b.1, y0i + q)
                store(y1.0, y0r + q + s); store(y1.1, y0i + q + s)
                store(y2.0, y0r + q + 2 * s); store(y2.1, y0i + q + 2 * s)
                store(y3.0, y0r + q + 3 * s); store(y3.1, y0i + q + 3 * s)
                store(y4.0, y0r + q + 4 * s); store(y4.1, y0i + q + 4 * s)
            }
        }
        return
    }
    for p in 0..<m {
        let w1r = tr[p], w1i = ti[p], w2r = tr[m + p], w2i = ti[m + p]
        let w3r = tr[2 * m + p], w3i = ti[2 * m + p], w4r = tr[3 * m + p], w4i = ti[3 * m + p]
        let x0r = xr + s * p, x0i = xi + s * p, y0r = yr + 5 * s * p, y0i = yi + 5 * s * p
        for q in 0..<s {
            let b = butterfly5(x0r[q], x0i[q], x0r[q + sm], x0i[q + sm], x0r[q + 2 * sm], x0i[q + 2 * sm],
                               x0r[q + 3 * sm], x0i[q + 3 * sm], x0r[q + 4 * sm], x0i[q + 4 * sm], c1, c2, s1, s2)
            let y1 = twiddled(b.2, b.3, w1r, w1i), y2 = twiddled(b.4, b.5, w2r, w2i)
            let y3 = twiddled(b.6, b.7, w3r, w3i), y4 = twiddled(b.8, b.9, w4r, w4i)
            y0r[q] = b.0; y0i[q] = b.1
            y0r[q + s] = y1.0; y0i[q + s] = y1.1; y0r[q + 2 * s] = y2.0; y0i[q + 2 * s] = y2.1
            y0r[q + 3 * s] = y3.0; y0i[q + 3 * s] = y3.1; y0r[q + 4 * s] = y4.0; y0i[q + 4 * s] = y4.1
        }
    }
}

// Generic odd radix r = 2h + 1 with t_j = a_j + a_{r−j}, d_j = a_j − a_{r−j} (j = 1…h):
//   b_k     = a0 + Σ_j cos(2πjk/r)·t_j − i·Σ_j sin(2πjk/r)·d_j
//   b_{r−k} = a0 + Σ_j cos(2πjk/r)·t_j + i·Σ_j sin(2πjk/r)·d_j        (k = 1…h)
// O(r²) per butterfly; used only for primes 7, 11, 13 (larger primes go to Bluestein).
@_specialize(where T == Double)
@_specialize(where T == Float)
func stockhamOddRadix<T: FFTScalar>(
    _ r: Int, _ s: Int, _ m: Int, _ tr: UnsafePointer<T>, _ ti: UnsafePointer<T>,
    _ rc: UnsafePointer<T>, _ rs: UnsafePointer<T>,
    _ xr: UnsafePointer<T>, _ xi: UnsafePointer<T>, _ yr: UnsafeMutablePointer<T>, _ yi: UnsafeMutablePointer<T>
) {
    let h = (r - 1) / 2
    let sm = s * m
    withUnsafeTemporaryAllocation(of: T.self, capacity: 4 * (h + 1)) { tmp in
        let tR = tmp.baseAddress!, tI = tR + (h + 1), dR = tI + (h + 1), dI = dR + (h + 1)
        for p in 0..<m {
            let x0r = xr + s * p, x0i = xi + s * p
            let y0r = yr + r * s * p, y0i = yi + r * s * p
            for q in 0..<s {
                let a0r = x0r[q], a0i = x0i[q]
                var sumR = a0r, sumI = a0i
                for j in 1...h {
                    let ar = x0r[q + j * sm], ai = x0i[q + j * sm]
                    let br = x0r[q + (r - j) * sm], bi = x0i[q + (r - j) * sm]
                    tR[j] = ar + br; tI[j] = ai + bi; dR[j] = ar - br; dI[j] = ai - bi
                    sumR += tR[j]; sumI += tI[j]
                }
                y0r[q] = sumR; y0i[q] = sumI
                for k in 1...h {
                    var er = a0r, ei = a0i, fr = T.zero, fi = T.zero
                    var idx = 0
                    for j in 1...h {
                        idx += k; if idx >= r { idx -= r }      // idx = j·k mod r
                        let c = rc[idx], sn = rs[idx]
                        er += c * tR[j]; ei += c * tI[j]
                        fr += sn * dR[j]; fi += sn * dI[j]
                    }
                    let bkr = er + fi, bki = ei - fr           // e − i·f
                    let bmr = er - fi, bmi = ei + fr           // e + i·f
                    let wkr = tr[(k - 1) * m + p], wki = ti[(k - 1) * m + p]
                    let wmr = tr[(r - k - 1) * m + p], wmi = ti[(r - k - 1) * m + p]
                    y0r[q + k * s] = bkr * wkr - bki * wki; y0i[q + k * s] = bkr * wki + bki * wkr
                    y0r[q + (r - k) * s] = bmr * wmr - bmi * wmi; y0i[q + (r - k) * s] = bmr * wmi + bmi * wmr
                }
            }
        }
    }
}
