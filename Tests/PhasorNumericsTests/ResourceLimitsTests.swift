import Testing
@testable import PhasorNumerics

// The limits every size-taking command checks (ResourceLimits.swift): sizes in the environment's spelling, the
// refusal line naming the estimate, its parts and the limit, and the work limit only where asked for.
@Suite("resource limits")
struct ResourceLimitsTests {
    @Test func environmentSizesParse() throws {
        #expect(try ResourceLimits.parse("16G", variable: "X", binarySuffixes: true) == 16 * 1024 * 1024 * 1024)
        #expect(try ResourceLimits.parse("512m", variable: "X", binarySuffixes: true) == 512 * 1024 * 1024)
        #expect(try ResourceLimits.parse("1.5T", variable: "X", binarySuffixes: true) == 1.5 * 1024 * 1024 * 1024 * 1024)
        #expect(try ResourceLimits.parse("2GiB", variable: "X", binarySuffixes: true) == 2 * 1024 * 1024 * 1024)
        #expect(try ResourceLimits.parse("1000", variable: "X", binarySuffixes: true) == 1000)
        #expect(try ResourceLimits.parse("1e12", variable: "X", binarySuffixes: false) == 1e12)
        #expect(try ResourceLimits.parse("off", variable: "X", binarySuffixes: true) == .infinity)
        for bad in ["lots", "-1G", "0", "nan", "1e999", "G"] {
            #expect(throws: ResourceLimitError.self) { try ResourceLimits.parse(bad, variable: "X", binarySuffixes: true) }
        }
    }

    @Test func sizesAreWrittenAsPeopleReadThem() {
        #expect(ResourceLimits.format(bytes: 512) == "512 bytes")
        #expect(ResourceLimits.format(bytes: 1536) == "1.5 KB")
        #expect(ResourceLimits.format(bytes: 12 * 1024 * 1024 * 1024) == "12 GB")
        #expect(ResourceLimits.format(bytes: 5.8e25) == "5.8e25 bytes")
        #expect(ResourceLimits.format(count: 999_999) == "999999")
        #expect(ResourceLimits.format(count: 6.6e12) == "6.6e12")
    }

    @Test func aJobOverTheMemoryLimitIsRefusedWithItsParts() {
        let limits = ResourceLimits(memory: 1024 * 1024, work: 1e6, memorySource: "test", workSource: "test")
        let job = JobEstimate(parts: [("weights", 3 * 1024 * 1024), ("activations", 1024 * 1024)], operations: 10)
        do {
            try limits.require(job, job: "train", limitWork: true, fix: "lower --d-model")
            Issue.record("a 4 MB job passed a 1 MB limit")
        } catch {
            #expect(error.description == "train would need about 4 MB of memory (weights 3 MB, activations 1 MB), more than "
                + "the limit of 1 MB (test): lower --d-model")
        }
    }

    @Test func theWorkLimitAppliesOnlyWhereAsked() throws {
        let limits = ResourceLimits(memory: .infinity, work: 1e6)
        let job = JobEstimate(bytes: 1, operations: 1e9)
        try limits.require(job, job: "eval", limitWork: false, fix: "")
        #expect(throws: ResourceLimitError.self) { try limits.require(job, job: "bench", limitWork: true, fix: "") }
        let absurd = JobEstimate(bytes: .infinity, operations: .nan)     // never passes a finite limit
        #expect(throws: ResourceLimitError.self) {
            try ResourceLimits(memory: 1e12, work: .infinity).require(absurd, job: "x", limitWork: false, fix: "")
        }
        #expect(throws: ResourceLimitError.self) {
            try ResourceLimits(memory: .infinity, work: 1).require(absurd, job: "x", limitWork: true, fix: "")
        }
    }

    @Test func physicalMemoryIsKnown() {
        let (bytes, what) = ResourceLimits.physicalMemory()
        #expect(bytes >= 256 * 1024 * 1024 && bytes.isFinite)
        #expect(!what.isEmpty)
    }

    @Test func estimatesAddAndRepeat() {
        let a = JobEstimate(parts: [("a", 10)], operations: 5), b = JobEstimate(parts: [("b", 20)], operations: 7)
        #expect((a + b).bytes == 30 && (a + b).operations == 12 && (a + b).parts.map(\.name) == ["a", "b"])
        #expect(a.repeated(4).bytes == 10 && a.repeated(4).operations == 20)
    }
}
