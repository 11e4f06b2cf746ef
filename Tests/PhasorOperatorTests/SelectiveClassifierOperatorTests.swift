// The operator of an S6 classifier's layer is its data-dependent kernel: Σ_{s≤t} K_t,s u_s + D u_t (HiddenAttention,
// from Δ_t, B_t, C_t of the layer's input) equals that layer's core output in the model's own forward pass.
import Testing
import PhasorModels
import PhasorNumerics
@testable import PhasorOperator

@Suite struct SelectiveClassifierOperatorTests {
    @Test(arguments: [0, 1])
    func kernelSumIsTheModelsLayer(layer: Int) throws {
        let c = S4ModelConfiguration(core: .s6, dInput: 2, dModel: 6, dState: 4, layers: 2, classes: 3, dropout: 0)
        let model = try S4Model(configuration: c, seed: 5), L = 30
        let u = randomInputs(L * 2, seed: 6, scale: 2)
        let report = try HiddenAttentionReport(source: "test", model: model, input: u, length: L, layer: layer, groups: 3, mass: 0.9)
        #expect(report.identityError <= 1e-12)
        #expect(report.tokens == L && report.groups.count == 3 && report.influenceRange.count == L)
        // the kernel is causal: nothing above the diagonal
        guard case .s6(let selective) = model.block(layer).core else { Issue.record("not an S6 layer"); return }
        let input = try model.evaluate(inputs: u, batch: 1, length: L).layers[layer].blockInput
        let k = try HiddenAttention.kernel(layer: selective, tokens: try selective.tokens(input, length: L), channel: 2)
        #expect((0..<L).allSatisfy { t in ((t + 1)..<L).allSatisfy { k[t * L + $0] == 0 } })
        #expect(throws: OperatorError.self) {
            try HiddenAttentionReport(source: "test", model: model, input: u, length: L, layer: 2, groups: 3, mass: 0.9)
        }
    }
}
