// Checkpoint key names of a Mamba-1 language model — the only place they are written (the selective core's own
// names, A_log, D, x_proj.weight, dt_proj.weight, dt_proj.bias, are read by `SelectiveLayer(file:prefix:)` under the
// mixer prefix). Both spellings in use are accepted:
//   transformers MambaForCausalLM   backbone.embeddings.weight
//   mamba_ssm MambaLMHeadModel      backbone.embedding.weight
// and otherwise identical names:
//   backbone.layers.{i}.norm.weight                         (d_model)            RMSNorm gain
//   backbone.layers.{i}.mixer.in_proj.weight               (2·d_inner, d_model) [in_proj.bias when use_bias]
//   backbone.layers.{i}.mixer.conv1d.weight                (d_inner, 1, d_conv) [conv1d.bias when conv_bias]
//   backbone.layers.{i}.mixer.{A_log, D, x_proj.weight, dt_proj.weight, dt_proj.bias}   (SelectiveLayer)
//   backbone.layers.{i}.mixer.out_proj.weight              (d_model, d_inner)   [out_proj.bias when use_bias]
//   backbone.norm_f.weight                                  (d_model)
//   lm_head.weight                                          (vocab, d_model) — absent when tied to the embedding
// config.json keys read: layer_norm_epsilon (transformers) / norm_epsilon (mamba_ssm) for the RMSNorm ε, rms_norm
// (mamba_ssm; false means LayerNorm blocks, which Phasor does not implement), and the sizes it states, checked
// against the tensors: hidden_size / d_model, num_hidden_layers / n_layer, state_size, conv_kernel,
// intermediate_size, time_step_rank.

/// The key names of Mamba-1 checkpoints.
public enum MambaKeys {
    /// The embedding (vocab, d_model): transformers' spelling, then mamba_ssm's.
    public static let embeddingSpellings = ["backbone.embeddings.weight", "backbone.embedding.weight"]
    /// The final RMSNorm gain.
    public static let finalNorm = "backbone.norm_f.weight"
    /// The LM head, absent when tied to the embedding.
    public static let head = "lm_head.weight"

    /// Prefix of layer i's block.
    public static func layer(_ i: Int) -> String { "backbone.layers.\(i)." }
    /// Layer i's RMSNorm gain.
    public static func norm(_ i: Int) -> String { layer(i) + "norm.weight" }
    /// Prefix of layer i's mixer (the selective core's keys follow it).
    public static func mixer(_ i: Int) -> String { layer(i) + "mixer." }

    /// Names inside a mixer, after `mixer(i)`.
    public enum Mixer {
        public static let inProj = "in_proj.weight", inProjBias = "in_proj.bias"
        public static let conv = "conv1d.weight", convBias = "conv1d.bias"
        public static let outProj = "out_proj.weight", outProjBias = "out_proj.bias"
        /// The selective core's A_log, used to count layers and tell Mamba-1 (A_log (d_inner, N)) from Mamba-2 (A_log (heads)).
        public static let aLog = "A_log"
        /// Every name of a Mamba-1 mixer (optional biases included).
        public static let all = [inProj, inProjBias, conv, convBias, "x_proj.weight", "dt_proj.weight", "dt_proj.bias",
                                 aLog, "D", outProj, outProjBias]
    }

    /// config.json names of the RMSNorm ε (transformers, mamba_ssm).
    public static let epsilonConfig = ["layer_norm_epsilon", "norm_epsilon"]
    /// config.json names (transformers, mamba_ssm) of sizes the tensors also give, with the tensors' values.
    static func statedSizes(_ c: MambaConfiguration) -> [(names: [String], value: Int)] {
        [(["hidden_size", "d_model"], c.dModel), (["num_hidden_layers", "n_layer"], c.layers), (["state_size"], c.states),
         (["conv_kernel"], c.convolutionWidth), (["intermediate_size"], c.dInner), (["time_step_rank"], c.dtRank)]
    }

    /// Whether `tensors` look like a Mamba language model (an embedding under either spelling and layer 0's A_log).
    public static func isMamba(_ names: some Collection<String>) -> Bool {
        let set = Set(names)
        return embeddingSpellings.contains(where: set.contains) && set.contains(mixer(0) + Mixer.aLog)
    }
}
