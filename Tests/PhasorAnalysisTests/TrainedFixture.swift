// A tiny S4Model trained for a few AdamW steps on a synthetic two-class problem (slow vs fast sine with noise), shared
// by the model-level tests. Small shapes keep debug builds fast.
import PhasorModels
import PhasorNumerics

struct TrainedFixture {
    let initial: S4Model
    let trained: S4Model
    let data: BatchSource
    /// (step, model, gradients, loss) after each optimiser step.
    let history: [(step: Int, model: S4Model, gradients: ParameterStore, loss: Double)]

    static func make(samples: Int = 24, length: Int = 16, steps: Int = 8, seed: UInt64 = 3) throws -> TrainedFixture {
        var g = SeededGenerator(seed: seed)
        var sequences: [[Double]] = [], labels: [Int] = []
        for i in 0..<samples {
            let label = i % 2
            let f = label == 0 ? 0.15 : 0.9
            let phase = g.uniform() * 6.283
            sequences.append((0..<length).map { Double.sin(f * Double($0) + phase) + 0.3 * g.normal() })
            labels.append(label)
        }
        let data = try BatchSource(sequences: sequences, lengths: Array(repeating: length, count: samples), labels: labels, channels: 1)
        let config = S4ModelConfiguration(dInput: 1, dModel: 4, dState: 4, layers: 1, classes: 2, dropout: 0)
        let initial = try S4Model(configuration: config, seed: seed)
        var model = initial
        var optimiser = AdamW(parameters: model.parameters, configuration: AdamWConfiguration(learningRate: 0.05, ssmLearningRate: 0.05))
        let batch = data.batch(Array(0..<samples)[...])
        var history: [(step: Int, model: S4Model, gradients: ParameterStore, loss: Double)] = []
        for step in 1...steps {
            var none = SeededGenerator(seed: 0)
            let r = try model.lossAndGradients(inputs: batch.inputs, batch: batch.batch, length: batch.length,
                                               lengths: batch.lengths, labels: batch.labels, training: false, generator: &none)
            model.step(&optimiser, gradients: r.gradients, learningRateScale: 1)
            history.append((step: step, model: model, gradients: r.gradients, loss: r.loss))
        }
        return TrainedFixture(initial: initial, trained: model, data: data, history: history)
    }
}
