// Pooled features, empirical Rademacher complexity, state entropy, the seed's heuristic and the PAC-Bayes bound.
import Foundation
import PhasorCorrespondence
import PhasorModels
import PhasorNumerics
import Testing
@testable import PhasorAnalysis

@Suite struct ExpressivityTests {
    @Test func pooledFeaturesReproduceTheLogits() throws {
        let f = try TrainedFixture.make(steps: 2)
        let phi = try ModelEvaluation.pooledFeatures(model: f.trained, data: f.data, batchSize: 10)
        let batch = f.data.batch(Array(0..<f.data.count)[...])
        let logits = try f.trained.logits(inputs: batch.inputs, batch: batch.batch, length: batch.length, lengths: batch.lengths)
        let w = try f.trained.parameters.values("decoder.weight"), b = try f.trained.parameters.values("decoder.bias")
        #expect(phi.count == f.data.count && phi[0].count == 4)
        for i in 0..<phi.count {
            for c in 0..<2 {
                let z = b[c] + (0..<4).reduce(0.0) { $0 + w[c * 4 + $1] * phi[i][$1] }   // decoder(φ) = Wφ + b
                #expect(abs(z - logits[i * 2 + c]) < 1e-12)
            }
        }
    }

    @Test func rademacherClosedFormsAndBrackets() throws {
        // n = 2 orthogonal features: ‖σ₁φ₁ + σ₂φ₂‖ = √(‖φ₁‖² + ‖φ₂‖²) for every σ, so R̂ = (B/2)·5 exactly.
        let exact = try EmpiricalRademacher(features: [[3, 0], [0, 4]], weightBound: 2, draws: 10, seed: 1)
        #expect(abs(exact.value - 5) < 1e-12 && exact.standardError < 1e-12 && abs(exact.upperBound - 5) < 1e-12)
        let f = try TrainedFixture.make(steps: 4)
        let phi = try ModelEvaluation.pooledFeatures(model: f.trained, data: f.data)
        let w = try f.trained.parameters.values("decoder.weight")
        let bound = (0..<2).map { c in (0..<4).reduce(0.0) { $0 + w[c * 4 + $1] * w[c * 4 + $1] }.squareRoot() }.max()!
        let r = try EmpiricalRademacher(features: phi, weightBound: bound, draws: 400, seed: 5)
        #expect(r.value > 0 && r.value.isFinite)
        #expect(r.value <= r.upperBound + 1e-12)
        #expect(r.value >= r.lowerBound - 4 * r.standardError)
        #expect(r.warnings.isEmpty)
    }

    @Test func rademacherBadInputs() throws {
        let constant = try EmpiricalRademacher(features: [[1, 2], [1, 3], [1, 5]], weightBound: 1, draws: 20, seed: 1)
        #expect(constant.warnings.contains { $0.contains("zero variance") })
        let wide = try EmpiricalRademacher(features: [[1, 2, 3], [4, 5, 7]], weightBound: 1, draws: 20, seed: 1)
        #expect(wide.warnings.contains { $0.contains("fewer samples") })
        let zero = try EmpiricalRademacher(features: [[0, 0], [0, 0]], weightBound: 1, draws: 20, seed: 1)
        #expect(zero.value == 0 && zero.warnings.contains { $0.contains("every feature is zero") })
        #expect(throws: AnalysisError.self) { try EmpiricalRademacher(features: [], weightBound: 1, seed: 1) }
        #expect(throws: (any Error).self) { try EmpiricalRademacher(features: [[.nan]], weightBound: 1, seed: 1) }
    }

    @Test func entropyBoundsAndClosedForms() throws {
        // One real mode: the state is one-dimensional (rank 1 of N = 2) → S = 0; two such channels → p = (½, ½, 0, 0) → ln 2.
        let real = try DiagonalSSM(modes: [Complex(0.7)], input: [.one], output: [.one], direct: 0, step: 1)
        #expect(abs(try StateEntropy(real).entropy) < 1e-12)
        let pair = try StateEntropy(channels: [real, real])
        #expect(abs(pair.entropy - Double.log(2)) < 1e-12 && abs(pair.effectiveOscillators - 2) < 1e-12)
        // Equal eigenvalues → ln N.
        #expect(abs(try StateEntropy(covarianceEigenvalues: [2, 2, 2]).entropy - Double.log(3)) < 1e-14)
        #expect(throws: AnalysisError.self) { try StateEntropy(covarianceEigenvalues: [0, 0]) }
        // The trained model's channels: 0 ≤ S ≤ ln N.
        let f = try TrainedFixture.make(steps: 3)
        for h in 0..<4 {
            let s = try StateEntropy(f.trained.block(0).core.s4d!.diagonalSystem(channel: h).ssm)
            #expect(s.entropy >= 0 && s.entropy <= Double.log(4) + 1e-12)
            #expect(abs(s.spectrum.reduce(0, +) - 1) < 1e-12)
        }
    }

    @Test func heuristicIsLabelledAndComputed() throws {
        let h = try RademacherHeuristic(oscillators: 8, offDiagonalNorm: 0.5, samples: 100)
        #expect(abs(h.value - (8 * 1.5 / 100).squareRoot()) < 1e-15 && h.label.hasPrefix("HEURISTIC"))
        let a = try ComplexMatrix(real: [[-1, 3], [4, -2]])
        let sys = try LTISystem(a: a, b: ComplexMatrix(real: [[1], [0]]), c: ComplexMatrix(real: [[1, 0]]),
                                d: ComplexMatrix(real: [[0]]), domain: .continuous)
        #expect(abs(try RademacherHeuristic(system: sys, samples: 4).offDiagonalNorm - 5) < 1e-15)
        #expect(throws: AnalysisError.self) { try RademacherHeuristic(oscillators: 4, offDiagonalNorm: 0, samples: 0) }
    }

    @Test func binaryKLInverse() {
        for (p, c) in [(0.0, 0.1), (0.1, 0.05), (0.4, 0.3), (0.9, 0.01)] {
            let q = inverseBinaryKL(p, c)
            #expect(q >= p && q <= 1)
            if q < 1 { #expect(abs(binaryKL(p, q) - c) < 1e-9) }
            #expect(q <= p + (c / 2).squareRoot() + 1e-9)   // Pinsker
        }
        #expect(abs(inverseBinaryKL(0, 0.1) - (1 - Double.exp(-0.1))) < 1e-10)  // kl(0‖q) = −ln(1 − q)
    }

    @Test func pacBayesOnATrainedModel() throws {
        let f = try TrainedFixture.make(steps: 6)
        let sigmas = [1e-3, 1e-2, 1e-1]
        let pb = try PACBayesBound(model: f.trained, initial: f.initial.parameters, data: f.data, sigmas: sigmas,
                                   draws: 4, delta: 0.05, seed: 9)
        var d2 = 0.0
        for (a, b) in zip(f.trained.parameters.parameters, f.initial.parameters.parameters) {
            for (x, y) in zip(a.values, b.values) { d2 += (x - y) * (x - y) }
        }
        #expect(abs(pb.distanceFromInit - d2.squareRoot()) < 1e-12)
        for p in pb.grid {
            #expect(abs(p.kl - d2 / (2 * p.sigma * p.sigma)) < 1e-9 * max(1, p.kl))
            #expect(p.sampledRisk >= 0 && p.sampledRisk <= 1 && p.riskUpperConfidence >= p.sampledRisk)
            #expect(p.maurer >= p.riskUpperConfidence - 1e-12 && p.maurer <= 1)
            #expect(p.maurer <= p.mcAllester + 1e-9)   // Maurer's kl form is never looser than its Pinsker relaxation
        }
        #expect(pb.bound >= 0 && pb.bound <= 1 && pb.grid.map(\.maurer).min() == pb.bound)
        #expect(pb.warnings.contains { $0.contains("fewer training samples") })  // 24 samples, ~100 parameters
        #expect(throws: AnalysisError.self) {
            try PACBayesBound(model: f.trained, initial: ParameterStore(), data: f.data, seed: 1)
        }
    }
}
