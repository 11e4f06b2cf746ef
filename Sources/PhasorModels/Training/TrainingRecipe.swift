// Each core's published training recipe — the defaults `phasor train --core K` uses for every option the user does not
// give (docs/architectures-reference.md §3.3, §5.2; DESIGN.md §3):
//   s4d          state-spaces example.py: AdamW lr 0.01, weight decay 0.01; the SSM parameters (log_dt, log_A_real,
//                A_imag) lr 0.001 without decay; cosine schedule; dropout 0.1; (Phasor: batch 64, global clip 1)
//   linoss-im/x  tk-rusch/linoss train.py: ONE group, `optax.adam(lr)` (no weight decay), constant rate, no clipping;
//                lr ∈ {1e-3, 1e-4, 1e-5} by grid search (1e-3 the most common choice of its UEA runs), batch 32,
//                dropout 0.05
//   s6           log-neural-cdes torch train.py: ONE group, `torch.optim.Adam(model.parameters(), lr)`, constant rate,
//                no clipping; lr 1e-3 (most runs of its grid), batch 32, dropout 0.1
// "One group" is AdamW with weight decay 0 and the SSM rate equal to the rate (Adam exactly).

/// The defaults of a training run for one core.
public struct TrainingRecipe: Sendable, Equatable {
    public var learningRate: Double
    /// The rate of the SSM group (S4D's log_dt, log_A_real, A_imag); equal to `learningRate` for one-group recipes.
    public var ssmLearningRate: Double
    public var weightDecay: Double
    public var schedule: LearningRateSchedule
    /// Global gradient-norm clip (0: none).
    public var gradientClip: Double
    public var dropout: Double
    public var batchSize: Int
}

extension CoreKind {
    /// This core's published recipe.
    public var recipe: TrainingRecipe {
        switch self {
        case .s4d:
            return TrainingRecipe(learningRate: 0.01, ssmLearningRate: 0.001, weightDecay: 0.01, schedule: .cosine,
                                  gradientClip: 1, dropout: 0.1, batchSize: 64)
        case .linossIM, .linossIMEX:
            return TrainingRecipe(learningRate: 1e-3, ssmLearningRate: 1e-3, weightDecay: 0, schedule: .constant,
                                  gradientClip: 0, dropout: 0.05, batchSize: 32)
        case .s6:
            return TrainingRecipe(learningRate: 1e-3, ssmLearningRate: 1e-3, weightDecay: 0, schedule: .constant,
                                  gradientClip: 0, dropout: 0.1, batchSize: 32)
        }
    }
}
