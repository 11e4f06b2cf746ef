// The S4D kernel of one core evaluated at one length, with the discretisation it came from: what a forward pass
// convolves with and what the backward pass's adjoint needs (the formulas are in S4DKernel.swift):
//   forward   K_h[l] = 2·Re Σ_n C̃_hn e^{l·w_hn},  l < L          (DiscreteS4D.kernel, by blocked powers)
//   backward  ∂L/∂θ = (∂K/∂θ)ᵀ ∂L/∂K,  θ = (log Δ, C, log(−Re λ), Im λ)   (S4DKernelParameters.backward)
// Tap l depends on l alone, not on L, so an evaluation at the longest length L of a batch serves a shorter sequence
// of L′ steps by its first L′ taps (equal to an evaluation at L′ up to rounding: the blocked powers' block size follows
// L), and a gradient ∂L/∂K of L′ taps is the one of L taps with zeros after L′. That is what lets the parts of a
// training batch share one evaluation and one adjoint (Model/SharedKernels.swift).

/// K (H, L) of one S4D core, its discretisation and its parameters (for the adjoint).
struct S4DKernelEvaluation: Sendable {
    /// θ: the core's kernel parameters the evaluation was made from.
    let parameters: S4DKernelParameters
    let discrete: DiscreteS4D
    /// K, shape (H, length).
    let kernel: [Double]
    let length: Int

    /// K of `core` at `length`; throws as `S4DCore.discretised` does (a step Δ that is not positive, an overflow).
    init(_ core: S4DCore, length: Int) throws {
        parameters = core.kernel
        discrete = try core.discretised()
        kernel = discrete.kernel(length: length)
        self.length = length
    }

    var channels: Int { parameters.channels }

    /// The first L′ ≤ length taps of every channel, shape (H, L′).
    func taps(_ count: Int) -> [Double] {
        precondition(count >= 1 && count <= length, "\(count) taps of a kernel evaluated at \(length)")
        if count == length { return kernel }
        var out = [Double](repeating: 0, count: channels * count)
        for h in 0..<channels { for l in 0..<count { out[h * count + l] = kernel[h * length + l] } }
        return out
    }

    /// ∂L/∂K of L′ taps per channel, (H, L′), as one of `length` taps: zeros after L′ (those taps reach no output).
    func padded(_ gradient: [Double], taps count: Int) -> [Double] {
        precondition(count >= 1 && count <= length && gradient.count == channels * count, "a kernel gradient of \(count) taps")
        if count == length { return gradient }
        var out = [Double](repeating: 0, count: channels * length)
        for h in 0..<channels { for l in 0..<count { out[h * length + l] = gradient[h * count + l] } }
        return out
    }

    /// ∂L/∂θ of ∂L/∂K, shape (H, length).
    func parameterGradients(_ kernelGradient: [Double]) -> S4DKernelGradients {
        parameters.backward(kernelGradient: kernelGradient, length: length, discrete: discrete)
    }
}

extension S4DKernelGradients {
    /// Zeros in the layout of `p`.
    init(zerosLike p: S4DKernelParameters) {
        self.init(logDt: .init(repeating: 0, count: p.logDt.count), C: .init(repeating: 0, count: p.C.count),
                  logAReal: .init(repeating: 0, count: p.logAReal.count), AImag: .init(repeating: 0, count: p.AImag.count))
    }
}
