import ArgumentParser

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The main job on the bundled data: train → map → ring → operator → analyses → report."
    )

    @Flag(help: "A smoke-test run that finishes in under a minute.")
    var quick = false

    func run() throws {
        // The stages arrive with their issues; until then the demo says what it will do and does what exists.
        print("""
        phasor demo — planned stages (this build implements the numerical foundation only):
          1. train an S4Model on the bundled sequential digits            (not yet built)
          2. map it onto oscillators; rings and travelling waves          (not yet built)
          3. the explicit operator order by order, explained accuracy     (not yet built)
          4. analyses: timescales, memory capacity, expressivity          (not yet built)
          5. phasor-report/index.html                                     (not yet built)
        """)
    }
}
