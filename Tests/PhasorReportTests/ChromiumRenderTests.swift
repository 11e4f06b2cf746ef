import Foundation
import Testing
@testable import PhasorReport

// Renders the tiny demo's report with headless Chromium (Debian package `chromium`; CI installs it) and checks the
// picture is not blank: the report's PNG must be far larger than the PNG of an empty page at the same size (a PNG of
// identical pixels compresses to almost nothing). A missing Chromium FAILS with a message — never a silent skip.

func chromiumPath() -> String? {
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/snap/bin/chromium"]
    where FileManager.default.isExecutableFile(atPath: p) { return p }
    return nil
}

func screenshot(_ chromium: String, page: URL, to png: URL) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: chromium)
    p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--screenshot=\(png.path)",
                   "--window-size=1200,3000", page.absoluteString]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
}

@Test func reportRendersInHeadlessChromium() throws {
    guard let chromium = chromiumPath() else {
        Issue.record("headless Chromium is needed to render the report: install it (Debian: apt-get install -y chromium)")
        return
    }
    let (dir, _) = try tinyRun.get()
    let blankPage = dir.appendingPathComponent("blank.html")
    try "<!DOCTYPE html><html><body></body></html>".write(to: blankPage, atomically: true, encoding: .utf8)
    let blank = dir.appendingPathComponent("blank.png"), report = dir.appendingPathComponent("report.png")
    try screenshot(chromium, page: blankPage, to: blank)
    try screenshot(chromium, page: dir.appendingPathComponent("index.html"), to: report)
    let blankData = try Data(contentsOf: blank), reportData = try Data(contentsOf: report)
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    #expect(Array(reportData.prefix(8)) == signature, "Chromium did not write a PNG")
    #expect(Array(blankData.prefix(8)) == signature)
    #expect(reportData.count > 5 * blankData.count, "report PNG \(reportData.count) B vs blank page \(blankData.count) B")
}
