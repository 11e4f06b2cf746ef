// The oscillator commands' JSON (`phasor oscillator`, `network`, `kuramoto --json`): each solution type encodes itself
// with snake_case keys, complex numbers as [re, im] and undefined numbers (a blow-up time that never comes, an
// infinite κ(V)) as null.
import PhasorNumerics

private func pair(_ z: Complex<Double>) -> [Double] { [z.real, z.imaginary] }

extension OscillatorTrajectory: Encodable {
    enum CodingKeys: String, CodingKey { case times, z, blowupTime = "blowup_time" }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(times, forKey: .times)
        try c.encode(states.map(pair), forKey: .z)
        try c.encode(blowupTime, forKey: .blowupTime)                       // null: no blow-up
    }
}

extension NetworkSolution: Encodable {
    enum CodingKeys: String, CodingKey {
        case times, z, route, eigenvectorCondition = "eigenvector_condition", converging, termNorms = "term_norms"
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(times, forKey: .times)
        try c.encode(states.map { $0.map(pair) }, forKey: .z)
        try c.encode(route.rawValue, forKey: .route)
        try c.encode(eigenvectorCondition.flatMap { $0.isFinite ? $0 : nil }, forKey: .eigenvectorCondition)   // null: ∞ or not computed
        if let d = dyson {
            try c.encode(d.converging, forKey: .converging)
            try c.encode(d.termNorms, forKey: .termNorms)
        }
    }
}

extension KuramotoSolution: Encodable {
    enum CodingKeys: String, CodingKey { case times, theta, order, orderPhase = "order_phase" }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(times, forKey: .times)
        try c.encode(theta, forKey: .theta)
        try c.encode(order, forKey: .order)
        try c.encode(orderPhase, forKey: .orderPhase)
    }
}
