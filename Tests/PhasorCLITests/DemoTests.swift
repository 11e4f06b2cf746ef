import Foundation
import Testing

// `phasor demo`: help names the options; a missing data file fails in one line saying what to do. (The pipeline itself
// is tested on a tiny configuration in PhasorReportTests; the real runs are measured in docs/report.md.)

@Test func demoHelpListsItsOptions() throws {
    let r = try CLI.run(["demo", "--help"])
    #expect(r.status == 0)
    for option in ["--quick", "--out", "--seed", "--data"] { #expect(r.stdout.contains(option), "\(option)") }
}

@Test func demoWithMissingDataFailsClearly() throws {
    let r = try CLI.run(["demo", "--data", "/nonexistent/digits.csv", "--out", cliTemporaryDirectory().path])
    #expect(r.status != 0)
    #expect(r.stderr.contains("digits") && r.stderr.contains("--data"), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1)
}
