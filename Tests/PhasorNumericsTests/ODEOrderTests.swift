// The order of each method and of its dense output, measured with fixed steps h and h/2 on a smooth non-autonomous
// nonlinear problem with a closed-form solution (a wrong digit in any coefficient shows up as order loss), plus the
// consistency of the coefficient tables themselves.
@testable import PhasorNumerics
import Testing

/// A smooth test problem with its exact solution.
private struct Problem {
    let field: ODEField
    let exact: (Double) -> [Double]

    /// y' = −2t y², y(0) = 1  ⇒  y(t) = 1/(1 + t²) (non-autonomous, nonlinear).
    static var rational: Problem {
        Problem(field: { t, y, dy in dy[0] = -2 * t * y[0] * y[0] }, exact: { [1 / (1 + $0 * $0)] })
    }

    /// x' = −y r², y' = x r² (r² = x² + y²), (x, y)(0) = (1, 0)  ⇒  (cos t, sin t) (nonlinear system).
    static var circle: Problem {
        Problem(
            field: { _, y, dy in
                let r2 = y[0] * y[0] + y[1] * y[1]
                dy[0] = -y[1] * r2
                dy[1] = y[0] * r2
            }, exact: { [Double.cos($0), Double.sin($0)] })
    }

    func distance(_ y: [Double], _ t: Double) -> Double {
        zip(y, exact(t)).map { abs($0 - $1) }.max() ?? 0
    }
}

/// Global error at t = T after N fixed steps from the exact state at 0.
private func globalError(_ method: ODEMethod, _ p: Problem, steps: Int, horizon: Double) throws -> Double {
    let stepper = try ODEStepper(method, y0: p.exact(0), t0: 0, field: p.field)
    let h = horizon / Double(steps)
    for _ in 0..<steps { try stepper.fixedStep(h: h) }
    return p.distance(stepper.state, horizon)
}

/// Local errors of one step of size h from the exact state at t0: of the step itself and of its dense output at
/// t0 + 0.4 h.
private func localErrors(_ method: ODEMethod, _ p: Problem, t0: Double, h: Double) throws -> (step: Double, dense: Double) {
    let stepper = try ODEStepper(method, y0: p.exact(t0), t0: t0, field: p.field)
    try stepper.fixedStep(h: h)
    let mid = try stepper.denseOutput(at: t0 + 0.4 * h)
    return (p.distance(stepper.state, t0 + h), p.distance(mid, t0 + 0.4 * h))
}

@Test(arguments: ODEMethod.allCases)
func tableauRowsAreConsistent(_ method: ODEMethod) {
    let tab = RKTableau.of(method)
    #expect(tab.a.count == tab.c.count)
    // Σ_j a_sj = c_s for every stage (the stage is at the time it claims).
    for s in 0..<tab.stageCount {
        #expect(abs(tab.a[s].sum - tab.c[s]) <= 1e-14, "stage \(s)")
        #expect(tab.a[s].stages.allSatisfy { $0 < s }, "row \(s) is explicit")
    }
    // b sums to 1 (row of the FSAL stage), error weights sum to 0 (difference of two consistent weight vectors).
    #expect(abs(tab.a[tab.fsalStage].sum - 1) <= 1e-14)
    #expect(abs(tab.error.sum) <= 1e-14)
    if let e3 = tab.error3 { #expect(abs(e3.sum) <= 1e-14) }
}

// Observed order log2(e(h)/e(h/2)) in the asymptotic range (found by halving h until the ratio settles, and
// stopping well above rounding). A wrong digit in a coefficient drops the order by at least one.

@Test func dopri5GlobalErrorIsFifthOrder() throws {
    let e1 = try globalError(.dopri5, .circle, steps: 64, horizon: 4)
    let e2 = try globalError(.dopri5, .circle, steps: 128, horizon: 4)
    #expect(e2 > 1e-12)
    #expect(abs(Double.log2(e1 / e2) - 5) < 0.4, "order \(Double.log2(e1 / e2))")
    let r1 = try globalError(.dopri5, .rational, steps: 64, horizon: 2)
    let r2 = try globalError(.dopri5, .rational, steps: 128, horizon: 2)
    #expect(abs(Double.log2(r1 / r2) - 5) < 0.4, "order \(Double.log2(r1 / r2))")
}

@Test func dop853GlobalErrorIsEighthOrder() throws {
    let e1 = try globalError(.dop853, .circle, steps: 8, horizon: 4)
    let e2 = try globalError(.dop853, .circle, steps: 16, horizon: 4)
    let e3 = try globalError(.dop853, .circle, steps: 32, horizon: 4)
    #expect(e3 > 1e-14)
    #expect(abs(Double.log2(e1 / e2) - 8) < 0.4, "order \(Double.log2(e1 / e2))")
    #expect(abs(Double.log2(e2 / e3) - 8) < 0.4, "order \(Double.log2(e2 / e3))")
}

@Test func dopri5LocalStepAndDenseOutputOrders() throws {
    // Local error of one step O(h^6); of the dense output inside the step O(h^5) (continuous extension of order 4).
    let a = try localErrors(.dopri5, .rational, t0: 0.3, h: 1.0 / 16)
    let b = try localErrors(.dopri5, .rational, t0: 0.3, h: 1.0 / 32)
    let c = try localErrors(.dopri5, .rational, t0: 0.3, h: 1.0 / 64)
    #expect(abs(Double.log2(a.step / b.step) - 6) < 0.4, "step \(Double.log2(a.step / b.step))")
    #expect(abs(Double.log2(b.dense / c.dense) - 5) < 0.4, "dense \(Double.log2(b.dense / c.dense))")
    #expect(abs(Double.log2(a.dense / b.dense) - 5) < 0.4, "dense \(Double.log2(a.dense / b.dense))")
}

@Test func dop853LocalStepAndDenseOutputOrders() throws {
    // Local error of one step O(h^9); of the dense output O(h^8) (continuous extension of order 7).
    let a = try localErrors(.dop853, .circle, t0: 0.3, h: 0.5)
    let b = try localErrors(.dop853, .circle, t0: 0.3, h: 0.25)
    let c = try localErrors(.dop853, .circle, t0: 0.3, h: 0.125)
    #expect(c.step > 1e-15)
    #expect(abs(Double.log2(b.step / c.step) - 9) < 0.4, "step \(Double.log2(b.step / c.step))")
    #expect(abs(Double.log2(a.dense / b.dense) - 8) < 0.5, "dense \(Double.log2(a.dense / b.dense))")
    #expect(abs(Double.log2(b.dense / c.dense) - 8) < 0.4, "dense \(Double.log2(b.dense / c.dense))")
}

@Test(arguments: ODEMethod.allCases)
func denseOutputMatchesTheStepAtItsEnds(_ method: ODEMethod) throws {
    let stepper = try ODEStepper(method, y0: [0.7], t0: 0.1, field: Problem.rational.field)
    try stepper.fixedStep(h: 0.3)
    #expect(try stepper.denseOutput(at: 0.1)[0] == 0.7)
    #expect(abs(try stepper.denseOutput(at: 0.4)[0] - stepper.state[0]) <= 1e-15)
}
