// AdamW (Loshchilov & Hutter, decoupled weight decay) with the two parameter groups of state-spaces `example.py`,
// the same update as `torch.optim.AdamW`. With η = lr·scale (the schedule's factor), at step t = 1, 2, …:
//   θ ← θ·(1 − η·wd)                                  (decoupled decay)
//   m ← β₁m + (1−β₁)g,   v ← β₂v + (1−β₂)g²
//   θ ← θ − η·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)
// Optional global-norm clipping first: g ← g·min(1, c/(‖g‖₂ + 1e-6)) (torch.nn.utils.clip_grad_norm_).
// Buffers (BatchNorm's running statistics, `S4ModelConfiguration.isBuffer`) are not parameters: no moments, no decay, no step.
import Foundation

/// Hyper-parameters of `AdamW`. SSM parameters (log_dt, log_A_real, A_imag) form their own group.
public struct AdamWConfiguration: Sendable, Equatable, Codable {
    public var learningRate: Double
    public var weightDecay: Double
    public var ssmLearningRate: Double
    public var ssmWeightDecay: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// Global gradient-norm bound, or nil for no clipping.
    public var gradientClip: Double?

    public init(learningRate: Double = 0.01, weightDecay: Double = 0.01, ssmLearningRate: Double = 0.001,
                ssmWeightDecay: Double = 0, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                gradientClip: Double? = nil) {
        self.learningRate = learningRate; self.weightDecay = weightDecay
        self.ssmLearningRate = ssmLearningRate; self.ssmWeightDecay = ssmWeightDecay
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.gradientClip = gradientClip
    }

    /// (learning rate, weight decay) of the group `name` belongs to.
    public func group(of name: String) -> (learningRate: Double, weightDecay: Double) {
        S4ModelConfiguration.isSSMParameter(name) ? (ssmLearningRate, ssmWeightDecay) : (learningRate, weightDecay)
    }
}

/// The optimiser and its state (step count and first/second moments), restorable for exact resumption.
public struct AdamW: Sendable {
    public var configuration: AdamWConfiguration
    /// Number of steps taken.
    public private(set) var step: Int = 0
    private var first: ParameterStore
    private var second: ParameterStore

    /// A fresh optimiser for parameters with these names and shapes (buffers among them are left out).
    public init(parameters: ParameterStore, configuration: AdamWConfiguration) {
        self.configuration = configuration
        // Names are unique in `parameters`, so the subset's are too.
        first = try! ParameterStore(parameters.parameters.filter { !S4ModelConfiguration.isBuffer($0.name) }).zeros()
        second = first
    }

    /// Restores an optimiser from `state` (as produced by the `state` property) and its step count.
    public init(parameters: ParameterStore, configuration: AdamWConfiguration, state: ParameterStore, step: Int) throws {
        self.init(parameters: parameters, configuration: configuration)
        guard step >= 0 else { throw ModelError.invalidConfiguration("optimiser step count \(step) is negative") }
        for p in parameters.parameters where !S4ModelConfiguration.isBuffer(p.name) {
            let m = try state.parameter("exp_avg." + p.name), v = try state.parameter("exp_avg_sq." + p.name)
            guard m.values.count == p.values.count else { throw ModelError.shapeMismatch(key: m.name, expected: p.shape, found: m.shape) }
            guard v.values.count == p.values.count else { throw ModelError.shapeMismatch(key: v.name, expected: p.shape, found: v.shape) }
            try first.setValues(p.name, m.values); try second.setValues(p.name, v.values)
        }
        try state.requireFinite()
        self.step = step
    }

    /// The moments as named tensors `exp_avg.<name>` and `exp_avg_sq.<name>` (PyTorch's names), for checkpoints.
    public var state: ParameterStore {
        var out = ParameterStore()
        // Names are unique by construction (prefixes differ, the stores have unique names).
        for p in first.parameters { try! out.append(Parameter(name: "exp_avg." + p.name, shape: p.shape, values: p.values)) }
        for p in second.parameters { try! out.append(Parameter(name: "exp_avg_sq." + p.name, shape: p.shape, values: p.values)) }
        return out
    }

    /// One update of `parameters` with `gradients` (same names, in the order the optimiser was made with), the learning
    /// rates multiplied by `learningRateScale` (e.g. `CosineSchedule.scale(step:)`). Buffers are not touched.
    public mutating func step(_ parameters: inout ParameterStore, gradients: ParameterStore, learningRateScale: Double) {
        var grads = gradients
        if let c = configuration.gradientClip { _ = clipGradientNorm(&grads, maxNorm: c) }
        step += 1
        let c = configuration
        let bc1 = 1 - Foundation.pow(c.beta1, Double(step)), bc2 = 1 - Foundation.pow(c.beta2, Double(step))
        var k = -1                                                              // position among the moments
        for i in 0..<parameters.count {
            var p = parameters[i]
            if S4ModelConfiguration.isBuffer(p.name) { continue }
            k += 1
            guard let g = try? grads.values(p.name) else { continue }   // a parameter without a gradient stays
            let (lr0, wd) = c.group(of: p.name)
            let lr = lr0 * learningRateScale
            var m = first[k], v = second[k]
            for j in 0..<p.values.count {
                p.values[j] *= 1 - lr * wd                                            // decoupled decay
                m.values[j] = c.beta1 * m.values[j] + (1 - c.beta1) * g[j]
                v.values[j] = c.beta2 * v.values[j] + (1 - c.beta2) * g[j] * g[j]
                let mh = m.values[j] / bc1, vh = v.values[j] / bc2
                p.values[j] -= lr * mh / (vh.squareRoot() + c.epsilon)
            }
            parameters[i] = p; first[k] = m; second[k] = v
        }
    }
}

/// Scales all gradients by min(1, maxNorm/(‖g‖₂ + 1e-6)) and returns the norm before scaling.
@discardableResult
public func clipGradientNorm(_ gradients: inout ParameterStore, maxNorm: Double) -> Double {
    var sum = 0.0
    for p in gradients.parameters { for v in p.values { sum += v * v } }
    let norm = sum.squareRoot()
    let scale = maxNorm / (norm + 1e-6)
    if scale < 1 {
        for i in 0..<gradients.count {
            var p = gradients[i]
            for j in 0..<p.values.count { p.values[j] *= scale }
            gradients[i] = p
        }
    }
    return norm
}

/// Learning-rate factor: linear warm-up (s+1)/w for s < w, then ½(1 + cos(π(s − w)/(T − w))), and 0 from T on.
public struct CosineSchedule: Sendable, Equatable, Codable {
    public var totalSteps: Int
    public var warmupSteps: Int

    public init(totalSteps: Int, warmupSteps: Int = 0) {
        self.totalSteps = max(totalSteps, 1)
        self.warmupSteps = min(max(warmupSteps, 0), max(totalSteps, 1))
    }

    public func scale(step: Int) -> Double {
        if step < warmupSteps { return Double(step + 1) / Double(warmupSteps) }
        if step >= totalSteps { return 0 }
        let progress = Double(step - warmupSteps) / Double(totalSteps - warmupSteps)
        return 0.5 * (1 + Foundation.cos(Double.pi * progress))
    }
}

extension S4Model {
    /// One optimiser step on this model's parameters (in place; names and sizes never change).
    public mutating func step(_ optimizer: inout AdamW, gradients: ParameterStore, learningRateScale: Double) {
        optimizer.step(&parameters, gradients: gradients, learningRateScale: learningRateScale)
    }
}
