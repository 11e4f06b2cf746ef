// The architecture of an S4Model read back from a checkpoint's tensor shapes (DESIGN.md §9).
//
// A checkpoint carries no configuration file: like a PyTorch `state_dict` of state-spaces `example.py`'s S4Model, the
// architecture is implied by the tensors. Layers = number of distinct `s4_layers.{i}` / `norms.{i}` indices
// (contiguous from 0), d_model H and d_input from `encoder.weight` (H, d_input), d_state N = 2 · (N/2) from
// `s4_layers.0.kernel.A_imag` (H, N/2), classes from `decoder.weight` (classes, H). Every tensor must then have exactly
// the shape this architecture implies (`S4ModelConfiguration.parameterShapes`, the one place the layout is written
// down); missing or extra keys are errors (an extra key means a different model, not noise).
//
// Which keys a PyTorch S4Model `state_dict` has (checked against state-spaces `example.py` and `models/s4/s4d.py`):
// encoder (Linear: weight, bias); per layer S4D: D, kernel.{C, log_dt, log_A_real, A_imag}, output_linear.0 (Conv1d:
// weight (2H, H, 1), bias) — GELU, DropoutNd and GLU have no tensors; norms.{i} (LayerNorm: weight, bias); dropouts
// (none); decoder (Linear). `S4DKernel.register` makes buffers instead of parameters when lr = 0, and buffers are in
// `state_dict` too, so the key set is the same either way; there are no other buffers. Nothing is ignored.

public enum CheckpointLayout {
    /// Reads the sizes from tensor shapes and checks that the key set and every shape agree with them. The result has
    /// the switches a `state_dict` cannot show at their example.py defaults (post-norm, ZOH, S4D-Lin, dropout 0).
    /// Throws `ModelError.missingKey`, `.unexpectedKeys`, `.shapeMismatch` or `.invalidConfiguration`.
    public static func configuration(shapes: [String: [Int]]) throws -> S4ModelConfiguration {
        func shape(_ key: String, rank: Int) throws -> [Int] {
            guard let s = shapes[key] else { throw ModelError.missingKey(key) }
            guard s.count == rank, s.allSatisfy({ $0 > 0 }) else {
                throw ModelError.invalidConfiguration("tensor '\(key)' has shape \(s); expected \(rank) positive dimensions")
            }
            return s
        }
        // Layer indices: the integer after "s4_layers." (or "norms.") must run 0, 1, …, layers − 1.
        var indices = Set<Int>()
        for key in shapes.keys {
            for prefix in ["s4_layers.", "norms."] where key.hasPrefix(prefix) {
                let rest = key.dropFirst(prefix.count)
                if let dot = rest.firstIndex(of: "."), let i = Int(rest[..<dot]), i >= 0 { indices.insert(i) }
            }
        }
        let layers = indices.count
        guard layers > 0 else { throw ModelError.missingKey("s4_layers.0.kernel.A_imag") }
        if let missing = (0..<layers).first(where: { !indices.contains($0) }) {
            throw ModelError.missingKey("s4_layers.\(missing).kernel.A_imag")
        }
        let encoder = try shape("encoder.weight", rank: 2)
        let modes = try shape("s4_layers.0.kernel.A_imag", rank: 2)
        let decoder = try shape("decoder.weight", rank: 2)
        let c = S4ModelConfiguration(dInput: encoder[1], dModel: encoder[0], dState: 2 * modes[1], layers: layers,
                                     classes: decoder[0], prenorm: false, dropout: 0, initialisation: .lin,
                                     discretization: .zoh)
        let expected = c.parameterShapes
        let expectedNames = Set(expected.map(\.name))
        let extra = shapes.keys.filter { !expectedNames.contains($0) }
        if !extra.isEmpty { throw ModelError.unexpectedKeys(extra.sorted()) }
        for (key, want) in expected {
            guard let found = shapes[key] else { throw ModelError.missingKey(key) }
            guard found == want else { throw ModelError.shapeMismatch(key: key, expected: want, found: found) }
        }
        try c.validate()
        return c
    }
}
