import PhasorModels
import Testing

@Test func modelErrorsSayWhatIsWrong() {
    #expect(ModelError.missingKey("decoder.weight").description == "checkpoint is missing tensor 'decoder.weight'")
    #expect(ModelError.shapeMismatch(key: "D", expected: [4], found: [3]).description.contains("[3]"))
}
