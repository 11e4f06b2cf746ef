import PhasorOscillators
import Testing

@Test func oscillatorErrorsSayWhatIsWrong() {
    #expect(OscillatorError.nonFiniteParameter("omega").description == "parameter omega is NaN or infinite")
    #expect(OscillatorError.timesNotIncreasing(index: 3).description.contains("element 3"))
}
