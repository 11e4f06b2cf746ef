import PhasorCorrespondence
import PhasorNumerics
import Testing

@Suite struct RingTests {
    /// F_jn = e^{2πi jn/M}/√M built entry by entry (independent of Ring's transform).
    static func dft(_ m: Int) -> [[Complex<Double>]] {
        (0..<m).map { j in
            (0..<m).map { n in
                let angle = 2 * Double.pi * Double(j * n) / Double(m)
                return Complex(Double.cos(angle), Double.sin(angle)) / Complex(Double(m).squareRoot())
            }
        }
    }

    @Test func ringOutputEqualsTheS4DConvolution() throws {
        for (seed, m) in [(UInt64(21), 8), (22, 5), (23, 1)] {
            let p = S4DChannelParameters.random(modes: m, seed: seed)
            let ring = Ring(try p.ssm())
            let u = randomInput(length: 64, seed: seed + 1)
            let reference = p.output(u)
            let ringOutput = try ring.run(u).output
            #expect(maxAbsDifference(ringOutput, reference) <= 1e-12 * max(reference.map(abs).max() ?? 1, 1))
        }
    }

    @Test func nodeStatesAreTheDFTOfTheModeStates() throws {
        let ssm = try S4DChannelParameters.random(modes: 6, seed: 31).ssm()
        let ring = Ring(ssm)
        let u = randomInput(length: 20, seed: 32)
        let nodes = try ring.run(u).nodes
        let f = Self.dft(6)
        var h = [Complex<Double>](repeating: .zero, count: 6)
        for k in 0..<u.count {
            for n in 0..<6 { h[n] = ssm.modes[n] * h[n] + ssm.input[n] * Complex(u[k]) }
            let x = (0..<6).map { j in (0..<6).reduce(Complex<Double>.zero) { $0 + f[j][$1] * h[$1] } }
            #expect(maxAbsDifference(nodes[k], x) <= 1e-12 * max(x.map(\.length).max() ?? 1, 1))
        }
    }

    @Test func couplingIsTheCirculantFDiagMuFInverse() throws {
        let m = 7
        let ssm = try S4DChannelParameters.random(modes: m, seed: 41).ssm()
        let ring = Ring(ssm)
        let f = Self.dft(m)
        for j in 0..<m {
            for l in 0..<m {
                // (F diag(μ) F*)_jl = Σ_n F_jn μ_n conj(F_ln)
                let w = (0..<m).reduce(Complex<Double>.zero) { $0 + f[j][$1] * ssm.modes[$1] * f[l][$1].conjugate }
                #expect((ring.couplingEntry(j, l) - w).length <= 1e-14)
                // circulant: depends only on (j − l) mod M
                #expect(ring.couplingEntry(j, l) == ring.couplingEntry((j + 1) % m, (l + 1) % m))
            }
        }
    }

    @Test func dftIsUnitaryAndInjectsAConstantAtNodeZero() {
        for m in [1, 4, 6, 16] {
            let columns = (0..<m).map { n in
                Ring.forward((0..<m).map { $0 == n ? Complex<Double>.one : .zero })
            }
            for a in 0..<m {
                for b in 0..<m {
                    let inner = (0..<m).reduce(Complex<Double>.zero) { $0 + columns[a][$1].conjugate * columns[b][$1] }
                    #expect((inner - (a == b ? .one : .zero)).length <= 1e-14)
                }
            }
            let delta = Ring.forward(Array(repeating: .one, count: m))  // F·1 = √M δ₀
            #expect(abs(delta[0].real - Double(m).squareRoot()) <= 1e-14 && abs(delta[0].imaginary) <= 1e-14)
            #expect(delta.dropFirst().allSatisfy { $0.length <= 1e-14 })
            let v = randomInput(length: m, seed: UInt64(m)).map { Complex($0, 0.5 * $0) }
            #expect(maxAbsDifference(Ring.inverse(Ring.forward(v)), v) <= 1e-14)
        }
    }

    @Test func readoutIsCTimesFInverse() throws {
        let m = 5
        let ssm = try S4DChannelParameters.random(modes: m, seed: 51).ssm()
        let f = Self.dft(m)
        let ring = Ring(ssm)
        // (C F⁻¹)_j = Σ_n c_n conj(F_jn)
        let r = (0..<m).map { j in (0..<m).reduce(Complex<Double>.zero) { $0 + ssm.output[$1] * f[j][$1].conjugate } }
        #expect(maxAbsDifference(ring.readout, r) <= 1e-14 * max(r.map(\.length).max() ?? 1, 1))
    }
}
