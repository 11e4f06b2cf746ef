import RealModule
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Absurd sizes never reach the allocator, and silent work never runs for hours (docs/reliability.md §2,
// "mechanisms"). A job states what it will need — an estimate of its peak memory and of its arithmetic — and is refused
// up front, with the estimate and the limit in one line, when it exceeds the limits:
//   memory  half of this machine's physical memory (or of the cgroup's memory.max, when that is smaller);
//           PHASOR_MEMORY_LIMIT overrides it: bytes with an optional K/M/G/T suffix (powers of 1024), or "off";
//   work    10¹¹ arithmetic operations (minutes of one core) for a job that prints no progress and whose work an
//           option multiplies (lags, draws, repetitions, steps); PHASOR_WORK_LIMIT overrides it (a number such as
//           1e12, or "off"). Training shows progress and a pass over the user's own data is what was asked for: they
//           are limited by memory only.
// Estimates are computed in Double, so a size of 10¹⁸ or a product that would overflow Int is simply a large
// number; callers check before they multiply sizes as Int. The estimates themselves live with the jobs:
// `S4ModelConfiguration.jobEstimate` (PhasorModels) for everything that runs a model, and the analysis, ring and
// oscillator jobs built on it or on their own counts.

/// What a job is expected to need.
public struct JobEstimate: Sendable, Equatable {
    /// Peak memory, bytes.
    public var bytes: Double
    /// Arithmetic operations (multiply-adds, exp, … each counted as one).
    public var operations: Double
    /// The main terms of `bytes`, largest first in messages ("activations", "weights", …).
    public var parts: [Part]

    public struct Part: Sendable, Equatable {
        public var name: String
        public var bytes: Double
        public init(_ name: String, bytes: Double) {
            self.name = name
            self.bytes = bytes
        }
    }

    public init(bytes: Double = 0, operations: Double = 0, parts: [Part] = []) {
        self.bytes = bytes
        self.operations = operations
        self.parts = parts
    }

    /// A job made of parts given as (name, bytes); `operations` for the whole.
    public init(parts: [(String, Double)], operations: Double) {
        self.init(bytes: parts.reduce(0) { $0 + $1.1 }, operations: operations, parts: parts.map { Part($0.0, bytes: $0.1) })
    }

    /// Both jobs' memory held at once and both jobs' work.
    public static func + (a: JobEstimate, b: JobEstimate) -> JobEstimate {
        JobEstimate(bytes: a.bytes + b.bytes, operations: a.operations + b.operations, parts: a.parts + b.parts)
    }

    /// The job repeated `times` times, one after the other (memory reused, work added).
    public func repeated(_ times: Double) -> JobEstimate {
        JobEstimate(bytes: bytes, operations: operations * times, parts: parts)
    }
}

/// A job was refused because its estimate exceeds a limit.
public struct ResourceLimitError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
}

/// The memory and work limits of this process (see the file comment).
public struct ResourceLimits: Sendable, Equatable {
    /// Bytes (`.infinity`: no limit).
    public var memory: Double
    /// Operations of a job without progress output (`.infinity`: no limit).
    public var work: Double
    /// Where each came from, for messages ("half of the 24 GB of physical memory; PHASOR_MEMORY_LIMIT changes it").
    public var memorySource: String
    public var workSource: String

    public static let memoryVariable = "PHASOR_MEMORY_LIMIT"
    public static let workVariable = "PHASOR_WORK_LIMIT"
    /// The default work limit: about a few minutes of one core.
    public static let defaultWork = 1e11

    public init(memory: Double, work: Double, memorySource: String = "", workSource: String = "") {
        self.memory = memory
        self.work = work
        self.memorySource = memorySource
        self.workSource = workSource
    }

    /// The limits from the environment, or the defaults. Throws for an environment value that is not a size.
    public static func current() throws(ResourceLimitError) -> ResourceLimits {
        let memory: (Double, String)
        if let text = environment(memoryVariable) {
            memory = (try parse(text, variable: memoryVariable, binarySuffixes: true), "set by \(memoryVariable)=\(text)")
        } else {
            let (physical, what) = physicalMemory()
            memory = (physical / 2, "half of the \(format(bytes: physical)) of \(what); \(memoryVariable) changes it")
        }
        let work: (Double, String)
        if let text = environment(workVariable) {
            work = (try parse(text, variable: workVariable, binarySuffixes: false), "set by \(workVariable)=\(text)")
        } else {
            work = (defaultWork, "the default for a job without progress output; \(workVariable) changes it")
        }
        return ResourceLimits(memory: memory.0, work: work.0, memorySource: memory.1, workSource: work.1)
    }

    /// Throws one line when `estimate` exceeds the memory limit or, with `limitWork`, the work limit. `job` names the
    /// job ("train"), `fix` says what to change ("lower --batch or --d-model"). The work limit is for jobs that print
    /// no progress and whose work an option multiplies (lags, draws, repetitions, steps); training shows progress,
    /// and a single pass over the user's own data (eval, predict, ring, operator) is what the user asked for.
    public func require(_ estimate: JobEstimate, job: String, limitWork: Bool, fix: String) throws(ResourceLimitError) {
        if !(estimate.bytes <= memory) {
            let parts = estimate.parts.filter { $0.bytes >= 0.01 * estimate.bytes }.sorted { $0.bytes > $1.bytes }
                .map { "\($0.name) \(Self.format(bytes: $0.bytes))" }.joined(separator: ", ")
            throw ResourceLimitError(description: "\(job) would need about \(Self.format(bytes: estimate.bytes)) of memory"
                + (parts.isEmpty ? "" : " (\(parts))") + ", more than the limit of \(Self.format(bytes: memory)) "
                + "(\(memorySource)): \(fix)")
        }
        if limitWork, !(estimate.operations <= work) {
            throw ResourceLimitError(description: "\(job) would need about \(Self.format(count: estimate.operations)) "
                + "arithmetic operations without progress output, more than the limit of \(Self.format(count: work)) "
                + "(\(workSource)): \(fix)")
        }
    }

    /// Checks against the current limits (the environment's, or the defaults).
    public static func require(_ estimate: JobEstimate, job: String, limitWork: Bool, fix: String) throws(ResourceLimitError) {
        try current().require(estimate, job: job, limitWork: limitWork, fix: fix)
    }

    // MARK: - Sizes in words

    /// "1.5 GB" (powers of 1024, as `free -h` prints them).
    public static func format(bytes: Double) -> String {
        guard bytes.isFinite else { return "an unbounded amount" }
        let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
        var value = bytes, unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        if unit == units.count - 1, value >= 1024 { return "\(format(count: bytes)) bytes" }
        return unit == 0 ? "\(Int(value)) bytes" : "\(rounded(value)) \(units[unit])"
    }

    /// "6.6e12" for large counts, the integer below 10⁶.
    public static func format(count: Double) -> String {
        guard count.isFinite else { return "an unbounded number of" }
        if count < 1e6 { return "\(Int(count.rounded()))" }
        let exponent = Int(Double.log10(count).rounded(.down))
        let mantissa = count / Double.pow(10, Double(exponent))
        return "\(rounded(mantissa))e\(exponent)"
    }

    private static func rounded(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? "\(Int(r))" : "\(r)"
    }

    // MARK: - The environment

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value).trimmingWhitespace
        return text.isEmpty ? nil : text
    }

    /// "16G", "512M", "1.5T", "2000000000", "1e12", "off" (→ ∞).
    static func parse(_ text: String, variable: String, binarySuffixes: Bool) throws(ResourceLimitError) -> Double {
        let lower = text.lowercased()
        if ["off", "none", "unlimited", "inf"].contains(lower) { return .infinity }
        var number = Substring(lower), scale = 1.0
        if binarySuffixes {
            for unit in ["ib", "b"] where number.hasSuffix(unit) && number.dropLast(unit.count).last.map({ "kmgt".contains($0) }) == true {
                number = number.dropLast(unit.count)                                   // "16GiB", "16GB" as "16G"
            }
            if let last = number.last, let power = ["k": 1, "m": 2, "g": 3, "t": 4][last] {
                scale = Double.pow(1024, Double(power))
                number = number.dropLast()
            }
        }
        guard let value = Double(number), value.isFinite, value > 0 else {
            throw ResourceLimitError(description: "\(variable)=\(text) is not a limit: give a positive number"
                + (binarySuffixes ? " of bytes, optionally with K, M, G or T (e.g. 16G)" : " (e.g. 1e12)") + ", or off")
        }
        return value * scale
    }

    /// Physical memory, or the cgroup's limit when smaller; and what it is ("physical memory", "the cgroup limit").
    static func physicalMemory() -> (Double, String) {
        let pages = Double(sysconf(Int32(_SC_PHYS_PAGES))), size = Double(sysconf(Int32(_SC_PAGESIZE)))
        var memory = pages > 0 && size > 0 ? pages * size : 8 * Double(1 << 30)
        var what = "physical memory"
        for file in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = firstLine(file), let limit = Double(text), limit > 0, limit < memory {
                memory = limit
                what = "memory allowed by the cgroup (\(file))"
            }
        }
        return (memory, what)
    }

    private static func firstLine(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 64)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        return String(cString: buffer).trimmingWhitespace
    }
}

private extension String {
    var trimmingWhitespace: String {
        String(drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }
}
