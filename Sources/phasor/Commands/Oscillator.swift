import ArgumentParser
import Foundation
import PhasorData
import PhasorFigures
import PhasorNumerics
import PhasorOscillators

// `phasor oscillator`: one Stuart–Landau oscillator dz/dt = (iω − γ)z − (α + iβ)|z|²z in closed form (α = β = 0: the
// linear damped oscillator). Also home of the small parsing/printing helpers the three oscillator commands share.

struct Oscillator: ParsableCommand, WritesFiles {
    static let configuration = CommandConfiguration(
        abstract: "A Stuart–Landau oscillator dz/dt = (iω − γ)z − (α + iβ)|z|²z, solved in closed form.",
        discussion: """
        Prints {"times", "z": [[re, im], …], "blowup_time": null | t*} with --json. When α < 0 the amplitude can \
        blow up at a finite time t*: states are given only for the requested times before t*.
        """
    )

    @Option(parsing: .unconditional, help: "Angular frequency ω.") var omega: Double
    @Option(parsing: .unconditional, help: "Linear damping γ (negative: growth).") var gamma: Double
    @Option(parsing: .unconditional, help: "Nonlinear amplitude coefficient α (positive: saturation, negative: blow-up).") var alpha: Double = 0
    @Option(parsing: .unconditional, help: "Nonlinear frequency shift β.") var beta: Double = 0
    @Option(parsing: .unconditional, help: "Initial state as RE,IM.") var z0: String
    @Option(parsing: .unconditional, help: "Output times t1,t2,… (≥ 0, non-decreasing).") var times: String
    @Flag(help: "Print the result as JSON.") var json = false
    @Option(help: "Write an SVG figure (complex-plane trajectory; |z| and phase vs time).") var plot: String?

    var outputs: [OutputFile] { [.file("--plot", plot)] }

    func run() throws {
        try CLIReport.guarded("oscillator") {
            let osc = try StuartLandau(omega: omega, gamma: gamma, alpha: alpha, beta: beta)
            let start = try CLIParse.complex(z0, name: "--z0")
            let t = try CLIParse.doubles(times, name: "--times")
            let trajectory = try osc.trajectory(from: start, times: t)
            if json {
                try JSONOutput.print(trajectory)
            } else {
                for (time, z) in zip(trajectory.times, trajectory.states) {
                    print("t = \(time)\tz = \(z.real) + \(z.imaginary)i\t|z| = \(z.length)")
                }
                if let tStar = trajectory.blowupTime { print("blow-up at t* = \(tStar)") }
            }
            if let plot { try AtomicFile.write(Charts.file(try trajectory.figure()), to: plot) }
        }
    }
}

/// One-line failures: every error of an oscillator command is printed as `phasor <command>: <reason>` on stderr and
/// the process exits with status 1.
enum CLIReport {
    static func guarded(_ command: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            let line = "\(error)".split(separator: "\n").joined(separator: " ")
            FileHandle.standardError.write(Data("phasor \(command): \(line)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// A malformed command-line value.
struct CLIInputError: Error, CustomStringConvertible {
    let description: String
}

enum CLIParse {
    /// "a,b,c" → [a, b, c]; every element must parse as a finite Double.
    static func doubles(_ text: String, name: String) throws -> [Double] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        return try parts.enumerated().map { index, part in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let v = Double(trimmed), v.isFinite else {
                throw CLIInputError(description: "\(name): element \(index) \"\(trimmed)\" is not a finite number (give comma-separated numbers, e.g. 0,0.5,1)")
            }
            return v
        }
    }

    /// "RE,IM" → Complex(RE, IM).
    static func complex(_ text: String, name: String) throws -> Complex<Double> {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw CLIInputError(description: "\(name) \"\(text)\" must be RE,IM (two numbers separated by a comma, e.g. 1,0)")
        }
        let values = try doubles(text, name: name)
        return Complex(values[0], values[1])
    }

    /// A .npy file read as complex numbers with its shape.
    static func npyComplex(_ path: String, name: String) throws -> (shape: [Int], values: [Complex<Double>]) {
        let array = try NpyArray(contentsOf: path)
        return (array.shape, array.asComplex())
    }

    /// A real .npy file (complex refused) with its shape.
    static func npyReal(_ path: String, name: String) throws -> (shape: [Int], values: [Double]) {
        let array = try NpyArray(contentsOf: path)
        guard array.dtype != .complex128 else {
            throw CLIInputError(description: "\(name) \(path) is complex; it must be real (float64/float32/int64)")
        }
        return (array.shape, try array.asDoubles())
    }
}
