import PhasorCorrespondence
import PhasorData
import PhasorIdentification
import PhasorNumerics
import Testing

/// Known oscillators: x(t) = Σ_k a_k e^{−γ_k t} cos(ω_k t + φ_k), sampled every Δ (noise-free).
enum DampedSinusoids {
    static let gammas = [0.05, 0.2, 0.01], omegas = [0.7, 1.9, 0.25], amplitudes = [1.0, 0.6, 2.0], phases = [0.3, -1.1, 2.0]
    static let step = 0.1

    static func series(length: Int, channels: Int = 1) throws -> TimeSeries {
        var values: [Double] = []
        for j in 0..<length {
            let t = Double(j) * step
            for c in 0..<channels {
                values.append((0..<3).reduce(0.0) { sum, k in
                    sum + amplitudes[k] * Double.exp(-gammas[k] * t) * Double.cos(omegas[k] * t + phases[k] + Double(c))
                })
            }
        }
        return try TimeSeries(name: "sinusoids", channels: channels, values: values)
    }

    /// μ = e^{(−γ ± iω)Δ}, all six.
    static var eigenvalues: [Complex<Double>] {
        (0..<3).flatMap { k in
            [Complex.exp(Complex(-gammas[k], omegas[k]) * Complex(step)), Complex.exp(Complex(-gammas[k], -omegas[k]) * Complex(step))]
        }
    }
}

/// max over `truth` of the distance to the nearest of `found`, and the counts must agree.
func maxNearestDistance(_ found: [Complex<Double>], _ truth: [Complex<Double>]) -> Double {
    guard found.count == truth.count else { return .infinity }
    return truth.map { t in found.map { ($0 - t).length }.min() ?? .infinity }.max() ?? 0
}

@Suite struct ExactDMDTests {
    @Test func hankelDMDRecoversTheEigenvaluesOfDampedSinusoids() throws {
        let series = try DampedSinusoids.series(length: 300)
        let model = try HankelDMD(series, delays: 12, rank: .fixed(6), step: DampedSinusoids.step)
        #expect(maxNearestDistance(model.dmd.eigenvalues, DampedSinusoids.eigenvalues) <= 1e-10)
        // The optimal hard threshold finds the same six modes on noise-free data (capped at the rounding level).
        let automatic = try HankelDMD(series, delays: 12, rank: .optimalHardThreshold, step: DampedSinusoids.step)
        #expect(automatic.dmd.rank == 6)
        #expect(maxNearestDistance(automatic.dmd.eigenvalues, DampedSinusoids.eigenvalues) <= 1e-10)
        // continuous rates through the correspondence's λ = log μ / Δ
        let found = try IdentifiedOscillators(try model.system())
        #expect(found.oscillators.count == 3 && found.oscillators.allSatisfy(\.isPair))
        for k in 0..<3 {
            let o = try #require(found.oscillators.min { abs(($0.frequency ?? 0) - DampedSinusoids.omegas[k]) < abs(($1.frequency ?? 0) - DampedSinusoids.omegas[k]) })
            #expect(abs((o.frequency ?? .nan) - DampedSinusoids.omegas[k]) <= 1e-9)
            #expect(abs((o.damping ?? .nan) - DampedSinusoids.gammas[k]) <= 1e-9)
            // amplitude of a pair = 2|w|: the cosine's amplitude at the first reconstructed sample t = (q − 1)Δ
            let expected = DampedSinusoids.amplitudes[k] * Double.exp(-DampedSinusoids.gammas[k] * 11 * DampedSinusoids.step)
            #expect(abs(o.amplitude - expected) <= 1e-8 * expected)
        }
    }

    @Test func plainExactDMDRecoversAKnownLinearMap() throws {
        // x_{k+1} = A x_k with A = S diag-blocks S⁻¹ (real), eigenvalues ρ e^{±iθ} and two real ones.
        let blocks: [(Double, Double)] = [(0.97, 0.4), (0.9, 1.3)]
        let reals = [0.8, -0.5]
        var d = ComplexMatrix(rows: 6, columns: 6)
        var truth: [Complex<Double>] = []
        for (k, (rho, theta)) in blocks.enumerated() {
            let c = rho * Double.cos(theta), s = rho * Double.sin(theta)
            d[2 * k, 2 * k] = Complex(c); d[2 * k, 2 * k + 1] = Complex(-s)
            d[2 * k + 1, 2 * k] = Complex(s); d[2 * k + 1, 2 * k + 1] = Complex(c)
            truth += [Complex(c, s), Complex(c, -s)]
        }
        d[4, 4] = Complex(reals[0]); d[5, 5] = Complex(reals[1]); truth += reals.map { Complex($0) }
        var g = SeededGenerator(seed: 7)
        let s = try ComplexMatrix(real: (0..<6).map { _ in (0..<6).map { _ in g.normal() } })
        let a = try s * d * (try s.inverse())
        var x = ComplexMatrix(rows: 6, columns: 40)
        var state = (0..<6).map { _ in Complex(g.normal()) }
        for k in 0..<40 {
            for i in 0..<6 { x[i, k] = state[i] }
            state = try a * state
        }
        var xs = ComplexMatrix(rows: 6, columns: 39), ys = ComplexMatrix(rows: 6, columns: 39)
        for k in 0..<39 { for i in 0..<6 { xs[i, k] = x[i, k]; ys[i, k] = x[i, k + 1] } }
        let dmd = try ExactDMD(x: xs, y: ys, step: 1, rank: .fixed(6))
        #expect(maxNearestDistance(dmd.eigenvalues, truth) <= 1e-10)
        // noise-free linear data: the reconstruction Φ Λ^k b reproduces every training snapshot
        let rebuilt = try dmd.evolve(amplitudes: dmd.amplitudes, count: 39)
        #expect(try (rebuilt - xs).frobeniusNorm <= 1e-10 * xs.frobeniusNorm)
        // and A_r = L U_r* is A itself
        #expect(try (dmd.apply(to: .identity(6)) - a).frobeniusNorm <= 1e-10 * a.frobeniusNorm)
    }

    /// A_r X = Y V_r V_r*, with the row-space projector from an independent route: the eigenvectors of the Gram matrix
    /// X*X (zgeevx) for a truncated rank, and X⁺X by LAPACK's least squares (zgelsd) for the full rank.
    @Test func exactDMDMapsTrainingSnapshotsToTheProjectedData() throws {
        var g = SeededGenerator(seed: 11)
        let n = 8, m = 30
        let x = try ComplexMatrix(real: (0..<n).map { _ in (0..<m).map { _ in g.normal() } })
        let y = try ComplexMatrix(real: (0..<n).map { _ in (0..<m).map { _ in g.normal() } })  // not linear in X at all
        for r in [3, 5] {
            let dmd = try ExactDMD(x: x, y: y, step: 1, rank: .fixed(r))
            let gram = try x.product(x, adjointSelf: true)  // X*X (m×m), eigenvalues σ_i²
            let eigen = try gram.eigen()
            let top = eigen.values.indices.sorted { eigen.values[$0].real > eigen.values[$1].real }.prefix(r)
            var projector = ComplexMatrix(rows: m, columns: m)
            for k in top {
                let v = eigen.right.column(k)
                for i in 0..<m { for j in 0..<m { projector[i, j] += v[i] * v[j].conjugate } }
            }
            let expected = try y * projector
            #expect(try (dmd.apply(to: x) - expected).frobeniusNorm <= 1e-12 * y.frobeniusNorm)
            // Tu et al., Theorem 1: the exact modes are eigenvectors of A_r, A_r Φ = Φ Λ
            let lhs = try dmd.apply(to: dmd.modes), rhs = try dmd.modes * ComplexMatrix.diagonal(dmd.eigenvalues)
            #expect(try (lhs - rhs).frobeniusNorm <= 1e-12 * max(rhs.frobeniusNorm, 1))
        }
        let full = try ExactDMD(x: x, y: y, step: 1, rank: .fixed(n))
        let pseudoInverse = try x.leastSquares(.identity(n)).solution  // X⁺ (m×n)
        let expected = try y * (pseudoInverse * x)                     // Y X⁺ X
        #expect(try (full.apply(to: x) - expected).frobeniusNorm <= 1e-12 * y.frobeniusNorm)
    }

    @Test func forecastContinuesTheSeriesPastTheTrainingSpan() throws {
        let whole = try DampedSinusoids.series(length: 260, channels: 2)
        let training = try whole.prefix(200)
        let model = try HankelDMD(training, delays: 6, rank: .fixed(6), step: DampedSinusoids.step)
        let forecast = try model.forecast(count: 60)
        let truth = Array(whole.values[(200 * 2)...])
        let error = zip(forecast, truth).map { abs($0 - $1) }.max() ?? .infinity
        #expect(forecast.count == 120 && error <= 1e-9)
        // the reconstruction covers x_{q−1} … x_{L−1}
        let rebuilt = try model.reconstruction()
        let seen = Array(training.values[(5 * 2)...])
        #expect(rebuilt.count == seen.count)
        #expect((zip(rebuilt, seen).map { abs($0 - $1) }.max() ?? .infinity) <= 1e-9)
    }

    @Test func refusesWhatCannotBeIdentified() throws {
        let short = try DampedSinusoids.series(length: 10)
        #expect(throws: IdentificationError.self) { try HankelDMD(short, delays: 9, rank: .fixed(1), step: 1) }
        #expect(throws: IdentificationError.self) { try HankelDMD(short, delays: 0, rank: .fixed(1), step: 1) }
        #expect(throws: IdentificationError.self) { try HankelDMD(short, delays: 2, rank: .fixed(5), step: 1) }
        #expect(throws: IdentificationError.self) { try HankelDMD(short, delays: 2, rank: .fixed(1), step: 0) }
        let zero = try TimeSeries(name: "zero", channels: 1, values: Array(repeating: 0, count: 20))
        #expect(throws: IdentificationError.degenerate("every singular value is zero (a constant-zero series)")) {
            try HankelDMD(zero, delays: 2, rank: .optimalHardThreshold, step: 1)
        }
    }
}
