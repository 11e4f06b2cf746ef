// A classifier read once for the explicit operator: its typed parts (encoder, the blocks' norms, cores and heads,
// decoder). Every linear map of the graded evaluation is the model's own primitive applied to each degree — Encoder,
// LayerNorm (frozen gains) or BatchNorm (affine in evaluation), the head's linear map to 2H (MatrixProduct),
// MaskedMeanPool, Decoder: PhasorModels' `package` layers — and the core is the model's own core (`SequenceCore.
// output`), which is linear for the LTI cores (S4D, LinOSS), so it maps each degree on its own. The operator adds
// only what is new: degrees, Cauchy products and the expansions of the nonlinearities. (S6 is not LTI: its operator
// is the data-dependent kernel of one input, not this polynomial.)
//   encoder   x[b,h,l] = Σ_i W[h,i]·in[b,l,i] (+ bias[h] on degree 0)
//   head      z[b,o,l] = Σ_h W[o,h]·a[b,h,l]  (+ bias[o] on degree 0)
//   pool      p[b,h]   = (1/n_b) Σ_{l<n_b} x[b,h,l]
//   decoder   logit[b,c] = Σ_h W[c,h]·p[b,h]  (+ bias[c] on degree 0)
import PhasorModels
import PhasorNumerics

/// A classifier's parts, read once, with the linear maps of its forward pass on graded data.
public struct OperatorModel: Sendable {
    public let model: S4Model
    /// The residual blocks (norm, core, head).
    public let blocks: [ResidualBlock]
    let encoderMap: LinearMap
    let decoderMap: LinearMap

    public var configuration: S4ModelConfiguration { model.configuration }
    public var channels: Int { model.configuration.dModel }

    public init(_ model: S4Model) throws {
        self.model = model
        blocks = model.blocks
        for (i, b) in blocks.enumerated() {
            if case .s6 = b.core {
                throw OperatorError.unsupported("the polynomial operator of a model with S6 cores (block \(i) is selective, not "
                    + "LTI: its operator is the data-dependent kernel K_t,s of one input)")
            }
        }
        encoderMap = model.encoder
        decoderMap = model.decoder
    }

    /// The GELU form of each layer's head (erf or tanh), the function a surrogate of that layer approximates.
    public var geluForms: [GELUForm] { blocks.map { $0.head.gatedGELU.gelu } }

    /// The Taylor formulation expands GELU by the erf form's own series; a model with tanh-form heads has none here.
    func requireErfGELU() throws {
        guard geluForms.allSatisfy({ $0 == .erf }) else {
            throw OperatorError.unsupported("the Taylor formulation of the tanh-form GELU (this model's heads; use the chebyshev formulation)")
        }
    }

    /// The encoder's linear part W·in (no bias): (B, L, d_in) → (B, H, L).
    func encode(_ input: [Double], batch: Int, length L: Int) -> [Double] {
        EncoderLayer.forward(input, weight: encoderMap.weight, bias: [Double](repeating: 0, count: channels), batch: batch,
                        length: L, dInput: configuration.dInput, channels: channels)
    }

    /// out (samples, m, L) = W (m×k) · a (samples, k, L) per sample, no bias (the head's 1×1 convolution).
    static func channelMap(_ a: [Double], weight: [Double], samples: Int, inChannels k: Int, outChannels m: Int, length L: Int) -> [Double] {
        var z = [Double](repeating: 0, count: samples * m * L)
        a.withUnsafeBufferPointer { ab in weight.withUnsafeBufferPointer { wb in z.withUnsafeMutableBufferPointer { zb in
            for b in 0..<samples {                                            // Z_b = W · A_b
                MatrixProduct.gemm(transA: false, transB: false, m: m, n: L, k: k, alpha: 1, a: wb.baseAddress!, lda: k,
                                   b: ab.baseAddress! + b * k * L, ldb: L, beta: 0, c: zb.baseAddress! + b * m * L, ldc: L)
            }
        } } }
        return z
    }

    /// Masked mean over L then the decoder without bias: (samples, H, L) → (samples, classes); sample s has length
    /// `lengths[s % lengths.count]`.
    func poolAndDecode(_ x: [Double], samples: Int, lengths: [Int], length L: Int) -> [Double] {
        let lens = (0..<samples).map { lengths[$0 % lengths.count] }
        let pooled = MaskedMeanPool.forward(x, lengths: lens, batch: samples, channels: channels, length: L)
        return DecoderLayer.forward(pooled, weight: decoderMap.weight, bias: [Double](repeating: 0, count: configuration.classes),
                               batch: samples, channels: channels, classes: configuration.classes)
    }
}
