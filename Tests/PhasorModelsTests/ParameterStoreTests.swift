import PhasorModels
import Testing

@Test func parameterStoreKeepsOrderShapesAndChecks() throws {
    var store = try ParameterStore([
        Parameter(name: "encoder.weight", shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
        Parameter(name: "encoder.bias", shape: [2], values: [0, 0]),
    ])
    #expect(store.names == ["encoder.weight", "encoder.bias"])
    #expect(store.scalarCount == 8)
    try store.setValues("encoder.bias", [1, -1])
    #expect(try store.values("encoder.bias") == [1, -1])
    #expect(throws: ModelError.missingKey("decoder.weight")) { try store.parameter("decoder.weight") }
    #expect(throws: ModelError.self) { try store.setValues("encoder.bias", [1]) }
    #expect(throws: ModelError.self) { try Parameter(name: "x", shape: [2, 2], values: [1, 2, 3]) }
    #expect(throws: ModelError.self) { try store.append(Parameter(name: "encoder.bias", shape: [1], values: [0])) }
    #expect(store.zeros().parameters.allSatisfy { $0.values.allSatisfy { $0 == 0 } })
    try store.requireFinite()
    try store.setValues("encoder.bias", [.nan, 0])
    #expect(throws: ModelError.nonFinite(key: "encoder.bias")) { try store.requireFinite() }
}
