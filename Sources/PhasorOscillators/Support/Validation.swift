// Input checks shared by every solver of this layer: parameters are finite, output times are finite, ≥ 0 (the
// initial time is 0) and non-decreasing.

import PhasorNumerics

enum Validate {
    /// Throws `.nonFiniteParameter(name)` unless `value` is finite.
    static func finite(_ value: Double, _ name: @autoclosure () -> String) throws(OscillatorError) {
        guard value.isFinite else { throw .nonFiniteParameter(name()) }
    }

    /// Throws `.nonFiniteParameter(name[i])` unless every element is finite.
    static func finite(_ values: [Double], _ name: String) throws(OscillatorError) {
        if let k = values.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteParameter("\(name)[\(k)]") }
    }

    /// Throws `.nonFiniteParameter(name[i])` unless every element has finite real and imaginary parts.
    static func finite(_ values: [Complex<Double>], _ name: String) throws(OscillatorError) {
        if let k = values.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteParameter("\(name)[\(k)]") }
    }

    /// Throws `.invalid` with the limit's message when `estimate` exceeds the memory or work limit (ResourceLimits).
    static func size(_ estimate: JobEstimate, job: String, fix: String) throws(OscillatorError) {
        do { try ResourceLimits.require(estimate, job: job, limitWork: true, fix: fix) } catch { throw .invalid(error.description) }
    }

    /// Output times: finite, ≥ 0, non-decreasing.
    static func times(_ times: [Double]) throws(OscillatorError) {
        for (k, t) in times.enumerated() {
            guard t.isFinite else { throw .timesNotIncreasing(index: k) }
            guard t >= 0 else { throw .negativeTime(index: k, value: t) }
            if k > 0, t < times[k - 1] { throw .timesNotIncreasing(index: k) }
        }
    }
}

/// Stable helper functions of the closed forms (see docs/oscillators.md §1).
enum Special {
    /// E₁(y) = (eʸ − 1)/y, with E₁(0) = 1; relative accuracy from expm1 for every y.
    @inline(__always) static func e1(_ y: Double) -> Double {
        y == 0 ? 1 : Double.expMinusOne(y) / y
    }

    /// L(x) = log(1 + x)/x, with L(0) = 1; relative accuracy from log1p for every x > −1.
    @inline(__always) static func l1(_ x: Double) -> Double {
        x == 0 ? 1 : Double.log(onePlus: x) / x
    }

    /// Complex E₁(w)·h = (e^{wh} − 1)/w: the ZOH input gain of a mode with rate w over a step h (h when w = 0).
    @inline(__always) static func zohGain(_ w: Complex<Double>, _ h: Double) -> Complex<Double> {
        let wh = w.multiplied(by: h)
        if wh == .zero { return Complex(h) }
        return Complex.expMinusOne(wh) / w
    }
}
