// An S4Model read once for the explicit operator: its typed parts (encoder, blocks, decoder). Every linear map of the
// graded evaluation is the model's own primitive applied to each degree — Encoder, LayerNorm (frozen gains),
// BatchNorm (evaluation: affine), the head's maps (MatrixProduct), the pooling, Decoder: PhasorModels' `package`
// layers — and the core is the model's own (`SequenceCore.output`: S4D's convolution, S5's and the LRU's scans; every
// core is linear). The operator adds only what is new: degrees, Cauchy products and the expansions of the
// nonlinearities.
//   encoder   x[b,h,l] = Σ_i W[h,i]·in[b,l,i] (+ bias[h] on degree 0)
//   1×1 conv  z[b,o,l] = Σ_h W[o,h]·a[b,h,l]  (+ bias[o] on degree 0)
//   pool      p[b,h]   = (1/n_b) Σ_{l<n_b} x[b,h,l]
//   decoder   logit[b,c] = Σ_h W[c,h]·p[b,h]  (+ bias[c] on degree 0)
// Exact by construction: when every head is bilinear (no GELU, no sigmoid) each block maps a polynomial of degree d
// to one of degree 2d (x + (W₁N(x) + b₁)⊙(W₂N(x) + b₂) with N affine), so the model is a polynomial of degree 2ⁿ in
// its input (n blocks) — with BatchNorm or no norm; with LayerNorm only once its gains are frozen at the input, since
// the gain 1/√(var + ε) is not polynomial. The graded evaluation at order 2ⁿ then IS the model, with no surrogate.
import PhasorModels
import PhasorNumerics

/// An S4Model's parts, read once, with the linear maps of its forward pass on graded data.
public struct OperatorModel: Sendable {
    public let model: S4Model
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

    /// The model's own GELU of each layer, as an expansion (erf or tanh form).
    public var exactGELU: [PointwiseExpansion] { blocks.map { $0.head.geluForm == .erf ? .gelu : .geluTanh } }

    /// The model's own gate (σ) of each layer, as an expansion.
    public var exactGate: [PointwiseExpansion] { [PointwiseExpansion](repeating: .sigmoid, count: blocks.count) }

    /// The largest 2ⁿ the exact graded evaluation runs at (6 bilinear blocks); its cost grows as (2ⁿ)² per element.
    public static let maximumExactDegree = 64

    /// The model's degree as a polynomial in its input when every head is bilinear, 2ⁿ for n blocks (1: no blocks);
    /// nil when a head has GELU and a sigmoid (then only surrogates are polynomial).
    public var exactDegree: Int? {
        guard blocks.allSatisfy({ $0.head.kind == .bilinear }) else { return nil }
        return blocks.count < 62 ? 1 << blocks.count : Int.max
    }

    /// Whether the exact operator needs the LayerNorm gains frozen at the input (true when some norm is a LayerNorm).
    public var exactNeedsFrozenGains: Bool { blocks.contains { $0.norm.kind == .layer } }

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

    /// The model's pooling (masked mean or last valid step) then the decoder without bias: (samples, H, L) →
    /// (samples, classes); sample s has length `lengths[s % lengths.count]`.
    func poolAndDecode(_ x: [Double], samples: Int, lengths: [Int], length L: Int) -> [Double] {
        let lens = (0..<samples).map { lengths[$0 % lengths.count] }
        let pooled = SequencePooling.forward(x, kind: configuration.pooling, lengths: lens, batch: samples, channels: channels, length: L)
        return DecoderLayer.forward(pooled, weight: decoderMap.weight, bias: [Double](repeating: 0, count: configuration.classes),
                               batch: samples, channels: channels, classes: configuration.classes)
    }
}
