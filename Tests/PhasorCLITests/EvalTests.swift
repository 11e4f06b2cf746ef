import Foundation
import Testing

// `phasor eval` reproduces the test accuracy `train` reported (same --test-fraction and --seed rebuild the same
// held-out part), prints a confusion matrix whose entries add up, and fails in one line on bad input.

@Test func evalMatchesTrainingReportAndChecksInput() throws {
    let dir = cliTemporaryDirectory()
    let csv = dir.appendingPathComponent("ramps.csv")
    try writeRampCSV(csv)
    let out = dir.appendingPathComponent("m.safetensors").path
    let t = try CLI.run(["train", "--data", csv.path, "--out", out, "--json"] + tinyTrainArguments)
    #expect(t.status == 0, "\(t.stderr)")
    let trained = try #require(try JSONSerialization.jsonObject(with: Data(t.stdout.utf8)) as? [String: Any])
    let trainedTest = try #require(trained["test"] as? [String: Any])

    let e = try CLI.run(["eval", "--model", out, "--data", csv.path, "--test-fraction", "0.25", "--seed", "3", "--json"])
    #expect(e.status == 0, "\(e.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any])
    #expect(json["split"] as? String == "test")
    #expect(json["accuracy"] as? Double == trainedTest["accuracy"] as? Double)
    let confusion = try #require(json["confusion"] as? [[Int]])
    #expect(confusion.count == 2 && confusion.flatMap { $0 }.reduce(0, +) == 6)
    let diagonal = Double(confusion[0][0] + confusion[1][1]) / 6
    #expect(diagonal == json["accuracy"] as? Double)

    // Whole file when there is no test part.
    let all = try CLI.run(["eval", "--model", out, "--data", csv.path, "--json"])
    let allJSON = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])
    #expect(allJSON["count"] as? Int == 24 && allJSON["split"] as? String == "all")

    // A dataset with a class the model does not know; a model file that is not a checkpoint.
    try "1,2,3,4,5,6,sideways\n1,2,3,4,5,6,up\n".write(to: dir.appendingPathComponent("other.csv"), atomically: true, encoding: .utf8)
    try "not a checkpoint".write(to: dir.appendingPathComponent("junk.safetensors"), atomically: true, encoding: .utf8)
    for arguments in [["eval", "--model", out, "--data", dir.appendingPathComponent("other.csv").path],
                      ["eval", "--model", dir.appendingPathComponent("junk.safetensors").path, "--data", csv.path],
                      ["eval", "--data", csv.path]] {
        let r = try CLI.run(arguments)
        #expect(r.status != 0, "\(arguments)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(arguments): \(r.stderr)")
    }
}
