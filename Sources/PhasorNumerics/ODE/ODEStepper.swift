// One step of an explicit embedded Runge–Kutta pair (any RKTableau), its error estimate in Hairer's scaled RMS norm,
// and the continuous extension (dense output) of the last accepted step. The adaptive driver is ODEIntegrator.swift;
// this type is public so that callers can also step by hand (fixed steps, event location, order tests).

/// The vector field f(t, y) → dy, writing into `dy` (same count as `y`).
public typealias ODEField = (_ t: Double, _ y: UnsafeBufferPointer<Double>, _ dy: UnsafeMutableBufferPointer<Double>)
    -> Void

/// Internal form of the field that may report a malformed result (e.g. the complex wrapper's wrong count).
typealias ThrowingODEField = (Double, UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Void

/// Steps dy/dt = f(t, y) with an explicit embedded Runge–Kutta pair.
///
/// Protocol: `attempt(h:…)` computes a trial step from the current (t, y) and returns its scaled error (> 1: reject;
/// the state is unchanged and another `attempt` with a smaller h may follow); `accept()` commits the trial step; after
/// that, `denseOutput(at:into:)` interpolates anywhere in the accepted step [t_old, t].
public final class ODEStepper {
    public let method: ODEMethod
    /// Number of real components n.
    public let dimension: Int
    /// Current time t (end of the last accepted step).
    public private(set) var time: Double
    /// Start of the last accepted step (= `time` before the first step).
    public private(set) var previousTime: Double
    /// Rounding error of `time` and `previousTime` as sums of the step sizes (compensated summation): the exact
    /// elapsed time is time + timeLow. Without it, t += h drifts by ~ulp(t) per step, a phase error ω·δt that reaches
    /// 1e-10 after ~10⁵ steps near t ~ 10³.
    private(set) var timeLow = 0.0
    private var previousTimeLow = 0.0
    /// Evaluations of f so far.
    public private(set) var evaluations: Int = 0

    let tableau: RKTableau
    let field: ThrowingODEField
    /// All coefficient rows in raw memory: a_s· at s (0 ..< S), then the error row, the 3rd-order error row (may be
    /// empty), the dense-output rows. `nodes` holds c_s.
    private let rows: FlatRows
    private let nodes: UnsafeMutablePointer<Double>
    private var errorRow: Int { tableau.stageCount }
    private var error3Row: Int { tableau.stageCount + 1 }
    private func denseRow(_ r: Int) -> Int { tableau.stageCount + 2 + r }

    // Workspace (one allocation): current state, previous state, trial state, stage argument, second error buffer,
    // the stage derivatives k_0 … k_{S−1} (S × n) and the dense-output vectors q_0 … (Q × n).
    private let storage: UnsafeMutablePointer<Double>
    private var y: UnsafeMutablePointer<Double>
    private var yOld: UnsafeMutablePointer<Double>
    private var yNew: UnsafeMutablePointer<Double>
    private let yStage: UnsafeMutablePointer<Double>
    private let work: UnsafeMutablePointer<Double>
    private let k: UnsafeMutablePointer<Double>
    private let q: UnsafeMutablePointer<Double>

    /// Step size of the pending trial (or of the last accepted step after `accept()`).
    private var h: Double = 0
    private var trialPending = false
    /// k[fsalStage] holds f(t, y) of the current state and must move to k[0] before the next trial.
    private var fsalPending = false
    private var hasAcceptedStep = false
    private var denseReady = false

    /// Creates a stepper at (t0, y0) and evaluates f(t0, y0) once.
    public convenience init(_ method: ODEMethod, y0: [Double], t0: Double, field: @escaping ODEField) throws {
        try self.init(method, y0: y0, t0: t0, throwingField: field)
    }

    init(_ method: ODEMethod, y0: [Double], t0: Double, throwingField field: @escaping ThrowingODEField) throws {
        guard !y0.isEmpty else { throw ODEError.invalidState("y0 is empty: give at least one component") }
        if let i = y0.firstIndex(where: { !$0.isFinite }) {
            throw ODEError.invalidState("y0[\(i)] = \(y0[i]) is not finite: the initial state must be finite")
        }
        guard t0.isFinite else { throw ODEError.invalidTimes("t0 = \(t0) is not finite") }
        self.method = method
        self.tableau = RKTableau.of(method)
        self.field = field
        let n = y0.count
        self.dimension = n
        self.time = t0
        self.previousTime = t0
        rows = FlatRows(tableau.a + [tableau.error, tableau.error3 ?? SparseRow([])] + tableau.denseRows)
        nodes = .allocate(capacity: tableau.stageCount)
        for s in 0..<tableau.stageCount { nodes[s] = tableau.c[s] }
        let total = n * (5 + tableau.stageCount + tableau.denseTerms)
        storage = .allocate(capacity: total)
        storage.initialize(repeating: 0, count: total)
        y = storage
        yOld = storage + n
        yNew = storage + 2 * n
        yStage = storage + 3 * n
        work = storage + 4 * n
        k = storage + 5 * n
        q = k + tableau.stageCount * n
        for i in 0..<n { y[i] = y0[i] }
        try evaluate(t0, y, into: k)
        if let i = (0..<n).first(where: { !k[$0].isFinite }) {
            throw ODEError.invalidState(
                "f(t0, y0) component \(i) is \(k[i]): the field is not finite at the initial state")
        }
    }

    deinit {
        storage.deallocate()
        nodes.deallocate()
    }

    /// The current state y(t).
    public var state: [Double] { Array(UnsafeBufferPointer(start: y, count: dimension)) }

    /// f(t, y) at the current state.
    public var derivative: [Double] {
        Array(UnsafeBufferPointer(start: fsalPending ? k + tableau.fsalStage * dimension : k, count: dimension))
    }

    // MARK: - Stages

    private func evaluate(_ t: Double, _ arg: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>)
        throws
    {
        evaluations += 1
        try field(t, UnsafeBufferPointer(start: arg, count: dimension), UnsafeMutableBufferPointer(start: out, count: dimension))
    }

    /// out = base + h Σ_j w_j k_j over row r (a sequence of axpys over contiguous rows: vectorisable).
    @inline(__always)
    private func combine(_ r: Int, h: Double, base: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let n = dimension
        if base != out { out.update(from: base, count: n) }
        var p = rows.start[r]
        let end = rows.start[r + 1]
        while p < end {
            let hw = h * rows.weight[p]
            let kj = k + rows.stage[p] * n
            for i in 0..<n { out[i] += hw * kj[i] }
            p += 1
        }
    }

    /// out = h Σ_j w_j k_j over row r.
    @inline(__always)
    private func weightedSum(_ r: Int, h: Double, into out: UnsafeMutablePointer<Double>) {
        out.update(repeating: 0, count: dimension)
        combine(r, h: h, base: out, into: out)
    }

    /// k_s = f(t_b + c_s h, y_b + h Σ_{j<s} a_sj k_j).
    private func stage(_ s: Int, h: Double, baseTime: Double, base: UnsafeMutablePointer<Double>) throws {
        combine(s, h: h, base: base, into: yStage)
        try evaluate(baseTime + nodes[s] * h, yStage, into: k + s * dimension)
    }

    // MARK: - Trial step and error

    /// Computes a trial step of size h (negative: backwards) and returns its scaled error
    /// ‖err‖ = sqrt(mean_i (err_i / (atol + rtol · max(|y_i|, |y_new,i|)))²) (DOP853: Hairer's combination of the
    /// 5th- and 3rd-order estimates). Returns +∞ when the trial state or error is not finite. The step is accepted
    /// (by the caller's policy, usually error ≤ 1) only through `accept()`.
    public func attempt(h: Double, relativeTolerance rtol: Double, absoluteTolerance atol: Double) throws -> Double {
        try trial(h: h)
        return errorNorm(relativeTolerance: rtol, absoluteTolerance: atol)
    }

    /// Computes the stages and y_new for step h, without error estimate.
    func trial(h: Double) throws {
        guard h.isFinite, h != 0 else {
            throw ODEError.invalidState("step size h = \(h) must be finite and non-zero")
        }
        let n = dimension
        if fsalPending {
            k.update(from: k + tableau.fsalStage * n, count: n)  // k_0 ← f(t, y) (first same as last)
            fsalPending = false
        }
        denseReady = false
        hasAcceptedStep = false
        trialPending = false
        self.h = h
        for s in 1..<tableau.stepStages {
            try stage(s, h: h, baseTime: time, base: y)
        }
        combine(tableau.fsalStage, h: h, base: y, into: yNew)  // y_new = y + h Σ b_j k_j
        if tableau.errorUsesFSAL, (0..<n).allSatisfy({ yNew[$0].isFinite }) {
            try evaluate(time + h, yNew, into: k + tableau.fsalStage * n)  // k_fsal = f(t + h, y_new)
        }
        trialPending = true
    }

    /// The scaled error of the pending trial step (+∞ if anything is non-finite).
    func errorNorm(relativeTolerance rtol: Double, absoluteTolerance atol: Double) -> Double {
        let n = dimension
        for i in 0..<n where !yNew[i].isFinite { return .infinity }
        weightedSum(errorRow, h: h, into: yStage)  // err5_i = h Σ e_j k_j,i
        var m5 = 0.0
        for i in 0..<n {
            let sc = atol + rtol * max(abs(y[i]), abs(yNew[i]))  // sc_i = atol + rtol·max(|y_i|, |y_new,i|)
            let r = scaled(yStage[i], sc)
            m5 += r * r
        }
        m5 /= Double(n)
        var err: Double
        if tableau.error3 != nil {
            // Hairer's DOP853: err = |h|·S5 / sqrt(n (S5 + 0.01·S3)) with the h-free sums S; with h inside the
            // estimates (means m = S h²/n) this is m5 / sqrt(m5 + 0.01·m3).
            weightedSum(error3Row, h: h, into: work)
            var m3 = 0.0
            for i in 0..<n {
                let sc = atol + rtol * max(abs(y[i]), abs(yNew[i]))
                let r = scaled(work[i], sc)
                m3 += r * r
            }
            m3 /= Double(n)
            let deno = m5 + 0.01 * m3
            err = deno > 0 ? m5 / deno.squareRoot() : 0
        } else {
            err = m5.squareRoot()
        }
        if tableau.errorUsesFSAL {
            let f = k + tableau.fsalStage * n
            for i in 0..<n where !f[i].isFinite { return .infinity }
        }
        return err.isFinite ? err : .infinity
    }

    /// e / sc, with 0/0 = 0 (a component that is exactly 0 under pure relative tolerance, atol = 0) and e/0 = ∞.
    @inline(__always)
    private func scaled(_ e: Double, _ sc: Double) -> Double {
        sc > 0 ? e / sc : (e == 0 ? 0 : .infinity)
    }

    /// Commits the pending trial step: t ← t + h, y ← y_new, and evaluates f(t + h, y_new) if the method did not
    /// already. Throws `ODEError.nonFinite` if there is no finite trial step to commit.
    public func accept() throws {
        guard trialPending else {
            throw ODEError.invalidState("accept() without a pending trial step: call attempt(h:…) first")
        }
        let n = dimension
        for i in 0..<n where !yNew[i].isFinite { throw ODEError.nonFinite(t: time) }
        if !tableau.errorUsesFSAL {
            try evaluate(time + h, yNew, into: k + tableau.fsalStage * n)
        }
        swap(&yOld, &y)
        swap(&y, &yNew)
        previousTime = time
        previousTimeLow = timeLow
        // TwoSum: time + h = s + e exactly; keep e in timeLow.
        let sum = time + h
        let hPart = sum - time
        let roundoff = (time - (sum - hPart)) + (h - hPart)
        time = sum
        timeLow += roundoff
        let renormalised = time + timeLow
        timeLow -= renormalised - time
        time = renormalised
        trialPending = false
        fsalPending = true
        hasAcceptedStep = true
        denseReady = false
    }

    /// Takes one step of size h regardless of the error (fixed-step use, order tests).
    public func fixedStep(h: Double) throws {
        try trial(h: h)
        try accept()
    }

    /// Sets the end time of the last accepted step exactly (the driver lands on its final output time with
    /// t_old + (t_end − t_old), which may differ from t_end by one rounding).
    func snapTime(to t: Double) {
        time = t
        timeLow = 0
    }

    /// The exactly compensated distance from the current time to `t` ((t − time) − timeLow).
    func distance(to t: Double) -> Double { (t - time) - timeLow }

    // MARK: - Dense output

    /// Builds q_0 … q_{Q−1} of the last accepted step (DOP853: evaluates its 3 extra stages first):
    /// q_0 = y_1 − y_0, q_1 = h f_0 − q_0, q_2 = q_0 − h f_1 − q_1, q_{3+r} = h Σ_j d_rj k_j.
    private func prepareDense() throws {
        let n = dimension
        for s in tableau.extraStages {
            try stage(s, h: h, baseTime: previousTime, base: yOld)
        }
        let q0 = q, q1 = q + n, q2 = q + 2 * n
        let f0 = k, f1 = k + tableau.fsalStage * n
        for i in 0..<n {
            let dy = y[i] - yOld[i]
            let bspl = h * f0[i] - dy
            q0[i] = dy
            q1[i] = bspl
            q2[i] = dy - h * f1[i] - bspl
        }
        for r in 0..<tableau.denseRows.count {
            weightedSum(denseRow(r), h: h, into: q + (3 + r) * n)
        }
        denseReady = true
    }

    /// Writes y(t) for t in the last accepted step [t_old, t_new] (θ = (t − t_old)/h, θ₁ = 1 − θ):
    /// y(t) = y_0 + θ(q_0 + θ₁(q_1 + θ(q_2 + θ₁(q_3 + θ(q_4 + θ₁(q_5 + θ q_6)))))) — DOPRI5 stops at q_3.
    /// Values slightly outside the step extrapolate the same polynomial.
    public func denseOutput(at t: Double, into out: UnsafeMutableBufferPointer<Double>) throws {
        guard hasAcceptedStep else {
            throw ODEError.invalidState("dense output needs an accepted step: call accept() after attempt(h:…)")
        }
        guard out.count == dimension else {
            throw ODEError.invalidState("dense output buffer has \(out.count) components, expected \(dimension)")
        }
        if !denseReady { try prepareDense() }
        let n = dimension
        let theta = ((t - previousTime) - previousTimeLow) / h  // θ = (t − t_old)/h with the compensated t_old
        let theta1 = 1 - theta
        let terms = tableau.denseTerms
        for i in 0..<n {
            var acc = q[(terms - 1) * n + i]
            var j = terms - 2
            while j >= 0 {
                // The factor in front of the bracket that holds q_{j+1}: θ₁ when j+1 is odd, θ when even.
                acc = q[j * n + i] + ((j + 1) & 1 == 1 ? theta1 : theta) * acc
                j -= 1
            }
            out[i] = yOld[i] + theta * acc
        }
    }

    /// y(t) for t in the last accepted step, as an array.
    public func denseOutput(at t: Double) throws -> [Double] {
        var out = [Double](repeating: 0, count: dimension)
        try out.withUnsafeMutableBufferPointer { try denseOutput(at: t, into: $0) }
        return out
    }
}
