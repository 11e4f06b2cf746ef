import PhasorOperator
import Testing

@Test func operatorErrorsSayWhatIsWrong() {
    #expect(OperatorError.invalidOrder(0, "the order must be at least 1").description
        == "order 0 is not allowed: the order must be at least 1")
    #expect(OperatorError.overflow(quantity: "GELU input", order: 7).description.contains("order 7"))
}
