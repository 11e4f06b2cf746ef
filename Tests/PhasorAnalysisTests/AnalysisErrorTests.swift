import PhasorAnalysis
import Testing

@Test func analysisErrorsSayWhatIsWrong() {
    #expect(AnalysisError.unstable("|μ| = 1.01").description == "unstable system: |μ| = 1.01")
    #expect(AnalysisError.insufficientData("3 samples for 10 parameters").description.contains("3 samples"))
}
