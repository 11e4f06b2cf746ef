// Each reference's published training recipe — the defaults `phasor train --core K [--skeleton S]` uses for every
// option the user does not give (docs/architectures-reference.md §2.4, §3.3, §4.3; DESIGN.md §3):
//   s4d, state-spaces     example.py: AdamW lr 0.01, weight decay 0.01; the SSM parameters (log_dt, log_A_real, A_imag)
//                         lr 0.001 without decay; cosine schedule; dropout 0.1; (Phasor: batch 64, global clip 1)
//   s5, s5-flax           lindermanlab/S5 `train_helpers.py` (opt_config "standard", run_train.py defaults): the SSM
//                         group B, Lambda_re, Lambda_im, log_step with Adam(ssm_lr = 1e-3), no weight decay; the rest
//                         AdamW(lr = lr_factor·ssm_lr = 1e-3, weight decay 0.05); cosine; dropout 0; batch 64; no clip
//   lru, minimal-lru      minimal-LRU `train_helpers.py`: the SSM group nu_log, theta_log, gamma_log, B_re, B_im with
//                         Adam(ssm_lr = lr_factor·lr = 0.5·1e-3), no decay; the rest AdamW(1e-3, 0.05); cosine;
//                         dropout 0.1; batch 64; no clip
//   linoss-im/imex, s5, lru, linoss-repo   tk-rusch/linoss train.py: ONE group, `optax.adam(lr)` (no weight decay),
//                         constant rate, no clipping; lr 1e-3 (most common of its grid), batch 32, dropout 0.05
//                         (LinOSS, S5) / 0.1 (LRU)
//   s6, log-ncde-mamba    log-neural-cdes torch train.py: ONE group, `torch.optim.Adam(model.parameters(), lr)`,
//                         constant rate, no clipping; lr 1e-3, batch 32, dropout 0.1
// "One group" is AdamW with weight decay 0 and the SSM rate equal to the rate (Adam exactly). The references' linear
// warm-up (lindermanlab/S5 `warmup_end`, 1 epoch by default) is `--warmup`.

/// The defaults of a training run for one core.
public struct TrainingRecipe: Sendable, Equatable {
    public var learningRate: Double
    /// The rate of the SSM group; equal to `learningRate` for one-group recipes.
    public var ssmLearningRate: Double
    public var weightDecay: Double
    public var schedule: LearningRateSchedule
    /// Global gradient-norm clip (0: none).
    public var gradientClip: Double
    public var dropout: Double
    public var batchSize: Int

    /// The published recipe of `core` in `skeleton`.
    public static func published(core: CoreKind, skeleton: ReferenceSkeleton) -> TrainingRecipe {
        switch (core, skeleton) {
        case (.s5, .s5Flax):
            return TrainingRecipe(learningRate: 1e-3, ssmLearningRate: 1e-3, weightDecay: 0.05, schedule: .cosine,
                                  gradientClip: 0, dropout: 0, batchSize: 64)
        case (.lru, .minimalLRU):
            return TrainingRecipe(learningRate: 1e-3, ssmLearningRate: 5e-4, weightDecay: 0.05, schedule: .cosine,
                                  gradientClip: 0, dropout: 0.1, batchSize: 64)
        case (.s6, .logNCDEMamba):
            return TrainingRecipe(learningRate: 1e-3, ssmLearningRate: 1e-3, weightDecay: 0, schedule: .constant,
                                  gradientClip: 0, dropout: 0.1, batchSize: 32)
        case (_, .linossRepo):
            return TrainingRecipe(learningRate: 1e-3, ssmLearningRate: 1e-3, weightDecay: 0, schedule: .constant,
                                  gradientClip: 0, dropout: core == .lru ? 0.1 : 0.05, batchSize: 32)
        default:                                                                  // example.py's S4D
            return TrainingRecipe(learningRate: 0.01, ssmLearningRate: 0.001, weightDecay: 0.01, schedule: .cosine,
                                  gradientClip: 1, dropout: 0.1, batchSize: 64)
        }
    }
}
