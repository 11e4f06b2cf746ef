// `phasor oscillator | network | kuramoto` as a user runs them: the JSON field names other programs rely on, values
// checked against the library (an independent in-process computation), the SVG written, and every bad input exiting
// non-zero with one line on stderr.
import Foundation
import PhasorData
import PhasorNumerics
import PhasorOscillators
import Testing

private func json(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("phasor-osc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

private func expectOneLineFailure(_ arguments: [String], in directory: URL? = nil) throws {
    let result = try CLI.run(arguments, in: directory)
    #expect(result.status != 0, "\(arguments) should fail")
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(arguments): stderr was \(result.stderr)")
}

@Test func oscillatorCommandPrintsTheClosedFormAndTheBlowupTime() throws {
    let result = try CLI.run(["oscillator", "--omega", "1", "--gamma", "0.1", "--alpha", "-0.5", "--beta", "0.2",
                              "--z0", "1,-0.5", "--times", "0,0.5,1,50", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try json(result.stdout)
    let osc = try StuartLandau(omega: 1, gamma: 0.1, alpha: -0.5, beta: 0.2)
    let expected = try osc.trajectory(from: Complex(1, -0.5), times: [0, 0.5, 1, 50])
    let tStar = try #require(expected.blowupTime)
    #expect(abs((try #require(object["blowup_time"] as? Double)) - tStar) < 1e-15)
    let z = try #require(object["z"] as? [[Double]])
    let times = try #require(object["times"] as? [Double])
    #expect(times == expected.times)
    #expect(z.count == expected.states.count)
    for (pair, state) in zip(z, expected.states) {
        #expect(abs(pair[0] - state.real) < 1e-15 && abs(pair[1] - state.imaginary) < 1e-15)
    }
    let calm = try json(CLI.run(["oscillator", "--omega", "2", "--gamma", "-0.1", "--alpha", "1", "--z0", "0.1,0",
                                 "--times", "1,2", "--json"]).stdout)
    #expect(calm["blowup_time"] is NSNull)
}

@Test func networkCommandMethodsAgree() throws {
    let directory = try temporaryDirectory()
    let rows: [[Complex<Double>]] = [[Complex(-0.1, 1), Complex(0.05, 0)], [Complex(0, 0.03), Complex(-0.2, 2)]]
    try NpyArray(shape: [2, 2], complex128: rows.flatMap { $0 }).write(to: directory.appendingPathComponent("J.npy").path)
    try NpyArray(shape: [2], complex128: [Complex(1, 0), Complex(0, 0.5)]).write(to: directory.appendingPathComponent("z0.npy").path)
    var results: [[[[Double]]]] = []
    for method in ["exact", "perturbative", "numeric"] {
        let result = try CLI.run(["network", "--jacobian", "J.npy", "--z0", "z0.npy", "--times", "0,1,10",
                                  "--method", method, "--order", "10", "--json", "--plot", "n.svg"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result.stdout)
        #expect((object["times"] as? [Double]) == [0, 1, 10])
        results.append(try #require(object["z"] as? [[[Double]]]))
    }
    let network = try OscillatorNetwork(jacobian: ComplexMatrix(rows))
    let exact = try network.exactSolution(from: [Complex(1, 0), Complex(0, 0.5)], times: [0, 1, 10]).states
    for result in results {
        for (k, state) in exact.enumerated() {
            for i in 0..<2 {
                #expect(abs(result[k][i][0] - state[i].real) < 1e-9 && abs(result[k][i][1] - state[i].imaginary) < 1e-9)
            }
        }
    }
    let svg = try String(contentsOf: directory.appendingPathComponent("n.svg"), encoding: .utf8)
    #expect(svg.contains("<svg ") && svg.contains("polyline") && svg.contains("|z_i|"))
}

@Test func kuramotoCommandTwistedStateAndOrder() throws {
    let directory = try temporaryDirectory()
    let n = 10
    try NpyArray(shape: [n], float64: [Double](repeating: 1, count: n)).write(to: directory.appendingPathComponent("W.npy").path)
    try NpyArray(shape: [n, n], float64: KuramotoNetwork.ringAdjacency(nodes: n, neighbours: 1))
        .write(to: directory.appendingPathComponent("A.npy").path)
    let theta0 = KuramotoNetwork.twistedState(nodes: n, winding: 1)
    try NpyArray(shape: [n], float64: theta0).write(to: directory.appendingPathComponent("T.npy").path)
    for method in ["kuramoto", "complex", "iterative"] {
        let result = try CLI.run(["kuramoto", "--omega", "W.npy", "--adjacency", "A.npy", "--coupling", "0.5",
                                  "--phase-lag", "-0.2", "--theta0", "T.npy", "--times", "0,2,4", "--method", method,
                                  "--step", "0.25", "--json", "--plot", "k.svg"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result.stdout)
        let theta = try #require(object["theta"] as? [[Double]])
        let order = try #require(object["order"] as? [Double])
        #expect(theta.count == 3 && theta.allSatisfy { $0.count == n })
        #expect(order.allSatisfy { $0 < 1e-9 })
        // The wave moves rigidly at Ω = ω − ε μ₁ sin φ, μ₁ = 2 cos(2π/n).
        let speed = 1 - 0.5 * 2 * Double.cos(2 * Double.pi / Double(n)) * Double.sin(-0.2)
        for j in 0..<n {
            #expect(abs(wrappedPhaseDifference(theta[2][j], theta0[j] + 4 * speed)) < 1e-8)
        }
    }
    let svg = try String(contentsOf: directory.appendingPathComponent("k.svg"), encoding: .utf8)
    #expect(svg.contains("<ellipse") && svg.contains("order parameter"))
}

@Test func badInputFailsWithOneLine() throws {
    let directory = try temporaryDirectory()
    try NpyArray(shape: [2, 3], float64: [Double](repeating: 0, count: 6)).write(to: directory.appendingPathComponent("rect.npy").path)
    try NpyArray(shape: [2, 2], float64: [0, 1, 1, 0]).write(to: directory.appendingPathComponent("A2.npy").path)
    try NpyArray(shape: [3], float64: [1, 1, 1]).write(to: directory.appendingPathComponent("W3.npy").path)
    try NpyArray(shape: [3], float64: [0, 1, 2]).write(to: directory.appendingPathComponent("T3.npy").path)
    try NpyArray(shape: [2], float64: [1, 0]).write(to: directory.appendingPathComponent("z2.npy").path)
    try NpyArray(shape: [3], float64: [1, 0, 0]).write(to: directory.appendingPathComponent("z3.npy").path)
    let base = ["oscillator", "--omega", "1", "--gamma", "0.1"]
    try expectOneLineFailure(base + ["--z0", "1,0", "--times", "0,1", "--alpha", "nan"])
    try expectOneLineFailure(["oscillator", "--omega", "inf", "--gamma", "0", "--z0", "1,0", "--times", "1"])
    try expectOneLineFailure(base + ["--z0", "1", "--times", "0,1"])
    try expectOneLineFailure(base + ["--z0", "1,x", "--times", "0,1"])
    try expectOneLineFailure(base + ["--z0", "1,0", "--times", "0,2,1"])
    try expectOneLineFailure(base + ["--z0", "1,0", "--times", "-1,2"])
    try expectOneLineFailure(["network", "--jacobian", "rect.npy", "--z0", "z2.npy", "--times", "1"], in: directory)
    try expectOneLineFailure(["network", "--jacobian", "A2.npy", "--z0", "z3.npy", "--times", "1"], in: directory)
    try expectOneLineFailure(["network", "--jacobian", "A2.npy", "--z0", "z2.npy", "--times", "3,1"], in: directory)
    try expectOneLineFailure(["network", "--jacobian", "missing.npy", "--z0", "z2.npy", "--times", "1"], in: directory)
    let kuramoto = ["kuramoto", "--omega", "W3.npy", "--coupling", "1", "--theta0", "T3.npy", "--times", "1"]
    try expectOneLineFailure(kuramoto + ["--adjacency", "A2.npy"], in: directory)
    try expectOneLineFailure(kuramoto + ["--adjacency", "rect.npy"], in: directory)
    try expectOneLineFailure(["kuramoto", "--omega", "W3.npy", "--coupling", "1", "--theta0", "z2.npy",
                              "--adjacency", "A2.npy", "--times", "1"], in: directory)
    try expectOneLineFailure(["kuramoto", "--omega", "W3.npy", "--coupling", "nan", "--theta0", "T3.npy",
                              "--adjacency", "A2.npy", "--times", "1"], in: directory)
}
