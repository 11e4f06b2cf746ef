// Stage 2: the trained model as oscillators. Spectrum λΔ per mode (PhasorCorrespondence's S4D → diagonal-system
// conversion), the ring of one channel driven by the SSM input the model really sees for test digits (S4Model.trace →
// Ring.run), checked against the model's own SSM output (ring ≡ S4D), its impulse wave and the dispersion v(n).
import Foundation
import PhasorCorrespondence
import PhasorData
import PhasorModels
import PhasorNumerics

extension DemoPipeline {
    static func mapToRings(_ training: TrainingStageResult, testSet: SequenceDataset) throws -> MapStageResult {
        let model = training.checkpoint.model
        let c = model.configuration
        // Every layer's channels through the one S4D → diagonal-system conversion (with the layer's discretisation).
        let systems = try model.blocks.map { try $0.core.requireS4D(for: "the demo's ring stage").diagonalSystems() }
        var spectrum: [(layer: Int, re: Double, im: Double)] = []
        for (i, channels) in systems.enumerated() {
            for ch in channels {
                for lambda in ch.rates { spectrum.append((i, lambda.real * ch.ssm.step, lambda.imaginary * ch.ssm.step)) }  // λΔ
            }
        }
        // The drawn channel: layer 0's channel with the largest kernel energy Σ_l K[l]² over the sequence length.
        let L = testSet.maxLength
        let energy = systems[0].map { $0.ssm.kernel(length: L).reduce(0) { $0 + $1 * $1 } }
        let h = energy.indices.max { energy[$0] < energy[$1] } ?? 0
        let ring = Ring(systems[0][h].ssm)

        // Two test digits of different classes through the model; the ring gets the channel's block input and is
        // checked against the model's own SSM output there.
        let chosen = Array(perClass(testSet, 1).prefix(2))
        let batch = try training.checkpoint.modelInputs(testSet).batch(chosen[...])
        let trace = try model.trace(inputs: batch.inputs, batch: batch.batch, length: batch.length, lengths: batch.lengths)
        var waves: [RingWave] = []
        for b in 0..<batch.batch {
            let u = S4ModelTrace.sequence(trace.layers[0].blockInput, sample: b, channel: h, channels: c.dModel, length: batch.length)
            let reference = S4ModelTrace.sequence(trace.layers[0].ssmOutput, sample: b, channel: h, channels: c.dModel, length: batch.length)
            let (nodes, out) = try ring.run(u)
            let scale = max(reference.map(abs).max() ?? 0, .leastNormalMagnitude)
            let err = zip(out, reference).map { abs($0 - $1) }.max() ?? 0
            waves.append(RingWave(sampleLabel: testSet.classNames[batch.labels[b]], layer: 0, channel: h,
                                  nodesRe: nodes.map { $0.map(\.real) }, nodesIm: nodes.map { $0.map(\.imaginary) },
                                  relativeError: err / scale))
        }
        let impulse = try TravellingWave.impulse(ring, length: L)
        // Dispersion of the drawn channel and of the first channel of every layer.
        var dispersion: [(name: String, values: [Double])] = [("layer 0 ch \(h)", try TravellingWave.dispersion(systems[0][h].ssm))]
        for i in 0..<c.layers {
            let k = i == 0 && h == 0 ? min(1, c.dModel - 1) : 0
            dispersion.append(("layer \(i) ch \(k)", try TravellingWave.dispersion(systems[i][k].ssm)))
        }
        return MapStageResult(spectrum: spectrum, waves: waves,
                              impulseRe: impulse.nodes.map { $0.map(\.real) }, impulseIm: impulse.nodes.map { $0.map(\.imaginary) },
                              impulseSpeed: impulse.speed, dispersion: dispersion,
                              worstRingError: waves.map(\.relativeError).max() ?? 0)
    }
}
