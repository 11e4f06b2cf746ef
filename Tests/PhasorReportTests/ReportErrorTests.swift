import PhasorReport
import Testing

@Test func reportErrorsSayWhatIsWrong() {
    #expect(ReportError.stageFailed(stage: "train", reason: "no data").description == "demo stage 'train' failed: no data")
}
