import PhasorCorrespondence
import Testing

@Test func correspondenceErrorsSayWhatIsWrong() {
    #expect(CorrespondenceError.invalidStep(-1).description == "step size Δ = -1.0 is not positive and finite")
    #expect(CorrespondenceError.unstable("|μ| = 1.2").description.contains("1.2"))
}
