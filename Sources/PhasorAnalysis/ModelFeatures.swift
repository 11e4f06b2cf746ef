// What the analyses need from a trained S4Model and a labelled data set: the pooled features φ(x) ∈ ℝ^H that the
// decoder reads (mean over L of the last block's output), and the 0–1 training error. The features are obtained with
// the public forward pass only: the model's own parts with the decoder replaced by the identity (W = I_H, b = 0,
// classes = H) return logits = I·φ + 0 = φ exactly.
import PhasorModels
import PhasorNumerics

public enum ModelEvaluation {
    /// φ(x_i) for every sample of `data`, n × H (row i = sample i), evaluated in batches of `batchSize`.
    public static func pooledFeatures(model: S4Model, data: BatchSource, batchSize: Int = 64) throws -> [[Double]] {
        let h = model.configuration.dModel
        var config = model.configuration
        config.classes = max(h, 2)  // the configuration needs ≥ 2 classes; an extra zero row is ignored below
        var identity = [Double](repeating: 0, count: config.classes * h)
        for i in 0..<h { identity[i * h + i] = 1 }                                       // W = I_H (row-major classes × H)
        let probe = try S4Model(configuration: config, encoder: model.encoder, blocks: model.blocks,
                                decoder: try LinearMap(inputs: h, outputs: config.classes, weight: identity,
                                                       bias: [Double](repeating: 0, count: config.classes)))
        var out: [[Double]] = []
        for slice in data.batches(order: Array(0..<data.count), size: batchSize) {
            let b = data.batch(slice)
            let logits = try probe.logits(inputs: b.inputs, batch: b.batch, length: b.length, lengths: b.lengths)
            for i in 0..<b.batch { out.append(Array(logits[(i * config.classes)..<(i * config.classes + h)])) }  // φ = logits
        }
        return out
    }

    /// The fraction of samples whose argmax logit differs from the label.
    public static func errorRate(model: S4Model, data: BatchSource, batchSize: Int = 64) throws -> Double {
        guard data.count > 0 else { throw AnalysisError.insufficientData("the data set is empty") }
        let k = model.configuration.classes
        var wrong = 0
        for slice in data.batches(order: Array(0..<data.count), size: batchSize) {
            let b = data.batch(slice)
            let logits = try model.logits(inputs: b.inputs, batch: b.batch, length: b.length, lengths: b.lengths)
            for i in 0..<b.batch {
                let row = logits[(i * k)..<((i + 1) * k)]
                let best = row.indices.max { row[$0] < row[$1] }.map { $0 - i * k } ?? 0
                if best != b.labels[i] { wrong += 1 }
            }
        }
        return Double(wrong) / Double(data.count)
    }
}
