// Stage 2: the trained model as oscillators. Spectrum λΔ per mode (PhasorAnalysis.S4DChannels), the ring of one
// channel driven by the SSM input the model really sees for test digits (S4Model.trace → Ring.run), checked against
// the model's own SSM output (ring ≡ S4D), its impulse wave and the dispersion v(n) (TravellingWave).
import Foundation
import PhasorAnalysis
import PhasorCorrespondence
import PhasorData
import PhasorModels
import PhasorNumerics

extension DemoPipeline {
    static func mapToRings(_ training: TrainingStageResult, testSet: SequenceDataset) throws -> MapStageResult {
        let model = training.checkpoint.model
        let c = model.configuration
        var spectrum: [(layer: Int, re: Double, im: Double)] = []
        for i in 0..<c.layers {
            let (rates, steps) = try S4DChannels.rates(model, layer: i)
            for (h, row) in rates.enumerated() {
                for lambda in row { spectrum.append((i, lambda.real * steps[h], lambda.imaginary * steps[h])) }  // λΔ
            }
        }
        // The drawn channel: layer 0's channel with the largest kernel energy Σ_l K[l]² over the sequence length.
        let L = testSet.maxLength
        let channels = try S4DChannels.channels(model, layer: 0)
        let energy = channels.map { $0.kernel(length: L).reduce(0) { $0 + $1 * $1 } }
        let h = energy.indices.max { energy[$0] < energy[$1] } ?? 0
        let ring = Ring(channels[h])

        // Two test digits of different classes through the model; the ring gets the channel's block input.
        let chosen = Array(perClass(testSet, 1).prefix(2))
        let batch = try inputs(testSet, checkpoint: training.checkpoint, indices: chosen)
        let trace = try model.trace(inputs: batch.x, batch: batch.batch, length: batch.length)
        var waves: [RingWave] = []
        for b in 0..<batch.batch {
            let base = (b * c.dModel + h) * L
            let u = Array(trace.layers[0].blockInput[base ..< base + L])
            let reference = Array(trace.layers[0].ssmOutput[base ..< base + L])
            let (nodes, out) = try ring.run(u)
            let scale = max(reference.map(abs).max() ?? 0, .leastNormalMagnitude)
            let err = zip(out, reference).map { abs($0 - $1) }.max() ?? 0
            waves.append(RingWave(sampleLabel: testSet.classNames[batch.labels[b]], layer: 0, channel: h,
                                  nodesRe: nodes.map { $0.map(\.real) }, nodesIm: nodes.map { $0.map(\.imaginary) },
                                  relativeError: err / scale))
        }
        let impulse = try TravellingWave.impulse(ring, length: L)
        // Dispersion of the drawn channel and of the first channel of every layer.
        var dispersion: [(name: String, values: [Double])] = [("layer 0 ch \(h)", try TravellingWave.dispersion(channels[h]))]
        for i in 0..<c.layers {
            let ssm = try S4DChannels.channels(model, layer: i)[i == 0 && h == 0 ? min(1, c.dModel - 1) : 0]
            dispersion.append(("layer \(i) ch \(i == 0 && h == 0 ? min(1, c.dModel - 1) : 0)", try TravellingWave.dispersion(ssm)))
        }
        return MapStageResult(spectrum: spectrum, waves: waves,
                              impulseRe: impulse.nodes.map { $0.map(\.real) }, impulseIm: impulse.nodes.map { $0.map(\.imaginary) },
                              impulseSpeed: impulse.speed, dispersion: dispersion,
                              worstRingError: waves.map(\.relativeError).max() ?? 0)
    }
}
