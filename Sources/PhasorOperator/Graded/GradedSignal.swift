// A graded signal: the truncated power series y(ε) = Σ_{p=0}^{P} ε^p y^[p] that every activation of the network
// becomes when the input is scaled u → εu (DESIGN.md §7). y^[p] is homogeneous of degree p in u; degree 0 is the
// network's response to u = 0 (the biases' constant part). All degrees share one flat shape of `count` scalars;
// storage is degree-major: component p occupies data[p·count ..< (p+1)·count].
//   linear maps keep the degree:          (A y)^[p] = A y^[p]   (constant offsets enter degree 0 only)
//   products add degrees (Cauchy):         (x·y)^[p] = Σ_{q=0}^{p} x^[q] y^[p−q],   truncated at P
//   evaluation at ε:                       y(ε) = Σ_p ε^p y^[p]

/// A truncated power series in ε of arrays of one shape: Σ_{p=0}^{order} ε^p component(p).
public struct GradedSignal: Sendable, Equatable {
    /// The truncation order P (components 0…P are kept).
    public let order: Int
    /// Scalars per component.
    public let count: Int
    /// Degree-major storage, (order + 1)·count values.
    public var data: [Double]

    /// All components zero.
    public init(order: Int, count: Int) {
        self.order = order
        self.count = count
        data = [Double](repeating: 0, count: (order + 1) * count)
    }

    /// A signal from its components (each of `count` values; missing higher components are zero).
    public init(order: Int, components: [[Double]]) throws {
        guard let first = components.first else { throw OperatorError.invalid("a graded signal needs at least its degree-0 component") }
        guard components.count <= order + 1 else {
            throw OperatorError.invalid("got \(components.count) components for truncation order \(order)")
        }
        self.init(order: order, count: first.count)
        for (p, c) in components.enumerated() {
            guard c.count == count else { throw OperatorError.invalid("component \(p) has \(c.count) values, degree 0 has \(count)") }
            data.replaceSubrange(p * count ..< (p + 1) * count, with: c)
        }
    }

    /// y^[p] as an array.
    public func component(_ p: Int) -> [Double] {
        guard p >= 0, p <= order else { return [Double](repeating: 0, count: count) }
        return Array(data[p * count ..< (p + 1) * count])
    }

    /// Σ_{p ≤ through} ε^p y^[p]: the series truncated at degree `through` and evaluated at ε.
    public func sum(through: Int? = nil, epsilon: Double = 1) -> [Double] {
        let top = min(through ?? order, order)
        var out = [Double](repeating: 0, count: count)
        var e = 1.0
        for p in 0...max(top, 0) {
            let o = p * count
            for i in 0..<count { out[i] += e * data[o + i] }            // + ε^p y^[p]
            e *= epsilon
        }
        return out
    }

    /// x + y, degree by degree.
    public static func + (x: GradedSignal, y: GradedSignal) -> GradedSignal {
        var out = x
        for i in 0..<out.data.count { out.data[i] += y.data[i] }
        return out
    }

    /// The Cauchy product x·y (elementwise in the array index), truncated at P: (xy)^[p] = Σ_q x^[q] y^[p−q].
    public static func * (x: GradedSignal, y: GradedSignal) -> GradedSignal {
        let n = x.count, P = x.order
        var out = GradedSignal(order: P, count: n)
        x.data.withUnsafeBufferPointer { xb in y.data.withUnsafeBufferPointer { yb in out.data.withUnsafeMutableBufferPointer { ob in
            for p in 0...P {
                let o = ob.baseAddress! + p * n
                for q in 0...p {
                    let a = xb.baseAddress! + q * n, b = yb.baseAddress! + (p - q) * n
                    for i in 0..<n { o[i] += a[i] * b[i] }
                }
            }
        } } }
        return out
    }

    /// The first degree whose component holds NaN or ±Inf, or nil.
    public func firstNonFiniteDegree() -> Int? {
        for p in 0...order {
            let o = p * count
            for i in 0..<count where !data[o + i].isFinite { return p }
        }
        return nil
    }

    /// Throws `OperatorError.overflow` naming `quantity` if any component is not finite.
    public func requireFinite(_ quantity: @autoclosure () -> String) throws {
        if let p = firstNonFiniteDegree() { throw OperatorError.overflow(quantity: quantity(), order: p) }
    }
}
