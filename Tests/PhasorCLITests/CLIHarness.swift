import Foundation
import Testing

// Runs the built `phasor` executable as a user would and captures exit status, stdout and stderr. `swift test`
// builds the executable because this test target depends on it; it sits beside the test bundle.

struct CLIResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum CLI {
    static var executable: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // Linux: .build/debug/PhasorPackageTests.xctest is a file; macOS: a bundle inside .build/debug.
        var directory = bundle
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("phasor").path),
              directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("phasor")
    }

    /// Runs `phasor arguments` (in `directory`, with `environment` added to this process's).
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a chatty command cannot block on a full pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }
}

@Test func versionAndHelp() throws {
    let version = try CLI.run(["--version"])
    #expect(version.status == 0)
    let lines = version.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "0.1.0")
    // the second line says which SIMD code runs (docs/performance.md); PHASOR_SIMD lowers the kernels' level
    #expect(lines.count == 2 && lines[1].hasPrefix("build: SIMD kernels ") && lines[1].contains(", Swift code "))
    let generic = try CLI.run(["--version"], environment: ["PHASOR_SIMD": "generic"])
    #expect(generic.stdout.contains("build: SIMD kernels generic (CPU "))
    let typo = try CLI.run(["--version"], environment: ["PHASOR_SIMD": "avx9"])
    #expect(typo.status != 0)
    #expect(typo.stderr.split(separator: "\n").count == 1 && typo.stderr.contains("PHASOR_SIMD=avx9 is not one of generic, avx2, avx512"))
    let help = try CLI.run(["--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("SUBCOMMANDS"))
    let bad = try CLI.run(["no-such-command"])
    #expect(bad.status != 0)
}
