import Foundation
import Testing
import PhasorAnalysis
import PhasorNumerics
@testable import PhasorReport

// The whole demo pipeline on a tiny configuration (8 digits per class, H = 4, 1 layer, 1 epoch — seconds in debug):
// every figure of the report is present, the file is self-contained (no URL but the SVG namespace), no "NaN" or
// "Infinity" text appears, and summary.json parses with the numbers the report claims.

/// The package root (Tests/PhasorReportTests/<this file> → ../..).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// One tiny run shared by the tests of this target (global lets are initialised once, thread-safely).
let tinyRun: Result<(directory: URL, summary: DemoSummary), Error> = Result {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("phasor-demo-\(UUID().uuidString)")
    let data = try DataLocator.digits(explicit: packageRoot.appendingPathComponent(DataLocator.relativePath).path)
    let summary = try DemoPipeline.run(settings: .tiny(seed: 1), dataPath: data, output: dir.path)
    return (dir, summary)
}

let expectedFigures = ["fig-loss", "fig-accuracy", "fig-spectrum", "fig-decay", "fig-ring-impulse", "fig-dispersion",
                       "fig-operator-convergence", "fig-band-truncation", "fig-memory", "fig-design-loss", "fig-design-accuracy"]

@Test func tinyDemoWritesASelfContainedReport() throws {
    let (dir, summary) = try tinyRun.get()
    let html = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.hasSuffix("</html>\n"))
    for id in expectedFigures { #expect(html.contains("<figure id=\"\(id)\""), "missing \(id)") }
    // Two ring pictures for real test digits, and one pair map per class that had a sample.
    #expect(html.components(separatedBy: "<figure id=\"fig-ring-").count - 1 == 3)
    #expect(html.components(separatedBy: "<figure id=\"fig-pairs-").count - 1 == 10)
    // Every figure has a caption; SVG elements are balanced.
    #expect(html.components(separatedBy: "<figure").count == html.components(separatedBy: "<figcaption>").count)
    #expect(html.components(separatedBy: "<svg").count == html.components(separatedBy: "</svg>").count)
    // Self-contained: no scripts, no external resources; the only URL is the SVG namespace.
    for bad in ["<script", "src=", "href=", "url(", "@import"] { #expect(!html.contains(bad), "\(bad)") }
    let urls = html.components(separatedBy: "http").dropFirst()
    #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg\"") })
    for bad in ["NaN", "nan", "Infinity", "inf<", ">inf"] { #expect(!html.contains(bad), "\(bad)") }
    // Summary: the numbers are finite and consistent with the run.
    #expect(summary.trainSamples + summary.validationSamples + summary.testSamples == 80)
    #expect(summary.testSamples == 20)
    #expect(summary.epochs.count == 1)
    #expect(summary.operatorOrders.map(\.order) == [1, 2])
    #expect(summary.bandOrders.map(\.order) == [1, 2, 3, 4, 5])                // 4 modes per channel: 4 bands + skip
    #expect(try #require(summary.bandOrders.last).relativeError <= 1e-12)
    #expect(summary.testAccuracy >= 0 && summary.testAccuracy <= 1)
    #expect(summary.ringIdentityError < 1e-9)   // ring output ≡ the model's own SSM output on real inputs
    // The bilinear model beside it: its operator of order 2^layers (tiny: 1 layer, degree 2) is the model itself.
    #expect(summary.exactOrders.map(\.order) == [1, 2])
    #expect(summary.exactIdentityError <= 1e-12)
    #expect(try #require(summary.exactOrders.last).agreement == 1)
    #expect(try #require(summary.exactOrders.last).relativeError <= 1e-12)
    #expect(summary.exactTestAccuracy >= 0 && summary.exactTestAccuracy <= 1)
    // One small model of each other family, trained and read.
    #expect(Set(summary.familyTestAccuracy.keys) == ["s5", "lru", "linoss-im", "linoss-imex", "s6"])
    #expect(summary.familyTestAccuracy.values.allSatisfy { (0...1).contains($0) })
    let json = try Data(contentsOf: dir.appendingPathComponent("summary.json"))
    let decoded = try JSONDecoder().decode(DemoSummary.self, from: json)
    #expect(decoded.testAccuracy == summary.testAccuracy)
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("model.safetensors").path))
}

@Test func missingDataIsAClearError() {
    #expect(throws: ReportError.dataMissing(searched: ["/nonexistent/digits.csv"])) {
        try DataLocator.digits(explicit: "/nonexistent/digits.csv")
    }
    #expect(ReportError.dataMissing(searched: ["x"]).description.contains("--data"))
}

@Test func dataIsFoundFromTheExecutablesFolder() throws {
    let found = try DataLocator.digits(explicit: nil, executable: packageRoot.appendingPathComponent(".build/release/phasor").path)
    #expect(found.hasSuffix(DataLocator.relativePath))
    #expect(FileManager.default.fileExists(atPath: found))
}

@Test func designTargetsAreQuantilesOfTheMeasuredTimescales() throws {
    // Four modes of layer 0 with known decay times (steps) 2, 4, 6, 8 and periods 10, 20, 30, 40 (Δ = 1).
    let modes = try (0..<4).map { k in
        try PhasorAnalysis.ModeTimescale(layer: 0, mode: k, rate: .init(-1 / Double(2 * (k + 1)), 2 * .pi / Double(10 * (k + 1))), step: 1)
    }
    let (periods, memories) = try DemoPipeline.designTargets(modes, layer: 0, count: 2)
    // Quantiles q = 1/4, 3/4 of sorted τ = [2,4,6,8] by linear interpolation at positions 0.75 and 2.25: 3.5 and 6.5.
    #expect(memories.count == 2 && abs(memories[0] - 3.5) < 1e-12 && abs(memories[1] - 6.5) < 1e-12)
    // Periods descending (frequency grows with the mode index): q = 3/4 → 32.5, q = 1/4 → 17.5.
    #expect(abs(periods[0] - 32.5) < 1e-12 && abs(periods[1] - 17.5) < 1e-12)
}
