// The parameters of an S4Model laid out for the explicit operator, and the dense maps it needs on (B, H, L)
// arrays. The SSM itself (kernel and causal convolution) is the model's own code: `S4DLayer.ssmOutput`.
//   encoder   x[b,h,l] = Σ_i W[h,i]·in[b,l,i] (+ bias[h] on degree 0)
//   1×1 conv  z[b,o,l] = Σ_h W[o,h]·a[b,h,l]  (+ bias[o] on degree 0)         (BLAS dgemm per sample)
//   pool      p[b,h]   = (1/n_b) Σ_{l<n_b} x[b,h,l]
//   decoder   logit[b,c] = Σ_h W[c,h]·p[b,h]  (+ bias[c] on degree 0)
import CLapack
import PhasorModels
import PhasorNumerics

/// An S4Model's parameters, read once, with the linear maps of its forward pass.
public struct OperatorModel: Sendable {
    public let model: S4Model
    public let layers: [S4DLayer]
    let encoderWeight: [Double], encoderBias: [Double]
    let normWeight: [[Double]], normBias: [[Double]]
    let decoderWeight: [Double], decoderBias: [Double]

    public var configuration: S4ModelConfiguration { model.configuration }
    public var channels: Int { model.configuration.dModel }

    public init(_ model: S4Model) throws {
        self.model = model
        let c = model.configuration
        layers = try (0..<c.layers).map { try model.layer($0) }
        let p = model.parameters
        encoderWeight = try p.values("encoder.weight"); encoderBias = try p.values("encoder.bias")
        normWeight = try (0..<c.layers).map { try p.values("norms.\($0).weight") }
        normBias = try (0..<c.layers).map { try p.values("norms.\($0).bias") }
        decoderWeight = try p.values("decoder.weight"); decoderBias = try p.values("decoder.bias")
    }

    /// Encoder without bias on `blocks` stacked inputs of shape (B, L, d_in) → (blocks·B, H, L).
    func encode(_ input: ArraySlice<Double>, batch: Int, length L: Int) -> [Double] {
        let H = channels, d = configuration.dInput
        var x = [Double](repeating: 0, count: batch * H * L)
        let base = input.startIndex
        for b in 0..<batch { for h in 0..<H {
            let o = (b * H + h) * L
            for i in 0..<d {
                let w = encoderWeight[h * d + i]
                for l in 0..<L { x[o + l] += w * input[base + (b * L + l) * d + i] }     // Σ_i W[h,i] in[b,l,i]
            }
        } }
        return x
    }

    /// out (rows·B, m, L) = W (m×k) · a (rows·B, k, L) per sample, no bias.
    static func channelMap(_ a: [Double], weight: [Double], samples: Int, inChannels k: Int, outChannels m: Int, length L: Int) -> [Double] {
        var z = [Double](repeating: 0, count: samples * m * L)
        a.withUnsafeBufferPointer { ab in weight.withUnsafeBufferPointer { wb in z.withUnsafeMutableBufferPointer { zb in
            for b in 0..<samples {                                            // Z_b = W · A_b
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(m), blasint(L), blasint(k), 1,
                            wb.baseAddress!, blasint(k), ab.baseAddress! + b * k * L, blasint(L), 0,
                            zb.baseAddress! + b * m * L, blasint(L))
            }
        } } }
        return z
    }

    /// Masked mean over L then the decoder without bias: (samples, H, L) → (samples, classes).
    func poolAndDecode(_ x: [Double], samples: Int, lengths: [Int], length L: Int) -> [Double] {
        let H = channels, C = configuration.classes, B = lengths.count
        var out = [Double](repeating: 0, count: samples * C)
        var pooled = [Double](repeating: 0, count: H)
        for s in 0..<samples {
            let n = lengths[s % B]
            for h in 0..<H {
                var acc = 0.0
                let o = (s * H + h) * L
                for l in 0..<n { acc += x[o + l] }
                pooled[h] = acc / Double(n)                                   // p = (1/n_b) Σ_{l<n_b} x
            }
            for c in 0..<C {
                var acc = 0.0
                for h in 0..<H { acc += decoderWeight[c * H + h] * pooled[h] }
                out[s * C + c] = acc
            }
        }
        return out
    }
}
