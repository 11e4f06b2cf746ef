import PhasorNumerics
import Testing

@Test func requireFiniteNamesTheQuantity() throws {
    try requireFinite([1.0, 2.0, -3.5], "ok")
    #expect(throws: NonFiniteError(quantity: "weights", index: 2, value: "nan")) {
        try requireFinite([1.0, 2.0, .nan], "weights")
    }
    #expect(throws: NonFiniteError(quantity: "dt", index: 0, value: "inf")) {
        try requireFinite(Double.infinity, "dt")
    }
}
