// Change of representation: an S4Model layer → one `DiagonalSSM` per channel, for either discretisation the model
// uses (state-spaces s4d.py, DESIGN.md §3), so that K_h[l] = 2·Re Σ_n c̃_n μ_n^l is the layer's kernel:
//     ZOH:      μ = e^{Δλ},                 c̃ = C·(e^{Δλ} − 1)/λ      (PhasorCorrespondence `DiagonalSSM.s4d`)
//     bilinear: μ = (1 + Δλ/2)/(1 − Δλ/2),  c̃ = C·Δ/(1 − Δλ/2)
// with λ = −exp(log_A_real) + i·A_imag, Δ = exp(log_dt), b ≡ 1.
import PhasorCorrespondence
import PhasorModels
import PhasorNumerics

public enum S4DChannels {
    /// The H channels of layer `layer` of `model`.
    public static func channels(_ model: S4Model, layer: Int) throws -> [DiagonalSSM] {
        let store = model.parameters
        let (h, m) = try DiagonalSSM.s4dShape(store, layer: layer)
        switch model.configuration.discretization {
        case .zoh:
            return try (0..<h).map { try DiagonalSSM.s4d(store, layer: layer, channel: $0) }
        case .bilinear:
            let keys = S4DKeys(layer: layer)
            let logDt = try store.values(keys.logDt), c = try store.values(keys.c), d = try store.values(keys.d)
            return try (0..<h).map { ch in
                let rates = try DiagonalSSM.s4dRates(store, layer: layer, channel: ch)
                let dt = Double.exp(logDt[ch])
                let half = rates.map { $0 * Complex(dt / 2) }                                  // Δλ/2
                let modes = half.map { (Complex.one + $0) / (Complex.one - $0) }               // μ = (1+Δλ/2)/(1−Δλ/2)
                let output = (0..<m).map { n in
                    Complex(c[2 * (ch * m + n)], c[2 * (ch * m + n) + 1]) * Complex(dt) / (Complex.one - half[n])  // C̃ = CΔ/(1−Δλ/2)
                }
                return try DiagonalSSM(modes: modes, input: Array(repeating: .one, count: m), output: output,
                                       direct: d[ch], step: dt)
            }
        }
    }

    /// Continuous rates λ_hn and steps Δ_h of layer `layer` as the model defines them.
    public static func rates(_ model: S4Model, layer: Int) throws -> (rates: [[Complex<Double>]], steps: [Double]) {
        let store = model.parameters
        let (h, _) = try DiagonalSSM.s4dShape(store, layer: layer)
        let logDt = try store.values(S4DKeys(layer: layer).logDt)
        return (try (0..<h).map { try DiagonalSSM.s4dRates(store, layer: layer, channel: $0) }, logDt.map { Double.exp($0) })
    }
}
